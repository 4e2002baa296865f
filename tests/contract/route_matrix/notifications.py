"""notifications' routes in the cross-tenant matrix (see __init__.py for how to add a route).

Owner: the notifications engineer. Site A's endpoint points at a closed loopback port (embedded mode is
development: http to loopback is allowed), so its deliveries fail quietly.
"""

from __future__ import annotations

import datetime as dt

from tests.contract.route_matrix import Case, Ctx, Target

API = "/notifications/api/v1"
#: Nothing listens here; port 65000 passes the URL rules (above 1023, not a browser "bad port").
DEAD_URL = "http://127.0.0.1:65000/hook"


def _endpoint_of_a(ctx: Ctx) -> Target:
    response = ctx.api.post(f"{API}/webhook-endpoints", token=ctx.token_a(),
                            json={"url": DEAD_URL, "description": "Matrix A", "event_types": ["mentor.registered"]})
    assert response.status_code == 201, response.text
    endpoint_id = response.json()["id"]
    return Target(params={"endpoint_id": endpoint_id}, marker=endpoint_id,
                  json={"description": "von B", "enabled": False, "version": response.json()["version"]},
                  extra={"version": response.json()["version"]})


def _replay_since(ctx: Ctx) -> Target:
    target = _endpoint_of_a(ctx)
    target.json = {"since": (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()}
    return target


def _delivery_of_a(ctx: Ctx) -> Target:
    endpoint = _endpoint_of_a(ctx)
    response = ctx.api.post(f"{API}/webhook-endpoints/{endpoint.params['endpoint_id']}/test", token=ctx.token_a())
    assert response.status_code == 202, response.text
    return Target(params={"delivery_id": response.json()["id"]}, marker=response.json()["id"])


def _endpoint_unchanged(ctx: Ctx, target: Target) -> None:
    response = ctx.api.get(f"{API}/webhook-endpoints/{target.params['endpoint_id']}", token=ctx.token_a())
    assert response.status_code == 200, "site B's call removed site A's endpoint"
    body = response.json()
    assert body["description"] == "Matrix A" and body["enabled"] and body["version"] == target.extra["version"], \
        "site B's call changed site A's endpoint"


_EP = "/api/v1/webhook-endpoints/{endpoint_id}"

CASES = [
    Case("GET", "/api/v1/webhook-endpoints", setup=_endpoint_of_a, expect=frozenset({200}), absent=True),
    Case("POST", "/api/v1/webhook-endpoints", expect=frozenset({201}), absent=True, control=None,
         setup=lambda ctx: Target(json={"url": DEAD_URL, "description": "B"}, marker=ctx.site_a["id"])),
    Case("GET", _EP, setup=_endpoint_of_a),
    Case("PATCH", _EP, setup=_endpoint_of_a, check=_endpoint_unchanged, control=None),
    Case("DELETE", _EP, setup=_endpoint_of_a, check=_endpoint_unchanged, control=None),
    Case("POST", _EP + "/secret-rotation", setup=_endpoint_of_a, check=_endpoint_unchanged),
    Case("POST", _EP + "/test", setup=_endpoint_of_a),
    Case("POST", _EP + "/replay", setup=_replay_since),
    Case("GET", _EP + "/deliveries", setup=_endpoint_of_a),
    Case("GET", "/api/v1/webhook-deliveries/{delivery_id}", setup=_delivery_of_a),
    Case("POST", "/api/v1/webhook-deliveries/{delivery_id}/replay", setup=_delivery_of_a),
]

EXEMPT: list = []
