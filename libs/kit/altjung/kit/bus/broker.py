"""Building the Dramatiq broker from settings, with our retry, quarantine and dead-letter middleware."""

from __future__ import annotations

import logging
import threading

import dramatiq
from dramatiq import Broker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    CurrentMessage,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)

from altjung.kit.bus.deadletters import DeadLetterMiddleware, QuarantineMiddleware
from altjung.kit.settings import Settings

log = logging.getLogger("altjung.broker")

#: Brokers by URL: in embedded mode every service of the process shares one.
_BROKERS: dict[str, Broker] = {}
_LOCK = threading.Lock()


def get_broker(settings: Settings) -> Broker:
    """The process's broker for this URL, created on first use (never at import time)."""
    with _LOCK:
        broker = _BROKERS.get(settings.broker_url)
        if broker is None:
            broker = _build(settings)
            _BROKERS[settings.broker_url] = broker
            dramatiq.set_broker(broker)
        return broker


def _build(settings: Settings) -> Broker:
    # Order matters: after_* hooks run in reverse, so the dead-letter store sees Retries' verdict.
    middleware = [
        DeadLetterMiddleware(),
        AgeLimit(),
        TimeLimit(time_limit=5 * 60_000),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        CurrentMessage(),
        Retries(max_retries=settings.max_retries, min_backoff=settings.min_backoff_ms,
                max_backoff=settings.max_backoff_ms),
    ]
    url = settings.broker_url
    if url.startswith("stub"):
        broker: Broker = StubBroker(middleware=middleware)
        broker.add_middleware(QuarantineMiddleware(max_crashed=settings.max_crashed_attempts))
        broker.emit_after("process_boot")
        return broker
    if url.startswith("redis"):
        from dramatiq.brokers.redis import RedisBroker

        broker = RedisBroker(url=url, middleware=middleware, heartbeat_timeout=settings.redis_heartbeat_ms,
                             maintenance_chance=settings.redis_maintenance_chance)
        broker.add_middleware(QuarantineMiddleware(max_crashed=settings.max_crashed_attempts,
                                                   redis=broker.client))
        return broker
    raise ValueError(f"unsupported broker URL {url!r}")
