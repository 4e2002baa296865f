"""The event bus: outbox in the domain transaction, relay to Dramatiq, idempotent consumers."""

from __future__ import annotations

from altjung.kit.bus.consume import consume
from altjung.kit.bus.outbox import record

__all__ = ["consume", "record"]
