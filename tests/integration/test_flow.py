"""The skeleton's flow on the production shape: gunicorn, dramatiq workers, PostgreSQL, Redis."""

from __future__ import annotations

import uuid

import requests

from tests.integration.conftest import eventually, mint
from tests.support import mails_to


def test_a_partner_site_flows_through_every_service(stack):
    # Given a platform admin on the production shape
    admin = mint(stack, "platform_admin")
    slug = f"it-{uuid.uuid4().hex[:6]}"
    # When they create a partner site
    response = requests.post(f"{stack.proxy_url}/tenants/api/v1/partner-sites", timeout=10,
                             headers={"Authorization": f"Bearer {admin}"},
                             json={"slug": slug, "name": "Seniorenbüro Integration", "bundesland": "DE-HH",
                                   "first_coordinator_email": f"k@{slug}.example"})
    assert response.status_code == 201, response.text
    site_id = response.json()["id"]
    # Then federation lists it, built only from events
    viewer = mint(stack, "federation_viewer")

    def listed():
        sites = requests.get(f"{stack.proxy_url}/federation/api/v1/partner-sites", timeout=5,
                             headers={"Authorization": f"Bearer {viewer}"}).json()
        return [s for s in sites if s["site_id"] == site_id]

    assert eventually(listed)[0]["bundesland"] == "DE-HH"
    # And the invitation e-mail of its first coordinator was written exactly once
    mails = eventually(lambda: mails_to(stack.root / "mail", f"k@{slug}.example"))
    assert len(mails) == 1
    assert "/invitations/" in mails[0].get_body(("plain",)).get_content()
    assert "token=" in mails[0].get_body(("plain",)).get_content()
    # And the portal's start page (another process) names the site
    assert "Seniorenbüro Integration" in requests.get(stack.proxy_url + "/", timeout=5).text


def test_every_process_answers_its_probes_directly_and_through_the_proxy(stack):
    for service in ("identity", "tenants", "matching", "notifications", "federation", "portal"):
        prefix = "" if service == "portal" else f"/{service}"
        for probe in ("healthz", "readyz", "openapi.json"):
            assert requests.get(f"{stack.url(service)}/{probe}", timeout=5).status_code == 200, (service, probe)
            assert requests.get(f"{stack.proxy_url}{prefix}/{probe}", timeout=5).status_code == 200, (service, probe)


def test_the_proxy_passes_request_ids_and_errors_as_problems(stack):
    response = requests.get(f"{stack.proxy_url}/matching/api/v1/nothing-here", timeout=5,
                            headers={"X-Request-Id": "ignored-by-nginx"})
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    assert len(response.headers["X-Request-Id"]) == 32  # nginx's $request_id, echoed by the service
    discovery = requests.get(f"{stack.proxy_url}/identity/.well-known/openid-configuration", timeout=5).json()
    assert discovery["issuer"] == f"{stack.proxy_url}/identity"
