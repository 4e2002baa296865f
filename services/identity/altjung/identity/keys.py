"""The signing keys in the database, the JWKS, and access tokens (RFC 9068 JWTs) signed with them."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from typing import Any

from joserfc import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

from altjung.identity.config import ACCESS_TOKEN_SECONDS, key_password
from altjung.identity.models import SigningKey as SigningKeyRow
from altjung.identity.security.keys import DEFAULT_RETAIN, KeySet, SigningKey
from altjung.identity.security.tokens import TOKEN_TYPE
from altjung.kit.auth import TOKEN_ALGORITHM
from altjung.kit.bus.models import utcnow
from altjung.kit.settings import Settings

__all__ = ["ACCESS_TOKEN_SECONDS", "jwks", "load_keyset", "mint_access_token", "rotate_keys", "signing_key"]

#: A process re-reads the keys this often, so a rotation elsewhere reaches it in time.
RELOAD_SECONDS = 60.0
#: A new key is published this long before it signs: verifiers refresh their JWKS cache (TTL 300 s) first.
ACTIVATE_AFTER = dt.timedelta(seconds=330)

log = logging.getLogger("altjung.identity.keys")

_CACHE: dict[str, tuple[float, KeySet]] = {}
_LOCK = threading.Lock()


def _to_keyset(rows: list[SigningKeyRow], settings: Settings) -> KeySet:
    password = key_password(settings)
    keys = []
    for row in rows:
        record = {"kid": row.kid, "pem": row.private_pem, "created_at": row.created_at.isoformat(),
                  "active_from": (row.active_from or row.created_at).isoformat(),
                  "retire_until": row.retire_until.isoformat() if row.retire_until else None}
        public_only = "PRIVATE" not in row.private_pem
        try:
            keys.append(SigningKey.from_record(record, password=None if public_only else password))
        except (ValueError, TypeError):  # another secret key, or a key of the walking skeleton
            log.warning("signing key %s cannot be read and is ignored", row.kid)
    return KeySet(keys, retain=DEFAULT_RETAIN)


def _save(session: Session, keyset: KeySet, settings: Settings) -> None:
    password = key_password(settings)
    existing = {row.kid: row for row in session.scalars(select(SigningKeyRow))}
    live = set()
    for key in keyset.keys:
        live.add(key.kid)
        row = existing.get(key.kid) or SigningKeyRow(kid=key.kid, created_at=key.created_at)
        row.private_pem = key.pem(password=password if key.can_sign else None).decode("ascii")
        row.active_from, row.retire_until, row.active = key.active_from, key.retire_until, key.can_sign
        session.add(row)
    for kid, row in existing.items():
        if kid not in live:
            session.delete(row)


def load_keyset(session: Session, settings: Settings, *, fresh: bool = False) -> KeySet:
    """The key set, from a per-process cache; the first call ever creates the first key."""
    now = time.monotonic()
    with _LOCK:
        cached = _CACHE.get(settings.database_url)
        if cached and not fresh and now - cached[0] < RELOAD_SECONDS:
            return cached[1]
        keyset = _to_keyset(list(session.scalars(select(SigningKeyRow))), settings)
        if not any(k.can_sign for k in keyset.keys):
            keyset.rotate(utcnow())
            _save(session, keyset, settings)
            session.commit()
        _CACHE[settings.database_url] = (now, keyset)
        return keyset


def rotate_keys(session: Session, settings: Settings, *, activate_after: dt.timedelta = ACTIVATE_AFTER) -> SigningKey:
    """Make a new key (published now, signing after `activate_after`); old keys stay published until
    their tokens have expired, then vanish."""
    keyset = load_keyset(session, settings, fresh=True)
    now = utcnow()
    keyset.prune(now)
    new = keyset.rotate(now, activate_after=activate_after)
    _save(session, keyset, settings)
    session.commit()
    with _LOCK:
        _CACHE.pop(settings.database_url, None)
    return new


def signing_key(session: Session, settings: Settings) -> SigningKey:
    return load_keyset(session, settings).active(utcnow())


def jwks(session: Session, settings: Settings | None = None) -> dict[str, Any]:
    """Public keys: the active one, the next one, and replaced ones whose tokens may still be alive."""
    from altjung.kit.runtime import current_runtime

    settings = settings or current_runtime().settings
    return load_keyset(session, settings).published(utcnow())


def mint_access_token(session: Session, settings: Settings, *, subject: str, client_id: str,
                      tenant_id: uuid.UUID | None, roles: list[str], scope: str = "",
                      lifetime: int = ACCESS_TOKEN_SECONDS) -> str:
    """Sign an access token with the real key, without the issuer's role rules (tests, dev tooling)."""
    key = signing_key(session, settings)
    now = int(time.time())
    claims = {
        "iss": settings.issuer, "aud": settings.audience, "sub": subject, "client_id": client_id,
        "iat": now, "nbf": now, "exp": now + lifetime, "jti": uuid.uuid4().hex, "scope": scope,
        "tenant": str(tenant_id) if tenant_id else None, "roles": roles,
    }
    header = {"alg": TOKEN_ALGORITHM, "typ": TOKEN_TYPE, "kid": key.kid}
    return jwt.encode(header, claims, key.key, algorithms=[TOKEN_ALGORITHM])
