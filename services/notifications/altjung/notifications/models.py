"""notifications' tables: endpoints, deliveries and their attempts, the mail outbox, the schedule.

Tenant-owned tables inherit TenantScoped (row-level security on PostgreSQL). Two tables are
platform-level on purpose and hold ids only: ``schedule`` (what is due when, for which site, so one
loop can find work of every site) and ``platform_mails`` (mail on no site's behalf: password resets,
invitations of BaS colleagues).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from altjung.kit.bus.models import utcnow
from altjung.kit.db import UtcDateTime, make_base
from altjung.kit.tenancy import TenantScoped

Base = make_base()


class SiteConfig(TenantScoped, Base):
    """How a partner site signs its e-mails (from tenant.created/updated and settings.changed)."""

    __tablename__ = "site_configs"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_site_configs_tenant"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), default="")
    display_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    settings_version: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def sender_name(self) -> str:
        return self.display_name or self.name or "Alt & Jung"


class Endpoint(TenantScoped, Base):
    """A partner's webhook receiver. Secrets are stored encrypted (Fernet), never in clear."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    url: Mapped[str] = mapped_column(String(2048), nullable=False)
    description: Mapped[str] = mapped_column(String(500), default="")
    #: None: every webhook event type.
    event_types: Mapped[list | None] = mapped_column(JSON)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Opt-in: mentor/mentee/Patenschaft events carry e-mail, first name and language.
    include_contacts: Mapped[bool] = mapped_column(Boolean, default=False)
    secret: Mapped[str] = mapped_column(Text, nullable=False)
    previous_secret: Mapped[str | None] = mapped_column(Text)
    previous_valid_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_success_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    #: First failure since the last success; five days of it disables the endpoint.
    failing_since: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    disabled_reason: Mapped[str | None] = mapped_column(String(40))

    def wants(self, event_type: str) -> bool:
        return self.enabled and (self.event_types is None or event_type in self.event_types)


class Delivery(TenantScoped, Base):
    """One event for one endpoint; its id is the webhook-id, the same on every attempt."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "endpoint_id", "event_id", "kind", name="uq_webhook_deliveries_event"),
        Index("ix_webhook_deliveries_endpoint_created", "tenant_id", "endpoint_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    endpoint_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"),
                                                   nullable=False)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    event_type: Mapped[str] = mapped_column(String(80), nullable=False)
    #: "event" (the envelope), "erasure" (the notice for a person whose contact was sent), "test".
    kind: Mapped[str] = mapped_column(String(20), default="event")
    envelope: Mapped[dict] = mapped_column(JSON, nullable=False)
    #: pending, succeeded, failed (gave up, or the endpoint went away).
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: Attempts made before the last replay: the retry schedule starts again from there.
    round_start: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    succeeded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class Attempt(TenantScoped, Base):
    """One try of a delivery: when, the answer's status and first bytes, how long it took."""

    __tablename__ = "webhook_attempts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    delivery_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("webhook_deliveries.id", ondelete="CASCADE"),
                                                   nullable=False, index=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    attempted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    response_head: Mapped[str] = mapped_column(Text, default="")
    error_kind: Mapped[str | None] = mapped_column(String(40))
    error_detail: Mapped[str | None] = mapped_column(Text)


class ContactDisclosure(TenantScoped, Base):
    """Which person's e-mail went to which endpoint (encrypted): who gets an erasure notice."""

    __tablename__ = "contact_disclosures"
    __table_args__ = (UniqueConstraint("tenant_id", "endpoint_id", "person_id", name="uq_contact_disclosures"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    endpoint_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"),
                                                   nullable=False)
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    person_kind: Mapped[str] = mapped_column(String(20), nullable=False)
    email: Mapped[str] = mapped_column(Text, nullable=False)
    first_sent_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Tandem(TenantScoped, Base):
    """Who is in a Patenschaft (ids only), so patenschaft.ended can carry both contacts."""

    __tablename__ = "tandems"
    __table_args__ = (UniqueConstraint("tenant_id", "patenschaft_id", name="uq_tandems_patenschaft"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    patenschaft_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    mentor_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    mentee_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)


class _MailColumns:
    """An e-mail to send: written in the consuming transaction, sent and marked by the scheduler."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    idempotency_key: Mapped[str] = mapped_column(String(160), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    #: What the sender needs to fetch and render it (ids, dates): never an address.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    #: pending, sent, failed (the server refused it for good), dropped (nothing to send any more).
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    subject: Mapped[str] = mapped_column(Text, default="")
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class SentMail(_MailColumns, TenantScoped, Base):
    """A partner site's e-mail (invitations, reminders, warnings); unique per site and key."""

    __tablename__ = "sent_mails"
    __table_args__ = (UniqueConstraint("tenant_id", "idempotency_key", name="uq_sent_mails_key"),)


class PlatformMail(_MailColumns, Base):
    """An e-mail on no site's behalf (password resets, BaS invitations): platform-level."""

    __tablename__ = "platform_mails"
    __table_args__ = (UniqueConstraint("idempotency_key", name="uq_platform_mails_key"),)


class Job(Base):
    """Platform-level: a delivery or mail due at a time, for a site (ids only, no personal data)."""

    __tablename__ = "schedule"
    __table_args__ = (
        UniqueConstraint("kind", "ref_id", name="uq_schedule_ref"),
        Index("ix_schedule_due", "due_at"),
        Index("ix_schedule_site", "site_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    #: "delivery", "mail" (SentMail), "platform_mail" (PlatformMail).
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    ref_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    site_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)
    #: A worker that took the job holds it until then (a killed worker's job comes back after it).
    leased_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
