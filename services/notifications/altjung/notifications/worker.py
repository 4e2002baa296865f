"""Dramatiq entry point: `dramatiq altjung.notifications.worker --queues notifications`.

Besides the consumer and the outbox relay, each worker process runs the delivery scheduler, which
works due webhook deliveries and e-mails from the durable schedule.
"""

from __future__ import annotations

from dramatiq import Middleware

from altjung.kit.runtime import runtime_for
from altjung.kit.settings import Settings
from altjung.kit.worker import boot
from altjung.notifications.handlers import HANDLERS
from altjung.notifications.notifier import notifier_for


class SchedulerMiddleware(Middleware):
    """Starts the delivery scheduler when a worker process boots, stops it on shutdown."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def after_worker_boot(self, broker, worker):
        notifier_for(runtime_for(self.settings), start=True)

    def before_worker_shutdown(self, broker, worker):
        notifier_for(runtime_for(self.settings)).stop()


_settings = Settings.from_env("notifications")
broker = boot("notifications", HANDLERS, _settings)
broker.add_middleware(SchedulerMiddleware(_settings))
