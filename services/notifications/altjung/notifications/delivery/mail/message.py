"""Build one multipart/alternative e-mail with a Message-ID derived from an idempotency key."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from altjung.notifications.delivery.mail.render import RenderedMail, mail_language


def message_id_for(idempotency_key: str, *, domain: str) -> str:
    """The same `<…@domain>` Message-ID for the same key, so receivers can spot a resend."""
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:40]
    return f"<{digest}.altjung@{domain}>"


def _one_line(value: str) -> str:
    return " ".join(value.split())


def compose_mail(rendered: RenderedMail, *, to: str, sender: str, sender_name: str,
                 idempotency_key: str, lang: str | None = None, reply_to: str | None = None,
                 now: datetime | None = None) -> EmailMessage:
    """The e-mail ready for a mailer: From shows `sender_name` (the site), text part first."""
    domain = sender.rpartition("@")[2]
    if not domain:
        raise ValueError("the sender address needs a domain")
    message = EmailMessage()
    message["Subject"] = _one_line(rendered.subject)
    message["From"] = Address(display_name=_one_line(sender_name), addr_spec=sender)
    message["To"] = to
    if reply_to:
        message["Reply-To"] = reply_to
    message["Date"] = format_datetime(now or datetime.now(UTC))
    message["Message-ID"] = message_id_for(idempotency_key, domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    message.set_content(rendered.text, subtype="plain", charset="utf-8")
    message.add_alternative(rendered.html, subtype="html", charset="utf-8")
    # after the body: set_content() drops every Content-* header set before it
    message["Content-Language"] = mail_language(lang)
    return message
