"""notifications' reactions to events: queue webhooks and e-mails in the consuming transaction.

Nothing here calls out: each handler writes delivery or mail rows and their jobs, which the
scheduler works after the commit (and wakes up for at once).
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from altjung.events import Envelope
from altjung.kit.bus.consume import active_runtime
from altjung.notifications import deliveries, mails, schedule
from altjung.notifications.models import Endpoint, SiteConfig, Tandem
from altjung.notifications.notifier import notifier_for


def _wake(session: Session) -> None:
    notifier_for(active_runtime()).wake_after_commit(session)


def _site(session: Session) -> SiteConfig:
    site = session.scalars(select(SiteConfig)).first()
    if site is None:
        site = SiteConfig(name="", settings_version=0)
        session.add(site)
    return site


def when_event_queue_webhooks(envelope: Envelope, session: Session) -> None:
    """Every endpoint of the site that wants this type gets a delivery."""
    if envelope.tenant_id is None:
        return
    if deliveries.queue(session, envelope.tenant_id, envelope.to_dict()):
        _wake(session)


def when_patenschaft_started_queue_webhooks(envelope: Envelope, session: Session) -> None:
    event = envelope.event()
    if session.scalars(select(Tandem).where(Tandem.patenschaft_id == event.patenschaft_id)).first() is None:
        session.add(Tandem(patenschaft_id=event.patenschaft_id, mentor_id=event.mentor_id, mentee_id=event.mentee_id))
    when_event_queue_webhooks(envelope, session)


def when_person_erased_send_erasure_notices(envelope: Envelope, session: Session) -> None:
    """Endpoints that received the person's contact get a notice with it; the others the plain event."""
    if envelope.tenant_id is None:
        return
    data = envelope.to_dict()
    person_id = UUID(str(envelope.payload["person_id"]))
    noticed = deliveries.queue_erasure_notices(session, envelope.tenant_id, data, person_id)
    others = [e for e in session.scalars(select(Endpoint).where(Endpoint.enabled.is_(True)))
              if e.wants(envelope.type) and e.id not in noticed]
    deliveries.queue(session, envelope.tenant_id, data, endpoints=others)
    _wake(session)


def when_checkin_overdue_remind_coordinators(envelope: Envelope, session: Session) -> None:
    event = envelope.event()
    runtime = active_runtime()
    mails.add_overdue_tandem(session, envelope.tenant_id, event.period, event.patenschaft_id,
                             event.due_since.isoformat(), notifier_for(runtime).config.digest_delay)
    when_event_queue_webhooks(envelope, session)
    _wake(session)


def when_user_invited_send_invitation(envelope: Envelope, session: Session) -> None:
    event = envelope.event()
    key = f"invitation:{event.invitation_id}"
    params = {"invitation_id": str(event.invitation_id)}
    tenant = envelope.tenant_id or event.tenant_id
    if tenant is None:  # a BaS colleague: no site
        mails.queue_platform_mail(session, "invitation", key, params)
    else:
        mails.queue_site_mail(session, tenant, "invitation", key, params)
    _wake(session)


def when_password_reset_requested_send_link(envelope: Envelope, session: Session) -> None:
    event = envelope.event()
    mails.queue_platform_mail(session, "password_reset", f"password_reset:{event.reset_id}",
                              {"reset_id": str(event.reset_id)})
    _wake(session)


def when_tenant_created_remember_site(envelope: Envelope, session: Session) -> None:
    event = envelope.event()
    site = _site(session)
    site.name = event.name


def when_settings_changed_remember_sender(envelope: Envelope, session: Session) -> None:
    event = envelope.event()
    site = _site(session)
    if event.version <= (site.settings_version or 0):
        return  # an older document arriving late
    site.settings_version = event.version
    site.display_name = event.settings.get("display_name") or None
    site.contact_email = event.settings.get("contact_email") or None


def when_tenant_reactivated_resume(envelope: Envelope, session: Session) -> None:
    """Paused deliveries and mails of the site are due at once (the kit recorded the status first)."""
    notifier = notifier_for(active_runtime())
    notifier.forget_status(session, envelope.event().tenant_id)
    schedule.resume_site(session, envelope.event().tenant_id)
    notifier.wake_after_commit(session)


def when_tenant_paused_stop_sending(envelope: Envelope, session: Session) -> None:
    """The kit records the status (suspended, archived); the scheduler pauses the site's work from now."""
    notifier_for(active_runtime()).forget_status(session, envelope.event().tenant_id)


HANDLERS = {
    "tenant.created": when_tenant_created_remember_site,
    "tenant.updated": when_tenant_created_remember_site,
    "tenant.suspended": when_tenant_paused_stop_sending,
    "tenant.reactivated": when_tenant_reactivated_resume,
    "tenant.archived": when_tenant_paused_stop_sending,
    "settings.changed": when_settings_changed_remember_sender,
    "user.invited": when_user_invited_send_invitation,
    "user.password_reset_requested": when_password_reset_requested_send_link,
    "mentor.registered": when_event_queue_webhooks,
    "mentor.applied": when_event_queue_webhooks,
    "mentee.registered": when_event_queue_webhooks,
    "mentee.applied": when_event_queue_webhooks,
    "patenschaft.started": when_patenschaft_started_queue_webhooks,
    "patenschaft.ended": when_event_queue_webhooks,
    "checkin.overdue": when_checkin_overdue_remind_coordinators,
    "person.erased": when_person_erased_send_erasure_notices,
}
