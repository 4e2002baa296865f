"""Dead letters: messages whose retries ran out or that kept killing their worker, kept to replay."""

from __future__ import annotations

import logging
import threading
import uuid
from typing import Any

from dramatiq import Middleware
from dramatiq.errors import RateLimitExceeded
from dramatiq.middleware import SkipMessage
from sqlalchemy import select

from altjung.events import Envelope
from altjung.kit.bus.models import DeadLetter, utcnow
from altjung.kit.bus.outbox import add_envelope

log = logging.getLogger("altjung.deadletters")

#: queue name -> Database of the service that owns it (set when a service attaches its consumer).
QUEUE_DATABASES: dict[str, Any] = {}


def store(db, *, message_id: str, queue: str, actor: str, envelope: dict | list, reason: str,
          attempts: int) -> None:
    """Write dead letters into the owning service's database: one per envelope of a relay batch."""
    envelopes = envelope if isinstance(envelope, list) else [envelope]
    with db.session() as session:
        for item in envelopes:
            is_dict = isinstance(item, dict)
            session.add(DeadLetter(message_id=message_id, queue=queue, actor=actor,
                                   event_id=_uuid_or_none(item.get("id") if is_dict else None),
                                   event_type=item.get("type") if is_dict else None,
                                   envelope=item if is_dict else {"raw": repr(item)},
                                   reason=reason[:4000], attempts=attempts))
        session.commit()
    log.error("message %s of %s went to the dead-letter store: %s", message_id, queue, reason[:200])


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _base_queue(name: str) -> str:
    return name[:-3] if name.endswith(".DQ") else name.removesuffix(".XQ")


class DeadLetterMiddleware(Middleware):
    """After Retries gave up (message.failed), keep the message in the service's database."""

    def after_process_message(self, broker, message, *, result=None, exception=None):
        if exception is None or not message.failed or isinstance(exception, RateLimitExceeded):
            return
        queue = _base_queue(message.queue_name)
        db = QUEUE_DATABASES.get(queue)
        if db is None:
            log.error("no dead-letter store for queue %s; message %s only in the broker", queue,
                      message.message_id)
            return
        envelope = message.args[0] if message.args else {}
        store(db, message_id=message.message_id, queue=queue, actor=message.actor_name, envelope=envelope,
              reason=f"{type(exception).__name__}: {exception}",
              attempts=message.options.get("retries", 0) + 1)


class QuarantineMiddleware(Middleware):
    """Counts deliveries that never finished (the worker died); quarantines a message after a few.

    Dramatiq's own retry count cannot see a worker that was killed mid-message, so we count
    ourselves: +1 before processing, reset after it finished either way.
    """

    def __init__(self, *, max_crashed: int = 3, redis=None) -> None:
        self.max_crashed = max_crashed
        self.redis = redis
        self._local: dict[str, int] = {}
        self._lock = threading.Lock()

    def _key(self, message) -> str:
        return f"altjung:attempts:{message.message_id}"

    def before_process_message(self, broker, message):
        key = self._key(message)
        if self.redis is not None:
            pipe = self.redis.pipeline()
            pipe.incr(key)
            pipe.expire(key, 7 * 86400)
            count = int(pipe.execute()[0])
        else:
            with self._lock:
                count = self._local[key] = self._local.get(key, 0) + 1
        if count > self.max_crashed:
            queue = _base_queue(message.queue_name)
            db = QUEUE_DATABASES.get(queue)
            if db is not None:
                store(db, message_id=message.message_id, queue=queue, actor=message.actor_name,
                      envelope=message.args[0] if message.args else {},
                      reason=f"quarantined: {count - 1} deliveries never finished (worker killed?)",
                      attempts=count - 1)
            self._clear(key)
            raise SkipMessage()

    def after_process_message(self, broker, message, *, result=None, exception=None):
        self._clear(self._key(message))

    def after_skip_message(self, broker, message):
        self._clear(self._key(message))

    def _clear(self, key: str) -> None:
        if self.redis is not None:
            self.redis.delete(key)
        else:
            with self._lock:
                self._local.pop(key, None)


def list_dead_letters(db, *, include_replayed: bool = False) -> list[DeadLetter]:
    with db.session() as session:
        query = select(DeadLetter).order_by(DeadLetter.failed_at)
        if not include_replayed:
            query = query.where(DeadLetter.replayed_at.is_(None))
        return list(session.scalars(query))


def replay(db, *, ids: list[uuid.UUID] | None = None) -> int:
    """Put dead letters back through the outbox, addressed to their own service only."""
    count = 0
    with db.session() as session:
        query = select(DeadLetter).where(DeadLetter.replayed_at.is_(None))
        if ids:
            query = query.where(DeadLetter.id.in_(ids))
        for letter in session.scalars(query):
            envelope = Envelope.from_dict(letter.envelope)
            add_envelope(session, envelope, target=letter.queue)
            letter.replayed_at = utcnow()
            count += 1
        session.commit()
    return count
