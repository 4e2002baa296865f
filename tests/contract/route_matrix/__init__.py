"""The cross-tenant route matrix: every route of every service, tried with ANOTHER partner site's token.

HOW TO ADD YOUR ROUTE (the matrix test fails until you do):
1. Open ``tests/contract/route_matrix/<your service>.py`` (create it if missing; it needs ``CASES`` and
   ``EXEMPT`` lists, see ``tenants.py`` for a complete example).
2. For a route that touches tenant data, add a ``Case``:
   - ``setup(ctx)`` creates an object of partner site A (``ctx.site_a``) — through your API with
     ``ctx.token_a()``, or through your runtime's database under ``tenant_context(ctx.site_a_id)`` —
     and returns a ``Target`` with the path parameters (``params``) and, for writes, a valid ``json`` body.
   - The matrix then calls the route with a token of site B (role ``as_role``, default coordinator) and
     A's ids and expects ``expect`` (default 404 — "another site's object answers as if it did not
     exist"). For a list or an own-site route (no id in the path), set ``absent=True`` and return a
     ``marker`` (e.g. A's object id): B may get 200, but the marker must not appear in the body.
   - A control call with site A's own token (``control``) must then NOT answer 401/403/404: that proves
     your setup really made something, so the case cannot pass by accident.
   - ``check(ctx, target)`` may assert that A's object is unchanged after B's attempt.
3. For a route with no tenant data behind it (public pages, platform-only administration, the caller's
   own account, probes), add ``Exempt(method, path, reason)`` instead. The reason is read in review.
   A platform-only route is better covered as a Case with ``expect={403}`` and ``control="platform_admin"``.
Paths are the OpenAPI paths without the service prefix, e.g. ``/api/v1/patenschaften/{patenschaft_id}``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

#: Services whose OpenAPI documents the matrix walks (each may have a registry module here).
SERVICES = ("identity", "tenants", "matching", "notifications", "federation", "portal")


@dataclass
class Ctx:
    """What a setup needs: two partner sites, tokens for them, the HTTP client and the platform."""

    api: Any
    platform: Any
    token_for: Callable[..., str]
    admin_token: str
    site_a: dict
    site_b: dict

    @property
    def site_a_id(self) -> UUID:
        return UUID(self.site_a["id"])

    @property
    def site_b_id(self) -> UUID:
        return UUID(self.site_b["id"])

    def token_a(self, role: str = "coordinator", **kwargs: Any) -> str:
        return self.token_for(role, self.site_a["id"], **kwargs)

    def token_b(self, role: str = "coordinator", **kwargs: Any) -> str:
        return self.token_for(role, self.site_b["id"], **kwargs)


@dataclass
class Target:
    """Site A's object as the route addresses it."""

    params: dict[str, str] = field(default_factory=dict)
    json: dict | None = None
    query: dict | None = None
    #: A string that identifies A's data; it must not appear in what B gets back.
    marker: str | None = None
    #: Anything the check needs later.
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    setup: Callable[[Ctx], Target] = lambda ctx: Target()
    #: Role of site B's token; "service" tokens may carry ``scope``.
    as_role: str = "coordinator"
    scope: str = ""
    expect: frozenset[int] = frozenset({404})
    absent: bool = False
    #: "same": A's token with as_role/scope; "platform_admin": a platform token; None: no control call.
    control: str | None = "same"
    check: Callable[[Ctx, Target], None] | None = None


@dataclass(frozen=True)
class Exempt:
    method: str
    path: str
    reason: str


def load(service: str) -> tuple[list[Case], list[Exempt]]:
    """The service's registry (empty when it has none yet)."""
    try:
        module = importlib.import_module(f"tests.contract.route_matrix.{service}")
    except ModuleNotFoundError as err:
        if err.name == f"tests.contract.route_matrix.{service}":
            return [], []
        raise
    return list(getattr(module, "CASES", [])), list(getattr(module, "EXEMPT", []))


def all_cases() -> list[tuple[str, Case]]:
    return [(service, case) for service in SERVICES for case in load(service)[0]]
