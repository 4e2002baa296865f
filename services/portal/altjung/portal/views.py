"""The portal's pages: the public start page, a partner site's daily work, the BaS overview."""

from __future__ import annotations

from uuid import UUID

import requests
from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for

from altjung.kit.runtime import current_runtime
from altjung.portal import labels
from altjung.portal.auth import call, check_csrf

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


def _items(page: dict | list | None) -> list[dict] | None:
    if page is None:
        return None
    return page["items"] if isinstance(page, dict) else page


def _require(*roles: str) -> None:
    viewer = g.get("viewer")
    if viewer is None:
        abort(redirect(url_for("auth.login")))
    if not viewer.has(*roles):
        abort(403, description="Diese Seite ist für Ihre Rolle nicht vorgesehen. / Not for your role.")


@bp.get("/")
def start():
    """Start page: the programme, its partner sites and where to sign in."""
    return render_template("start.html", sites=_partner_sites())


@bp.get("/standort")
def site_overview():
    """A coordinator's or staff member's overview of their partner site."""
    _require(*SITE_ROLES)
    settings = _json("tenants", "/api/v1/settings")
    mentees = _items(_json("matching", "/api/v1/mentees", status="waiting", limit=100))
    if mentees:  # longest waiting first: that is whom a coordinator looks at first
        mentees.sort(key=lambda m: m.get("waiting_since") or "9999")
    mentors = _items(_json("matching", "/api/v1/mentors", status="active", limit=200))
    running = _items(_json("matching", "/api/v1/patenschaften", status="started", limit=100))
    proposed = _items(_json("matching", "/api/v1/patenschaften", status="proposed", limit=100))
    overdue = _json("matching", "/api/v1/patenschaften/overdue")
    names = {p["id"]: labels.person_name(p) for p in (mentors or [])}
    if running or proposed or overdue:  # Tandems name people beyond the first pages of the lists
        for page in (_json("matching", "/api/v1/mentees", limit=200), _json("matching", "/api/v1/mentors", limit=200)):
            names.update({p["id"]: labels.person_name(p) for p in (_items(page) or [])})
    figures = _json("federation", f"/api/v1/partner-sites/{g.viewer.site_id}/figures") if g.viewer.site_id else None
    return render_template("site.html", settings=(settings or {}).get("settings", settings), mentees=mentees,
                           figures=figures, figure_labels=labels.FIGURES, cell=labels.cell,
                           mentors=mentors, running=running, proposed=proposed, overdue=overdue, names=names,
                           target_groups=labels.TARGET_GROUPS)


@bp.get("/standort/mentees/<uuid:mentee_id>")
def mentee_suggestions(mentee_id: UUID):
    """Suggested Patinnen and Paten for one mentee, with the reasons, and a button to propose a Tandem."""
    _require(*SITE_ROLES)
    mentee = _json("matching", f"/api/v1/mentees/{mentee_id}")
    if mentee is None:
        abort(404, description="Diese Person gibt es an Ihrem Standort nicht. / Not found.")
    suggestions = _json("matching", f"/api/v1/mentees/{mentee_id}/suggestions", k=10)
    return render_template("suggestions.html", mentee=mentee, name=labels.person_name(mentee),
                           suggestions=suggestions, target_groups=labels.TARGET_GROUPS)


@bp.post("/standort/vorschlaege")
def propose():
    """Propose a Tandem (the coordinator then confirms the start after the first meeting)."""
    _require(*SITE_ROLES)
    check_csrf()
    mentee_id = request.form.get("mentee_id", "")
    body = {"mentor_id": request.form.get("mentor_id", ""), "mentee_id": mentee_id}
    response = call("matching", "/api/v1/patenschaften", method="POST", json_body=body)
    if response.status_code == 201:
        flash("Das Tandem wurde vorgeschlagen. / The Tandem was proposed.", "ok")
        return redirect(url_for("portal.site_overview"))
    detail = response.json().get("detail", "") if response.headers.get("Content-Type", "").endswith("json") else ""
    flash(f"Der Vorschlag ging nicht: {detail}", "error")
    return redirect(url_for("portal.mentee_suggestions", mentee_id=mentee_id))


@bp.get("/bas")
def federation_overview():
    """The BaS overview: figures of the year across all partner sites and per site, never a person."""
    _require(*BAS_ROLES)
    year = request.args.get("year", type=int)
    params = {"year": year} if year else {}
    return render_template("bas.html", totals=_json("federation", "/api/v1/figures/totals", **params),
                           table=_json("federation", "/api/v1/figures/sites", **params),
                           figures=labels.FIGURES, columns=labels.SITE_COLUMNS, cell=labels.cell, year=year)


@bp.get("/bas/bericht.<any(csv, xlsx):fmt>")
def funder_report(fmt: str):
    """The funder report of a year, as federation makes it (suppression applied), handed through."""
    _require(*BAS_ROLES)
    params = {"format": fmt, **({"year": request.args["year"]} if request.args.get("year") else {})}
    response = call("federation", "/api/v1/reports/funder", **params)
    if response.status_code != 200:
        abort(502, description="Der Bericht ist gerade nicht verfügbar. / The report is unavailable.")
    return Response(response.content, mimetype=response.headers.get("Content-Type"),
                    headers={"Content-Disposition": response.headers.get("Content-Disposition", "attachment")})
