"""The portal's own data: sign-in sessions (tokens kept server-side, encrypted; the cookie holds an id)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from altjung.kit.bus.models import utcnow
from altjung.kit.db import UtcDateTime, make_base

Base = make_base()


class PortalSession(Base):
    """One signed-in browser. Platform-level (a person may act for a site; site_id names which)."""

    __tablename__ = "portal_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    site_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    roles: Mapped[list] = mapped_column(JSON, default=list)
    tokens: Mapped[str] = mapped_column(Text, nullable=False)  # Fernet-encrypted JSON
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
