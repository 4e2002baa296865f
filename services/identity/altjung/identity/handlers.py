"""identity's reactions to other services' events (idempotent: run once per event id by the kit)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from altjung.events import Envelope
from altjung.events.catalogue import UserInvited
from altjung.identity.models import Invitation, SiteState
from altjung.kit.bus import record
from altjung.kit.bus.models import utcnow

#: How long an invitation link stays valid.
INVITATION_DAYS = 7


def invite(session: Session, *, email: str, role: str) -> Invitation:
    """Create an invitation for the current tenant and announce it (user.invited)."""
    invitation = Invitation(email=email.strip().lower(), role=role,
                            expires_at=utcnow() + dt.timedelta(days=INVITATION_DAYS))
    session.add(invitation)
    session.flush()
    record(session, UserInvited(invitation_id=invitation.id, tenant_id=invitation.tenant_id, role=role,
                                expires_at=invitation.expires_at))
    return invitation


def when_tenant_created_invite_coordinator(envelope: Envelope, session: Session) -> None:
    event = envelope.event()
    site = session.get(SiteState, event.tenant_id) or SiteState(tenant_id_=event.tenant_id)
    site.name, site.status = event.name, "active"
    session.add(site)
    if event.first_coordinator_email:
        invite(session, email=event.first_coordinator_email, role="coordinator")


def _set_status(status: str):
    def handler(envelope: Envelope, session: Session) -> None:
        event = envelope.event()
        site = session.get(SiteState, event.tenant_id) or SiteState(tenant_id_=event.tenant_id)
        site.status = status
        session.add(site)

    handler.__name__ = f"when_tenant_{status}_set_login_state"
    return handler


HANDLERS = {
    "tenant.created": when_tenant_created_invite_coordinator,
    "tenant.suspended": _set_status("suspended"),
    "tenant.reactivated": _set_status("active"),
    "tenant.archived": _set_status("archived"),
    "settings.changed": lambda envelope, session: None,
}
