"""The portal's pages."""

from __future__ import annotations

import requests
from flask import Blueprint, render_template

from altjung.kit.runtime import current_runtime

bp = Blueprint("portal", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/portal")


def _partner_sites() -> list[dict]:
    settings = current_runtime().settings
    try:
        response = requests.get(f"{settings.url_of('tenants')}/api/v1/public/partner-sites", timeout=5)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError):
        return []


@bp.get("/")
def start():
    """Start page: the programme, its partner sites and where to sign in."""
    return render_template("start.html", sites=_partner_sites())
