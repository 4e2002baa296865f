"""Dramatiq entry point: `dramatiq altjung.matching.worker --queues matching`."""

from __future__ import annotations

from altjung.kit.worker import boot
from altjung.matching.handlers import HANDLERS

broker = boot("matching", HANDLERS)
