"""The figures of one partner site in one month: counters, sums and the means/shares they give."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Iterable, Mapping

Breakdown = dict[str, int]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Counts:
    """Additive counters, means and shares kept as numerator and denominator. Flows (applied,
    started, ended …) add over sites and months; stocks at month end (active, waiting,
    on schedule) add over sites only: for a period take its last month."""

    mentors_applied: int = 0
    mentors_screened: int = 0
    mentors_active: int = 0  # at month end
    mentees_applied: int = 0
    mentees_waiting: int = 0  # at month end, never matched so far
    waiting_days_sum: int = 0  # of those waiting at month end
    waiting_by_target_group: Breakdown = dataclasses.field(default_factory=dict)
    waiting_pool: int = 0  # mentees waiting at some time in the month
    waiting_matched: int = 0  # of those, started a Patenschaft in the month
    proposed: int = 0
    started: int = 0
    active: int = 0  # at month end
    ended: int = 0
    started_by_target_group: Breakdown = dataclasses.field(default_factory=dict)
    started_by_mentor_age: Breakdown = dataclasses.field(default_factory=dict)
    started_by_mentee_age: Breakdown = dataclasses.field(default_factory=dict)
    active_by_target_group: Breakdown = dataclasses.field(default_factory=dict)
    active_by_mentor_age: Breakdown = dataclasses.field(default_factory=dict)
    active_by_mentee_age: Breakdown = dataclasses.field(default_factory=dict)
    ended_by_reason: Breakdown = dataclasses.field(default_factory=dict)
    ended_known_start: int = 0  # ended Patenschaften whose start is known
    ended_duration_days_sum: int = 0
    ended_early: int = 0  # before the twelve months committed
    started_known_registration: int = 0  # started Patenschaften whose mentee's registration is known
    registration_to_start_days_sum: int = 0
    checkins_on_schedule: int = 0  # of the active at month end

    def __add__(self, other: Counts) -> Counts:
        merged = {}
        for field in dataclasses.fields(self):
            mine, theirs = getattr(self, field.name), getattr(other, field.name)
            merged[field.name] = _add_breakdowns(mine, theirs) if isinstance(mine, dict) else mine + theirs
        return Counts(**merged)

    @property
    def mean_waiting_days(self) -> float | None:
        return _ratio(self.waiting_days_sum, self.mentees_waiting)

    @property
    def mean_duration_days(self) -> float | None:
        """Mean duration of the Patenschaften ended (with a known start)."""
        return _ratio(self.ended_duration_days_sum, self.ended_known_start)

    @property
    def mean_registration_to_start_days(self) -> float | None:
        """Mean days from the mentee's registration to the start of the Patenschaft."""
        return _ratio(self.registration_to_start_days_sum, self.started_known_registration)

    @property
    def share_waiting_matched(self) -> float | None:
        return _ratio(self.waiting_matched, self.waiting_pool)

    @property
    def share_ended_early(self) -> float | None:
        return _ratio(self.ended_early, self.ended_known_start)

    @property
    def share_checkins_on_schedule(self) -> float | None:
        return _ratio(self.checkins_on_schedule, self.active)

    def to_metrics(self) -> dict[str, int]:
        """Flat name → value, breakdowns as 'started_by_target_group.refugee': one row each
        in a (tenant, month, metric, value) table. Zeros are left out."""
        flat: dict[str, int] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            items = ((f"{field.name}.{key}", count) for key, count in value.items()) if isinstance(
                value, dict) else [(field.name, value)]
            flat.update((name, count) for name, count in items if count)
        return flat

    @classmethod
    def from_metrics(cls, metrics: Mapping[str, int]) -> Counts:
        values: dict[str, int | Breakdown] = {}
        for name, count in metrics.items():
            field, _, key = name.partition(".")
            if key:
                values.setdefault(field, {})[key] = int(count)  # type: ignore[index]
            else:
                values[field] = int(count)
        return cls(**values)  # type: ignore[arg-type]


@dataclasses.dataclass(frozen=True, kw_only=True)
class SiteMonth:
    """The figures of one partner site for one month ('YYYY-MM')."""

    tenant_id: str
    site_name: str | None
    bundesland: str
    month: str
    counts: Counts


def combine(figures: Iterable[SiteMonth], *, by: Callable[[SiteMonth], Hashable]) -> dict[Hashable, Counts]:
    """Add up counts per key, e.g. by=lambda f: (f.bundesland, f.month) for the Länder view."""
    combined: dict[Hashable, Counts] = {}
    for figure in figures:
        key = by(figure)
        combined[key] = combined.get(key, Counts()) + figure.counts
    return combined


def _add_breakdowns(mine: Breakdown, theirs: Breakdown) -> Breakdown:
    merged = dict(mine)
    for key, count in theirs.items():
        merged[key] = merged.get(key, 0) + count
    return merged


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None
