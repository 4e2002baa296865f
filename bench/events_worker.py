"""Worker module of bench/events.py: our consumer (as federation) and a bare no-op actor, one broker."""

from __future__ import annotations

import os
import time
import uuid

import dramatiq

from altjung.kit.settings import Settings
from altjung.kit.worker import boot
from bench.events_models import Effect


def when_checkin_logged_count(envelope, session) -> None:
    session.add(Effect(event_id=envelope.id, checkin_id=uuid.UUID(envelope.payload["checkin_id"])))


def settings() -> Settings:
    return Settings.from_env("federation", database_url=os.environ["BENCH_DATABASE_URL"],
                             broker_url=os.environ["BENCH_BROKER_URL"], relay_interval=0.05)


broker = boot("federation", {"checkin.logged": when_checkin_logged_count}, settings())


@dramatiq.actor(actor_name="bench.noop", queue_name="bench_raw", broker=broker)
def noop(payload: dict) -> None:
    """The baseline: Dramatiq with nothing of ours in the way."""


class BootMark(dramatiq.Middleware):
    """Notes when a worker process is ready, so a backlog's drain is timed from then, not from its boot."""

    def after_worker_boot(self, broker, worker):
        broker.client.set("bench:booted", repr(time.time()))


broker.add_middleware(BootMark())
