"""The tenants service."""

from __future__ import annotations

from flask import Flask

from altjung.kit.app import make_app
from altjung.kit.settings import Settings
from altjung.tenants.api import settings as site_settings_api
from altjung.tenants.api import sites

BLUEPRINTS = [sites.blp, sites.public, site_settings_api.own, site_settings_api.admin]


def create_app(settings: Settings | None = None) -> Flask:
    """Build the tenants service. Tests pass their own Settings."""
    return make_app("tenants", settings or Settings.from_env("tenants"), blueprints=BLUEPRINTS)
