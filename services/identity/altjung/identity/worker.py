"""Dramatiq entry point: `dramatiq altjung.identity.worker --queues identity`."""

from __future__ import annotations

from altjung.identity.handlers import HANDLERS
from altjung.kit.worker import boot

broker = boot("identity", HANDLERS)
