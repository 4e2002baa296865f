"""Suspending a partner site in the production shape stops it everywhere within seconds; reactivating
restores it; archiving leaves it readable but read-only.

gunicorn per service, a dramatiq worker per consuming service, PostgreSQL with row-level security,
Redis: the suspension travels as tenant.suspended through the outbox to every worker, each keeps it
in its kit_site_status table, and every service's token guard (plus identity's access status) refuses
the site's tokens. Webhook deliveries and the public interest form ask ``site_status.is_active``.
"""

from __future__ import annotations

import time
import uuid

import requests

from altjung.kit import site_status
from altjung.kit.db import Database
from tests.integration.conftest import eventually, mint

#: The services with a worker, each keeping its own copy of the site's status.
WORKERS = ("identity", "tenants", "matching", "notifications", "federation")
#: What "within seconds" means here.
WITHIN = 15.0


def call(stack, method: str, service: str, path: str, token: str, **kwargs) -> requests.Response:
    return requests.request(method, f"{stack.url(service)}{path}", headers={"Authorization": f"Bearer {token}"},
                            timeout=10, **kwargs)


def service_login(stack, site_id: str) -> int:
    """A partner-site integration's way in: client credentials for that site (here notifications' client)."""
    settings = stack.settings("notifications")
    response = requests.post(f"{stack.url('identity')}/oauth/token", timeout=10,
                             data={"grant_type": "client_credentials", "scope": "invitations:deliver",
                                   "tenant": site_id},
                             auth=("svc-notifications", settings.service_client_secret()))
    return response.status_code


def statuses(stack, site_id: str) -> dict[str, str]:
    """The site's status as each service's own database holds it (read as the application role)."""
    seen = {}
    for service in WORKERS:
        db = Database(stack.settings(service).database_url, pool_size=1)
        try:
            with db.session() as session:
                seen[service] = site_status.status_of(session, uuid.UUID(site_id))
        finally:
            db.dispose()
    return seen


def test_suspension_reaches_every_service_within_seconds_and_reactivation_restores_it(stack):
    # Given an active partner site with a coordinator whose token works in tenants and identity
    admin = mint(stack, "platform_admin")
    slug = f"it-susp-{uuid.uuid4().hex[:6]}"
    created = call(stack, "POST", "tenants", "/api/v1/partner-sites", admin,
                   json={"slug": slug, "name": "Seniorenbüro Sperrtest", "bundesland": "DE-BW",
                         "first_coordinator_email": f"k@{slug}.example"})
    assert created.status_code == 201, created.text
    site_id = created.json()["id"]
    coordinator = mint(stack, "coordinator", site_id)
    eventually(lambda: service_login(stack, site_id) == 200)  # identity has heard of the site
    assert call(stack, "GET", "tenants", "/api/v1/settings", coordinator).status_code == 200
    assert call(stack, "GET", "identity", "/api/v1/members", coordinator).status_code == 200

    # When a platform admin suspends it
    started = time.monotonic()
    response = call(stack, "POST", "tenants", f"/api/v1/partner-sites/{site_id}/suspension", admin,
                    json={"reason": "contract_paused"})
    assert response.status_code == 200, response.text

    # Then within seconds its API calls, its logins and every service's own status say: suspended
    def shut_out() -> bool:
        return (call(stack, "GET", "tenants", "/api/v1/settings", coordinator).status_code == 401
                and call(stack, "GET", "identity", "/api/v1/members", coordinator).status_code == 401
                and service_login(stack, site_id) in (400, 401, 403)
                and set(statuses(stack, site_id).values()) == {"suspended"})

    eventually(shut_out, timeout=WITHIN)
    assert time.monotonic() - started < WITHIN
    # (notifications pauses webhooks and matching closes the public form on site_status.is_active == False)

    # When it is reactivated, everything comes back, again within seconds
    started = time.monotonic()
    response = call(stack, "POST", "tenants", f"/api/v1/partner-sites/{site_id}/reactivation", admin, json={})
    assert response.status_code == 200, response.text

    def back() -> bool:
        return (call(stack, "GET", "tenants", "/api/v1/settings", coordinator).status_code == 200
                and call(stack, "GET", "identity", "/api/v1/members", coordinator).status_code == 200
                and service_login(stack, site_id) == 200
                and set(statuses(stack, site_id).values()) == {"active"})

    eventually(back, timeout=WITHIN)
    assert time.monotonic() - started < WITHIN


def test_an_archived_site_stays_readable_but_read_only(stack):
    admin = mint(stack, "platform_admin")
    slug = f"it-arch-{uuid.uuid4().hex[:6]}"
    created = call(stack, "POST", "tenants", "/api/v1/partner-sites", admin,
                   json={"slug": slug, "name": "Seniorenbüro Archivtest", "bundesland": "DE-HB",
                         "first_coordinator_email": f"k@{slug}.example"})
    site_id = created.json()["id"]
    coordinator = mint(stack, "coordinator", site_id)
    assert call(stack, "POST", "tenants", f"/api/v1/partner-sites/{site_id}/archival", admin,
                json={}).status_code == 200

    def read_only() -> bool:
        write = call(stack, "PATCH", "tenants", "/api/v1/settings", coordinator,
                     json={"settings": {"staff_mfa_required": True}, "version": 1})
        return write.status_code == 423 and set(statuses(stack, site_id).values()) == {"archived"}

    eventually(read_only, timeout=WITHIN)
    assert call(stack, "GET", "tenants", "/api/v1/settings", coordinator).status_code == 200
