"""Invitations to a partner site (tenant-owned) or to a platform role (BaS), and accepting them."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from altjung.events.catalogue import UserActivated, UserInvited
from altjung.identity.accounts import (
    PLATFORM_ROLES,
    SITE_ROLES,
    find_user,
    hashing,
    normalize_email,
    set_membership,
)
from altjung.identity.audit import audit
from altjung.identity.config import INVITATION_DAYS, link_secret
from altjung.identity.models import Invitation, PlatformInvitation, User
from altjung.identity.security.errors import SecurityError
from altjung.identity.security.passwords import check_password
from altjung.identity.security.secrets import hash_token, token_matches
from altjung.kit.bus import record
from altjung.kit.bus.models import utcnow
from altjung.kit.db import Database
from altjung.kit.settings import Settings
from altjung.kit.tenancy import tenant_context, tenant_or_none


class InvitationInvalid(SecurityError):
    """Unknown, used, expired or wrong secret: one answer for all."""


class CurrentPasswordWrong(SecurityError):
    """An existing account accepted an invitation with the wrong password."""


def invite(session: Session, *, email: str, role: str, invited_by: str | None = None) -> Invitation:
    """Invite somebody to the current tenant and announce it (user.invited)."""
    if role not in SITE_ROLES:
        raise ValueError(f"not a site role: {role}")
    invitation = Invitation(email=normalize_email(email), role=role, invited_by=invited_by,
                            expires_at=utcnow() + dt.timedelta(days=INVITATION_DAYS))
    session.add(invitation)
    session.flush()
    record(session, UserInvited(invitation_id=invitation.id, tenant_id=invitation.tenant_id, role=role,
                                expires_at=invitation.expires_at))
    audit(session, "invitation.created", actor=invited_by, site_id=invitation.tenant_id, target=invitation.id,
          role=role)
    return invitation


def invite_to_platform(session: Session, *, email: str, role: str, invited_by: str | None) -> PlatformInvitation:
    if role not in PLATFORM_ROLES:
        raise ValueError(f"not a platform role: {role}")
    invitation = PlatformInvitation(email=normalize_email(email), role=role, invited_by=invited_by,
                                    expires_at=utcnow() + dt.timedelta(days=INVITATION_DAYS))
    session.add(invitation)
    session.flush()
    record(session, UserInvited(invitation_id=invitation.id, tenant_id=None, role=role,
                                expires_at=invitation.expires_at), platform=True)
    audit(session, "invitation.created", actor=invited_by, target=invitation.id, role=role)
    return invitation


def mint_link_secret(settings: Settings, invitation: Invitation | PlatformInvitation) -> str:
    """The link's secret (the same for every delivery of this invitation); only its hash is kept."""
    secret = link_secret(settings, "invitation", invitation.id)
    invitation.token_hash = hash_token(secret)
    return secret


def find_open(session: Session, invitation_id: uuid.UUID, secret: str) -> Invitation | PlatformInvitation:
    """The open invitation the link names. Open the session inside `tenant_context(site)` for a site's
    invitation (row-level security shows no other), with no tenant for a platform invitation."""
    if tenant_or_none() is not None:
        invitation = session.scalars(select(Invitation).where(Invitation.id == invitation_id)).first()
    else:
        invitation = session.get(PlatformInvitation, invitation_id)
    if (invitation is None or invitation.accepted_at is not None or invitation.token_hash is None
            or invitation.expires_at <= utcnow() or not token_matches(secret or "", invitation.token_hash)):
        raise InvitationInvalid("invitation invalid")
    return invitation


def accept_url(issuer: str, invitation: Invitation | PlatformInvitation, secret: str) -> str:
    site = getattr(invitation, "tenant_id", None)
    query = f"site={site}&token={secret}" if site else f"token={secret}"
    return f"{issuer}/invitations/{invitation.id}?{query}"


def accept(db: Database, invitation_id: uuid.UUID, secret: str, *, site_id: uuid.UUID | None, password: str,
           display_name: str = "", current_password: str = "") -> User:
    """Accept an invitation once: a new account sets its password, an existing one confirms its own.

    Everything happens in one transaction bound to the invitation's site (None for platform roles).
    """
    with tenant_context(site_id), db.session() as session:
        invitation = find_open(session, invitation_id, secret)
        user = find_user(session, invitation.email)
        if user is not None and user.active and user.password_hash:
            if not hashing().verify(user.password_hash, current_password):
                raise CurrentPasswordWrong("current password wrong")
        else:
            check_password(password, email=invitation.email, user_inputs=[display_name])
            if user is None:
                user = User(email=invitation.email)
                session.add(user)
            user.password_hash, user.active = hashing().hash(password), True
            user.display_name = display_name.strip()[:200] or user.display_name or invitation.email.split("@")[0]
        session.flush()
        invitation.accepted_at, invitation.token_hash = utcnow(), None
        if site_id is None:
            user.platform_roles = " ".join(sorted(user.platform_role_set | {invitation.role}))
        else:
            set_membership(session, user_id=user.id, site_id=site_id, role=invitation.role)
        audit(session, "invitation.accepted", actor=user.id, site_id=site_id, target=invitation.id,
              role=invitation.role)
        record(session, UserActivated(user_id=user.id, tenant_id=site_id, role=invitation.role),
               tenant_id=site_id, platform=site_id is None)
        session.commit()
        session.refresh(user)
        session.expunge(user)
        return user
