"""Every service refuses every kind of bad token, on every protected endpoint."""

from __future__ import annotations

import time

import pytest

from .forged import bad_tokens, good_token
from .routes import protected_endpoints

ALL_ROLES = ["coordinator", "staff", "platform_admin", "federation_viewer"]


@pytest.fixture(scope="module")
def endpoints(platform):
    found = protected_endpoints(platform)
    services = {path.split("/")[1] for _m, path in found}
    assert {"identity", "tenants", "federation"} <= services, services
    return found


@pytest.fixture(scope="module")
def site(make_site):
    return make_site()


def _call(api, method, path, token):
    return api.request(method, path, token=token, json={} if method in ("POST", "PUT", "PATCH") else None)


@pytest.mark.parametrize("kind", ["alg_none", "hs256_with_public_key", "wrong_key_same_kid", "foreign_jku",
                                  "embedded_jwk", "wrong_audience", "wrong_issuer", "wrong_type", "expired",
                                  "not_yet_valid"])
def test_a_bad_token_is_refused_by_every_protected_endpoint(api, platform, endpoints, site, kind):
    # Given a token of one bad kind, for a role that every endpoint would otherwise accept
    token = bad_tokens(platform, tenant=site["id"], roles=ALL_ROLES)[kind]
    # When it is sent to every protected endpoint of every service
    answers = {(m, p): _call(api, m, p, token).status_code for m, p in endpoints}
    # Then each answers 401
    assert {k: v for k, v in answers.items() if v != 401} == {}


def test_a_suspended_sites_token_is_refused_by_every_service(api, platform, endpoints, make_site, admin_token):
    # Given a valid token of a partner site that works
    site = make_site()
    token = good_token(platform, tenant=site["id"], roles=["coordinator"])
    assert api.get("/identity/api/v1/members", token=token).status_code == 200
    # When the BaS suspends the site
    response = api.post(f"/tenants/api/v1/partner-sites/{site['id']}/suspension", token=admin_token,
                        json={"reason": "contract_paused"})
    assert response.status_code == 200, response.text
    assert platform.join(timeout=20)
    time.sleep(6)  # every service's cached access status (5 s) has been refreshed
    # Then every protected endpoint of every service refuses the token
    answers = {(m, p): _call(api, m, p, token).status_code for m, p in endpoints}
    assert {k: v for k, v in answers.items() if v != 401} == {}
    # And identity gives the site no new token either
    assert site["id"] in api.get("/identity/api/v1/access-status").json()["suspended_sites"]


def test_control_a_good_token_passes_authentication_everywhere(api, platform, endpoints, site):
    # Given a valid token with every role (so a 401 above means the token, never the endpoint)
    token = good_token(platform, tenant=site["id"], roles=ALL_ROLES)
    # Then no protected endpoint answers 401 to it
    answers = {(m, p): _call(api, m, p, token).status_code for m, p in endpoints}
    assert {k: v for k, v in answers.items() if v == 401} == {}
    assert len(endpoints) >= 10
