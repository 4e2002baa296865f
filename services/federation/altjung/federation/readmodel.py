"""Keeps the read model: each consumed envelope is stored, folded into its site's facts, and the
site's monthly rollup is derived again before the transaction commits (once per site and batch)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, event, insert, select, text, update
from sqlalchemy.orm import Session

from altjung.events import Envelope
from altjung.federation import facts
from altjung.federation.domain import apply, derive_figures
from altjung.federation.domain.months import month_of, months_between, parse_instant
from altjung.federation.domain.state import SiteFact, State
from altjung.federation.models import RollupRow, Site, StoredEvent

#: Types whose site is named in the payload (platform events carry no tenant in the envelope).
SITE_EVENTS = frozenset({"tenant.created", "tenant.updated", "tenant.suspended", "tenant.reactivated",
                         "tenant.archived", "settings.changed"})
#: The status each registry event gives a site; the latest event (occurred_at, then id) wins.
STATUS_OF = {"tenant.created": "active", "tenant.suspended": "suspended", "tenant.reactivated": "active",
             "tenant.archived": "archived"}
#: Payload fields federation never keeps, though they travel (the first coordinator's work e-mail).
REDACTED = {"tenant.created": ("first_coordinator_email",)}
#: The rollup never reaches further back than this many months before a site's latest fact.
MAX_MONTHS = 240

_CACHE = "federation_loaded_sites"


@dataclasses.dataclass
class LoadedSite:
    row: Site
    state: State
    snapshot: facts.Snapshot | None


def stored_form(envelope: Envelope) -> dict[str, Any]:
    """The envelope as federation keeps it: JSON, without the fields it must not hold."""
    data = envelope.to_dict()
    drop = REDACTED.get(envelope.type, ())
    data["payload"] = {k: v for k, v in data["payload"].items() if k not in drop}
    return data


def site_of(data: Mapping[str, Any]) -> uuid.UUID | None:
    raw = data["payload"].get("tenant_id") if data["type"] in SITE_EVENTS else data.get("tenant_id")
    return uuid.UUID(str(raw)) if raw else None


def when_any_event_store_and_project(envelope: Envelope, session: Session) -> None:
    """Every type federation receives: keep the envelope, fold it into its site's facts.
    person.erased removes nothing (there is no person here); it ends the person's time in the
    waiting and active counts from its date on."""
    data = stored_form(envelope)
    session.add(StoredEvent(event_id=envelope.id, type=envelope.type, version=envelope.version,
                            occurred_at=envelope.occurred_at, site_id=site_of(data), envelope=data))
    session.flush()  # the event store row first: a running rebuild holds it locked, we wait here
    site_id = site_of(data)
    if site_id is not None:
        fold(loaded_site(session, site_id, parse_instant(data["occurred_at"])), data)


def fold(loaded: LoadedSite, data: Mapping[str, Any]) -> None:
    """One stored envelope into a loaded site (live consumption and rebuild alike)."""
    occurred_at = parse_instant(data["occurred_at"])
    row = loaded.row
    if row.joined_at is None or occurred_at < row.joined_at:
        row.joined_at = occurred_at
    status = STATUS_OF.get(data["type"]) or (data["payload"].get("status") if data["type"] == "tenant.updated"
                                             else None)
    stamp = (occurred_at, str(data["id"]))
    if status and (row.status_stamp_at is None or stamp > (row.status_stamp_at, row.status_stamp_id)):
        row.status, row.status_stamp_at, row.status_stamp_id = status, occurred_at, str(data["id"])
    apply(loaded.state, data)


def loaded_site(session: Session, site_id: uuid.UUID, occurred_at: dt.datetime) -> LoadedSite:
    """The site's facts for this transaction: locked and loaded on first use, written back at commit."""
    cache: dict[uuid.UUID, LoadedSite] = session.info.setdefault(_CACHE, {})
    if site_id in cache:
        return cache[site_id]
    if not cache:
        event.listen(session, "before_commit", _write_back)
        event.listen(session, "after_rollback", _forget)
    if session.get_bind().dialect.name == "postgresql":  # one transaction per site at a time
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                        {"key": int.from_bytes(site_id.bytes[:8], "big", signed=True)})
    row = session.execute(select(Site).where(Site.site_id == site_id).execution_options(
        populate_existing=True)).scalar_one_or_none()
    if row is None:
        row = Site(site_id=site_id, slug="", name="", bundesland="unknown", status="active", joined_at=occurred_at,
                   checkin_interval_days=28)
        session.add(row)
        session.flush()
    state = facts.load_site(session, site_id, site_fact(row))
    cache[site_id] = LoadedSite(row=row, state=state,
                                snapshot=facts.Snapshot(rows=facts.rows_of(site_id, state)))
    return cache[site_id]


def _forget(session: Session) -> None:
    session.info.pop(_CACHE, None)


def _write_back(session: Session) -> None:
    for site_id, loaded in session.info.pop(_CACHE, {}).items():
        write_site(session, site_id, loaded)


def write_site(session: Session, site_id: uuid.UUID, loaded: LoadedSite) -> None:
    """The site's registry fields, its facts and its rollup, as the State now says."""
    tenant = str(site_id)
    fact = loaded.state.sites.get(tenant) or SiteFact(tenant_id=tenant)
    copy_site_fact(fact, loaded.row)
    facts.save(session, site_id, loaded.state, loaded.snapshot)
    refresh_rollup(session, loaded.row, loaded.state, fresh=loaded.snapshot is None)


# --- site registry ⇄ SiteFact ----------------------------------------------------------------------

def site_fact(row: Site) -> SiteFact:
    stamp = (row.registry_stamp_at.astimezone(dt.UTC), row.registry_stamp_id) if row.registry_stamp_at else None
    settings = ((row.settings_version or 0, (row.settings_stamp_at.astimezone(dt.UTC), row.settings_stamp_id))
                if row.settings_stamp_at else None)
    return SiteFact(tenant_id=str(row.site_id), slug=row.slug or None, name=row.name or None,
                    bundesland=row.bundesland, stamp=stamp, checkin_interval_days=row.checkin_interval_days,
                    settings_stamp=settings)


def copy_site_fact(fact: SiteFact, row: Site) -> None:
    row.slug, row.name, row.bundesland = fact.slug or "", fact.name or "", fact.bundesland
    row.registry_stamp_at, row.registry_stamp_id = fact.stamp if fact.stamp else (None, None)
    row.checkin_interval_days = fact.checkin_interval_days
    if fact.settings_stamp is not None:
        row.settings_version = fact.settings_stamp[0]
        row.settings_stamp_at, row.settings_stamp_id = fact.settings_stamp[1]


# --- the rollup -----------------------------------------------------------------------------------

def activity_months(state: State) -> tuple[str, str] | None:
    """First and last month of anything that happened at the site (its facts' dates)."""
    days = [d for m in state.mentors.values() for d in
            (m.registered_on, m.erased_on, *(c.changed_on for c in m.statuses.values()))]
    days += [d for m in state.mentees.values() for d in
             (m.registered_on, m.erased_on, *(c.changed_on for c in m.statuses.values()))]
    days += [d for p in state.patenschaften.values() for d in
             (p.proposed_on, p.started_on, p.ended_on, *(c.on for c in p.checkins.values()))]
    known = [d for d in days if d is not None]
    if not known:
        return None
    last = max(known)
    floor = dt.date(last.year - MAX_MONTHS // 12, last.month, 1)
    return month_of(max(min(known), floor)), month_of(last)


def rollup_rows(site_id: uuid.UUID, state: State) -> dict[tuple[str, str], int]:
    """(month, metric) → value for every month of the site's activity (zeros left out)."""
    span = activity_months(state)
    if span is None:
        return {}
    tenant = str(site_id)
    figures = derive_figures(state, months_between(*span))
    return {(f.month, metric): value for f in figures if f.tenant_id == tenant
            for metric, value in f.counts.to_metrics().items()}


def refresh_rollup(session: Session, row: Site, state: State, *, fresh: bool = False) -> None:
    """Derive the site's months again and write only the differences."""
    site_id = row.site_id
    span = activity_months(state)
    row.first_month, row.last_month = span if span else (None, None)
    wanted = rollup_rows(site_id, state)
    existing: dict[tuple[str, str], int] = {} if fresh else {
        (m, k): v for m, k, v in session.execute(
            select(RollupRow.month, RollupRow.metric, RollupRow.value).where(RollupRow.site_id == site_id))}
    gone = [key for key in existing if key not in wanted]
    changed = [key for key, value in wanted.items() if key in existing and existing[key] != value]
    new = [key for key in wanted if key not in existing]
    if len(gone) + len(changed) > 500:  # many months moved: cheaper to write the site again
        session.execute(delete(RollupRow).where(RollupRow.site_id == site_id))
        gone, changed, new = [], [], list(wanted)
    for month, metric in gone:
        session.execute(delete(RollupRow).where(RollupRow.site_id == site_id, RollupRow.month == month,
                                                RollupRow.metric == metric))
    for month, metric in changed:
        session.execute(update(RollupRow).where(RollupRow.site_id == site_id, RollupRow.month == month,
                                                RollupRow.metric == metric).values(value=wanted[(month, metric)]))
    rows = [{"site_id": site_id, "month": m, "metric": k, "value": wanted[(m, k)]} for m, k in new]
    for start in range(0, len(rows), 5000):
        session.execute(insert(RollupRow), rows[start:start + 5000])
