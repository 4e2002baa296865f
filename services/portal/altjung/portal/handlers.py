"""The portal consumes no events."""

from __future__ import annotations

HANDLERS: dict = {}
