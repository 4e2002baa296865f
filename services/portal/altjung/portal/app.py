"""The portal."""

from __future__ import annotations

from flask import Flask

from altjung.kit.app import make_app
from altjung.kit.settings import Settings
from altjung.portal import auth, views


def create_app(settings: Settings | None = None) -> Flask:
    """Build the portal. Tests pass their own Settings."""
    return make_app("portal", settings or Settings.from_env("portal"), plain_blueprints=[views.bp],
                    setup=auth.init_auth)
