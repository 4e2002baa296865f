"""Signing keys and access tokens (RFC 9068 JWTs)."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from altjung.identity.models import SigningKey
from altjung.kit.auth import TOKEN_ALGORITHM
from altjung.kit.bus.models import utcnow
from altjung.kit.settings import Settings

#: Access tokens live minutes, not days.
ACCESS_TOKEN_SECONDS = 600


def active_key(session: Session) -> SigningKey:
    """The key that signs now; created on first use."""
    key = session.scalars(select(SigningKey).where(SigningKey.active.is_(True))).first()
    if key is None:
        generated = RSAKey.generate_key(2048, auto_kid=True)
        key = SigningKey(kid=generated.kid, private_pem=generated.as_pem(private=True).decode(), active=True)
        session.add(key)
        session.commit()
    return key


def jwks(session: Session) -> dict[str, Any]:
    """Public keys: the active one and retired ones whose tokens may still be alive."""
    now = utcnow()
    keys = []
    for row in session.scalars(select(SigningKey)):
        if not row.active and row.retire_until is not None and _aware(row.retire_until) < now:
            continue
        key = RSAKey.import_key(row.private_pem, {"kid": row.kid, "use": "sig", "alg": TOKEN_ALGORITHM})
        keys.append(key.as_dict(private=False))
    return {"keys": keys}


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def mint_access_token(session: Session, settings: Settings, *, subject: str, client_id: str,
                      tenant_id: uuid.UUID | None, roles: list[str], scope: str = "",
                      lifetime: int = ACCESS_TOKEN_SECONDS) -> str:
    """Sign an access token in the RFC 9068 profile."""
    row = active_key(session)
    key = RSAKey.import_key(row.private_pem, {"kid": row.kid})
    now = int(time.time())
    claims = {
        "iss": settings.issuer, "aud": settings.audience, "sub": subject, "client_id": client_id,
        "iat": now, "nbf": now, "exp": now + lifetime, "jti": uuid.uuid4().hex, "scope": scope,
        "tenant": str(tenant_id) if tenant_id else None, "roles": roles,
    }
    header = {"alg": TOKEN_ALGORITHM, "typ": "at+jwt", "kid": row.kid}
    return jwt.encode(header, claims, key, algorithms=[TOKEN_ALGORITHM])


def keyset_for_tests(session: Session) -> KeySet:
    return KeySet.import_key_set(jwks(session))
