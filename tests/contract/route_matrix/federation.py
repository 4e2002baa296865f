"""federation's routes in the cross-tenant matrix (see __init__.py for how to add a route)."""

from __future__ import annotations

from tests.contract.route_matrix import Case, Ctx, Target

BAS_ONLY = frozenset({403})


def _site_a(ctx: Ctx) -> Target:
    return Target(params={"site_id": ctx.site_a["id"]}, query={"year": 2025})


CASES = [
    # BaS figures across sites: a partner site's coordinator may not see them at all
    Case("GET", "/api/v1/partner-sites", expect=BAS_ONLY, control="platform_admin"),
    Case("GET", "/api/v1/figures/totals", expect=BAS_ONLY, control="platform_admin"),
    Case("GET", "/api/v1/figures/sites", expect=BAS_ONLY, control="platform_admin"),
    Case("GET", "/api/v1/figures/series", expect=BAS_ONLY, control="platform_admin"),
    Case("GET", "/api/v1/reports/funder", expect=BAS_ONLY, control="platform_admin"),
    # a coordinator reads their own site's figures unsuppressed; another site's answer as if it did not exist
    Case("GET", "/api/v1/partner-sites/{site_id}/figures", setup=_site_a),
]

EXEMPT: list = []
