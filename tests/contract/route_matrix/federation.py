"""federation's routes in the cross-tenant matrix (see __init__.py for how to add a route)."""

from __future__ import annotations

from tests.contract.route_matrix import Case

CASES = [
    # BaS figures across sites: a partner site's coordinator may not see the list at all
    Case("GET", "/api/v1/partner-sites", expect=frozenset({403}), control="platform_admin"),
]

EXEMPT: list = []
