"""The security core's refresh-token store on the database (one short transaction per call)."""

from __future__ import annotations

from sqlalchemy import update

from altjung.identity.models import RefreshFamilyRow, RefreshTokenRow
from altjung.identity.security.secrets import RefreshFamily, RefreshTokenRecord
from altjung.kit.db import Database


class SqlRefreshTokenStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add_family(self, family: RefreshFamily) -> None:
        with self._db.session() as session:
            session.add(RefreshFamilyRow(family_id=family.family_id, subject=family.subject,
                                         client_id=family.client_id, site_id=family.tenant, scope=family.scope,
                                         created_at=family.created_at, expires_at=family.expires_at))
            session.commit()

    def get_family(self, family_id: str) -> RefreshFamily | None:
        with self._db.session() as session:
            row = session.get(RefreshFamilyRow, family_id)
            if row is None:
                return None
            return RefreshFamily(family_id=row.family_id, subject=row.subject, client_id=row.client_id,
                                 tenant=row.site_id, scope=row.scope, created_at=row.created_at,
                                 expires_at=row.expires_at, revoked_at=row.revoked_at)

    def add_token(self, record: RefreshTokenRecord) -> None:
        with self._db.session() as session:
            session.add(RefreshTokenRow(token_hash=record.token_hash, family_id=record.family_id,
                                        issued_at=record.issued_at, expires_at=record.expires_at))
            session.commit()

    def get_token(self, token_hash: str) -> RefreshTokenRecord | None:
        with self._db.session() as session:
            row = session.get(RefreshTokenRow, token_hash)
            if row is None:
                return None
            return RefreshTokenRecord(token_hash=row.token_hash, family_id=row.family_id, issued_at=row.issued_at,
                                      expires_at=row.expires_at, used_at=row.used_at)

    def mark_used(self, token_hash: str, *, at) -> bool:
        with self._db.session() as session:
            result = session.execute(update(RefreshTokenRow).where(
                RefreshTokenRow.token_hash == token_hash, RefreshTokenRow.used_at.is_(None)).values(used_at=at))
            session.commit()
            return result.rowcount == 1

    def revoke_family(self, family_id: str, *, at) -> None:
        with self._db.session() as session:
            session.execute(update(RefreshFamilyRow).where(
                RefreshFamilyRow.family_id == family_id, RefreshFamilyRow.revoked_at.is_(None)).values(revoked_at=at))
            session.commit()
