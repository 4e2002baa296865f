"""matching's reactions to tenant events."""

from __future__ import annotations

from sqlalchemy.orm import Session

from altjung.events import Envelope
from altjung.matching.models import SiteConfig


def _site(session: Session, site_id) -> SiteConfig:
    site = session.get(SiteConfig, site_id)
    if site is None:
        site = SiteConfig(site_id=site_id, settings={})
        session.add(site)
    return site


def when_tenant_created_open_site(envelope: Envelope, session: Session) -> None:
    event = envelope.event()
    _site(session, event.tenant_id).slug = event.slug


def when_tenant_updated_note_site(envelope: Envelope, session: Session) -> None:
    event = envelope.event()
    site = _site(session, event.tenant_id)
    site.slug, site.status = event.slug, event.status


def _status(status: str):
    def handler(envelope: Envelope, session: Session) -> None:
        _site(session, envelope.event().tenant_id).status = status

    handler.__name__ = f"when_tenant_{status}_set_site_status"
    return handler


def when_settings_changed_store(envelope: Envelope, session: Session) -> None:
    event = envelope.event()
    site = _site(session, event.tenant_id)
    if event.version > (site.settings_version or 0):  # out of order: the newest version wins
        site.settings_version, site.settings = event.version, dict(event.settings)


HANDLERS = {
    "tenant.created": when_tenant_created_open_site,
    "tenant.updated": when_tenant_updated_note_site,
    "tenant.suspended": _status("suspended"),
    "tenant.reactivated": _status("active"),
    "tenant.archived": _status("archived"),
    "settings.changed": when_settings_changed_store,
}
