"""RS256 signing keys with a kid, their storage form, and the rotating key set behind the JWKS."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from joserfc.jwk import RSAKey

#: Pinned. RS256 is the one algorithm every OpenID Connect client must support, and RSA
#: verification (done by every service on every request) is cheaper than ECDSA's.
ALGORITHM = "RS256"
#: NIST SP 800-57 rates 3072-bit RSA as 128-bit security, good beyond 2030.
DEFAULT_KEY_SIZE = 3072
MIN_KEY_SIZE = 2048
#: How long a replaced key stays published: at least the longest lifetime of any token it
#: signed (access and ID tokens) plus the verifiers' leeway.
DEFAULT_RETAIN = timedelta(hours=1)


@dataclasses.dataclass(frozen=True, kw_only=True)
class SigningKey:
    """One key pair. `kid` is its RFC 7638 thumbprint; it signs from `active_from` on."""

    kid: str
    key: RSAKey  # private while it may sign; public only once superseded
    created_at: datetime
    active_from: datetime
    retire_until: datetime | None = None  # unpublish after this; None while current

    @classmethod
    def generate(cls, now: datetime, *, key_size: int = DEFAULT_KEY_SIZE,
                 active_from: datetime | None = None) -> SigningKey:
        if key_size < MIN_KEY_SIZE:
            raise ValueError(f"RSA keys need at least {MIN_KEY_SIZE} bits")
        key = RSAKey.generate_key(key_size, private=True)
        return cls(kid=key.thumbprint(), key=key, created_at=now, active_from=active_from or now)

    @property
    def can_sign(self) -> bool:
        return self.key.is_private

    def public_jwk(self) -> dict[str, Any]:
        """The public part only, as published in the JWKS."""
        return {**self.key.as_dict(private=False), "kid": self.kid, "use": "sig", "alg": ALGORITHM}

    def private_jwk(self) -> dict[str, Any]:
        return {**self.key.as_dict(private=True), "kid": self.kid, "use": "sig", "alg": ALGORITHM}

    def pem(self, *, password: bytes | None = None) -> bytes:
        """PKCS#8 private key (encrypted when a password is given), or SPKI once public only."""
        if not self.can_sign:
            return self.key.as_pem(private=False)
        return self.key.as_pem(private=True, password=password.decode() if password else None)

    def without_private_part(self) -> SigningKey:
        return dataclasses.replace(self, key=RSAKey.import_key(self.key.as_dict(private=False)))

    def to_record(self, *, password: bytes | None = None) -> dict[str, Any]:
        """A JSON-ready row for the key store; encrypt the PEM at rest with `password`."""
        return {
            "kid": self.kid, "alg": ALGORITHM, "pem": self.pem(password=password).decode("ascii"),
            "created_at": self.created_at.isoformat(), "active_from": self.active_from.isoformat(),
            "retire_until": self.retire_until.isoformat() if self.retire_until else None,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any], *, password: bytes | None = None) -> SigningKey:
        if record.get("alg", ALGORITHM) != ALGORITHM:
            raise ValueError(f"unsupported key algorithm {record['alg']!r}")
        key = RSAKey.import_key(record["pem"].encode("ascii"), password=password)
        if key.thumbprint() != record["kid"]:
            raise ValueError("kid does not match the key's thumbprint")
        retire = record.get("retire_until")
        created_at = datetime.fromisoformat(record["created_at"])
        return cls(
            kid=record["kid"], key=key, created_at=created_at,
            active_from=datetime.fromisoformat(record["active_from"]) if record.get("active_from") else created_at,
            retire_until=datetime.fromisoformat(retire) if retire else None,
        )

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, Any], *, created_at: datetime,
                 active_from: datetime | None = None) -> SigningKey:
        key = RSAKey.import_key(dict(jwk))
        return cls(kid=key.thumbprint(), key=key, created_at=created_at, active_from=active_from or created_at)


class KeySet:
    """One active signing key plus replaced keys still published until their tokens expire."""

    def __init__(self, keys: Iterable[SigningKey] = (), *, retain: timedelta = DEFAULT_RETAIN,
                 key_size: int = DEFAULT_KEY_SIZE) -> None:
        self._keys = list(keys)
        self._retain = retain
        self._key_size = key_size

    @property
    def keys(self) -> tuple[SigningKey, ...]:
        return tuple(self._keys)

    def active(self, now: datetime) -> SigningKey:
        """The key to sign with now: the newest one already active."""
        candidates = [(k.active_from, i) for i, k in enumerate(self._keys) if k.can_sign and k.active_from <= now]
        if not candidates:
            raise LookupError("no active signing key: rotate() first")
        return self._keys[max(candidates)[1]]  # on a tie, the key added last

    def rotate(self, now: datetime, *, activate_after: timedelta = timedelta(0)) -> SigningKey:
        """Make a new signing key; every current key is unpublished `retain` after it takes over.

        With `activate_after` at least the verifiers' JWKS cache TTL, the new key is published
        before it signs anything, so no verifier ever meets an unknown kid.
        """
        new = SigningKey.generate(now, key_size=self._key_size, active_from=now + activate_after)
        until = new.active_from + self._retain
        self._keys = [k if k.retire_until else dataclasses.replace(k, retire_until=until) for k in self._keys]
        self._keys.append(new)
        return new

    def prune(self, now: datetime) -> None:
        """Forget keys past `retire_until` and the private part of keys that no longer sign."""
        current = self.active(now) if any(k.can_sign and k.active_from <= now for k in self._keys) else None
        kept = []
        for key in self._keys:
            if key.retire_until is not None and key.retire_until <= now:
                continue
            superseded = current is not None and key.kid != current.kid and key.active_from <= now
            kept.append(key.without_private_part() if superseded and key.can_sign else key)
        self._keys = kept

    def published(self, now: datetime) -> dict[str, list[dict[str, Any]]]:
        """The JWKS document: public parts of every key not yet past `retire_until`."""
        live = [k for k in self._keys if k.retire_until is None or k.retire_until > now]
        live.sort(key=lambda k: k.active_from, reverse=True)
        return {"keys": [k.public_jwk() for k in live]}
