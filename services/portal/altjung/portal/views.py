"""The portal's pages: the public start page, a partner site's overview, the BaS overview."""

from __future__ import annotations

import requests
from flask import Blueprint, abort, g, redirect, render_template, url_for

from altjung.kit.runtime import current_runtime
from altjung.portal.auth import call

bp = Blueprint("portal", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/portal")

SITE_ROLES = ("coordinator", "staff")
BAS_ROLES = ("federation_viewer", "platform_admin")


def _partner_sites() -> list[dict]:
    settings = current_runtime().settings
    try:
        response = requests.get(f"{settings.url_of('tenants')}/api/v1/public/partner-sites", timeout=5)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError):
        return []


def _json(service: str, path: str, **params) -> dict | list | None:
    """An API answer for the page, or None (the page then says the part is unavailable)."""
    try:
        response = call(service, path, **params)
    except requests.RequestException:
        return None
    return response.json() if response.status_code == 200 else None


@bp.get("/")
def start():
    """Start page: the programme, its partner sites and where to sign in."""
    return render_template("start.html", sites=_partner_sites())


def _require(*roles: str) -> None:
    viewer = g.get("viewer")
    if viewer is None:
        abort(redirect(url_for("auth.login")))
    if not viewer.has(*roles):
        abort(403, description="Diese Seite ist für Ihre Rolle nicht vorgesehen. / Not for your role.")


@bp.get("/standort")
def site_overview():
    """A coordinator's or staff member's overview of their partner site."""
    _require(*SITE_ROLES)
    settings = _json("tenants", "/api/v1/settings")
    page = {
        "settings": settings.get("settings", settings) if isinstance(settings, dict) else None,
        "mentees": _json("matching", "/api/v1/mentees", status="waiting", limit=20),
        "mentors": _json("matching", "/api/v1/mentors", status="active", limit=20),
        "patenschaften": _json("matching", "/api/v1/patenschaften", status="started", limit=20),
        "overdue": _json("matching", "/api/v1/patenschaften/overdue"),
        "figures": _json("federation", "/api/v1/my-site/figures"),
    }
    return render_template("site.html", **page)


@bp.get("/bas")
def federation_overview():
    """The BaS overview: partner sites and figures, never a person."""
    _require(*BAS_ROLES)
    return render_template("bas.html", sites=_json("federation", "/api/v1/partner-sites"),
                           table=_json("federation", "/api/v1/figures/sites"),
                           totals=_json("federation", "/api/v1/figures/totals"))
