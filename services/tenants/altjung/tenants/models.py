"""tenants' tables: the registry is platform data (a site's row is the tenant itself); a site's
settings are the site's own data (tenant-owned, under row-level security like every tenant table)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from altjung.kit.bus.models import utcnow
from altjung.kit.db import UtcDateTime, make_base
from altjung.kit.tenancy import TenantScoped

Base = make_base()

BUNDESLAENDER = {
    "DE-BW": "Baden-Württemberg", "DE-BY": "Bayern", "DE-BE": "Berlin", "DE-BB": "Brandenburg",
    "DE-HB": "Bremen", "DE-HH": "Hamburg", "DE-HE": "Hessen", "DE-MV": "Mecklenburg-Vorpommern",
    "DE-NI": "Niedersachsen", "DE-NW": "Nordrhein-Westfalen", "DE-RP": "Rheinland-Pfalz",
    "DE-SL": "Saarland", "DE-SN": "Sachsen", "DE-ST": "Sachsen-Anhalt", "DE-SH": "Schleswig-Holstein",
    "DE-TH": "Thüringen",
}


class PartnerSite(Base):
    """One partner site (tenant), addressed by its slug."""

    __tablename__ = "partner_sites"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    bundesland: Mapped[str] = mapped_column(String(5), nullable=False)
    region: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[str] = mapped_column(String(20), default="active", nullable=False)
    #: Why it was suspended (a code such as "contract_paused"); empty while active.
    status_reason: Mapped[str] = mapped_column(String(80), default="", nullable=False)
    status_changed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}


class SiteSettings(TenantScoped, Base):
    """A partner site's current settings document (validated by api.settings_schema)."""

    __tablename__ = "site_settings"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_site_settings_tenant"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    document: Mapped[dict] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    #: The token subject that made the change (a user or service id, never a name).
    updated_by: Mapped[str] = mapped_column(String(80), default="", nullable=False)

    __mapper_args__ = {"version_id_col": version}


class SiteSettingsVersion(TenantScoped, Base):
    """Every settings version a site ever had: who changed what, when (kept with the site)."""

    __tablename__ = "site_settings_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "version", name="uq_site_settings_versions_version"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    document: Mapped[dict] = mapped_column(JSON, nullable=False)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    changed_by: Mapped[str] = mapped_column(String(80), default="", nullable=False)
