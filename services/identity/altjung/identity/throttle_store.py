"""The login throttle's attempt store as a table (embedded mode has no Redis)."""

from __future__ import annotations

from sqlalchemy import delete, select

from altjung.identity.models import LoginAttempt
from altjung.kit.db import Database


class SqlAttemptStore:
    """AttemptStore on the service database; every call is its own short transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, key: str, member: str, *, at: float, window: float) -> list[float]:
        with self._db.session() as session:
            session.execute(delete(LoginAttempt).where(LoginAttempt.key == key, LoginAttempt.at <= at - window))
            prior = sorted(session.scalars(select(LoginAttempt.at).where(LoginAttempt.key == key)))
            session.add(LoginAttempt(key=key, member=member, at=at))
            session.commit()
            return prior

    def discard(self, key: str, member: str) -> None:
        with self._db.session() as session:
            session.execute(delete(LoginAttempt).where(LoginAttempt.key == key, LoginAttempt.member == member))
            session.commit()
