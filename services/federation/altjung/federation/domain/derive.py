"""Derives every partner site's monthly figures from the read model's facts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from altjung.federation.domain import categories
from altjung.federation.domain.figures import Counts, SiteMonth
from altjung.federation.domain.months import first_day, last_day
from altjung.federation.domain.state import (
    MenteeFact,
    MentorFact,
    PatenschaftFact,
    SiteFact,
    State,
)


@dataclasses.dataclass
class _Site:
    mentors: list[MentorFact] = dataclasses.field(default_factory=list)
    mentees: list[MenteeFact] = dataclasses.field(default_factory=list)
    patenschaften: list[PatenschaftFact] = dataclasses.field(default_factory=list)


def derive_figures(state: State, months: Iterable[str], *,
                   checkin_interval_days: Mapping[str, int] | None = None) -> list[SiteMonth]:
    """One SiteMonth per known partner site and month, sorted by site then month.
    `checkin_interval_days` overrides a site's configured interval, by tenant id."""
    months = list(months)
    # a site without any activity still gets its zeros
    sites: dict[str, _Site] = defaultdict(_Site, {tenant_id: _Site() for tenant_id in state.sites})
    for mentor in state.mentors.values():
        if mentor.tenant_id:
            sites[mentor.tenant_id].mentors.append(mentor)
    for mentee in state.mentees.values():
        if mentee.tenant_id:
            sites[mentee.tenant_id].mentees.append(mentee)
    for patenschaft in state.patenschaften.values():
        if patenschaft.tenant_id:
            sites[patenschaft.tenant_id].patenschaften.append(patenschaft)
    first_start = _first_start_by_mentee(state)
    figures = []
    for tenant_id in sorted(sites):
        site = state.sites.get(tenant_id) or SiteFact(tenant_id=tenant_id)
        interval = (checkin_interval_days or {}).get(tenant_id, site.checkin_interval_days)
        for month in months:
            counts = _counts(state, sites[tenant_id], month, first_start, interval)
            figures.append(SiteMonth(tenant_id=tenant_id, site_name=site.name or site.slug,
                                     bundesland=site.bundesland, month=month, counts=counts))
    return figures


def _first_start_by_mentee(state: State) -> dict[tuple[str, str], dt.date]:
    first: dict[tuple[str, str], dt.date] = {}
    for patenschaft in state.patenschaften.values():
        started = patenschaft.started_on
        mentee = (patenschaft.tenant_id or "", patenschaft.mentee_id) if patenschaft.mentee_id else None
        if mentee and started and (mentee not in first or started < first[mentee]):
            first[mentee] = started
    return first


def _counts(state: State, site: _Site, month: str, first_start: dict[tuple[str, str], dt.date],
            interval: int) -> Counts:
    start, end = first_day(month), last_day(month)
    values: dict[str, object] = {}
    values.update(_mentor_counts(site.mentors, start, end))
    values.update(_mentee_counts(site.mentees, start, end, first_start))
    values.update(_patenschaft_counts(state, site.patenschaften, start, end, interval))
    return Counts(**values)  # type: ignore[arg-type]


def _within(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def _gone_by(erased_on: dt.date | None, day: dt.date) -> bool:
    return erased_on is not None and erased_on <= day


def _mentor_counts(mentors: list[MentorFact], start: dt.date, end: dt.date) -> dict[str, int]:
    return {
        "mentors_applied": sum(_within(m.registered_on, start, end) for m in mentors),
        "mentors_screened": sum(_within(m.screened_on, start, end) for m in mentors),
        "mentors_active": sum(m.status_on(end) == "active" and not _gone_by(m.erased_on, end) for m in mentors),
    }


def _mentee_counts(mentees: list[MenteeFact], start: dt.date, end: dt.date,
                   first_start: dict[tuple[str, str], dt.date]) -> dict[str, object]:
    counts = Counter(mentees_applied=sum(_within(m.registered_on, start, end) for m in mentees))
    waiting_by_group: Counter[str] = Counter()
    for mentee in mentees:
        matched = first_start.get((mentee.tenant_id or "", mentee.mentee_id))
        if mentee.waiting_on(end, matched):
            counts["mentees_waiting"] += 1
            waiting_by_group[mentee.target_group] += 1
            counts["waiting_days_sum"] += (end - mentee.registered_on).days  # type: ignore[operator]
        # the pool: waiting when the month began, or registered during it
        if mentee.waiting_on(start - dt.timedelta(days=1), matched) or _within(mentee.registered_on, start, end):
            counts["waiting_pool"] += 1
            counts["waiting_matched"] += _within(matched, start, end)
    return {**counts, "waiting_by_target_group": dict(waiting_by_group)}


def _patenschaft_counts(state: State, patenschaften: list[PatenschaftFact], start: dt.date, end: dt.date,
                        interval: int) -> dict[str, object]:
    counts: Counter[str] = Counter()
    by: dict[str, Counter[str]] = defaultdict(Counter)
    for p in patenschaften:
        counts["proposed"] += _within(p.proposed_on, start, end)
        if p.started_on is not None and p.started_on <= end:
            site = p.tenant_id or ""
            mentor = state.mentors.get((site, p.mentor_id or ""))
            mentee = state.mentees.get((site, p.mentee_id or ""))
            bands = {
                "target_group": p.target_group,
                "mentor_age": categories.mentor_age_band(mentor.birth_year if mentor else None, p.started_on),
                "mentee_age": categories.mentee_age_band(mentee.birth_year if mentee else None, p.started_on),
            }
            if p.started_on >= start:
                counts["started"] += 1
                for dimension, band in bands.items():
                    by[f"started_by_{dimension}"][band] += 1
                if mentee is not None and mentee.registered_on is not None:
                    counts["started_known_registration"] += 1
                    counts["registration_to_start_days_sum"] += max(0, (p.started_on - mentee.registered_on).days)
            if p.ended_on is None or p.ended_on > end:
                counts["active"] += 1
                for dimension, band in bands.items():
                    by[f"active_by_{dimension}"][band] += 1
                last = max(p.last_checkin(end) or p.started_on, p.started_on)
                counts["checkins_on_schedule"] += (end - last).days <= interval
        if _within(p.ended_on, start, end):
            assert p.ended_on is not None
            counts["ended"] += 1
            by["ended_by_reason"][p.end_reason or "other"] += 1
            if p.started_on is not None:
                counts["ended_known_start"] += 1
                counts["ended_duration_days_sum"] += max(0, (p.ended_on - p.started_on).days)
                counts["ended_early"] += categories.ending(p.started_on, p.ended_on) == "early"
    return {**counts, **{name: dict(counter) for name, counter in by.items()}}
