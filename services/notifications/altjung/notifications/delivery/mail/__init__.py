"""Transactional e-mail: rendering in German and English, composing and sending."""

from __future__ import annotations

from altjung.notifications.delivery.mail.message import compose_mail, message_id_for
from altjung.notifications.delivery.mail.render import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    MAIL_KINDS,
    RenderedMail,
    mail_language,
    render_mail,
)
from altjung.notifications.delivery.mail.senders import FileMailer, Mailer, SmtpMailer

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "MAIL_KINDS",
    "FileMailer",
    "Mailer",
    "RenderedMail",
    "SmtpMailer",
    "compose_mail",
    "mail_language",
    "message_id_for",
    "render_mail",
]
