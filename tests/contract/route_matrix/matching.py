"""matching' routes in the cross-tenant matrix (see __init__.py for how to add a route).

Owner: the matching engineer. Every route you add to /openapi.json needs a Case (site B's token, site A's
ids → 404, or 403 for a list B may not see) or an Exempt with a reason; tenants.py is a full example.
"""

from __future__ import annotations

CASES: list = []

EXEMPT: list = []
