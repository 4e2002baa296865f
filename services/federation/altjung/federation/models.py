"""federation's read model: partner sites and figures only; no person, no tenant-owned rows."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from altjung.kit.bus.models import utcnow
from altjung.kit.db import UtcDateTime, make_base

Base = make_base()


class Site(Base):
    """A partner site as the BaS sees it (site_id, not tenant_id: these rows are federation-wide)."""

    __tablename__ = "sites"

    site_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    bundesland: Mapped[str] = mapped_column(String(5), nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="active")
    joined_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
