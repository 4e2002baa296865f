"""identity's reactions to other services' events (idempotent: run once per event id by the kit)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from altjung.events import Envelope
from altjung.identity.invitations import invite
from altjung.identity.models import SiteState
from altjung.kit.bus.models import utcnow

__all__ = ["HANDLERS", "invite"]


def _site(session: Session, tenant_id) -> SiteState:
    site = session.get(SiteState, tenant_id) or SiteState(tenant_id_=tenant_id)
    session.add(site)
    return site


def when_tenant_created_invite_coordinator(envelope: Envelope, session: Session) -> None:
    event = envelope.event()
    site = _site(session, event.tenant_id)
    site.name, site.status, site.changed_at = event.name, "active", utcnow()
    if event.first_coordinator_email:
        invite(session, email=event.first_coordinator_email, role="coordinator")


def when_settings_changed_apply_mfa_rule(envelope: Envelope, session: Session) -> None:
    event = envelope.event()
    _site(session, event.tenant_id).mfa_required_for_staff = bool(event.settings.get("mfa_required_for_staff"))


def _set_status(status: str):
    def handler(envelope: Envelope, session: Session) -> None:
        site = _site(session, envelope.event().tenant_id)
        site.status, site.changed_at = status, utcnow()

    handler.__name__ = f"when_tenant_{status}_set_login_state"
    return handler


HANDLERS = {
    "tenant.created": when_tenant_created_invite_coordinator,
    "tenant.suspended": _set_status("suspended"),
    "tenant.reactivated": _set_status("active"),
    "tenant.archived": _set_status("archived"),
    "settings.changed": when_settings_changed_apply_mfa_rule,
}
