"""Every service's own copy of its partner sites' status, fed by tenant events, and what it enforces.

The tenants service owns the registry; every consuming service keeps this small platform-level table
(``kit_site_status``: one row per site that was ever suspended, reactivated or archived) so that a
suspension reaches it within seconds without a call across services:

- ``authenticate()`` refuses every token of a suspended site (401) and refuses writes with a token of
  an archived site (423), through the ``altjung_token_guard`` hook that ``init_app`` installs;
- services ask ``is_active(session, tenant_id)`` before they do something on a site's behalf that
  no token guards (the public interest form, webhook deliveries, scheduled jobs).

A site this service has not heard of counts as active: identity only issues tokens for sites it knows,
and row-level security keeps every site's data apart whatever its status.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from uuid import UUID

from flask import Flask, request
from sqlalchemy import MetaData, String, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from altjung.events import Envelope
from altjung.events.routing import subscribers_of
from altjung.kit.db import UtcDateTime
from altjung.kit.problems import Problem

if TYPE_CHECKING:
    from altjung.kit.db import Database
    from altjung.kit.runtime import Runtime

log = logging.getLogger("altjung.site_status")

ACTIVE, SUSPENDED, ARCHIVED = "active", "suspended", "archived"
#: The tenant events this module listens to, and the status each one sets.
STATUS_BY_EVENT = {"tenant.suspended": SUSPENDED, "tenant.reactivated": ACTIVE, "tenant.archived": ARCHIVED}
#: Seconds a looked-up status is reused by the token guard (suspension takes effect within this + delivery).
DEFAULT_GUARD_TTL = 1.0
#: Methods that only read; every other method is a write, refused for an archived site.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SiteStatusBase(DeclarativeBase):
    metadata = MetaData()


class SiteStatus(SiteStatusBase):
    """The last known status of one partner site (platform-level: named site_id, never tenant_id)."""

    __tablename__ = "kit_site_status"

    site_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    #: occurred_at of the event that set it: an older event arriving late changes nothing.
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)


#: Created by the kit in every service's database (migrate.run_env), not by the services' revisions.
site_status_metadata = SiteStatusBase.metadata


class SiteArchived(Problem):
    """A write with a token of an archived (read-only) partner site."""

    status = 423


# --- reading ------------------------------------------------------------------------------------


def status_of(session: Session, tenant_id: UUID) -> str:
    """The site's status as this service last heard it; ``active`` for a site never suspended."""
    row = session.get(SiteStatus, tenant_id)
    return row.status if row is not None else ACTIVE


def is_active(session: Session, tenant_id: UUID) -> bool:
    """True unless the site is suspended or archived: close forms, pause webhooks when False."""
    return status_of(session, tenant_id) == ACTIVE


# --- writing (the kit handler, and the tenants service in its own transaction) ------------------


def apply(session: Session, tenant_id: UUID, status: str, *, at: dt.datetime) -> bool:
    """Set a site's status unless a newer change is already recorded. Returns whether it changed."""
    if status not in (ACTIVE, SUSPENDED, ARCHIVED):
        raise ValueError(f"unknown site status {status!r}")
    row = session.get(SiteStatus, tenant_id)
    if row is None:
        session.add(SiteStatus(site_id=tenant_id, status=status, changed_at=at))
        session.flush()  # a second event of the same batch finds it (get() does not see pending rows)
        return True
    if row.changed_at > at:
        log.info("site status event older than the recorded one; ignored")
        return False
    row.status, row.changed_at = status, at
    return True


def when_tenant_status_changed_record_site_status(envelope: Envelope, session: Session) -> None:
    """The kit's handler for tenant.suspended / reactivated / archived, in every consuming service."""
    apply(session, envelope.event().tenant_id, STATUS_BY_EVENT[envelope.type], at=envelope.occurred_at)


Handler = Callable[[Envelope, Session], None]


def merge_handlers(service: str, handlers: Mapping[str, Handler]) -> dict[str, Handler]:
    """A service's handler table with the kit's handlers added for every status event routed to it.

    Where the service has its own handler for the type, both run in the same transaction (kit first).
    """
    merged = dict(handlers)
    for type_ in STATUS_BY_EVENT:
        if service not in {s.service for s in subscribers_of(type_)}:
            continue
        own = merged.get(type_)
        merged[type_] = _chain(when_tenant_status_changed_record_site_status, own) if own else \
            when_tenant_status_changed_record_site_status
    return merged


def _chain(first: Handler, second: Handler) -> Handler:
    def both(envelope: Envelope, session: Session) -> None:
        first(envelope, session)
        second(envelope, session)

    both.__name__ = f"{first.__name__}_then_{getattr(second, '__name__', 'handler')}"
    return both


# --- the token guard ----------------------------------------------------------------------------


class StatusCache:
    """Statuses looked up by the token guard, reused for ``ttl`` seconds (one query per site and second)."""

    def __init__(self, db: Database, *, ttl: float = DEFAULT_GUARD_TTL) -> None:
        self.db, self.ttl = db, ttl
        self._seen: dict[UUID, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def get(self, tenant_id: UUID) -> str:
        now = time.monotonic()
        with self._lock:
            cached = self._seen.get(tenant_id)
        if cached is not None and now - cached[1] < self.ttl:
            return cached[0]
        with self.db.session() as session:
            status = status_of(session, tenant_id)
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen.clear()
            self._seen[tenant_id] = (status, now)
        return status


def init_app(app: Flask, runtime: Runtime) -> None:
    """Install the site-status token guard (called by make_app; wraps a guard already installed)."""
    previous = app.extensions.get("altjung_token_guard")
    cache = StatusCache(runtime.db, ttl=float(runtime.settings.extra.get("site_status_ttl", DEFAULT_GUARD_TTL)))

    def guard(claims: dict[str, Any]) -> bool:
        if previous is not None and not previous(claims):
            return False
        tenant = claims.get("tenant")
        if not tenant:
            return True
        try:
            tenant_id = UUID(str(tenant))
        except ValueError:
            return False
        status = cache.get(tenant_id)
        if status == SUSPENDED:
            return False
        if status == ARCHIVED and request.method not in SAFE_METHODS:
            raise SiteArchived("Dieser Partnerstandort ist archiviert und nur noch lesbar. / "
                               "This partner site is archived and read-only.")
        return True

    app.extensions["altjung_token_guard"] = guard
    app.extensions["altjung_site_status"] = cache
