"""The portal."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from altjung.kit.app import make_app
from altjung.kit.runtime import Runtime
from altjung.kit.settings import Settings
from altjung.portal import auth, views

_TITLES = {400: "Das hat nicht geklappt", 403: "Kein Zugang", 404: "Nicht gefunden", 405: "Nicht möglich"}


def _setup(app: Flask, runtime: Runtime) -> None:
    auth.init_auth(app, runtime)

    @app.errorhandler(HTTPException)
    def _html_error(err: HTTPException):  # people read the portal: German pages, not problem+json
        code = err.code or 500
        return render_template("error.html", code=code, title=_TITLES.get(code, "Fehler"),
                               detail=err.description), code


def create_app(settings: Settings | None = None) -> Flask:
    """Build the portal. Tests pass their own Settings."""
    return make_app("portal", settings or Settings.from_env("portal"), plain_blueprints=[views.bp],
                    setup=_setup)
