"""The public interest form: find the site by its slug, throttle, refuse a closed form, register an applicant."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from altjung.kit import site_status
from altjung.kit.problems import Conflict, NotFound, Problem, TooManyRequests
from altjung.matching.domain import TargetGroup
from altjung.matching.models import FormThrottle, SiteConfig

#: Submissions one client may make to one site per window, and a site may receive per window.
DEFAULT_PER_CLIENT = 5
DEFAULT_PER_SITE = 200
#: Length of a throttle window.
WINDOW = dt.timedelta(minutes=15)
ALL_GROUPS = [g.value for g in TargetGroup]


def open_site(session: Session, slug: str) -> SiteConfig:
    """The active site with this slug; unknown, suspended and archived sites answer the same 404."""
    site = session.scalars(select(SiteConfig).where(SiteConfig.slug == slug)).first()
    if site is None or not site_status.is_active(session, site.site_id) or site.status != "active":
        raise NotFound("partner_site", slug)
    return site


def form_of(site: SiteConfig) -> dict[str, Any]:
    """The site's form settings with tenants' defaults (open, every target group)."""
    form = dict((site.settings or {}).get("interest_form") or {})
    return {"open": bool(form.get("open", True)), "intro_text": form.get("intro_text", ""),
            "target_groups": list(form.get("target_groups", ALL_GROUPS))}


def check_open(site: SiteConfig, *, kind: str, target_group: str | None) -> None:
    form = form_of(site)
    if not form["open"]:
        raise Conflict("Das Interessenformular dieses Standorts ist geschlossen. / This site's form is closed.",
                       code="form_closed")
    if kind == "mentee" and target_group not in form["target_groups"]:
        raise Problem("Dieser Standort nimmt diese Zielgruppe derzeit nicht auf. / "
                      "This site does not accept this target group at the moment.", status=422,
                      code="target_group_not_accepted")


def _window(now: dt.datetime) -> dt.datetime:
    seconds = int(WINDOW.total_seconds())
    return dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, dt.UTC)


def _bump(session: Session, key: str, start: dt.datetime) -> int:
    row = session.get(FormThrottle, (key, start))
    if row is None:
        row = FormThrottle(key=key, window_start=start, count=0)
        session.add(row)
    row.count += 1
    session.flush()
    return row.count


def throttle(session: Session, *, secret: str, slug: str, client: str, per_client: int = DEFAULT_PER_CLIENT,
             per_site: int = DEFAULT_PER_SITE, now: dt.datetime | None = None) -> None:
    """Count this submission; 429 beyond the limits. Keys are keyed hashes: no address is stored."""
    start = _window(now or dt.datetime.now(dt.UTC))

    def key(*parts: str) -> str:
        return hmac.new(secret.encode(), "|".join(parts).encode(), hashlib.sha256).hexdigest()

    over = _bump(session, key("client", slug, client), start) > per_client
    over = _bump(session, key("site", slug), start) > per_site or over
    session.execute(delete(FormThrottle).where(FormThrottle.window_start < start - dt.timedelta(days=1)))
    session.commit()
    if over:
        raise TooManyRequests("Zu viele Anfragen, bitte später erneut versuchen. / Too many requests, "
                              "please try again later.", retry_after=int(WINDOW.total_seconds()))


def registration_data(data: dict[str, Any], *, on: dt.date) -> dict[str, Any]:
    """The applicant's fields as people.register takes them (consent recorded as given today)."""
    consent = data["consent"]
    out = {name: data[name] for name in ("first_name", "last_name", "email", "phone", "contact_language",
                                         "birth_year", "postcode", "languages")}
    out.update(consent_on=on, consent_text_version=consent["text_version"], consent_language=consent["language"])
    if data["kind"] == "mentee":
        out["target_group"] = data["target_group"]
        out["referred_by"] = "self"
    return out
