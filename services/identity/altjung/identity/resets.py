"""Password reset by e-mail link: single use, one hour, stored hashed; ends every login of the person."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from altjung.events.catalogue import UserPasswordResetRequested
from altjung.identity.accounts import find_user, hashing, withdraw_all_access
from altjung.identity.audit import audit
from altjung.identity.config import PASSWORD_RESET_MINUTES
from altjung.identity.models import PasswordReset, User
from altjung.identity.security.errors import SecurityError
from altjung.identity.security.passwords import check_password
from altjung.identity.security.secrets import token_matches
from altjung.kit.bus import record
from altjung.kit.bus.models import utcnow
from altjung.kit.db import Database
from altjung.kit.runtime import Runtime


class ResetInvalid(SecurityError):
    """Unknown, used, expired or wrong secret."""


def request_reset(runtime: Runtime, email: str) -> uuid.UUID | None:
    """Record a reset for an active account and announce it; nothing at all for an unknown address."""
    with runtime.unit_of_work() as session:
        user = find_user(session, email)
        if user is None or not user.active:
            return None
        reset = PasswordReset(user_id=user.id, expires_at=utcnow() + dt.timedelta(minutes=PASSWORD_RESET_MINUTES))
        session.add(reset)
        session.flush()
        record(session, UserPasswordResetRequested(reset_id=reset.id, user_id=user.id), platform=True)
        audit(session, "password.reset_requested", actor=user.id, target=reset.id)
        session.commit()
        return reset.id


def find_open(session: Session, reset_id: uuid.UUID, secret: str) -> PasswordReset | None:
    reset = session.get(PasswordReset, reset_id)
    if (reset is None or reset.used_at is not None or reset.token_hash is None or reset.expires_at <= utcnow()
            or not token_matches(secret or "", reset.token_hash)):
        return None
    return reset


def reset_password(db: Database, reset_id: uuid.UUID, secret: str, password: str) -> None:
    with db.session() as session:
        reset = find_open(session, reset_id, secret)
        if reset is None:
            raise ResetInvalid("reset invalid")
        user = session.get(User, reset.user_id)
        check_password(password, email=user.email, user_inputs=[user.display_name])
        user.password_hash = hashing().hash(password)
        reset.used_at, reset.token_hash = utcnow(), None
        withdraw_all_access(session, user.id)
        audit(session, "password.reset", actor=user.id, target=reset.id)
        session.commit()
