"""Dramatiq entry point: `dramatiq altjung.federation.worker --queues federation`."""

from __future__ import annotations

from altjung.federation.handlers import HANDLERS
from altjung.kit.worker import boot

broker = boot("federation", HANDLERS)
