"""tenants' routes in the cross-tenant matrix (see __init__.py for how to add a route)."""

from __future__ import annotations

import uuid

from tests.contract.route_matrix import Case, Ctx, Exempt, Target

PLATFORM_ONLY = frozenset({403})


def _site_a(ctx: Ctx) -> Target:
    return Target(params={"site_id": ctx.site_a["id"]}, json={}, marker=ctx.site_a["slug"])


def _site_a_patch(ctx: Ctx) -> Target:
    return Target(params={"site_id": ctx.site_a["id"]}, json={"name": "Übernommen", "version": 1})


def _settings_marker(ctx: Ctx) -> Target:
    """Give site A's settings a text only A has; B's answers must never contain it."""
    marker = f"nur-a-{uuid.uuid4().hex}"
    own = "/tenants/api/v1/settings"
    token = ctx.token_a()
    version = ctx.api.get(own, token=token).json()["version"]
    response = ctx.api.patch(own, token=token, json={"settings": {"interest_form": {"intro_text": marker}},
                                                     "version": version})
    assert response.status_code == 200, response.text
    b_version = ctx.api.get(own, token=ctx.token_b()).json()["version"]
    return Target(marker=marker, json={"settings": {"interest_form": {"intro_text": "von B"}}, "version": b_version})


def _a_unchanged(ctx: Ctx, target: Target) -> None:
    body = ctx.api.get("/tenants/api/v1/settings", token=ctx.token_a()).text
    assert target.marker in body, "site B's call changed site A's settings"


def _a_still_active(ctx: Ctx, target: Target) -> None:
    site = ctx.api.get(f"/tenants/api/v1/partner-sites/{ctx.site_a['id']}", token=ctx.admin_token).json()
    assert site["status"] == "active" and site["name"] != "Übernommen"


CASES = [
    Case("GET", "/api/v1/partner-sites", expect=PLATFORM_ONLY, control="platform_admin"),
    Case("POST", "/api/v1/partner-sites", expect=PLATFORM_ONLY, control=None,
         setup=lambda ctx: Target(json={"slug": f"m-{uuid.uuid4().hex[:8]}", "name": "Matrix", "bundesland": "DE-BE",
                                        "first_coordinator_email": "k@matrix.example"})),
    Case("GET", "/api/v1/partner-sites/{site_id}", setup=_site_a, expect=PLATFORM_ONLY, control="platform_admin"),
    Case("PATCH", "/api/v1/partner-sites/{site_id}", setup=_site_a_patch, expect=PLATFORM_ONLY, control=None,
         check=_a_still_active),
    *(Case("POST", f"/api/v1/partner-sites/{{site_id}}/{action}", setup=_site_a, expect=PLATFORM_ONLY,
           control=None, check=_a_still_active) for action in ("suspension", "reactivation", "archival")),
    Case("GET", "/api/v1/partner-sites/{site_id}/settings", setup=_site_a, expect=PLATFORM_ONLY,
         control="platform_admin"),
    Case("PATCH", "/api/v1/partner-sites/{site_id}/settings", expect=PLATFORM_ONLY, control=None,
         setup=lambda ctx: Target(params={"site_id": ctx.site_a["id"]},
                                  json={"settings": {"staff_mfa_required": True}, "version": 1})),
    # own-site routes: no id in the path; B works on B's settings and never sees or touches A's
    Case("GET", "/api/v1/settings", setup=_settings_marker, expect=frozenset({200}), absent=True),
    Case("PATCH", "/api/v1/settings", setup=_settings_marker, expect=frozenset({200}), absent=True,
         control=None, check=_a_unchanged),
]

EXEMPT = [
    Exempt("GET", "/api/v1/public/partner-sites",
           "public by design: slug, name and Bundesland of active sites, for the start page and the forms"),
]
