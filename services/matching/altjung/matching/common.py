"""Small things every use case of matching needs: the site's day, versions, lookups that 404."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from altjung.kit.problems import NotFound, PreconditionFailed
from altjung.matching.models import Mentee, Mentor, Patenschaft, SiteConfig

#: Partner sites are in Germany: "today" is the day in Berlin.
SITE_ZONE = ZoneInfo("Europe/Berlin")

T = TypeVar("T", Mentor, Mentee, Patenschaft)


def today() -> dt.date:
    return dt.datetime.now(SITE_ZONE).date()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def stale() -> PreconditionFailed:
    return PreconditionFailed("Der Eintrag wurde inzwischen geändert; bitte neu laden. / "
                              "The record changed in the meantime; reload it.")


def check_version(obj: Any, expected: int | None) -> None:
    """Optimistic concurrency: the caller's version must be the current one (412 otherwise)."""
    if expected is not None and obj.version != expected:
        raise stale()


def get_or_404(session: Session, model: type[T], ident: UUID, kind: str) -> T:
    """One row of the current site (another site's: the same 404 as a missing one)."""
    row = session.scalars(select(model).where(model.id == ident)).first()
    if row is None:
        raise NotFound(kind, ident)
    return row


def site_settings(session: Session, tenant_id: UUID) -> dict[str, Any]:
    """The site's settings document as matching last heard it ({} before the first settings.changed)."""
    site = session.get(SiteConfig, tenant_id)
    return dict(site.settings or {}) if site is not None else {}


def name_key(first_name: str, last_name: str) -> str:
    return f"{first_name.strip()} {last_name.strip()}".strip().lower()


def language_codes(languages: dict[str, str]) -> str:
    return "," + "".join(f"{code}," for code in sorted(languages))
