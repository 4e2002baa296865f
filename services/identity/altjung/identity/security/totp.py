"""Second factor: RFC 6238 TOTP with single use per time step, and one-time recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime

import pyotp

from altjung.identity.security.errors import CodeRejected

ISSUER = "Alt & Jung"
#: What every authenticator app understands (Google Authenticator ignores anything else).
STEP_SECONDS = 30
DIGITS = 6
DIGEST = hashlib.sha1
#: Accept the previous and the next step for clock drift.
VALID_WINDOW = 1

RECOVERY_CODE_COUNT = 10
#: Lower case letters and digits without 0/o, 1/l/i: easy to read aloud and type.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
#: Three groups of four: 12 symbols of 31, about 59 bits of entropy each.
RECOVERY_GROUPS = 3
RECOVERY_GROUP_LENGTH = 4


def new_totp_secret() -> str:
    """A fresh base32 secret of 160 bits (RFC 4226 recommends the HMAC-SHA1 output size)."""
    return pyotp.random_base32(32)


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, digest=DIGEST, interval=STEP_SECONDS)


def provisioning_uri(secret: str, *, account_name: str, issuer: str = ISSUER) -> str:
    """The otpauth:// URI to show as a QR code when enrolling an authenticator app."""
    return _totp(secret).provisioning_uri(name=account_name, issuer_name=issuer)


def time_step(now: datetime) -> int:
    """The RFC 6238 counter for an aware datetime."""
    return int(now.timestamp()) // STEP_SECONDS


def verify_totp(secret: str, code: str, *, last_used_step: int | None, now: datetime) -> int:
    """Check a code and return its time step: store it as the new `last_used_step`.

    A step at or below `last_used_step` is refused, so each code works once and a code
    older than the last one used never works again. Raise CodeRejected otherwise.
    """
    candidate = "".join(code.split())
    if len(candidate) != DIGITS or not candidate.isascii() or not candidate.isdigit():
        raise CodeRejected("malformed code")
    totp = _totp(secret)
    current = time_step(now)
    floor = -1 if last_used_step is None else last_used_step
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if step > floor and hmac.compare_digest(totp.generate_otp(step), candidate):
            return step
    raise CodeRejected("wrong or already used code")


def _normalize_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch not in " -\t")


def hash_recovery_code(code: str, *, pepper: bytes) -> str:
    """HMAC-SHA256 under the server-side pepper, hex encoded.

    Why not argon2: the codes are uniformly random (59 bits, no dictionary to try), guessing
    online is throttled, and checking one code against ten argon2 hashes would cost about a
    second of CPU per attempt - a lever for denial of service. The pepper lives in the
    service's secret configuration, never in the database, so a database dump alone allows
    no offline guessing at all.
    """
    if len(pepper) < 32:
        raise ValueError("the pepper must have at least 32 bytes")
    digest = hmac.new(pepper, _normalize_recovery_code(code).encode("ascii", "replace"), "sha256")
    return digest.hexdigest()


def generate_recovery_codes(*, pepper: bytes, count: int = RECOVERY_CODE_COUNT) -> tuple[list[str], list[str]]:
    """New codes to show the person once, and their hashes to store (same order)."""
    codes = [
        "-".join(
            "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH))
            for _ in range(RECOVERY_GROUPS)
        )
        for _ in range(count)
    ]
    return codes, [hash_recovery_code(code, pepper=pepper) for code in codes]


def find_recovery_code(code: str, stored_hashes: Sequence[str], *, pepper: bytes) -> str:
    """The stored hash this code matches; delete exactly that row (rowcount 1) to consume it."""
    expected_length = RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH
    if len(_normalize_recovery_code(code)) != expected_length:
        raise CodeRejected("malformed recovery code")
    presented = hash_recovery_code(code, pepper=pepper)
    match = None
    for stored in stored_hashes:  # compare against all, in constant time each
        if hmac.compare_digest(stored, presented):
            match = stored
    if match is None:
        raise CodeRejected("wrong or already used recovery code")
    return match


def consume_recovery_code(code: str, stored_hashes: Sequence[str], *, pepper: bytes) -> list[str]:
    """Verify a recovery code and return the hashes that remain usable."""
    match = find_recovery_code(code, stored_hashes, pepper=pepper)
    remaining = list(stored_hashes)
    remaining.remove(match)
    return remaining
