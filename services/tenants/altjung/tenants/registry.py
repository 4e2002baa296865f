"""Use cases of the registry and of site settings: each change and its event in one transaction."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from altjung.events.catalogue import (
    SettingsChanged,
    TenantArchived,
    TenantCreated,
    TenantReactivated,
    TenantSuspended,
    TenantUpdated,
)
from altjung.kit import site_status
from altjung.kit.bus import record
from altjung.kit.bus.models import utcnow
from altjung.kit.problems import Conflict, NotFound, PreconditionFailed
from altjung.kit.runtime import unit_of_work
from altjung.kit.tenancy import tenant_context
from altjung.tenants import site_settings
from altjung.tenants.models import PartnerSite, SiteSettings, SiteSettingsVersion

#: action -> (states it may start from, the state it leads to)
TRANSITIONS = {
    "suspend": ({site_status.ACTIVE}, site_status.SUSPENDED),
    "reactivate": ({site_status.SUSPENDED}, site_status.ACTIVE),
    "archive": ({site_status.ACTIVE, site_status.SUSPENDED}, site_status.ARCHIVED),
}
#: Registry fields a platform admin may change (the slug is the site's address and stays).
EDITABLE = ("name", "organisation", "bundesland", "region", "contact_email")


def _stale() -> PreconditionFailed:
    return PreconditionFailed("Der Eintrag wurde inzwischen geändert; bitte neu laden. / "
                              "It was changed meanwhile; reload and try again.")


def _archived() -> Conflict:
    return Conflict("Der Partnerstandort ist archiviert und nur lesbar. / The partner site is archived "
                    "and read-only.", status=409)


def _site(session: Session, site_id: UUID) -> PartnerSite:
    site = session.get(PartnerSite, site_id)
    if site is None:
        raise NotFound("partner_site", site_id)
    return site


def create_site(data: dict[str, Any], *, coordinator_email: str, actor: str) -> PartnerSite:
    """Create a site with default settings and invite its first coordinator (tenant.created)."""
    site_id = uuid.uuid4()
    with tenant_context(site_id), unit_of_work() as session:  # its settings are its own data
        site = PartnerSite(id=site_id, **data)
        session.add(site)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict("Dieses Kürzel ist vergeben. / This slug is taken.") from None
        document = site_settings.defaults(display_name=site.name, contact_email=site.contact_email)
        _store_settings(session, site_id, document, version=1, actor=actor)
        record(session, TenantCreated(tenant_id=site.id, slug=site.slug, name=site.name,
                                      bundesland=site.bundesland, first_coordinator_email=coordinator_email),
               tenant_id=site.id)
        record(session, SettingsChanged(tenant_id=site.id, version=1, settings=document), tenant_id=site.id)
        session.commit()
        return site


def edit_site(site_id: UUID, changes: dict[str, Any], *, expected_version: int) -> PartnerSite:
    """Change registry fields (tenant.updated); a stale version is refused (412)."""
    with unit_of_work() as session:
        site = _site(session, site_id)
        if site.version != expected_version:
            raise _stale()
        if site.status == site_status.ARCHIVED:
            raise _archived()
        for name in EDITABLE:
            if name in changes:
                setattr(site, name, changes[name])
        if session.is_modified(site):
            try:
                session.flush()
            except StaleDataError:
                raise _stale() from None
            record(session, TenantUpdated(tenant_id=site.id, slug=site.slug, name=site.name,
                                          bundesland=site.bundesland, status=site.status), tenant_id=site.id)
        session.commit()
        return site


def change_status(site_id: UUID, action: str, *, reason: str = "",
                  expected_version: int | None = None) -> PartnerSite:
    """Suspend, reactivate or archive a site; its event reaches every service (kit.site_status)."""
    allowed_from, target = TRANSITIONS[action]
    with unit_of_work() as session:
        site = _site(session, site_id)
        if expected_version is not None and site.version != expected_version:
            raise _stale()
        if site.status not in allowed_from:
            raise Conflict(f"Nicht möglich im Zustand {site.status}. / Not possible while {site.status}.",
                           current_status=site.status)
        now = utcnow()
        site.status, site.status_reason, site.status_changed_at = target, reason, now
        try:
            session.flush()
        except StaleDataError:
            raise _stale() from None
        event = {"suspend": lambda: TenantSuspended(tenant_id=site.id, reason=reason or "unspecified"),
                 "reactivate": lambda: TenantReactivated(tenant_id=site.id),
                 "archive": lambda: TenantArchived(tenant_id=site.id)}[action]()
        envelope = record(session, event, tenant_id=site.id)
        # This service's own guard sees it at once; the others through the event, within seconds.
        site_status.apply(session, site.id, target, at=envelope.occurred_at)
        session.commit()
        return site


def sites_page(*, status: str | None, bundesland: str | None, name: str | None, after: tuple[str, UUID] | None,
               limit: int) -> list[PartnerSite]:
    """Sites ordered by name, filtered; ``after`` is the (name, id) of the last one already seen."""
    query = select(PartnerSite).order_by(PartnerSite.name, PartnerSite.id).limit(limit)
    if status:
        query = query.where(PartnerSite.status == status)
    if bundesland:
        query = query.where(PartnerSite.bundesland == bundesland)
    if name:
        query = query.where(PartnerSite.name.icontains(name, autoescape=True))
    if after is not None:
        last_name, last_id = after
        query = query.where((PartnerSite.name > last_name)
                            | ((PartnerSite.name == last_name) & (PartnerSite.id > last_id)))
    with unit_of_work() as session:
        return list(session.scalars(query))


# --- settings -------------------------------------------------------------------------------------


def read_settings(site_id: UUID) -> SiteSettings:
    with tenant_context(site_id), unit_of_work() as session:
        current = session.scalars(select(SiteSettings)).first()
    if current is None:
        raise NotFound("site_settings", site_id)
    return current


def change_settings(site_id: UUID, patch: dict[str, Any], *, expected_version: int, actor: str) -> SiteSettings:
    """Validate and store a new settings version (settings.changed); stale → 412, archived → 409."""
    with tenant_context(site_id), unit_of_work() as session:
        site = _site(session, site_id)
        if site.status == site_status.ARCHIVED:
            raise _archived()
        current = session.scalars(select(SiteSettings)).first()
        if current is None:
            raise NotFound("site_settings", site_id)
        if current.version != expected_version:
            raise _stale()
        document = site_settings.merged(current.document, patch)  # ValidationError → 422
        current.document, current.updated_by = document, actor
        try:
            session.flush()  # version_id_col: UPDATE … WHERE version = expected
            session.add(SiteSettingsVersion(version=current.version, document=document, changed_by=actor))
            session.flush()
        except (StaleDataError, IntegrityError):
            raise _stale() from None
        record(session, SettingsChanged(tenant_id=site_id, version=current.version, settings=document),
               tenant_id=site_id)
        session.commit()
        return current


def _store_settings(session: Session, site_id: UUID, document: dict, *, version: int, actor: str) -> None:
    session.add(SiteSettings(version=version, document=document, updated_by=actor))
    session.add(SiteSettingsVersion(version=version, document=document, changed_by=actor))
