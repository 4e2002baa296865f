"""Demo data of the embedded run: two partner sites (created once, as a platform admin would)."""

from __future__ import annotations

import uuid

from altjung.events.catalogue import SettingsChanged, TenantCreated
from altjung.kit.bus import record
from altjung.kit.runtime import Runtime
from altjung.kit.tenancy import tenant_context
from altjung.tenants import site_settings
from altjung.tenants.models import PartnerSite, SiteSettings, SiteSettingsVersion

#: Fixed ids so that every service's demo data can refer to the same sites.
DEMO_SITES = [
    {"id": uuid.UUID("6f1d2c3b-0a9e-4e8d-9c7b-1a2b3c4d5e01"), "slug": "koeln", "name": "Seniorenbüro Köln-Nippes",
     "organisation": "Seniorenbüro Köln-Nippes e. V.", "bundesland": "DE-NW", "region": "Köln",
     "contact_email": "kontakt@koeln.example", "coordinator": "koordination@koeln.example"},
    {"id": uuid.UUID("6f1d2c3b-0a9e-4e8d-9c7b-1a2b3c4d5e02"), "slug": "leipzig",
     "name": "Freiwilligenagentur Leipzig", "organisation": "Freiwilligen-Agentur Leipzig e. V.",
     "bundesland": "DE-SN", "region": "Leipzig", "contact_email": "kontakt@leipzig.example",
     "coordinator": "koordination@leipzig.example"},
]


def seed(runtime: Runtime, platform: object = None) -> None:
    """Create the demo sites unless they exist (a second `make run` reuses them)."""
    for spec in DEMO_SITES:
        with tenant_context(spec["id"]), runtime.unit_of_work() as session:
            if session.get(PartnerSite, spec["id"]) is not None:
                continue
            data = {k: v for k, v in spec.items() if k != "coordinator"}
            site = PartnerSite(**data)
            session.add(site)
            document = site_settings.defaults(display_name=site.name, contact_email=site.contact_email)
            session.add(SiteSettings(version=1, document=document, updated_by="demo"))
            session.add(SiteSettingsVersion(version=1, document=document, changed_by="demo"))
            record(session, TenantCreated(tenant_id=site.id, slug=site.slug, name=site.name,
                                          bundesland=site.bundesland, first_coordinator_email=spec["coordinator"]),
                   tenant_id=site.id)
            record(session, SettingsChanged(tenant_id=site.id, version=1, settings=document), tenant_id=site.id)
            session.commit()
