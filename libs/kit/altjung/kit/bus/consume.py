"""The idempotent consume path: decode and upcast, set the tenant, handle once, record the id."""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import select
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


def consume_many(batch: list[dict], handlers: dict[str, Handler], *, runtime: Runtime, consumer: str,
                 requeue: Callable[[dict], None]) -> int:
    """Handle a relay batch (one tenant's envelopes) in one transaction; returns events handled.

    Every event id is still recorded with its effect, so redelivery changes nothing. If anything in
    the batch fails, nothing of it is kept and each envelope goes back on the queue on its own, where
    it gets its own retries and, in the end, its own dead letter.
    """
    try:
        envelopes = [Envelope.from_dict(data) for data in batch]
    except EventInvalid:
        envelopes = []
    tenants = {e.tenant_id for e in envelopes}
    if not envelopes or len(tenants) != 1 or any(e.type not in handlers for e in envelopes):
        for data in batch:
            requeue(data)
        return 0
    token = _active.set(runtime)
    try:
        with tenant_context(tenants.pop()), runtime.db.session() as session:
            seen = set(session.scalars(select(ProcessedEvent.event_id).where(
                ProcessedEvent.consumer == consumer, ProcessedEvent.event_id.in_([e.id for e in envelopes]))))
            handled = 0
            for envelope in envelopes:
                if envelope.id in seen:
                    continue
                seen.add(envelope.id)
                with bind_event(envelope.id, envelope.type):
                    handlers[envelope.type](envelope, session)
                session.add(ProcessedEvent(consumer=consumer, event_id=envelope.id))
                handled += 1
            fault_point("consume.before_commit")
            session.commit()
            pending = take_committed(session)
    except Exception:
        log.warning("batch of %d failed; handling its events one by one", len(batch), exc_info=True)
        for data in batch:
            requeue(data)
        return 0
    finally:
        _active.reset(token)
    fault_point("consume.after_commit")
    runtime.publish_soon(pending)
    return handled
