"""Mailers: SMTP in production, .eml files under var/mail/ in embedded mode."""

from __future__ import annotations

import hashlib
import os
import smtplib
import ssl
import tempfile
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from altjung.notifications.delivery.errors import MailSendFailed

#: Seconds an SMTP conversation may stall before the send fails.
DEFAULT_SMTP_TIMEOUT = 10.0
_AUTH_CODES = frozenset({530, 534, 535})


class Mailer(Protocol):
    """Anything that sends a composed e-mail."""

    def send(self, message: EmailMessage) -> None: ...


class SmtpMailer:
    """Send through an SMTP server, with STARTTLS and login when configured."""

    def __init__(self, host: str, port: int = 587, *, starttls: bool = True,
                 username: str | None = None, password: str | None = None,
                 timeout: float = DEFAULT_SMTP_TIMEOUT,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        if username is not None and not starttls:
            raise ValueError("SMTP credentials are only sent over STARTTLS")
        self.host = host
        self.port = port
        self.starttls = starttls
        self.username = username
        self.password = password
        self.timeout = timeout
        self.ssl_context = ssl_context

    def send(self, message: EmailMessage) -> None:
        """Hand the message to the server; MailSendFailed says whether a retry can help."""
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=self.ssl_context or ssl.create_default_context())
                if self.username is not None:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise MailSendFailed(f"recipients refused: {codes}",
                                 permanent=all(code >= 500 for code in codes)) from exc
        except smtplib.SMTPResponseException as exc:
            permanent = exc.smtp_code >= 500 and exc.smtp_code not in _AUTH_CODES
            raise MailSendFailed(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}",
                                 permanent=permanent) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise MailSendFailed(f"{type(exc).__name__}: {exc}", permanent=False) from exc


class FileMailer:
    """Write each message to `<directory>/<hash of Message-ID>.eml`; a resend overwrites it."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def path_for(self, message: EmailMessage) -> Path:
        """Where `message` is (or would be) written."""
        message_id = message["Message-ID"]
        if not message_id:
            raise ValueError("a message needs a Message-ID to be written")
        name = hashlib.sha256(str(message_id).encode("utf-8")).hexdigest()[:32]
        return self.directory / f"{name}.eml"

    def send(self, message: EmailMessage) -> None:
        """Write the message atomically."""
        target = self.path_for(message)
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.as_bytes())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
