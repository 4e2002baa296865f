"""Accounts and access: who may act where, with which roles, and whether MFA is required."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from altjung.identity.config import REVOCATION_PUBLISHED, recovery_pepper, seal, unseal
from altjung.identity.models import (
    AccessRevocation,
    Membership,
    RecoveryCode,
    RefreshFamilyRow,
    SiteAccount,
    SiteState,
    User,
)
from altjung.identity.security import totp
from altjung.identity.security.errors import CodeRejected
from altjung.identity.security.passwords import PasswordHashing
from altjung.kit.bus.models import utcnow
from altjung.kit.db import Database
from altjung.kit.settings import Settings
from altjung.kit.tenancy import tenant_context

SITE_ROLES = ("coordinator", "staff")
PLATFORM_ROLES = ("platform_admin", "federation_viewer")
#: Roles whose holders must use a second factor.
MFA_ROLES = frozenset({"platform_admin", "federation_viewer", "coordinator"})
#: The choice of a login that acts at platform level rather than for one partner site.
PLATFORM = "platform"


@functools.cache
def hashing() -> PasswordHashing:
    return PasswordHashing()


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == normalize_email(email))).first()


@dataclass(frozen=True)
class Grantee:
    """A person acting for one partner site (or at platform level): what an access token is about."""

    user_id: uuid.UUID
    site_id: uuid.UUID | None
    roles: tuple[str, ...]

    @property
    def subject(self) -> str:
        return str(self.user_id)

    def get_user_id(self) -> str:  # Authlib asks for it
        return self.subject


@dataclass(frozen=True)
class LoginOption:
    site_id: uuid.UUID | None
    name: str
    roles: tuple[str, ...]

    @property
    def key(self) -> str:
        return str(self.site_id) if self.site_id else PLATFORM


def site_active(session: Session, site_id: uuid.UUID | None) -> bool:
    if site_id is None:
        return True
    site = session.get(SiteState, site_id)
    return site is not None and site.status != "suspended"


def login_options(db: Database, user: User) -> list[LoginOption]:
    """Where this person may act now: each active partner site of theirs, and the platform."""
    options = []
    if user.active and user.platform_role_set:
        options.append(LoginOption(None, "Bundesarbeitsgemeinschaft Seniorenbüros (BaS)",
                                   tuple(sorted(user.platform_role_set))))
    if not user.active:
        return options
    with db.session() as session:
        sites = [(a.site_id, session.get(SiteState, a.site_id))
                 for a in session.scalars(select(SiteAccount).where(SiteAccount.user_id == user.id))]
    for site_id, site in sites:
        if site is None or site.status == "suspended":
            continue
        membership = membership_of(db, user.id, site_id)
        if membership is not None:
            options.append(LoginOption(site_id, site.name or str(site_id), (membership.role,)))
    return options


def membership_of(db: Database, user_id: uuid.UUID, site_id: uuid.UUID) -> Membership | None:
    """The person's membership at one site, read as that site (row-level security allows nothing else)."""
    with tenant_context(site_id), db.session() as session:
        membership = session.scalars(select(Membership).where(Membership.user_id == user_id)).first()
        if membership is not None:
            session.expunge(membership)
        return membership


def set_membership(session: Session, *, user_id: uuid.UUID, site_id: uuid.UUID, role: str) -> Membership:
    """Add or change a membership in a session bound to that site, with its platform-level index row."""
    membership = session.scalars(select(Membership).where(Membership.user_id == user_id)).first()
    if membership is None:
        membership = Membership(user_id=user_id, role=role, tenant_id=site_id)
        session.add(membership)
    membership.role = role
    if session.get(SiteAccount, (user_id, site_id)) is None:
        session.add(SiteAccount(user_id=user_id, site_id=site_id))
    return membership


def remove_membership(session: Session, membership: Membership) -> None:
    index = session.get(SiteAccount, (membership.user_id, membership.tenant_id))
    if index is not None:
        session.delete(index)
    session.delete(membership)


def grantee_for(db: Database, user_id: uuid.UUID, site_id: uuid.UUID | None) -> Grantee | None:
    """The person's roles at that site now, or None when they no longer have access there."""
    with db.session() as session:
        user = session.get(User, user_id)
        if user is None:
            return None
        session.expunge(user)
    for option in login_options(db, user):
        if option.site_id == site_id:
            return Grantee(user.id, site_id, option.roles)
    return None


def mfa_required(session: Session, user: User, option: LoginOption) -> bool:
    if user.totp_enabled_at is not None or MFA_ROLES & set(option.roles):
        return True
    if "staff" in option.roles and option.site_id is not None:
        site = session.get(SiteState, option.site_id)
        return bool(site and site.mfa_required_for_staff)
    return False


def begin_totp_enrolment(session: Session, settings: Settings, user: User) -> str:
    """A new secret, kept unconfirmed (encrypted) until the person proves their app has it."""
    secret = totp.new_totp_secret()
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = seal(settings, secret), None, None
    return secret


def pending_totp_secret(settings: Settings, user: User) -> str | None:
    return unseal(settings, user.totp_secret) if user.totp_secret else None


def check_totp(settings: Settings, user: User, code: str) -> None:
    """Accept a TOTP code once (raise CodeRejected otherwise); records the used time step."""
    secret = pending_totp_secret(settings, user)
    if secret is None:
        raise CodeRejected("no secret")
    user.totp_last_step = totp.verify_totp(secret, code, last_used_step=user.totp_last_step, now=utcnow())


def confirm_totp(session: Session, settings: Settings, user: User, code: str) -> list[str]:
    """Finish enrolment with a first code; returns fresh recovery codes to show once."""
    check_totp(settings, user, code)
    user.totp_enabled_at = utcnow()
    codes, hashes = totp.generate_recovery_codes(pepper=recovery_pepper(settings))
    session.query(RecoveryCode).filter(RecoveryCode.user_id == user.id).delete()
    session.add_all(RecoveryCode(user_id=user.id, code_hash=h) for h in hashes)
    return codes


def use_recovery_code(session: Session, settings: Settings, user: User, code: str) -> None:
    rows = list(session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)))
    match = totp.find_recovery_code(code, [r.code_hash for r in rows], pepper=recovery_pepper(settings))
    deleted = session.query(RecoveryCode).filter(RecoveryCode.user_id == user.id,
                                                 RecoveryCode.code_hash == match).delete()
    if deleted != 1:
        raise CodeRejected("already used")


def withdraw_access(session: Session, *, user_id: uuid.UUID, site_id: uuid.UUID | None) -> int:
    """End a person's access at one site (None: platform) now: refresh tokens revoked, access tokens
    refused by every service through the access status. Returns the number of families revoked."""
    now = utcnow()
    site = str(site_id) if site_id else None
    condition = [RefreshFamilyRow.subject == str(user_id), RefreshFamilyRow.revoked_at.is_(None)]
    condition.append(RefreshFamilyRow.site_id == site if site else RefreshFamilyRow.site_id.is_(None))
    result = session.execute(update(RefreshFamilyRow).where(*condition).values(revoked_at=now))
    session.add(AccessRevocation(subject=str(user_id), site_id=site or "", revoked_at=now))
    return result.rowcount or 0


def withdraw_all_access(session: Session, user_id: uuid.UUID) -> None:
    """After a password reset: every login of the person ends."""
    now = utcnow()
    session.execute(update(RefreshFamilyRow).where(RefreshFamilyRow.subject == str(user_id),
                                                   RefreshFamilyRow.revoked_at.is_(None)).values(revoked_at=now))
    session.add(AccessRevocation(subject=str(user_id), site_id="*", revoked_at=now))


def access_status(session: Session) -> dict:
    """The document every service's kit checks tokens against (see altjung.kit.tokens.status)."""
    since = utcnow() - REVOCATION_PUBLISHED
    suspended = [str(s.tenant_id_) for s in session.scalars(select(SiteState).where(SiteState.status == "suspended"))]
    revoked = []
    for row in session.scalars(select(AccessRevocation).where(AccessRevocation.revoked_at >= since)):
        revoked.append({"sub": row.subject, "tenant": row.site_id or None, "before": row.revoked_at.timestamp()})
    return {"suspended_sites": suspended, "revoked": revoked}


def aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
