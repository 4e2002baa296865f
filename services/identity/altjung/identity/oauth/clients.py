"""OAuth clients as Authlib sees them: the platform's services, the portal, partners' integrations."""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass

from authlib.oauth2.rfc6749 import ClientMixin, InvalidRequestError
from authlib.oauth2.rfc6749.util import scope_to_list

from altjung.identity.accounts import Grantee
from altjung.identity.models import OAuthClient
from altjung.identity.security.secrets import hash_token, token_matches
from altjung.kit.runtime import current_runtime

#: The platform's own services and the scopes each may ask for with client credentials. Their
#: secrets derive from the shared service secret (Settings.service_client_secret).
SERVICE_SCOPES = {
    "svc-notifications": {"invitations:deliver", "password-resets:deliver", "people:contact", "members:contact"},
    "svc-portal": set(),
    "svc-tenants": set(),
    "svc-matching": set(),
    "svc-federation": set(),
}
#: What a coordinator may grant their own integration (client credentials, bound to their site).
PARTNER_SCOPES = frozenset({"mentors:read", "mentees:read", "patenschaften:read", "webhooks:manage"})
#: What the portal (authorization code) may ask for.
USER_SCOPES = frozenset({"openid", "profile", "email"})


class _Client(ClientMixin):
    client_id: str
    allowed_scopes: frozenset[str]
    grant_types: frozenset[str]
    public: bool = False

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None  # every authorization request names its redirect URI

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """All of the requested scope, or None (invalid_scope): nothing is silently dropped."""
        wanted = set(scope_to_list(scope) or [])
        if not wanted <= self.allowed_scopes:
            return None
        return " ".join(sorted(wanted))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.public:
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def grantee(self, requested_tenant: str | None) -> Grantee:
        raise InvalidRequestError("client credentials are not allowed for this client")


@dataclass
class ServiceClient(_Client):
    """One of the platform's services: `tenant` (form field) binds a token to one partner site."""

    client_id: str
    allowed_scopes: frozenset[str]
    grant_types: frozenset[str] = frozenset({"client_credentials"})

    def check_client_secret(self, client_secret: str) -> bool:
        settings = current_runtime().settings
        expected = settings.service_client_secret(self.client_id.removeprefix("svc-"))
        return hmac.compare_digest(expected, client_secret or "")

    def grantee(self, requested_tenant: str | None) -> Grantee:
        try:
            site = uuid.UUID(requested_tenant) if requested_tenant else None
        except ValueError:
            raise InvalidRequestError("tenant is not a UUID") from None
        return Grantee(uuid.UUID(int=0), site, ())


@dataclass
class RegisteredClient(_Client):
    """A client in the database: the portal (public, PKCE) or a partner integration (one site)."""

    row: OAuthClient

    def __post_init__(self) -> None:
        self.client_id = self.row.client_id
        self.allowed_scopes = frozenset(self.row.scope.split())
        self.grant_types = frozenset(self.row.grant_types.split())
        self.public = self.row.secret_hash is None

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.row.redirect_uris.split()  # exact string match, nothing else

    def check_client_secret(self, client_secret: str) -> bool:
        return self.row.secret_hash is not None and token_matches(client_secret or "", self.row.secret_hash)

    def grantee(self, requested_tenant: str | None) -> Grantee:
        if self.row.owner_site_id is None:
            raise InvalidRequestError("client credentials are not allowed for this client")
        if requested_tenant and requested_tenant != str(self.row.owner_site_id):
            raise InvalidRequestError("this client acts for its own partner site only")
        return Grantee(uuid.UUID(int=0), self.row.owner_site_id, ())


def query_client(client_id: str) -> _Client | None:
    if client_id in SERVICE_SCOPES:
        return ServiceClient(client_id, frozenset(SERVICE_SCOPES[client_id]))
    with current_runtime().db.session() as session:
        row = session.get(OAuthClient, client_id)
        if row is None or row.revoked_at is not None:
            return None
        session.expunge(row)
    return RegisteredClient(row)


def new_client_secret() -> tuple[str, str]:
    """A secret to show once, and its hash to store."""
    from altjung.identity.security.secrets import new_token

    secret = new_token()
    return secret, hash_token(secret)
