"""Rebuilds the read model from scratch by replaying the event store."""

from __future__ import annotations

import dataclasses
import time
import uuid

from sqlalchemy import delete, func, select, text

from altjung.federation import facts
from altjung.federation.domain.months import parse_instant
from altjung.federation.domain.state import SiteFact, State
from altjung.federation.models import RollupRow, Site, StoredEvent
from altjung.federation.readmodel import LoadedSite, fold, site_of, write_site
from altjung.kit.db import Database


@dataclasses.dataclass(frozen=True)
class Rebuilt:
    events: int
    sites: int
    seconds: float


def rebuild(db: Database) -> Rebuilt:
    """Delete the sites, facts and rollup and replay every stored event, in one transaction.
    Consumers wait meanwhile (PostgreSQL: the event store is locked against inserts) and then
    carry on with the rebuilt model."""
    started = time.perf_counter()
    with db.session() as session:
        if db.is_postgres:
            session.execute(text("LOCK TABLE fed_events IN SHARE MODE"))
        facts.clear(session)
        session.execute(delete(RollupRow))
        session.execute(delete(Site))
        loaded: dict[uuid.UUID, LoadedSite] = {}
        count = 0
        query = select(StoredEvent.envelope).order_by(StoredEvent.occurred_at, StoredEvent.event_id)
        for data in session.scalars(query.execution_options(yield_per=5000)):
            count += 1
            site_id = site_of(data)
            if site_id is None:
                continue
            if site_id not in loaded:
                tenant = str(site_id)
                loaded[site_id] = LoadedSite(
                    row=Site(site_id=site_id, slug="", name="", bundesland="unknown", status="active",
                             joined_at=parse_instant(data["occurred_at"]), checkin_interval_days=28),
                    state=State(sites={tenant: SiteFact(tenant_id=tenant)}), snapshot=None)
            fold(loaded[site_id], data)
        for one in loaded.values():
            session.add(one.row)
        session.flush()
        for site_id, one in loaded.items():
            write_site(session, site_id, one)
        session.commit()
    return Rebuilt(events=count, sites=len(loaded), seconds=time.perf_counter() - started)


def stored_events(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(StoredEvent)) or 0
