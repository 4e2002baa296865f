"""Fixtures shared by every tier: the embedded platform on a free port, tokens, HTTP."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest
import requests

from altjung.kit.embedded import Platform, build, serve
from infra.local.stack import free_port


class Api:
    """A tiny HTTP client for the embedded platform: ``api.get("/tenants/api/v1/…", token=…)``."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()

    def request(self, method: str, path: str, *, token: str | None = None, **kwargs) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.session.request(method, self.base + path, headers=headers, timeout=15, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def put(self, path: str, **kwargs) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """Every service embedded, migrated, with its in-process broker and workers, serving HTTP."""
    port = free_port()
    var_dir = tmp_path_factory.mktemp("var")
    # Fast retries so that dead-letter tests do not wait for production backoff.
    env = {**os.environ, "ALTJUNG_MAX_RETRIES": "2", "ALTJUNG_MIN_BACKOFF_MS": "20", "ALTJUNG_MAX_BACKOFF_MS": "100"}
    running = build(port=port, var_dir=str(var_dir), env=env)
    serve(running, port=port)
    running.port = port  # type: ignore[attr-defined]
    running.var_dir = var_dir  # type: ignore[attr-defined]
    yield running
    running.stop()


@pytest.fixture(scope="session")
def api(platform: Platform) -> Api:
    return Api(f"http://127.0.0.1:{platform.port}")  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def token_for(platform: Platform) -> Callable[..., str]:
    """Mint an access token with identity's real signing key (the verification path is the real one)."""
    from altjung.identity.keys import mint_access_token

    runtime = platform.runtimes["identity"]

    def mint(role: str, tenant_id: uuid.UUID | str | None = None, *, scope: str = "",
             subject: str | None = None, lifetime: int = 600) -> str:
        tenant = uuid.UUID(str(tenant_id)) if tenant_id else None
        with runtime.db.session() as session:
            return mint_access_token(session, runtime.settings, subject=subject or f"test-{role}",
                                     client_id="tests", tenant_id=tenant, roles=[role], scope=scope,
                                     lifetime=lifetime)

    return mint


@pytest.fixture(scope="session")
def admin_token(token_for: Callable[..., str]) -> str:
    return token_for("platform_admin")


@pytest.fixture(scope="session")
def make_site(api: Api, admin_token: str, platform: Platform) -> Callable[..., dict]:
    """Create a partner site through the tenants API and wait until every service has heard of it."""

    def create(slug: str | None = None, **fields) -> dict:
        slug = slug or f"site-{uuid.uuid4().hex[:8]}"
        body = {"slug": slug, "name": f"Standort {slug}", "bundesland": "DE-NW",
                "first_coordinator_email": f"koordination@{slug}.example", **fields}
        response = api.post("/tenants/api/v1/partner-sites", json=body, token=admin_token)
        assert response.status_code == 201, response.text
        assert platform.join(timeout=20)
        return response.json()

    return create
