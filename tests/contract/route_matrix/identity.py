"""identity's routes in the cross-tenant matrix (see __init__.py for how to add a route).

Written by the tenants engineer for the routes that existed when the matrix landed; the identity
engineer owns it from here.
"""

from __future__ import annotations

import uuid

from altjung.kit.tenancy import tenant_context
from tests.contract.route_matrix import Case, Ctx, Exempt, Target

API = "/identity/api/v1"


def _invitation_of_a(ctx: Ctx) -> Target:
    email = f"eingeladen-{uuid.uuid4().hex[:8]}@a.example"
    response = ctx.api.post(f"{API}/invitations", token=ctx.token_a(), json={"email": email, "role": "staff"})
    assert response.status_code == 201, response.text
    return Target(params={"invitation_id": response.json()["id"]}, marker=email)


def _member_of_a(ctx: Ctx) -> Target:
    """A person (with a second factor) with a membership at site A only, written into identity's database."""
    from altjung.identity.models import Membership, SiteAccount, User
    from altjung.kit.bus.models import utcnow

    runtime = ctx.platform.runtimes["identity"]
    email = f"mitglied-{uuid.uuid4().hex[:8]}@a.example"
    user_id = uuid.uuid4()
    with runtime.db.session() as session:
        session.add(User(id=user_id, email=email, display_name="Mitglied A", active=True,
                         totp_secret="JBSWY3DPEHPK3PXP", totp_enabled_at=utcnow()))
        session.commit()
    with tenant_context(ctx.site_a_id), runtime.db.session() as session:
        session.add(Membership(user_id=user_id, role="coordinator"))
        session.add(SiteAccount(user_id=user_id, site_id=ctx.site_a_id))
        session.commit()
    return Target(params={"user_id": str(user_id)}, json={"role": "staff"}, marker=email)


def _member_unchanged(ctx: Ctx, target: Target) -> None:
    members = ctx.api.get(f"{API}/members", token=ctx.token_a()).json()
    mine = [m for m in members if m["user_id"] == target.params["user_id"]]
    assert mine and mine[0]["role"] == "coordinator", "site B's call changed site A's member"
    assert mine[0]["mfa_enabled"], "site B's call reset the second factor of site A's member"


def _client_of_a(ctx: Ctx) -> Target:
    response = ctx.api.post(f"{API}/clients", token=ctx.token_a(),
                            json={"name": "CleverReach A", "scopes": ["webhooks:manage"]})
    assert response.status_code == 201, response.text
    client_id = response.json()["client_id"]
    return Target(params={"client_id": client_id}, marker=client_id)


def _client_still_there(ctx: Ctx, target: Target) -> None:
    clients = ctx.api.get(f"{API}/clients", token=ctx.token_a()).json()
    assert target.marker in {c["client_id"] for c in clients}, "site B's call withdrew site A's client"


CASES = [
    Case("GET", "/api/v1/invitations", setup=_invitation_of_a, expect=frozenset({200}), absent=True),
    Case("POST", "/api/v1/invitations", expect=frozenset({201}), absent=True, control=None,
         setup=lambda ctx: Target(json={"email": f"b-{uuid.uuid4().hex[:6]}@b.example", "role": "staff"},
                                  marker=ctx.site_a["id"])),
    Case("POST", "/api/v1/invitations/{invitation_id}/delivery", setup=_invitation_of_a,
         as_role="service", scope="invitations:deliver"),
    Case("POST", "/api/v1/platform-invitations", expect=frozenset({403}), control=None,
         setup=lambda ctx: Target(json={"email": "bas@example.org", "role": "platform_admin"})),
    Case("POST", "/api/v1/password-resets/{reset_id}/delivery", expect=frozenset({403}), control=None,
         setup=lambda ctx: Target(params={"reset_id": str(uuid.uuid4())})),
    Case("GET", "/api/v1/members", setup=_member_of_a, expect=frozenset({200}), absent=True),
    Case("PATCH", "/api/v1/members/{user_id}", setup=_member_of_a, check=_member_unchanged),
    Case("DELETE", "/api/v1/members/{user_id}", setup=_member_of_a, check=_member_unchanged),
    Case("DELETE", "/api/v1/members/{user_id}/mfa", setup=_member_of_a, check=_member_unchanged),
    Case("GET", "/api/v1/clients", setup=_client_of_a, expect=frozenset({200}), absent=True),
    Case("POST", "/api/v1/clients", expect=frozenset({201}), absent=True, control=None,
         setup=lambda ctx: Target(json={"name": "Brevo B", "scopes": ["webhooks:manage"]}, marker=ctx.site_a["id"])),
    Case("DELETE", "/api/v1/clients/{client_id}", setup=_client_of_a, check=_client_still_there),
    Case("GET", "/api/v1/audit-events", setup=_client_of_a, expect=frozenset({200}), absent=True),
    # notifications' service token lists the coordinators of its token's site only (added by notifications)
    Case("GET", "/api/v1/coordinator-contacts", setup=_member_of_a, as_role="service", scope="members:contact",
         expect=frozenset({200}), absent=True),
    # BaS staff: a partner site's coordinator may neither list nor change them
    Case("GET", "/api/v1/platform-members", expect=frozenset({403}), control="platform_admin"),
    Case("PUT", "/api/v1/platform-members/{user_id}", expect=frozenset({403}), control=None,
         setup=lambda ctx: Target(params={"user_id": str(uuid.uuid4())}, json={"roles": ["platform_admin"]})),
]

EXEMPT = [
    Exempt("GET", "/api/v1/me", "the caller's own account: no id in the path, the token names the account"),
    Exempt("GET", "/api/v1/access-status",
           "public like a certificate revocation list: ids of suspended sites and withdrawn tokens only"),
]
