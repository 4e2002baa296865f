"""Opaque tokens (invitations, password resets, refresh tokens, client secrets) and refresh families."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from altjung.identity.security.errors import RefreshTokenRejected

#: 256 bits from the OS CSPRNG, 43 URL-safe characters.
TOKEN_BYTES = 32
DEFAULT_REFRESH_IDLE = timedelta(days=14)
DEFAULT_REFRESH_ABSOLUTE = timedelta(days=30)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """SHA-256, hex. Store this, never the token.

    A fast hash is enough here: slow hashes exist to make guessing low-entropy passwords
    expensive, but these tokens are 256 uniformly random bits, so even a stolen hash leaves
    2^256 candidates to try. Being deterministic and unsalted, the hash is also the lookup key.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    """Constant-time check of a presented token against a stored hash (e.g. a client secret)."""
    return hmac.compare_digest(hash_token(token), stored_hash)


@dataclass(frozen=True, kw_only=True)
class RefreshFamily:
    """All refresh tokens descending from one login; revoked as a whole on reuse."""

    family_id: str
    subject: str
    client_id: str
    tenant: str | None
    scope: str
    created_at: datetime
    expires_at: datetime  # absolute end: no rotation extends it
    revoked_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class RefreshTokenRecord:
    token_hash: str
    family_id: str
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True)
class RefreshGrant:
    """A new refresh token (hand it to the client) and the family it belongs to."""

    token: str
    family: RefreshFamily
    expires_at: datetime


class RefreshTokenStore(Protocol):
    """What the database layer provides."""

    def add_family(self, family: RefreshFamily) -> None: ...
    def get_family(self, family_id: str) -> RefreshFamily | None: ...
    def add_token(self, record: RefreshTokenRecord) -> None: ...
    def get_token(self, token_hash: str) -> RefreshTokenRecord | None: ...

    def mark_used(self, token_hash: str, *, at: datetime) -> bool:
        """Atomically set used_at if still unset; False if it was already used.

        SQL: UPDATE ... SET used_at = :at WHERE token_hash = :h AND used_at IS NULL; rowcount == 1.
        """
        ...

    def revoke_family(self, family_id: str, *, at: datetime) -> None: ...


def _issue(store: RefreshTokenStore, family: RefreshFamily, *, now: datetime, idle: timedelta) -> RefreshGrant:
    token = new_token()
    expires_at = min(now + idle, family.expires_at)
    store.add_token(RefreshTokenRecord(token_hash=hash_token(token), family_id=family.family_id,
                                       issued_at=now, expires_at=expires_at))
    return RefreshGrant(token=token, family=family, expires_at=expires_at)


def start_refresh_family(
    store: RefreshTokenStore, *, subject: str, client_id: str, tenant: str | None, scope: str,
    now: datetime, idle: timedelta = DEFAULT_REFRESH_IDLE, absolute: timedelta = DEFAULT_REFRESH_ABSOLUTE,
) -> RefreshGrant:
    """The first refresh token of a login."""
    family = RefreshFamily(family_id=uuid.uuid4().hex, subject=subject, client_id=client_id, tenant=tenant,
                           scope=scope, created_at=now, expires_at=now + absolute)
    store.add_family(family)
    return _issue(store, family, now=now, idle=idle)


def rotate_refresh_token(
    store: RefreshTokenStore, presented: str, *, client_id: str, now: datetime,
    idle: timedelta = DEFAULT_REFRESH_IDLE,
) -> RefreshGrant:
    """Spend a refresh token and return its successor.

    A token presented a second time means one copy was stolen; we cannot tell which party is
    the thief, so the whole family is revoked (OAuth 2.0 Security BCP, section 4.14.2).
    """
    token_hash = hash_token(presented)
    record = store.get_token(token_hash)
    family = store.get_family(record.family_id) if record else None
    if record is None or family is None:
        raise RefreshTokenRejected("unknown")
    if family.revoked_at is not None:
        raise RefreshTokenRejected("revoked")
    if record.used_at is not None:
        store.revoke_family(family.family_id, at=now)
        raise RefreshTokenRejected("reused")
    if not hmac.compare_digest(family.client_id, client_id):
        store.revoke_family(family.family_id, at=now)
        raise RefreshTokenRejected("wrong_client")
    if now >= record.expires_at or now >= family.expires_at:
        raise RefreshTokenRejected("expired")
    if not store.mark_used(token_hash, at=now):  # lost a race against another use
        store.revoke_family(family.family_id, at=now)
        raise RefreshTokenRejected("reused")
    return _issue(store, family, now=now, idle=idle)


class InMemoryRefreshTokenStore:
    """The store protocol in a dict, for tests and the embedded mode's unit tests."""

    def __init__(self) -> None:
        self.families: dict[str, RefreshFamily] = {}
        self.tokens: dict[str, RefreshTokenRecord] = {}
        self._lock = threading.Lock()

    def add_family(self, family: RefreshFamily) -> None:
        self.families[family.family_id] = family

    def get_family(self, family_id: str) -> RefreshFamily | None:
        return self.families.get(family_id)

    def add_token(self, record: RefreshTokenRecord) -> None:
        self.tokens[record.token_hash] = record

    def get_token(self, token_hash: str) -> RefreshTokenRecord | None:
        return self.tokens.get(token_hash)

    def mark_used(self, token_hash: str, *, at: datetime) -> bool:
        with self._lock:
            record = self.tokens.get(token_hash)
            if record is None or record.used_at is not None:
                return False
            self.tokens[token_hash] = replace(record, used_at=at)
            return True

    def revoke_family(self, family_id: str, *, at: datetime) -> None:
        family = self.families.get(family_id)
        if family is not None and family.revoked_at is None:
            self.families[family_id] = replace(family, revoked_at=at)
