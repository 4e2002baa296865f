"""The matching service."""

from __future__ import annotations

from flask import Flask

from altjung.kit.app import make_app
from altjung.kit.settings import Settings
from altjung.matching.api import contacts, patenschaften, people, public

BLUEPRINTS = [people.mentors_blp, people.mentees_blp, patenschaften.blp, patenschaften.batch_blp, public.blp,
              contacts.blp]


def create_app(settings: Settings | None = None) -> Flask:
    """Build the matching service. Tests pass their own Settings."""
    return make_app("matching", settings or Settings.from_env("matching"), blueprints=BLUEPRINTS)
