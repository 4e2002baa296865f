"""The tenants service."""

from __future__ import annotations

from flask import Flask

from altjung.kit.app import make_app
from altjung.kit.settings import Settings
from altjung.tenants.api import sites


def create_app(settings: Settings | None = None) -> Flask:
    """Build the tenants service. Tests pass their own Settings."""
    return make_app("tenants", settings or Settings.from_env("tenants"), blueprints=[sites.blp, sites.public])
