"""Forget what no longer protects anything: spent codes, expired refresh tokens, old throttle rows."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from altjung.identity.config import REVOCATION_PUBLISHED
from altjung.identity.models import (
    AccessRevocation,
    AuthorizationCode,
    LoginAttempt,
    PasswordReset,
    RefreshFamilyRow,
    RefreshTokenRow,
)
from altjung.identity.security.throttle import ACCOUNT_POLICY, ADDRESS_POLICY
from altjung.kit.bus.models import utcnow

#: Ended refresh families are kept this long for the audit trail of reuse detection.
KEEP_ENDED_FAMILIES = dt.timedelta(days=30)


def purge(session: Session) -> dict[str, int]:
    """Delete expired rows; returns how many of each. Safe to run at any time (cron, hourly)."""
    now = utcnow()
    window = max(ACCOUNT_POLICY.window, ADDRESS_POLICY.window)
    ended = select(RefreshFamilyRow.family_id).where(or_(
        RefreshFamilyRow.expires_at < now - KEEP_ENDED_FAMILIES,
        RefreshFamilyRow.revoked_at < now - KEEP_ENDED_FAMILIES))
    counts = {
        "authorization_codes": session.execute(delete(AuthorizationCode).where(
            AuthorizationCode.expires_at < now - dt.timedelta(days=1))).rowcount,
        "refresh_tokens": session.execute(delete(RefreshTokenRow).where(or_(
            RefreshTokenRow.expires_at < now, RefreshTokenRow.family_id.in_(ended)))).rowcount,
        "login_attempts": session.execute(delete(LoginAttempt).where(LoginAttempt.at < time.time() - window)).rowcount,
        "access_revocations": session.execute(delete(AccessRevocation).where(
            AccessRevocation.revoked_at < now - REVOCATION_PUBLISHED)).rowcount,
        "password_resets": session.execute(delete(PasswordReset).where(
            PasswordReset.expires_at < now - dt.timedelta(days=1))).rowcount,
    }
    counts["refresh_families"] = session.execute(delete(RefreshFamilyRow).where(
        RefreshFamilyRow.family_id.in_(ended))).rowcount
    session.commit()
    return counts
