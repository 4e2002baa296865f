"""A scratch federation database for the read-model tests, fed through the kit's consume path."""

from __future__ import annotations

import random
import types
import uuid
from pathlib import Path

from federation_stream import EVENTS, random_stream, uid
from sqlalchemy import select

from altjung.events import SUBSCRIPTIONS
from altjung.federation import models
from altjung.federation.handlers import HANDLERS
from altjung.kit.bus.consume import consume
from altjung.kit.db import Database
from altjung.kit.migrate import upgrade
from altjung.kit.settings import Settings
from altjung.kit.site_status import merge_handlers

FEDERATION_TYPES = {t for t, subs in SUBSCRIPTIONS.items() if any(s.service == "federation" for s in subs)}
READ_MODEL = (models.Site, models.MentorRow, models.MenteeRow, models.StatusChangeRow, models.PatenschaftRow,
              models.CheckinRow, models.RollupRow)


def scratch(path: Path) -> Database:
    url = f"sqlite:///{path}"
    upgrade(Settings.from_env("federation", database_url=url))
    return Database(url)


def deliver(db: Database, envelope: dict) -> bool:
    """One envelope through the kit's consume (idempotent by event id), as the worker does."""
    handlers = merge_handlers("federation", HANDLERS)
    runtime = types.SimpleNamespace(db=db, publish_soon=lambda ids: None)
    return consume(envelope, handlers[envelope["type"]], runtime=runtime, consumer="federation")


def _site_uuid(tenant: str | None) -> str | None:
    if tenant is None:
        return None
    try:
        return str(uuid.UUID(tenant))
    except ValueError:
        return uid(tenant)


def as_wire(envelope: dict) -> dict:
    """A test-stream envelope as the catalogue wants it: sites as UUIDs, check-ins with a kind."""
    payload = dict(envelope["payload"])
    if "tenant_id" in payload:
        payload["tenant_id"] = _site_uuid(payload["tenant_id"])
    if envelope["type"] == "checkin.logged":
        payload.setdefault("kind", "visit")
    if envelope["type"] == "tenant.updated":
        payload.setdefault("status", "active")
    return {**envelope, "tenant_id": _site_uuid(envelope["tenant_id"]), "payload": payload}


def stream(seed: int) -> list[dict]:
    """The hand-made stream and a random one with corrections, as wire envelopes for federation."""
    events = EVENTS + random_stream(random.Random(seed))
    return [as_wire(e) for e in events if e["type"] in FEDERATION_TYPES]


def dump(db: Database) -> dict[str, list[tuple]]:
    """Every row of the read model (not the event store, not the bus tables), sorted."""
    with db.session() as session:
        return {model.__tablename__: sorted(
            (tuple(str(v) for v in row) for row in session.execute(select(*model.__table__.columns))), key=str)
            for model in READ_MODEL}
