"""matching's tables."""

from __future__ import annotations

import uuid

from sqlalchemy import JSON, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from altjung.kit.db import make_base

Base = make_base()


class SiteConfig(Base):
    """A partner site's status and matching settings as matching last heard of them (from events)."""

    __tablename__ = "site_configs"

    site_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(20), default="active")
    settings_version: Mapped[int] = mapped_column(Integer, default=0)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
