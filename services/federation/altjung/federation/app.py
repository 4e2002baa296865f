"""The federation service."""

from __future__ import annotations

from flask import Flask

from altjung.federation.api import sites
from altjung.kit.app import make_app
from altjung.kit.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build the federation service. Tests pass their own Settings."""
    return make_app("federation", settings or Settings.from_env("federation"), blueprints=[sites.blp])
