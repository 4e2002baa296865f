"""Recording events: an outbox row in the session, committed with the domain change or not at all."""

from __future__ import annotations

import uuid
from uuid import UUID

from sqlalchemy import event
from sqlalchemy.orm import Session

from altjung.events import Envelope, Event
from altjung.kit.bus.models import OutboxMessage
from altjung.kit.tenancy import tenant_or_none

_PENDING_KEY = "altjung_outbox_pending"


def record(session: Session, event: Event, *, tenant_id: UUID | None = None,
           platform: bool = False) -> Envelope:
    """Add an event to the session's transaction. Validates now: an invalid event fails loudly.

    The tenant is the current one unless ``platform=True`` (platform events carry none) or an
    explicit ``tenant_id`` is given (the tenants service announcing a site it just created).
    """
    tenant = tenant_id if tenant_id is not None else (None if platform else tenant_or_none())
    envelope = Envelope.wrap(event, tenant_id=tenant)
    return add_envelope(session, envelope)


def add_envelope(session: Session, envelope: Envelope, *, target: str | None = None) -> Envelope:
    row = OutboxMessage(id=uuid.uuid4(), event_id=envelope.id, type=envelope.type,
                        envelope=envelope.to_dict(), target=target)
    session.add(row)
    session.info.setdefault(_PENDING_KEY, []).append(row.id)
    return envelope


_COMMITTED_KEY = "altjung_outbox_committed"


def take_committed(session: Session) -> list[UUID]:
    """Outbox ids this session committed (for publishing right after commit; the relay is the net)."""
    return session.info.pop(_COMMITTED_KEY, [])


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    pending = session.info.pop(_PENDING_KEY, [])
    if pending:
        session.info.setdefault(_COMMITTED_KEY, []).extend(pending)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _previous_transaction: object) -> None:
    session.info.pop(_PENDING_KEY, None)
