"""Every service's front door: a verified RFC 9068 access token, a role or scope, and its tenant.

`require(*roles, scopes=(), tenant=True)` verifies the bearer token locally (RS256 pinned, `at+jwt`,
iss, aud, exp, nbf; keys only from the configured JWKS URL, never from the token), refuses tokens of
suspended sites and withdrawn members (identity's access status), and binds the token's tenant as the
current tenant of the request.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

import requests
from flask import Flask, current_app, g, request

from altjung.kit.problems import Forbidden, Unauthorized
from altjung.kit.tenancy import set_request_tenant
from altjung.kit.tokens import (
    ALGORITHM,
    CachingAccessStatus,
    CachingJwksProvider,
    InvalidToken,
    JwksProvider,
    StatusUnavailable,
    verify_access_token,
)

__all__ = ["TOKEN_ALGORITHM", "InvalidToken", "Principal", "authenticate", "current_principal", "install_providers",
           "require", "verify_access_token"]

#: The one algorithm access tokens are signed with; anything else is refused before any key is used.
#: OpenAPI for an endpoint behind ``require``: ``@blp.doc(**BEARER)``.
BEARER = {"security": [{"bearer": []}]}
TOKEN_ALGORITHM = ALGORITHM
#: Clock skew tolerated on exp/nbf/iat, in seconds.
DEFAULT_LEEWAY = 30
#: Path of identity's access-status document, below identity's base URL.
ACCESS_STATUS_PATH = "/api/v1/access-status"

_JWKS_KEY, _STATUS_KEY = "altjung_jwks", "altjung_access_status"


@dataclasses.dataclass(frozen=True)
class Principal:
    """Who is calling: from a verified token only."""

    subject: str
    tenant_id: UUID | None
    roles: frozenset[str]
    scopes: frozenset[str]
    client_id: str
    claims: Mapping[str, Any]


def _http_json(url: str) -> Callable[[], Mapping[str, Any]]:
    session = requests.Session()

    def fetch() -> Mapping[str, Any]:
        response = session.get(url, timeout=5)
        response.raise_for_status()
        return response.json()

    return fetch


def install_providers(app: Flask, *, jwks: JwksProvider | None = None, status: Any = None) -> None:
    """Use these key and status sources instead of fetching over HTTP (identity verifies its own)."""
    if jwks is not None:
        app.extensions[_JWKS_KEY] = jwks
    if status is not None:
        app.extensions[_STATUS_KEY] = status


def _providers() -> tuple[JwksProvider, Any]:
    ext = current_app.extensions
    settings = ext["altjung"].settings
    if _JWKS_KEY not in ext:
        ext[_JWKS_KEY] = CachingJwksProvider(_http_json(settings.jwks_url))
    if _STATUS_KEY not in ext:
        ext[_STATUS_KEY] = CachingAccessStatus(_http_json(settings.url_of("identity") + ACCESS_STATUS_PATH))
    return ext[_JWKS_KEY], ext[_STATUS_KEY]


def _refuse(reason: str) -> Unauthorized:
    current_app.logger.info("token refused: %s", reason)
    return Unauthorized("Die Anmeldung ist ungültig oder abgelaufen. / Invalid or expired token.")


def verify_token(token: str) -> dict[str, Any]:
    """The claims of one of our access tokens (signature, type, issuer, audience, time), or InvalidToken."""
    settings = current_app.extensions["altjung"].settings
    jwks, _status = _providers()
    return verify_access_token(token, jwks, issuer=settings.issuer, audience=settings.audience,
                               leeway=DEFAULT_LEEWAY).claims


def authenticate() -> Principal:
    """The verified principal of this request (401 problem when there is none)."""
    if "principal" in g:
        return g.principal
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Bitte melden Sie sich an. / Please sign in (Bearer token required).")
    settings = current_app.extensions["altjung"].settings
    jwks, status = _providers()
    try:
        verified = verify_access_token(token.strip(), jwks, issuer=settings.issuer, audience=settings.audience,
                                       leeway=DEFAULT_LEEWAY)
    except InvalidToken as err:
        raise _refuse(err.reason) from None
    claims = verified.claims
    try:
        reason = status.current().refuses(claims)
    except StatusUnavailable:
        reason = "access_status_unavailable"
    if reason is None:
        guard = current_app.extensions.get("altjung_token_guard")  # a service's own extra check
        if guard is not None and not guard(claims):
            reason = "service_guard"
    if reason is not None:
        raise _refuse(reason)
    try:
        tenant_id = UUID(verified.tenant) if verified.tenant else None
    except ValueError:
        raise _refuse("malformed_tenant") from None
    principal = Principal(subject=verified.subject, tenant_id=tenant_id, roles=verified.roles,
                          scopes=verified.scopes, client_id=verified.client_id, claims=claims)
    g.principal = principal
    set_request_tenant(principal.tenant_id)
    return principal


def require(*roles: str, scopes: tuple[str, ...] = (), tenant: bool = True) -> Callable:
    """Require a verified token with one of ``roles`` (or one of ``scopes``).

    ``tenant=True`` (the default) also requires the token to be bound to a partner site; that
    site becomes the current tenant for every query of the request.
    """

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            principal = authenticate()
            allowed = (not roles and not scopes) or bool(principal.roles & set(roles)) or bool(
                principal.scopes & set(scopes))
            if not allowed:
                raise Forbidden("Dafür fehlt Ihnen die Berechtigung. / You lack the role for this.")
            if tenant and principal.tenant_id is None:
                raise Forbidden("Dieser Zugang gehört zu keinem Partnerstandort. / Token has no partner site.")
            return view(*args, **kwargs)

        wrapper._altjung_roles = roles  # type: ignore[attr-defined]  # read by the route matrix test
        wrapper._altjung_scopes = scopes  # type: ignore[attr-defined]
        return wrapper

    return decorate


def current_principal() -> Principal:
    return g.principal
