"""The platform's own e-mail: an outbox row per mail (unique per site and key), sent and marked later.

The consuming transaction writes the row and its job, so a redelivered event finds the key and adds
nothing. The scheduler then fetches what the mail needs (address and link from identity) at the
moment of sending, renders it in German or English, and sends it with a Message-ID derived from the key.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from altjung.kit.bus.models import utcnow
from altjung.kit.tenancy import tenant_context
from altjung.notifications import schedule
from altjung.notifications.delivery import MailSendFailed, compose_mail, render_mail
from altjung.notifications.delivery.mail.render import PLATFORM_NAME
from altjung.notifications.directory import Gone, Unavailable
from altjung.notifications.models import PlatformMail, SentMail, SiteConfig

if TYPE_CHECKING:
    from altjung.notifications.notifier import Notifier

log = logging.getLogger("altjung.notifications.mails")

BAS_NAME = "Bundesarbeitsgemeinschaft Seniorenbüros (BaS)"
#: Backoff of a mail the server or identity could not take now (seconds), then it is given up.
MAIL_RETRY_SECONDS = (5, 30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600)


# --- queueing (inside the consuming transaction) -----------------------------------------------


def queue_site_mail(session: Session, tenant_id: UUID, kind: str, key: str, params: dict[str, Any],
                    due_at: dt.datetime | None = None) -> SentMail | None:
    """A mail on a site's behalf; None when one with this key exists already."""
    if session.scalars(select(SentMail).where(SentMail.idempotency_key == key)).first() is not None:
        return None
    mail = SentMail(tenant_id=tenant_id, idempotency_key=key, kind=kind, params=params)
    session.add(mail)
    session.flush()
    schedule.plan(session, "mail", mail.id, tenant_id, due_at)
    return mail


def queue_platform_mail(session: Session, kind: str, key: str, params: dict[str, Any]) -> PlatformMail | None:
    """A mail on no site's behalf (password reset, a BaS colleague's invitation)."""
    if session.scalars(select(PlatformMail).where(PlatformMail.idempotency_key == key)).first() is not None:
        return None
    mail = PlatformMail(idempotency_key=key, kind=kind, params=params)
    session.add(mail)
    session.flush()
    schedule.plan(session, "platform_mail", mail.id, None)
    return mail


def add_overdue_tandem(session: Session, tenant_id: UUID, period: str, patenschaft_id: UUID,
                       due_since: str, delay: dt.timedelta) -> None:
    """Collect a period's overdue Tandems into one reminder to the coordinators."""
    tandem = str(patenschaft_id)
    pending = [m for m in session.scalars(select(SentMail).where(SentMail.kind == "checkins_overdue",
                                                                 SentMail.status == "pending"))
               if m.params.get("period") == period]
    if pending:
        mail = pending[0]
        if tandem not in mail.params["tandem_ids"]:
            mail.params = {**mail.params, "tandem_ids": [*mail.params["tandem_ids"], tandem],
                           "due_since": min(mail.params["due_since"], due_since)}
        return
    queue_site_mail(session, tenant_id, "checkins_overdue", f"checkins_overdue:{period}:{tandem}",
                    {"period": period, "tandem_ids": [tandem], "due_since": due_since}, utcnow() + delay)


# --- sending (the scheduler) --------------------------------------------------------------------


class NothingToSend(Exception):
    """What the mail was about is gone (invitation accepted, reset used, no coordinator)."""


def _period_bounds(period: str, due_since: str) -> tuple[dt.date, dt.date]:
    try:
        year, month = (int(p) for p in period.split("-")[:2])
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        return dt.date.fromisoformat(due_since), dt.date.today()


def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def compose(notifier: Notifier, kind: str, key: str, params: dict, site_id: UUID | None,
            site: SiteConfig | None) -> list[EmailMessage]:
    """The messages of one outbox row (one per recipient), fetched and rendered now."""
    config, directory = notifier.config, notifier.directory
    site_name = site.sender_name if site else None
    reply_to = site.contact_email if site else None
    jobs: list[tuple[str, str, dict, str]] = []  # (to, language, context, sender name)
    if kind == "invitation":
        data = directory.invitation(UUID(params["invitation_id"]), site_id)
        name = site_name or data.get("site_name") or BAS_NAME
        jobs.append((data["email"], data.get("language") or "de",
                     {"site_name": name, "inviter_name": name, "link": data["accept_url"], "role": data.get("role"),
                      "expires_at": _when(data.get("expires_at"))}, name))
    elif kind == "password_reset":
        data = directory.password_reset(UUID(params["reset_id"]))
        jobs.append((data["email"], data.get("language") or "de",
                     {"link": data["reset_url"], "expires_at": _when(data["expires_at"]),
                      "site_name": PLATFORM_NAME}, PLATFORM_NAME))
    elif kind in ("checkins_overdue", "endpoint_disabled"):
        if site_id is None:
            raise NothingToSend(kind)
        name = site_name or PLATFORM_NAME
        if kind == "checkins_overdue":
            start, end = _period_bounds(params["period"], params["due_since"])
            context = {"site_name": name, "tandem_ids": params["tandem_ids"], "period_start": start, "period_end": end}
        else:
            context = {"site_name": name, "endpoint_url": params["endpoint_url"], "reason": params["reason"],
                       "failing_since": _when(params.get("failing_since")),
                       "disabled_at": _when(params.get("disabled_at"))}
        for person in directory.coordinators(site_id):
            jobs.append((person["email"], person.get("language") or "de", context, name))
    if not jobs:
        raise NothingToSend(kind)
    messages = []
    for to, lang, context, sender_name in jobs:
        rendered = render_mail(kind, lang, context)
        per_recipient = key if len(jobs) == 1 else f"{key}:{to.lower()}"
        messages.append(compose_mail(rendered, to=to, sender=config.mail_sender, sender_name=sender_name,
                                     idempotency_key=per_recipient, lang=lang, reply_to=reply_to))
    return messages


def send(notifier: Notifier, job_kind: str, mail_id: UUID, site_id: UUID | None) -> str | None:
    """Send one outbox row; returns its new status (None: postponed or nothing to do)."""
    model = SentMail if job_kind == "mail" else PlatformMail
    with tenant_context(site_id):
        with notifier.db.session() as session:
            mail = session.get(model, mail_id)
            if mail is None or mail.status != "pending":
                schedule.done(session, job_kind, mail_id)
                session.commit()
                return None
            if site_id is not None and not notifier.site_active(session, site_id):
                schedule.plan(session, job_kind, mail_id, site_id, utcnow() + dt.timedelta(minutes=5))
                session.commit()
                return None
            site = session.scalars(select(SiteConfig)).first() if site_id is not None else None
            if site is not None:
                session.expunge(site)
            kind, key, params = mail.kind, mail.idempotency_key, dict(mail.params)
        status, error, subject, recipients = "sent", None, "", 0
        try:
            messages = compose(notifier, kind, key, params, site_id, site)
            for message in messages:
                notifier.mailer.send(message)
            subject, recipients = str(messages[0]["Subject"]), len(messages)
        except (NothingToSend, Gone) as err:
            status, error = "dropped", f"nothing to send: {err}"
        except MailSendFailed as err:
            status, error = ("failed" if err.permanent else "retry"), str(err)
        except Unavailable as err:
            status, error = "retry", str(err)
        with notifier.db.session() as session:
            mail = session.get(model, mail_id)
            mail.attempts += 1
            mail.last_error = error
            if status == "retry":
                if mail.attempts > len(MAIL_RETRY_SECONDS):
                    status = "failed"
                else:
                    delay = dt.timedelta(seconds=MAIL_RETRY_SECONDS[mail.attempts - 1])
                    schedule.plan(session, job_kind, mail_id, site_id, utcnow() + delay)
            if status != "retry":
                mail.status = status
                mail.subject, mail.recipients = subject, recipients
                mail.sent_at = utcnow() if status == "sent" else None
                schedule.done(session, job_kind, mail_id)
            session.commit()
        if status != "sent":
            log.warning("mail %s: %s (%s)", key, status, error)
        return status
