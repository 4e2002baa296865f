"""identity's tables.

Tenant-owned rows (memberships, site invitations) carry `tenant_id` and are scoped by the kit.
Rows that may belong to no partner site (platform invitations, clients, refresh families, the audit
log) name their site `site_id` and are filtered explicitly by the code that reads them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid, event
from sqlalchemy.orm import Mapped, mapped_column

from altjung.kit.bus.models import utcnow
from altjung.kit.db import UtcDateTime, make_base
from altjung.kit.tenancy import TenantScoped

Base = make_base()


class SigningKey(Base):
    """An RS256 key pair (private part encrypted at rest); replaced keys stay published until retire_until."""

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    private_pem: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    active: Mapped[bool] = mapped_column(default=True)
    active_from: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    retire_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class User(Base):
    """A person with an account (platform level: one account may serve several partner sites)."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(Text)
    platform_roles: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: The TOTP secret, encrypted with the service's secret key; None until enrolment is confirmed.
    totp_secret: Mapped[str | None] = mapped_column(Text)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    totp_enabled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    @property
    def platform_role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.platform_roles.split() if r)


class RecoveryCode(Base):
    """One unused MFA recovery code (HMAC under a server-side pepper); deleted when used."""

    __tablename__ = "recovery_codes"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    code_hash: Mapped[str] = mapped_column(String(64), nullable=False)


class Membership(TenantScoped, Base):
    """A user's role at one partner site."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), nullable=False)
    role: Mapped[str] = mapped_column(String(40), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class SiteAccount(Base):
    """Platform-level index: which partner sites a person belongs to (the role lives in Membership,
    which row-level security keeps per site). Login reads this, then each site's membership."""

    __tablename__ = "site_accounts"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    site_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


class InvitationColumns:
    """What every invitation has: who, which role, the hashed link secret, its life."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    role: Mapped[str] = mapped_column(String(40), nullable=False)
    token_hash: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    invited_by: Mapped[str | None] = mapped_column(String(64))


class Invitation(InvitationColumns, TenantScoped, Base):
    """An invitation to a partner site. The link's secret is derived when the mail is sent, stored hashed."""

    __tablename__ = "invitations"


class PlatformInvitation(InvitationColumns, Base):
    """An invitation of a BaS colleague to a platform role: no partner site, so no tenant_id."""

    __tablename__ = "platform_invitations"


class PasswordReset(Base):
    """A requested password reset; its link's secret is minted when the mail is sent, stored hashed."""

    __tablename__ = "password_resets"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    token_hash: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class SiteState(Base):
    """What identity knows of a partner site: its name and whether it may log in (from tenant events)."""

    __tablename__ = "site_states"

    tenant_id_: Mapped[uuid.UUID] = mapped_column("site_id", Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="active")
    mfa_required_for_staff: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class OAuthClient(Base):
    """A registered OAuth client: the portal (public, PKCE) or a partner's integration (secret, one site)."""

    __tablename__ = "oauth_clients"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    owner_site_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    redirect_uris: Mapped[str] = mapped_column(Text, default="")
    grant_types: Mapped[str] = mapped_column(String(200), default="")
    scope: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class AuthorizationCode(Base):
    """A one-time authorization code (stored hashed), bound to client, redirect URI and PKCE challenge."""

    __tablename__ = "authorization_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), nullable=False)
    redirect_uri: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    site_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    code_challenge: Mapped[str | None] = mapped_column(String(128))
    code_challenge_method: Mapped[str | None] = mapped_column(String(10))
    auth_time: Mapped[int] = mapped_column(Integer, default=0)
    #: OIDC: the client's nonce and how the person authenticated (RFC 8176: pwd, otp).
    nonce: Mapped[str | None] = mapped_column(String(255))
    amr: Mapped[str] = mapped_column(String(40), default="")
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    #: The refresh family the code's exchange started: revoked if the code is replayed.
    family_id: Mapped[str | None] = mapped_column(String(32))


class RefreshFamilyRow(Base):
    """All refresh tokens descending from one login; revoked as a whole on reuse or removal."""

    __tablename__ = "refresh_families"

    family_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    subject: Mapped[str] = mapped_column(String(64), index=True, nullable=False)
    client_id: Mapped[str] = mapped_column(String(64), nullable=False)
    site_id: Mapped[str | None] = mapped_column(String(36))
    scope: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class RefreshTokenRow(Base):
    """One refresh token (SHA-256 of it); used once, then its successor takes over."""

    __tablename__ = "refresh_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[str] = mapped_column(ForeignKey("refresh_families.family_id"), index=True, nullable=False)
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class LoginAttempt(Base):
    """A login attempt counted against an account key or an address key (the throttle's store)."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(120), nullable=False)
    member: Mapped[str] = mapped_column(String(32), nullable=False)
    at: Mapped[float] = mapped_column(Float, nullable=False)


class AccessRevocation(Base):
    """Tokens of this subject at this site issued up to revoked_at no longer count (published briefly)."""

    __tablename__ = "access_revocations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    subject: Mapped[str] = mapped_column(String(64), nullable=False)
    site_id: Mapped[str] = mapped_column(String(36), default="")
    revoked_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True, nullable=False)


class AuditEvent(Base):
    """One entry of the append-only audit log: who did what, where, when, from which address."""

    __tablename__ = "audit_events"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True, nullable=False)
    action: Mapped[str] = mapped_column(String(60), nullable=False)
    actor: Mapped[str | None] = mapped_column(String(64))
    site_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    address: Mapped[str | None] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AuditLogIsAppendOnly(RuntimeError):
    """Somebody tried to change or delete an audit entry."""


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_audit_change(_mapper: object, _connection: object, _target: object) -> None:
    raise AuditLogIsAppendOnly("audit entries cannot be changed")
