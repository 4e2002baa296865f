"""notifications' own configuration, read from NOTIFICATIONS_* / ALTJUNG_* environment variables.

| variable | default | meaning |
| --- | --- | --- |
| NOTIFICATIONS_RETRY_DELAYS | Svix: 0,5,300,1800,7200,18000,36000,36000 | seconds before each attempt |
| NOTIFICATIONS_DISABLE_AFTER_SECONDS | 432000 (5 days) | failing without a success this long disables |
| NOTIFICATIONS_SECRET_KEYS | derived from ALTJUNG_SECRET_KEY | Fernet keys for webhook secrets, newest first |
| NOTIFICATIONS_ROTATION_OVERLAP_SECONDS | 86400 | how long the old secret keeps signing |
| NOTIFICATIONS_MAIL_SENDER | no-reply@altundjung.example | envelope sender of platform e-mail |
| NOTIFICATIONS_SMTP_STARTTLS | false | STARTTLS for smtp:// (smtps-like relays need it) |
| NOTIFICATIONS_POLL_SECONDS | 1.0 | longest sleep of the scheduler between looks at the schedule |
| NOTIFICATIONS_DIGEST_SECONDS | 60 | overdue check-ins of one period are collected this long into one mail |
| NOTIFICATIONS_LEASE_SECONDS | 120 | a job a killed worker held comes back after this |
| NOTIFICATIONS_UNSAFE_ALLOW_LOOPBACK_WEBHOOKS | false | tests of the production shape only: http to loopback |
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import hmac
import os
from collections.abc import Mapping

from altjung.kit.settings import Settings
from altjung.notifications.delivery import AddressPolicy, RetrySchedule, Timeouts
from altjung.notifications.delivery.retry import SVIX_DELAYS

DEFAULT_SENDER = "no-reply@altundjung.example"
DEFAULT_DISABLE_AFTER = dt.timedelta(days=5)


@dataclasses.dataclass(frozen=True, kw_only=True)
class NotificationsConfig:
    """What the delivery and mail loops need besides the kit's Settings."""

    schedule: RetrySchedule = RetrySchedule()
    disable_after: dt.timedelta = DEFAULT_DISABLE_AFTER
    secret_keys: tuple[str, ...]
    rotation_overlap: dt.timedelta = dt.timedelta(hours=24)
    allow_loopback: bool = False
    mail_url: str = "file://var/mail"
    mail_sender: str = DEFAULT_SENDER
    smtp_starttls: bool = False
    poll_seconds: float = 1.0
    digest_delay: dt.timedelta = dt.timedelta(seconds=60)
    timeouts: Timeouts = Timeouts()
    public_base_url: str = "http://127.0.0.1:8000"
    lease: dt.timedelta = dt.timedelta(seconds=120)
    #: Jobs one loop takes at a time, loops per process, and threads that send for them.
    batch: int = 128
    loops: int = 2
    threads: int = 8

    @property
    def policy(self) -> AddressPolicy:
        return AddressPolicy(allow_loopback=self.allow_loopback)

    def replace(self, **changes) -> NotificationsConfig:
        return dataclasses.replace(self, **changes)


def _derived_key(settings: Settings) -> str:
    digest = hmac.new(settings.secret_key.encode(), b"altjung-notifications:webhook-secrets", hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode("ascii")


def _flag(raw: str | None) -> bool:
    return (raw or "").strip().lower() in ("1", "true", "yes", "on")


def load_config(settings: Settings, env: Mapping[str, str] | None = None) -> NotificationsConfig:
    """The configuration for ``settings`` (development allows http webhooks to loopback)."""
    env = os.environ if env is None else env

    def get(name: str) -> str | None:
        return env.get(f"NOTIFICATIONS_{name}", env.get(f"ALTJUNG_{name}"))

    delays = get("RETRY_DELAYS")
    schedule = RetrySchedule(delays=tuple(dt.timedelta(seconds=float(s)) for s in delays.split(","))) \
        if delays else RetrySchedule(delays=SVIX_DELAYS)
    keys = tuple(k.strip() for k in (get("SECRET_KEYS") or "").split(",") if k.strip()) or (_derived_key(settings),)
    return NotificationsConfig(
        schedule=schedule,
        disable_after=dt.timedelta(seconds=float(get("DISABLE_AFTER_SECONDS")
                                                 or DEFAULT_DISABLE_AFTER.total_seconds())),
        secret_keys=keys,
        rotation_overlap=dt.timedelta(seconds=float(get("ROTATION_OVERLAP_SECONDS") or 86400)),
        allow_loopback=settings.development or _flag(get("UNSAFE_ALLOW_LOOPBACK_WEBHOOKS")),
        mail_url=settings.mail_url,
        mail_sender=get("MAIL_SENDER") or DEFAULT_SENDER,
        smtp_starttls=_flag(get("SMTP_STARTTLS")),
        poll_seconds=float(get("POLL_SECONDS") or 1.0),
        digest_delay=dt.timedelta(seconds=float(get("DIGEST_SECONDS") or 60)),
        public_base_url=settings.public_base_url,
        lease=dt.timedelta(seconds=float(get("LEASE_SECONDS") or 120)),
    )
