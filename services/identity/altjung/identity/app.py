"""The identity service."""

from __future__ import annotations

from flask import Flask

from altjung.identity.api import invitations, wellknown
from altjung.kit.app import make_app
from altjung.kit.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build the identity service. Tests pass their own Settings."""
    return make_app("identity", settings or Settings.from_env("identity"),
                    blueprints=[invitations.blp], plain_blueprints=[wellknown.blp])
