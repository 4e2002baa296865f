"""Access tokens as signed JWTs in the RFC 9068 profile, with tenant and roles."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from joserfc import jwt

from altjung.identity.security.keys import ALGORITHM, SigningKey

#: RFC 9068 section 2.1: the media type of a JWT access token.
TOKEN_TYPE = "at+jwt"
DEFAULT_LIFETIME = timedelta(minutes=10)
ROLES = frozenset({"platform_admin", "federation_viewer", "coordinator", "staff"})
PLATFORM_ROLES = frozenset({"platform_admin", "federation_viewer"})
#: Claims the issuer owns; `extra` may not override them.
RESERVED_CLAIMS = frozenset(
    {"iss", "aud", "sub", "exp", "iat", "nbf", "jti", "client_id", "scope", "tenant", "roles"}
)


def issue_access_token(
    key: SigningKey,
    *,
    issuer: str,
    audience: str | Iterable[str],
    subject: str,
    client_id: str,
    scope: str | Iterable[str],
    tenant: str | None,
    roles: Iterable[str],
    now: datetime,
    lifetime: timedelta = DEFAULT_LIFETIME,
    jti: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """Sign an access token with `key` (the key set's active key).

    `subject` is the account id, or the client id for client credentials (RFC 9068 §2.2).
    `tenant` is the partner site's id, or None for platform roles only.
    """
    if not key.can_sign:
        raise ValueError("this key has no private part and may no longer sign")
    role_list = sorted(set(roles))
    unknown = set(role_list) - ROLES
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    if tenant is None and not set(role_list) <= PLATFORM_ROLES:
        raise ValueError("tenant roles need a tenant")
    if lifetime <= timedelta(0):
        raise ValueError("lifetime must be positive")
    clash = RESERVED_CLAIMS & set(extra or {})
    if clash:
        raise ValueError(f"extra claims may not override {sorted(clash)}")
    issued_at = int(now.timestamp())
    audiences = [audience] if isinstance(audience, str) else list(audience)
    claims: dict[str, Any] = {
        **(extra or {}),
        "iss": issuer,
        "aud": audiences[0] if len(audiences) == 1 else audiences,
        "sub": subject,
        "client_id": client_id,
        "iat": issued_at,
        "nbf": issued_at,
        "exp": issued_at + int(lifetime.total_seconds()),
        "jti": jti or uuid.uuid4().hex,
        "scope": scope if isinstance(scope, str) else " ".join(scope),
        "tenant": tenant,
        "roles": role_list,
    }
    header = {"typ": TOKEN_TYPE, "alg": ALGORITHM, "kid": key.kid}
    return jwt.encode(header, claims, key.key, algorithms=[ALGORITHM])
