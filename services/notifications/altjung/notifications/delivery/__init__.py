"""The notifications delivery core: signed webhooks, retry schedule and transactional e-mail.

Plain library code: no Flask, no database, no broker. The worker layer calls `deliver` for
one attempt and `next_attempt_delay` to schedule the next; `render_mail`, `compose_mail` and a
mailer send e-mail.
"""

from __future__ import annotations

from altjung.notifications.delivery.errors import (
    DeliveryError,
    InvalidEndpointUrl,
    MailContextIncomplete,
    MailSendFailed,
    RefusedAddress,
    SecretUnreadable,
    UnknownMailKind,
)
from altjung.notifications.delivery.mail import (
    FileMailer,
    Mailer,
    RenderedMail,
    SmtpMailer,
    compose_mail,
    render_mail,
)
from altjung.notifications.delivery.retry import (
    DEFAULT_SCHEDULE,
    RetrySchedule,
    next_attempt_delay,
)
from altjung.notifications.delivery.webhooks import (
    DEFAULT_TIMEOUTS,
    AddressPolicy,
    AttemptResult,
    ErrorKind,
    SecretRing,
    Timeouts,
    decrypt_secret,
    deliver,
    encrypt_secret,
    generate_encryption_key,
    generate_secret,
    make_session,
    sign,
    validate_url,
)

__all__ = [
    "DEFAULT_SCHEDULE",
    "DEFAULT_TIMEOUTS",
    "AddressPolicy",
    "AttemptResult",
    "DeliveryError",
    "ErrorKind",
    "FileMailer",
    "InvalidEndpointUrl",
    "MailContextIncomplete",
    "MailSendFailed",
    "Mailer",
    "RefusedAddress",
    "RenderedMail",
    "RetrySchedule",
    "SecretRing",
    "SecretUnreadable",
    "SmtpMailer",
    "Timeouts",
    "UnknownMailKind",
    "compose_mail",
    "decrypt_secret",
    "deliver",
    "encrypt_secret",
    "generate_encryption_key",
    "generate_secret",
    "make_session",
    "next_attempt_delay",
    "render_mail",
    "sign",
    "validate_url",
]
