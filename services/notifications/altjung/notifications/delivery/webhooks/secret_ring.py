"""Endpoint signing secrets: generation, encryption at rest and the rotation ring."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from altjung.notifications.delivery.errors import SecretUnreadable

#: Prefix Standard Webhooks gives base64 signing secrets.
SECRET_PREFIX = "whsec_"
#: Random bytes in a new secret; the specification asks for 24 to 64.
DEFAULT_SECRET_BYTES = 32
#: How long the previous secret keeps signing after a rotation (Svix uses 24 hours).
DEFAULT_ROTATION_OVERLAP = timedelta(hours=24)

#: One Fernet key, or several: the first encrypts, all of them decrypt.
EncryptionKeys = str | Sequence[str]


def generate_secret(nbytes: int = DEFAULT_SECRET_BYTES) -> str:
    """A new `whsec_` secret of `nbytes` random bytes."""
    if not 24 <= nbytes <= 64:
        raise ValueError("a webhook secret has 24 to 64 random bytes")
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(nbytes)).decode("ascii")


def generate_encryption_key() -> str:
    """A new Fernet key for the configuration that encrypts secrets at rest."""
    return Fernet.generate_key().decode("ascii")


def _fernet(keys: EncryptionKeys) -> MultiFernet:
    key_list = [keys] if isinstance(keys, str) else list(keys)
    if not key_list:
        raise ValueError("at least one encryption key is needed")
    return MultiFernet([Fernet(key) for key in key_list])


def encrypt_secret(secret: str, *, keys: EncryptionKeys) -> str:
    """Encrypt a secret for storage with the first of `keys`."""
    return _fernet(keys).encrypt(secret.encode("utf-8")).decode("ascii")


def decrypt_secret(token: str, *, keys: EncryptionKeys) -> str:
    """Decrypt a stored secret with whichever of `keys` fits."""
    try:
        return _fernet(keys).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise SecretUnreadable("no configured key decrypts this webhook secret") from exc


def reencrypt_secret(token: str, *, keys: EncryptionKeys) -> str:
    """Re-encrypt a stored secret under the first of `keys`, for retiring an old key."""
    try:
        return _fernet(keys).rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise SecretUnreadable("no configured key decrypts this webhook secret") from exc


@dataclass(frozen=True, kw_only=True)
class SecretRing:
    """An endpoint's secrets: the current one and, while rotating, the previous one."""

    current: str
    previous: str | None = None
    previous_valid_until: datetime | None = None

    def __post_init__(self) -> None:
        if (self.previous is None) != (self.previous_valid_until is None):
            raise ValueError("a previous secret needs a time until which it stays valid")
        if self.previous_valid_until is not None and self.previous_valid_until.tzinfo is None:
            raise ValueError("previous_valid_until must be timezone-aware")

    def valid_at(self, now: datetime) -> tuple[str, ...]:
        """The secrets that sign a delivery made at `now`, current first."""
        until = self.previous_valid_until
        if self.previous is not None and until is not None and now < until:
            return (self.current, self.previous)
        return (self.current,)

    def rotated(self, new_secret: str, *, now: datetime,
                overlap: timedelta = DEFAULT_ROTATION_OVERLAP) -> SecretRing:
        """The ring after rotating to `new_secret`; the current secret signs on for `overlap`."""
        return SecretRing(current=new_secret, previous=self.current,
                          previous_valid_until=now + overlap)

    @classmethod
    def decrypt(cls, *, current: str, previous: str | None = None,
                previous_valid_until: datetime | None = None,
                keys: EncryptionKeys) -> SecretRing:
        """The ring of an endpoint row whose secrets are stored encrypted."""
        return cls(
            current=decrypt_secret(current, keys=keys),
            previous=None if previous is None else decrypt_secret(previous, keys=keys),
            previous_valid_until=None if previous is None else previous_valid_until,
        )
