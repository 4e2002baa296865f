"""One service's runtime in a process: settings, database, broker, relay and its consumer actor."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from uuid import UUID

import dramatiq
from flask import current_app
from sqlalchemy.orm import Session

from altjung.kit.bus.broker import get_broker
from altjung.kit.bus.consume import Handler, PermanentFailure, consume, consume_many
from altjung.kit.bus.deadletters import QUEUE_DATABASES
from altjung.kit.bus.outbox import take_committed
from altjung.kit.bus.relay import Relay
from altjung.kit.db import Database
from altjung.kit.faults import fault_point
from altjung.kit.settings import Settings
from altjung.kit.site_status import merge_handlers

log = logging.getLogger("altjung.runtime")

_RUNTIMES: dict[str, Runtime] = {}
_LOCK = threading.Lock()


class Runtime:
    """Everything a service needs at run time, built once per process and service."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.service = settings.service
        self.db = Database(settings.database_url)
        self.broker = get_broker(settings)
        self.relay = Relay(db=self.db, broker=self.broker, service=self.service,
                           interval=settings.relay_interval)
        self.handlers: Mapping[str, Handler] = {}
        #: Callables that say "this service has work due right now" (a scheduler's queue, say); the
        #: embedded platform's join() waits for them too, so tests and the demo see its effects.
        self.busy_checks: list[Callable[[], bool]] = []

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session; what it commits to the outbox is published right after (the relay is the net)."""
        with self.db.session() as session:
            yield session
            pending = take_committed(session)
        self.publish_soon(pending)

    def publish_soon(self, ids: list[UUID]) -> None:
        if not ids:
            return
        fault_point("publish.before")
        try:
            self.relay.publish_pending(ids)
        except Exception:  # broker away: the rows stay in the outbox for the relay loop
            log.exception("immediate publish failed; the relay will retry")
            self.relay.wake()

    def attach_consumer(self, handlers: Mapping[str, Handler]) -> dramatiq.Actor:
        """Declare this service's one actor, ``<service>.consume``, on its own queue."""
        self.handlers = merge_handlers(self.service, handlers)  # + the kit's site-status handlers
        QUEUE_DATABASES[self.service] = self.db
        name = f"{self.service}.consume"
        if name in self.broker.actors:
            return self.broker.actors[name]
        runtime = self

        def requeue(data: dict) -> None:
            self.broker.enqueue(dramatiq.Message(queue_name=self.service, actor_name=name, args=(data,),
                                                 kwargs={}, options={}))

        def consume_envelope(envelope: dict | list) -> None:
            if isinstance(envelope, list):  # a relay batch of one tenant's events
                consume_many(envelope, runtime.handlers, runtime=runtime, consumer=runtime.service,
                             requeue=requeue)
                return
            handler = runtime.handlers.get(envelope.get("type")) if isinstance(envelope, dict) else None
            if handler is None:
                raise PermanentFailure(f"{runtime.service} has no handler for {envelope!r:.80}")
            consume(envelope, handler, runtime=runtime, consumer=runtime.service)

        consume_envelope.__name__ = f"{self.service}_consume"
        return dramatiq.Actor(consume_envelope, broker=self.broker, actor_name=name, queue_name=self.service,
                              priority=0, options={"max_retries": self.settings.max_retries,
                                                   "throws": (PermanentFailure,)})


def runtime_for(settings: Settings) -> Runtime:
    """The process's runtime of a service (created on first use)."""
    with _LOCK:
        runtime = _RUNTIMES.get(settings.service)
        if runtime is None or runtime.settings != settings:
            runtime = _RUNTIMES[settings.service] = Runtime(settings)
        return runtime


def current_runtime() -> Runtime:
    return current_app.extensions["altjung"]


def unit_of_work() -> contextlib.AbstractContextManager[Session]:
    """The current app's unit of work (see Runtime.unit_of_work)."""
    return current_runtime().unit_of_work()
