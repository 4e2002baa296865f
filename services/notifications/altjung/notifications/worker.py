"""Dramatiq entry point: `dramatiq altjung.notifications.worker --queues notifications`."""

from __future__ import annotations

from altjung.kit.worker import boot
from altjung.notifications.handlers import HANDLERS

broker = boot("notifications", HANDLERS)
