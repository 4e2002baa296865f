"""Token verification for every service: JWT access tokens (RFC 9068) checked against cached JWKS."""

from __future__ import annotations

import dataclasses
import functools
import json
import threading
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

import requests
from flask import current_app, g, request
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from altjung.kit.problems import Forbidden, Unauthorized
from altjung.kit.tenancy import set_request_tenant

#: The one algorithm access tokens are signed with; anything else is refused before any key is used.
TOKEN_ALGORITHM = "RS256"
#: Header parameters that name a key location or carry a key: never trusted.
_FORBIDDEN_HEADERS = ("jku", "x5u", "jwk", "x5c", "x5t", "x5t#S256")
#: Clock skew tolerated on exp/nbf/iat, in seconds.
DEFAULT_LEEWAY = 30


class InvalidToken(Exception):
    """The token is not one of ours, or no longer valid. The reason is for logs, not for callers."""


@dataclasses.dataclass(frozen=True)
class Principal:
    """Who is calling: from a verified token only."""

    subject: str
    tenant_id: UUID | None
    roles: frozenset[str]
    scopes: frozenset[str]
    client_id: str
    claims: dict[str, Any]


class JwksCache:
    """The issuer's JWKS, fetched from the configured URL, cached, refetched on an unknown kid."""

    def __init__(self, fetch: Callable[[], dict], *, ttl: float = 300.0, min_refetch: float = 5.0) -> None:
        self._fetch, self.ttl, self.min_refetch = fetch, ttl, min_refetch
        self._keys: dict[str, Any] = {}
        self._fetched_at = 0.0
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> JwksCache:
        session = requests.Session()

        def fetch() -> dict:
            response = session.get(url, timeout=5)
            response.raise_for_status()
            return response.json()

        return cls(fetch, **kwargs)

    def key(self, kid: str) -> Any:
        now = time.monotonic()
        with self._lock:
            if kid not in self._keys or now - self._fetched_at > self.ttl:
                if now - self._fetched_at >= self.min_refetch or not self._keys:
                    self._refresh(now)
            key = self._keys.get(kid)
        if key is None:
            raise InvalidToken(f"unknown kid {kid!r}")
        return key

    def _refresh(self, now: float) -> None:
        try:
            data = self._fetch()
        except Exception as err:
            if not self._keys:
                raise InvalidToken(f"JWKS unavailable: {err}") from err
            return
        keyset = KeySet.import_key_set(data)
        self._keys = {k.kid: k for k in keyset.keys if k.kid}
        self._fetched_at = now


def verify_access_token(token: str, jwks: JwksCache, *, issuer: str, audience: str,
                        leeway: int = DEFAULT_LEEWAY, now: float | None = None) -> dict[str, Any]:
    """Verify signature, algorithm, type and claims; return the claims or raise InvalidToken."""
    try:
        compact = jws.extract_compact(token.encode("ascii"))
    except (JoseError, ValueError, UnicodeError) as err:
        raise InvalidToken(f"malformed: {err}") from err
    header = compact.headers()
    if header.get("alg") != TOKEN_ALGORITHM:
        raise InvalidToken(f"algorithm {header.get('alg')!r} refused")
    if str(header.get("typ", "")).lower() not in ("at+jwt", "application/at+jwt"):
        raise InvalidToken("not an access token (typ)")
    if any(name in header for name in _FORBIDDEN_HEADERS):
        raise InvalidToken("key location inside the token refused")
    kid = header.get("kid")
    if not kid:
        raise InvalidToken("no kid")
    key = jwks.key(str(kid))
    try:
        verified = jws.deserialize_compact(token, key, algorithms=[TOKEN_ALGORITHM])
    except JoseError as err:
        raise InvalidToken(f"signature: {err}") from err
    try:
        claims = json.loads(verified.payload)
    except ValueError as err:
        raise InvalidToken("payload is not JSON") from err
    _check_claims(claims, issuer=issuer, audience=audience, leeway=leeway, now=now or time.time())
    return claims


def _check_claims(claims: dict, *, issuer: str, audience: str, leeway: int, now: float) -> None:
    for name in ("iss", "aud", "sub", "exp", "iat", "jti", "client_id"):
        if name not in claims:
            raise InvalidToken(f"claim {name} missing")
    if claims["iss"] != issuer:
        raise InvalidToken("wrong issuer")
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if audience not in audiences:
        raise InvalidToken("wrong audience")
    if not isinstance(claims["exp"], (int, float)) or claims["exp"] < now - leeway:
        raise InvalidToken("expired")
    if "nbf" in claims and claims["nbf"] > now + leeway:
        raise InvalidToken("not yet valid")
    if claims["iat"] > now + leeway:
        raise InvalidToken("issued in the future")


def _jwks() -> JwksCache:
    ext = current_app.extensions
    cache = ext.get("altjung_jwks")
    if cache is None:
        cache = ext["altjung_jwks"] = JwksCache.from_url(ext["altjung"].settings.jwks_url)
    return cache


def authenticate() -> Principal:
    """The verified principal of this request (401 problem when there is none)."""
    if "principal" in g:
        return g.principal
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Bitte melden Sie sich an. / Please sign in (Bearer token required).")
    settings = current_app.extensions["altjung"].settings
    try:
        claims = verify_access_token(token.strip(), _jwks(), issuer=settings.issuer, audience=settings.audience)
    except InvalidToken as err:
        current_app.logger.info("token refused: %s", err)
        raise Unauthorized("Die Anmeldung ist ungültig oder abgelaufen. / Invalid or expired token.") from None
    revoked = current_app.extensions.get("altjung_token_guard")
    if revoked is not None and not revoked(claims):
        raise Unauthorized("Der Zugang ist gesperrt. / Access has been withdrawn.")
    tenant = claims.get("tenant")
    principal = Principal(
        subject=str(claims["sub"]),
        tenant_id=UUID(str(tenant)) if tenant else None,
        roles=frozenset(claims.get("roles") or ()),
        scopes=frozenset(str(claims.get("scope") or "").split()),
        client_id=str(claims["client_id"]),
        claims=claims,
    )
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
        return wrapper

    return decorate


def current_principal() -> Principal:
    return g.principal
