"""The notifications service."""

from __future__ import annotations

from flask import Flask

from altjung.kit.app import make_app
from altjung.kit.runtime import Runtime
from altjung.kit.settings import Settings
from altjung.notifications import schedule
from altjung.notifications.api import webhooks
from altjung.notifications.notifier import notifier_for

BLUEPRINTS = [webhooks.blp, webhooks.deliveries_blp]


def _setup(app: Flask, runtime: Runtime) -> None:
    # Embedded (the in-process broker): this process is also the worker, so the scheduler runs here.
    # In production the worker process starts it (worker.py); web processes only queue work.
    if runtime.settings.broker_url.startswith("stub://"):
        notifier_for(runtime, start=True)
        runtime.busy_checks.append(lambda: schedule.work_due(runtime.db))


def create_app(settings: Settings | None = None) -> Flask:
    """Build the notifications service. Tests pass their own Settings."""
    return make_app("notifications", settings or Settings.from_env("notifications"), blueprints=BLUEPRINTS,
                    setup=_setup)
