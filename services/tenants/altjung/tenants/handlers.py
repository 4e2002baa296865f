"""tenants consumes no events yet: it is where tenant events begin."""

from __future__ import annotations

HANDLERS: dict = {}
