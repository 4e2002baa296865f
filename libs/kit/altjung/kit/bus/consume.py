"""The idempotent consume path: decode and upcast, set the tenant, handle once, record the id."""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from altjung.events import Envelope, EventInvalid
from altjung.kit.bus.models import ProcessedEvent
from altjung.kit.bus.outbox import take_committed
from altjung.kit.faults import fault_point
from altjung.kit.logs import bind_event
from altjung.kit.tenancy import tenant_context

if TYPE_CHECKING:
    from altjung.kit.runtime import Runtime

log = logging.getLogger("altjung.consume")

Handler = Callable[[Envelope, Session], None]


_active: contextvars.ContextVar[Runtime | None] = contextvars.ContextVar("altjung_consuming", default=None)


def active_runtime() -> Runtime:
    """The runtime of the service whose handler is running (for handlers that call out)."""
    runtime = _active.get()
    if runtime is None:
        raise RuntimeError("not inside a consumer")
    return runtime


class PermanentFailure(Exception):
    """The message can never succeed (it does not validate): no retries, straight to dead letters."""


def consume(data: dict, handler: Handler, *, runtime: Runtime, consumer: str) -> bool:
    """Run ``handler`` once per event id. Returns False when the event was already handled."""
    try:
        envelope = Envelope.from_dict(data)
    except EventInvalid as err:
        raise PermanentFailure(str(err)) from err
    token = _active.set(runtime)
    try:
        return _consume(envelope, handler, runtime=runtime, consumer=consumer)
    finally:
        _active.reset(token)


def _consume(envelope: Envelope, handler: Handler, *, runtime: Runtime, consumer: str) -> bool:
    with bind_event(envelope.id, envelope.type), tenant_context(envelope.tenant_id):
        with runtime.db.session() as session:
            if session.get(ProcessedEvent, (consumer, envelope.id)) is not None:
                log.info("event already handled; skipped")
                return False
            handler(envelope, session)
            session.add(ProcessedEvent(consumer=consumer, event_id=envelope.id))
            fault_point("consume.before_commit")
            try:
                session.commit()
            except IntegrityError:
                # A concurrent delivery of the same event won the race; its effect stands.
                session.rollback()
                if session.get(ProcessedEvent, (consumer, envelope.id)) is not None:
                    return False
                raise
            pending = take_committed(session)
        fault_point("consume.after_commit")
        runtime.publish_soon(pending)
    return True
