"""Sending the platform's own e-mail: SMTP in production, .eml files under var/mail/ when embedded."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from urllib.parse import urlparse

from altjung.kit.settings import Settings

DEFAULT_SENDER = "no-reply@altundjung.example"


def build_message(*, to: str, subject: str, text: str, html: str | None, sender_name: str,
                  key: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((sender_name, DEFAULT_SENDER))
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(idstring=key.replace(":", "."), domain="altundjung.example")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send(settings: Settings, message: EmailMessage, *, key: str) -> None:
    """Deliver one message by the configured route."""
    url = urlparse(settings.mail_url)
    if url.scheme == "file":
        directory = Path(url.netloc + url.path)
        directory.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in key)
        (directory / f"{safe}.eml").write_bytes(bytes(message))
        return
    if url.scheme in ("smtp", "smtps"):
        with smtplib.SMTP(url.hostname or "127.0.0.1", url.port or 25, timeout=15) as smtp:
            smtp.send_message(message)
        return
    raise ValueError(f"unsupported mail URL {settings.mail_url!r}")
