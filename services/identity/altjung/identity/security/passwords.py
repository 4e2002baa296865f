"""Password hashing with argon2id and the password policy for new passwords."""

from __future__ import annotations

import functools
import secrets
import unicodedata
from collections.abc import Iterable

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from altjung.identity.security.errors import PasswordRejected, Violation

#: RFC 9106's second recommended option ("low memory"), argon2-cffi's default profile: 64 MiB,
#: 3 passes, 4 lanes. That is 3.4x the memory and 1.5x the passes of OWASP's minimum
#: (19 MiB, t=2, p=1); about 95 ms per hash on the 2-core reference machine.
DEFAULT_MEMORY_COST_KIB = 64 * 1024
DEFAULT_TIME_COST = 3
DEFAULT_PARALLELISM = 4
#: OWASP Password Storage Cheat Sheet, argon2id minimum.
OWASP_MIN_MEMORY_COST_KIB = 19 * 1024
OWASP_MIN_TIME_COST = 2

MIN_LENGTH = 12
#: Long enough for any passphrase, short enough that nobody can feed us megabytes to hash.
MAX_LENGTH = 256
#: zxcvbn's 0..4 score; 3 means "safely unguessable" (about 10^10 guesses).
DEFAULT_MIN_SCORE = 3
#: zxcvbn refuses longer input; the strength of a prefix bounds the whole from below.
_ZXCVBN_MAX = 72


def normalize(password: str) -> str:
    """NFKC, as NIST SP 800-63B asks, so the same password typed on any keyboard matches."""
    return unicodedata.normalize("NFKC", password)


class PasswordHashing:
    """argon2id hashing with pinned parameters; old hashes upgrade through `needs_rehash`."""

    def __init__(
        self,
        *,
        memory_cost: int = DEFAULT_MEMORY_COST_KIB,
        time_cost: int = DEFAULT_TIME_COST,
        parallelism: int = DEFAULT_PARALLELISM,
    ) -> None:
        self._hasher = PasswordHasher(
            memory_cost=memory_cost, time_cost=time_cost, parallelism=parallelism,
            hash_len=32, salt_len=16, type=Type.ID,
        )
        self._dummy_hash: str | None = None

    @property
    def parameters(self) -> dict[str, int]:
        p = self._hasher
        return {"memory_cost": p.memory_cost, "time_cost": p.time_cost, "parallelism": p.parallelism}

    def hash(self, password: str) -> str:
        return self._hasher.hash(normalize(password))

    def verify(self, stored_hash: str, password: str) -> bool:
        """True when the password matches; a mismatch or a corrupt hash is False."""
        try:
            return self._hasher.verify(stored_hash, normalize(password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """True when the hash was made with other parameters: rehash it after a good login."""
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True

    def verify_or_dummy(self, stored_hash: str | None, password: str) -> bool:
        """Verify, or do the same work against a dummy hash when the account does not exist."""
        if stored_hash is None:
            if self._dummy_hash is None:
                self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))
            self.verify(self._dummy_hash, password)
            return False
        return self.verify(stored_hash, password)


@functools.cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn's list: the 30,000 most frequent passwords of leaked corpora, shipped offline.
    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def _email_parts(email: str | None) -> list[str]:
    if not email or "@" not in email:
        return []
    local = email.rsplit("@", 1)[0].lower()
    pieces = [p for p in local.replace("_", ".").replace("-", ".").replace("+", ".").split(".") if p]
    return [local, *pieces]


_MESSAGES = {
    "too_short": (f"Das Passwort muss mindestens {MIN_LENGTH} Zeichen lang sein.",
                  f"The password must be at least {MIN_LENGTH} characters long."),
    "too_long": (f"Das Passwort darf höchstens {MAX_LENGTH} Zeichen lang sein.",
                 f"The password must be at most {MAX_LENGTH} characters long."),
    "common": ("Dieses Passwort ist weit verbreitet oder aus Datenlecks bekannt.",
               "This password is common or known from data breaches."),
    "contains_email": ("Das Passwort darf Ihre E-Mail-Adresse nicht enthalten.",
                       "The password must not contain your e-mail address."),
    "too_guessable": ("Das Passwort ist zu leicht zu erraten. Verwenden Sie z. B. mehrere zufällige Wörter.",
                      "The password is too easy to guess. Try several random words, for example."),
}


def _violation(code: str) -> Violation:
    de, en = _MESSAGES[code]
    return Violation(code=code, de=de, en=en)


def password_violations(
    password: str,
    *,
    email: str | None = None,
    user_inputs: Iterable[str] = (),
    min_score: int = DEFAULT_MIN_SCORE,
) -> list[Violation]:
    """Every rule a new password breaks; empty when it is acceptable."""
    pw = normalize(password)
    if len(pw) > MAX_LENGTH:
        return [_violation("too_long")]
    found: list[str] = []
    if len(pw) < MIN_LENGTH:
        found.append("too_short")
    lowered = pw.lower()
    if lowered in _common_passwords():
        found.append("common")
    parts = _email_parts(email)
    if parts and len(parts[0]) >= 3 and parts[0] in lowered:
        found.append("contains_email")
    if not found:
        hints = [*parts, *(normalize(i).lower() for i in user_inputs if i)]
        if zxcvbn(pw[:_ZXCVBN_MAX], user_inputs=hints)["score"] < min_score:
            found.append("too_guessable")
    return [_violation(code) for code in found]


def check_password(password: str, *, email: str | None = None, user_inputs: Iterable[str] = ()) -> None:
    """Raise PasswordRejected with all violations unless the new password is acceptable."""
    violations = password_violations(password, email=email, user_inputs=user_inputs)
    if violations:
        raise PasswordRejected(violations)
