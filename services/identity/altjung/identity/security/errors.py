"""The one shallow error hierarchy of the security core (the token verifier keeps its own)."""

from __future__ import annotations

from dataclasses import dataclass


class SecurityError(Exception):
    """Root of every error the security core raises on purpose."""


@dataclass(frozen=True)
class Violation:
    """One broken password rule, with a stable code and messages for the UI."""

    code: str
    de: str
    en: str


class PasswordRejected(SecurityError):
    """A new password breaks one or more rules of the policy."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(", ".join(v.code for v in violations))
        self.violations = violations


class CodeRejected(SecurityError):
    """A TOTP or recovery code is wrong, malformed or already used."""


class RefreshTokenRejected(SecurityError):
    """A refresh token is unknown, expired, revoked, of another client or replayed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
