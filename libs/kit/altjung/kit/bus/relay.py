"""The relay: moves unpublished outbox rows to Dramatiq, one message per subscribing service."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable
from uuid import UUID

from dramatiq import Broker, Message
from sqlalchemy import select, update

from altjung.events import subscribers_of
from altjung.kit.bus.models import OutboxMessage, utcnow
from altjung.kit.db import Database
from altjung.kit.faults import fault_point

log = logging.getLogger("altjung.relay")

#: Rows moved per transaction.
DEFAULT_BATCH = 500


#: Envelopes of one tenant sent to one service in one message (the consumer handles them in one
#: transaction and splits the batch if anything in it fails).
DEFAULT_MESSAGE_BATCH = 50


def publish(broker: Broker, envelope: dict, *, target: str | None = None) -> int:
    """Enqueue one message per subscribing service (or only ``target``). Only the relay calls this."""
    return publish_many(broker, [(envelope, target)], batch=1)


def publish_many(broker: Broker, items: list[tuple[dict, str | None]], *, batch: int = DEFAULT_MESSAGE_BATCH) -> int:
    """Fan out envelopes: per subscribing service and tenant, in order, up to ``batch`` per message."""
    groups: dict[tuple[str, str, str | None], list[dict]] = defaultdict(list)
    for envelope, target in items:
        for sub in subscribers_of(envelope["type"]):
            if target is None or sub.service == target:
                groups[(sub.queue, sub.actor, envelope.get("tenant_id"))].append(envelope)
    messages = 0
    for (queue, actor, _tenant), envelopes in groups.items():
        for start in range(0, len(envelopes), batch):
            chunk = envelopes[start:start + batch]
            arg = chunk[0] if len(chunk) == 1 else chunk
            broker.enqueue(Message(queue_name=queue, actor_name=actor, args=(arg,), kwargs={}, options={}))
            messages += 1
    return messages


class Relay:
    """Publishes a service's outbox. Unpublished rows are selected by state, never by "id > last seen"."""

    def __init__(self, *, db: Database, broker: Broker, service: str, interval: float = 0.2,
                 batch: int = DEFAULT_BATCH, message_batch: int = DEFAULT_MESSAGE_BATCH) -> None:
        self.db, self.broker, self.service = db, broker, service
        self.interval, self.batch, self.message_batch = interval, batch, message_batch
        self._wake = threading.Event()
        self._publishing = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def publish_pending(self, ids: Iterable[UUID] | None = None) -> int:
        """Publish up to one batch of unpublished rows (only ``ids`` if given). Returns rows moved."""
        wanted = list(ids) if ids is not None else None
        if wanted == []:
            return 0
        # Within a process the publish right after commit and the relay loop take turns; across
        # processes PostgreSQL's SKIP LOCKED does it (SQLite, embedded, has one process).
        with self._publishing, self.db.session() as session:
            query = (select(OutboxMessage).where(OutboxMessage.published_at.is_(None))
                     .order_by(OutboxMessage.created_at).limit(self.batch))
            if wanted is not None:
                query = query.where(OutboxMessage.id.in_(wanted))
            if self.db.is_postgres:
                query = query.with_for_update(skip_locked=True)
            rows = session.scalars(query).all()
            if not rows:
                session.rollback()
                return 0
            publish_many(self.broker, [(row.envelope, row.target) for row in rows], batch=self.message_batch)
            fault_point("publish.after")
            session.execute(update(OutboxMessage).where(OutboxMessage.id.in_([r.id for r in rows]))
                            .values(published_at=utcnow()))
            session.commit()
            return len(rows)

    def drain(self) -> int:
        """Publish until nothing is pending."""
        total = 0
        while (moved := self.publish_pending()) > 0:
            total += moved
        return total

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"relay-{self.service}", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.drain()
            except Exception:  # the database or broker is away: keep the rows, try again
                log.exception("relay of %s failed; rows stay in the outbox", self.service)
            self._wake.wait(self.interval)
            self._wake.clear()
