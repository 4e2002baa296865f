"""federation's projections: events in, figures out."""

from __future__ import annotations

from sqlalchemy.orm import Session

from altjung.events import Envelope
from altjung.federation.models import Site


def when_tenant_created_add_site(envelope: Envelope, session: Session) -> None:
    event = envelope.event()
    site = session.get(Site, event.tenant_id) or Site(site_id=event.tenant_id, joined_at=envelope.occurred_at)
    site.slug, site.name, site.bundesland = event.slug, event.name, event.bundesland
    session.add(site)


def when_tenant_updated_update_site(envelope: Envelope, session: Session) -> None:
    event = envelope.event()
    site = session.get(Site, event.tenant_id) or Site(site_id=event.tenant_id, joined_at=envelope.occurred_at)
    site.slug, site.name, site.bundesland, site.status = event.slug, event.name, event.bundesland, event.status
    session.add(site)


def _status(status: str):
    def handler(envelope: Envelope, session: Session) -> None:
        site = session.get(Site, envelope.event().tenant_id)
        if site is not None:
            site.status = status

    handler.__name__ = f"when_tenant_{status}_mark_site"
    return handler


def _acknowledge(envelope: Envelope, session: Session) -> None:
    """Events whose figures arrive with the federation issue; acknowledged so nothing piles up."""


HANDLERS = {
    "tenant.created": when_tenant_created_add_site,
    "tenant.updated": when_tenant_updated_update_site,
    "tenant.suspended": _status("suspended"),
    "tenant.reactivated": _status("active"),
    "tenant.archived": _status("archived"),
    **{t: _acknowledge for t in (
        "mentor.registered", "mentor.applied", "mentor.status_changed", "mentee.registered", "mentee.applied",
        "mentee.status_changed", "patenschaft.proposed", "patenschaft.declined", "patenschaft.started",
        "patenschaft.ended", "checkin.logged", "person.erased")},
}
