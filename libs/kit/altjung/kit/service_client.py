"""Calling another service's HTTP API with a service token (client credentials at identity)."""

from __future__ import annotations

import threading
import time
from typing import Any
from uuid import UUID

import requests

from altjung.kit.settings import Settings


class ServiceClient:
    """A pooled HTTP client that authenticates as this service (OAuth 2 client credentials)."""

    def __init__(self, settings: Settings, *, scope: str) -> None:
        self.settings, self.scope = settings, scope
        self.session = requests.Session()
        self._tokens: dict[UUID | None, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def _access_token(self, tenant_id: UUID | None) -> str:
        with self._lock:
            token, expires = self._tokens.get(tenant_id, ("", 0.0))
            if not token or time.time() > expires - 30:
                data = {"grant_type": "client_credentials", "scope": self.scope}
                if tenant_id is not None:
                    data["tenant"] = str(tenant_id)
                response = self.session.post(
                    f"{self.settings.url_of('identity')}/oauth/token",
                    data=data,
                    auth=(f"svc-{self.settings.service}", self.settings.service_client_secret()),
                    timeout=10,
                )
                response.raise_for_status()
                body = response.json()
                token, expires = body["access_token"], time.time() + int(body.get("expires_in", 300))
                self._tokens[tenant_id] = (token, expires)
            return token

    def request(self, method: str, service: str, path: str, *, tenant_id: UUID | None,
                **kwargs: Any) -> requests.Response:
        """Call ``path`` (``/api/v1/…``) of another service, acting for one partner site."""
        headers = {"Authorization": f"Bearer {self._access_token(tenant_id)}"}
        return self.session.request(method, f"{self.settings.url_of(service)}{path}", headers=headers,
                                    timeout=10, **kwargs)
