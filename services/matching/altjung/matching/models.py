"""matching's tables: people (mentors, mentees) with their status history and screening, Patenschaften
with check-ins, the marks that make scheduled announcements happen once, and two platform-level tables
(the sites as matching heard of them, the public form's throttle)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Boolean, Date, Float, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from altjung.kit.bus.models import utcnow
from altjung.kit.db import UtcDateTime, make_base
from altjung.kit.tenancy import TenantScoped

Base = make_base()


class SiteConfig(Base):
    """A partner site's status and matching settings as matching last heard of them (from events)."""

    __tablename__ = "site_configs"

    site_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), default="", index=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    settings_version: Mapped[int] = mapped_column(Integer, default=0)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)


class FormThrottle(Base):
    """Submissions of the public interest form per key and window (platform-level: keys are hashes)."""

    __tablename__ = "interest_form_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(UtcDateTime, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)


class _Person:
    """What mentors and mentees share: identity and contact (erasable), place, languages, time."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    first_name: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    last_name: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    #: "first last", lower-cased, for the free-text filter and the cursor order.
    sort_name: Mapped[str] = mapped_column(String(201), default="", nullable=False, index=True)
    email: Mapped[str] = mapped_column(String(254), default="", nullable=False)
    phone: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    #: The language the person wants e-mails in ("de", "en", …).
    contact_language: Mapped[str] = mapped_column(String(8), default="de", nullable=False)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    #: {ISO 639 code: "A1".."C2" | "native"}
    languages: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    #: ",ar,de," — the codes again, for a portable filter.
    language_codes: Mapped[str] = mapped_column(String(200), default=",", nullable=False)
    interests: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    #: [[weekday 0-6, "morning" | "afternoon" | "evening"], …]
    availability: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    postcode: Mapped[str] = mapped_column(String(10), default="", nullable=False)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    max_distance_km: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    status_since: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    #: "staff" (registered by the site) or "interest_form" (applied through the public form).
    source: Mapped[str] = mapped_column(String(20), default="staff", nullable=False)
    registered_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    consent_on: Mapped[dt.date | None] = mapped_column(Date)
    consent_text_version: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    consent_language: Mapped[str] = mapped_column(String(8), default="", nullable=False)
    erased_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow,
                                                    nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}  # every flush: UPDATE … WHERE version = seen

    @property
    def erased(self) -> bool:
        return self.erased_at is not None


class Mentor(_Person, TenantScoped, Base):
    """A Pate or Patin of one partner site."""

    __tablename__ = "mentors"

    gender: Mapped[str | None] = mapped_column(String(10))
    #: Areas of support (domain.labels.AREAS).
    areas: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    capacity: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    #: Started Tandems right now; changed only by a conditional UPDATE (never above capacity).
    active_tandems: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    # screening checklist
    interview_on: Mapped[dt.date | None] = mapped_column(Date)
    training_on: Mapped[dt.date | None] = mapped_column(Date)
    training_hours: Mapped[float | None] = mapped_column(Float)
    agreement_on: Mapped[dt.date | None] = mapped_column(Date)



class Mentee(_Person, TenantScoped, Base):
    """A young person of one partner site. No field for religion, health or ethnicity, on purpose."""

    __tablename__ = "mentees"

    target_group: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    #: Areas the mentee wants support in (same codes as Mentor.areas).
    needs: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    preferred_mentor_gender: Mapped[str | None] = mapped_column(String(10))
    #: Who referred the mentee: a category such as "youth_welfare_office" (an organisation, not a person).
    referred_by: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    waiting_since: Mapped[dt.date | None] = mapped_column(Date, index=True)



class PoliceCertificate(TenantScoped, Base):
    """That a mentor's extended police certificate was seen — never the document itself (§72a SGB VIII).

    Deleted when the mentor never starts, three months after their last Tandem ends, or on erasure.
    """

    __tablename__ = "police_certificates"
    __table_args__ = (UniqueConstraint("tenant_id", "mentor_id", name="uq_police_certificates_mentor"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    mentor_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    seen_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    has_relevant_entry: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(80), default="", nullable=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)


class StatusChange(TenantScoped, Base):
    """One step of a mentor's or mentee's status history: who, when, why."""

    __tablename__ = "status_changes"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    person_kind: Mapped[str] = mapped_column(String(10), nullable=False)
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20), nullable=False)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    #: The token subject (a staff member's or service's id), never a name.
    changed_by: Mapped[str] = mapped_column(String(80), default="", nullable=False)
    #: Why, in the staff's words (visible to the site only; wiped on erasure).
    reason: Mapped[str] = mapped_column(Text, default="", nullable=False)


class Patenschaft(TenantScoped, Base):
    """A Tandem from its proposal to its end: proposed → started → ended, or proposed → declined/withdrawn."""

    __tablename__ = "patenschaften"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    mentor_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    mentee_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    score: Mapped[float | None] = mapped_column(Float)
    proposed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    proposed_by: Mapped[str] = mapped_column(String(80), default="", nullable=False)
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    declined_on: Mapped[dt.date | None] = mapped_column(Date)
    decline_reason: Mapped[str] = mapped_column(String(30), default="", nullable=False)
    declined_by: Mapped[str] = mapped_column(String(10), default="", nullable=False)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    end_reason: Mapped[str] = mapped_column(String(30), default="", nullable=False)
    end_planned: Mapped[bool | None] = mapped_column(Boolean)
    goals_reached: Mapped[str] = mapped_column(String(10), default="", nullable=False)
    closure_note: Mapped[str] = mapped_column(Text, default="", nullable=False)
    last_checkin_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow,
                                                    nullable=False)

    __mapper_args__ = {"version_id_col": version}


class Checkin(TenantScoped, Base):
    """A staff contact with a Tandem. The note stays with the site (never in an event)."""

    __tablename__ = "checkins"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    patenschaft_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    #: "quick" | "in_depth"
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    #: "mentor" | "mentee" | "both"
    with_whom: Mapped[str] = mapped_column(String(10), nullable=False)
    note: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_by: Mapped[str] = mapped_column(String(80), default="", nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)


class Announcement(TenantScoped, Base):
    """That a scheduled job announced something once: an overdue period, a 7/14-day screening stall."""

    __tablename__ = "announcements"
    __table_args__ = (UniqueConstraint("tenant_id", "kind", "subject_id", "period",
                                       name="uq_announcements_once"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    #: "checkin_overdue" | "screening_stalled"
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    subject_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    #: The due date of the overdue period, or "<status>:<since>:<days>" of a stall.
    period: Mapped[str] = mapped_column(String(60), nullable=False)
    announced_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
