"""The notifications service."""

from __future__ import annotations

from flask import Flask

from altjung.kit.app import make_app
from altjung.kit.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build the notifications service. Tests pass their own Settings."""
    return make_app("notifications", settings or Settings.from_env("notifications"))
