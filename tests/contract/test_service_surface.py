"""Every service answers /healthz, /readyz and /openapi.json under its prefix, and errors as problem+json."""

from __future__ import annotations

import pytest

SERVICES = ["identity", "tenants", "matching", "notifications", "federation", "portal"]


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("path", ["healthz", "readyz", "openapi.json"])
def test_every_service_answers_its_probes(api, service, path):
    prefix = "" if service == "portal" else f"/{service}"
    response = api.get(f"{prefix}/{path}")
    assert response.status_code == 200, response.text
    if path == "openapi.json":
        assert response.json()["openapi"].startswith("3.")


def test_readyz_names_database_and_broker(api):
    checks = api.get("/matching/readyz").json()["checks"]
    assert checks == {"database": "ok", "broker": "ok"}


@pytest.mark.parametrize("service", ["identity", "tenants", "matching", "notifications", "federation"])
def test_an_unknown_path_is_a_problem(api, service):
    response = api.get(f"/{service}/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404 and body["title"] and body["type"]


def test_a_wrong_method_is_a_problem(api):
    response = api.delete("/tenants/api/v1/public/partner-sites")
    assert response.status_code == 405
    assert response.headers["Content-Type"] == "application/problem+json"


def test_invalid_input_is_a_422_problem_and_changes_nothing(api, admin_token):
    before = api.get("/tenants/api/v1/partner-sites", token=admin_token).json()
    response = api.post("/tenants/api/v1/partner-sites", token=admin_token,
                        json={"slug": "Not A Slug!", "name": "x", "bundesland": "XX"})
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert {"slug", "bundesland", "first_coordinator_email"} <= set(response.json()["errors"]["json"])
    assert api.get("/tenants/api/v1/partner-sites", token=admin_token).json() == before


def test_no_token_is_a_401_problem(api):
    response = api.get("/tenants/api/v1/partner-sites")
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_wrong_role_is_a_403_problem(api, token_for, make_site):
    site = make_site()
    response = api.get("/tenants/api/v1/partner-sites", token=token_for("coordinator", site["id"]))
    assert response.status_code == 403


def test_request_ids_are_echoed(api):
    response = api.get("/tenants/healthz", headers={"X-Request-Id": "abc123"})
    assert response.headers["X-Request-Id"] == "abc123"
