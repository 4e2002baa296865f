"""What notifications asks other services at the moment of use, with service tokens.

identity: an invitation's or password reset's address and link, a site's coordinators' addresses.
matching: a mentor's or mentee's contact fields (e-mail, first name, language) for an opted-in
webhook. Nothing of it is stored, except the e-mail of a person sent to an endpoint (encrypted,
for the erasure notice).
"""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

import requests

from altjung.kit.service_client import ServiceClient
from altjung.kit.settings import Settings

#: matching's contact endpoint per person kind (scope people:contact, a token of the person's site).
CONTACT_PATH = "/api/v1/contacts/{kind}s/{person_id}"
#: identity's list of a site's coordinators (scope members:contact).
COORDINATORS_PATH = "/api/v1/coordinator-contacts"


class Unavailable(Exception):
    """The other service did not answer usefully now; try again later."""


class Gone(Exception):
    """What was asked for no longer exists (accepted invitation, used reset, erased person)."""


class Directory:
    """Service-token clients for identity and matching, one per scope, built once per process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._clients: dict[str, ServiceClient] = {}
        self._lock = threading.Lock()

    def _client(self, scope: str) -> ServiceClient:
        with self._lock:
            client = self._clients.get(scope)
            if client is None:
                client = self._clients[scope] = ServiceClient(self.settings, scope=scope)
            return client

    def _call(self, scope: str, method: str, service: str, path: str, tenant_id: UUID | None) -> Any:
        try:
            response = self._client(scope).request(method, service, path, tenant_id=tenant_id)
        except requests.RequestException as err:
            raise Unavailable(f"{service}: {type(err).__name__}") from err
        if response.status_code in (404, 410):
            raise Gone(path)
        if response.status_code != 200:
            raise Unavailable(f"{service} answered {response.status_code} for {path}")
        return response.json()

    def invitation(self, invitation_id: UUID, tenant_id: UUID | None) -> dict:
        """{email, role, site_name, accept_url, expires_at}; a BaS invitation has no tenant."""
        return self._call("invitations:deliver", "POST", "identity",
                          f"/api/v1/invitations/{invitation_id}/delivery", tenant_id)

    def password_reset(self, reset_id: UUID) -> dict:
        """{email, display_name, reset_url, expires_at}."""
        return self._call("password-resets:deliver", "POST", "identity",
                          f"/api/v1/password-resets/{reset_id}/delivery", None)

    def coordinators(self, tenant_id: UUID) -> list[dict]:
        """[{email, display_name}] of the site's coordinators."""
        return list(self._call("members:contact", "GET", "identity", COORDINATORS_PATH, tenant_id))

    def contact(self, tenant_id: UUID, kind: str, person_id: UUID) -> dict | None:
        """{email, first_name, language} of a mentor or mentee; None once erased or unknown."""
        try:
            data = self._call("people:contact", "GET", "matching",
                              CONTACT_PATH.format(kind=kind, person_id=person_id), tenant_id)
        except Gone:
            return None
        return {"email": data.get("email"), "first_name": data.get("first_name"),
                "language": data.get("language")}
