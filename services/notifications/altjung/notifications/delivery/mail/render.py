"""Render transactional e-mails in German (the default) or English from Jinja2 templates."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context

from altjung.notifications.delivery.errors import MailContextIncomplete, UnknownMailKind

#: Where the templates live: <lang>/<kind>.subject.txt, <kind>.txt and <kind>.html.
TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "mail"
LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
#: Times in e-mails are shown in this zone unless the context names another (`timezone`).
DEFAULT_TIMEZONE = "Europe/Berlin"
PLATFORM_NAME = "Alt & Jung"

#: Per kind: the context keys a caller must give, and the optional ones with their defaults.
MAIL_KINDS: Mapping[str, tuple[frozenset[str], Mapping[str, Any]]] = {
    "invitation": (frozenset({"site_name", "inviter_name", "link"}),
                   {"role": None, "expires_at": None}),
    "password_reset": (frozenset({"link", "expires_at"}), {"site_name": PLATFORM_NAME}),
    "checkins_overdue": (frozenset({"site_name", "tandem_ids", "period_start", "period_end"}),
                         {"link": None, "max_listed": 20}),
    "endpoint_disabled": (frozenset({"site_name", "endpoint_url", "reason"}),
                          {"failing_since": None, "disabled_at": None, "link": None}),
}
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


class RenderedMail(NamedTuple):
    """Subject, plain-text part and HTML part of one e-mail."""

    subject: str
    text: str
    html: str


def _format_date(value: date, lang: str) -> str:
    if lang == "de":
        return f"{value.day:02d}.{value.month:02d}.{value.year}"
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


@pass_context
def _date_filter(context: Context, value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(context["timezone"])).date()
    return _format_date(value, context["lang"])


@pass_context
def _datetime_filter(context: Context, value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("e-mails show timezone-aware datetimes only")
    local = value.astimezone(ZoneInfo(context["timezone"]))
    if context["lang"] == "de":
        return f"{_format_date(local, 'de')}, {local:%H:%M} Uhr"
    return f"{_format_date(local, 'en')}, {local:%H:%M} {local.tzname()}"


@lru_cache(maxsize=4)
def _environment(directory: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(directory),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False,
                                     default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = _date_filter
    env.filters["datetime"] = _datetime_filter
    return env


def mail_language(lang: str | None) -> str:
    """The supported language for a tag such as `en-GB`; German when none fits."""
    primary = (lang or "").replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def render_mail(kind: str, lang: str | None = DEFAULT_LANGUAGE,
                context: Mapping[str, Any] | None = None, *,
                directory: Path = TEMPLATE_DIR) -> RenderedMail:
    """Render one e-mail kind (see MAIL_KINDS) in `lang`, falling back to German."""
    if kind not in MAIL_KINDS:
        raise UnknownMailKind(f"no e-mail templates for {kind!r}")
    required, optional = MAIL_KINDS[kind]
    given = dict(context or {})
    missing = sorted(key for key in required if given.get(key) is None)
    if missing:
        raise MailContextIncomplete(f"{kind} e-mail needs {', '.join(missing)}")
    language = mail_language(lang)
    values = {"platform_name": PLATFORM_NAME, "timezone": DEFAULT_TIMEZONE, **optional, **given,
              "lang": language}
    env = _environment(str(directory))
    subject = env.get_template(f"{language}/{kind}.subject.txt").render(values)
    text = env.get_template(f"{language}/{kind}.txt").render(values)
    html = env.get_template(f"{language}/{kind}.html").render(values)
    return RenderedMail(
        subject=" ".join(subject.split()),
        text=re.sub(r"\n{3,}", "\n\n", text).strip() + "\n",
        html=html.strip() + "\n",
    )
