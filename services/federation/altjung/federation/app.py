"""The federation service."""

from __future__ import annotations

import os

from flask import Flask

from altjung.federation.api import figures, reports, sites
from altjung.federation.domain import DEFAULT_THRESHOLD
from altjung.kit.app import make_app
from altjung.kit.settings import Settings

BLUEPRINTS = [sites.blp, figures.blp, figures.own, reports.blp]


def suppression_threshold(settings: Settings, env: dict[str, str] | None = None) -> int:
    """Counts from 1 to threshold - 1 are suppressed: settings.extra["suppression_threshold"], else
    FEDERATION_SUPPRESSION_THRESHOLD or ALTJUNG_SUPPRESSION_THRESHOLD, else 5."""
    env = os.environ if env is None else env
    raw = settings.extra.get("suppression_threshold") or env.get("FEDERATION_SUPPRESSION_THRESHOLD") or env.get(
        "ALTJUNG_SUPPRESSION_THRESHOLD")
    value = int(raw) if raw else DEFAULT_THRESHOLD
    if value < 2:
        raise ValueError("the suppression threshold must be at least 2")
    return value


def create_app(settings: Settings | None = None) -> Flask:
    """Build the federation service. Tests pass their own Settings."""
    settings = settings or Settings.from_env("federation")
    app = make_app("federation", settings, blueprints=BLUEPRINTS)
    app.config["FEDERATION_SUPPRESSION_THRESHOLD"] = suppression_threshold(settings)
    return app
