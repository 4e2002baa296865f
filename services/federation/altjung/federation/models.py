"""federation's read model: partner sites, facts (ids, categories, dates), the monthly rollup and
the event store. No person's data, and no tenant-owned rows: every table names its site `site_id`."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, BigInteger, Boolean, Date, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from altjung.kit.bus.models import utcnow
from altjung.kit.db import UtcDateTime, make_base

Base = make_base()


class Site(Base):
    """A partner site as the BaS sees it (site_id, not tenant_id: these rows are federation-wide)."""

    __tablename__ = "sites"

    site_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    bundesland: Mapped[str] = mapped_column(String(10), nullable=False, default="unknown")
    status: Mapped[str] = mapped_column(String(20), default="active")
    #: The earliest occurred_at of any event about the site.
    joined_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    registry_stamp_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    registry_stamp_id: Mapped[str | None] = mapped_column(String(36))
    status_stamp_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    status_stamp_id: Mapped[str | None] = mapped_column(String(36))
    checkin_interval_days: Mapped[int] = mapped_column(Integer, nullable=False, default=28)
    settings_version: Mapped[int | None] = mapped_column(Integer)
    settings_stamp_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    settings_stamp_id: Mapped[str | None] = mapped_column(String(36))
    #: The months the rollup covers for this site ('YYYY-MM'), from its facts' dates.
    first_month: Mapped[str | None] = mapped_column(String(7))
    last_month: Mapped[str | None] = mapped_column(String(7))


class MentorRow(Base):
    __tablename__ = "fed_mentors"

    site_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    mentor_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    registration_stamp_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    registration_stamp_id: Mapped[str | None] = mapped_column(String(36))
    erased_on: Mapped[dt.date | None] = mapped_column(Date)


class MenteeRow(Base):
    __tablename__ = "fed_mentees"

    site_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    mentee_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    target_group: Mapped[str] = mapped_column(String(40), nullable=False, default="unknown")
    birth_year: Mapped[int | None] = mapped_column(Integer)
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    registration_stamp_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    registration_stamp_id: Mapped[str | None] = mapped_column(String(36))
    erased_on: Mapped[dt.date | None] = mapped_column(Date)


class StatusChangeRow(Base):
    """A mentor's or mentee's status change; the event id orders changes made on the same day."""

    __tablename__ = "fed_status_changes"

    site_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_kind: Mapped[str] = mapped_column(String(6), nullable=False)  # mentor | mentee
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    changed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(30), nullable=False)
    stamp_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)


class PatenschaftRow(Base):
    __tablename__ = "fed_patenschaften"

    site_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patenschaft_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    mentor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    mentee_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    proposed_on: Mapped[dt.date | None] = mapped_column(Date)
    proposal_stamp_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    proposal_stamp_id: Mapped[str | None] = mapped_column(String(36))
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    target_group: Mapped[str] = mapped_column(String(40), nullable=False, default="unknown")
    start_stamp_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    start_stamp_id: Mapped[str | None] = mapped_column(String(36))
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(40))
    planned: Mapped[bool | None] = mapped_column(Boolean)
    goals_reached: Mapped[str | None] = mapped_column(String(40))
    end_stamp_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    end_stamp_id: Mapped[str | None] = mapped_column(String(36))


class CheckinRow(Base):
    __tablename__ = "fed_checkins"

    site_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patenschaft_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    checkin_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    stamp_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)
    stamp_id: Mapped[str] = mapped_column(String(36), nullable=False)


class RollupRow(Base):
    """One figure of one site in one month (Counts.to_metrics(); zeros are left out)."""

    __tablename__ = "fed_rollup"

    site_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    metric: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False)

    __table_args__ = (
        Index("ix_fed_rollup_month_metric", "month", "metric"),
        # the time series read one metric over many months: an index-only scan on PostgreSQL
        Index("ix_fed_rollup_metric_month", "metric", "month", postgresql_include=["site_id", "value"]),
    )


class StoredEvent(Base):
    """Every envelope federation consumed, as it arrived (the coordinator's e-mail in tenant.created
    removed): the source the read model is rebuilt from."""

    __tablename__ = "fed_events"

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    type: Mapped[str] = mapped_column(String(80), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)
    site_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    envelope: Mapped[dict] = mapped_column(JSON, nullable=False)
    stored_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)

    __table_args__ = (Index("ix_fed_events_occurred", "occurred_at"),)
