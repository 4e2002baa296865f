"""Dramatiq entry point: `dramatiq altjung.tenants.worker --queues tenants` (runs the outbox relay)."""

from __future__ import annotations

from altjung.kit.worker import boot
from altjung.tenants.handlers import HANDLERS

broker = boot("tenants", HANDLERS)
