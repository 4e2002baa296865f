"""Tables of the bus that live in every service's own database (platform-level, no tenant rows)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Index, Integer, MetaData, String, Text, Uuid, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from altjung.kit.db import UtcDateTime


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class BusBase(DeclarativeBase):
    metadata = MetaData()


class OutboxMessage(BusBase):
    """An event written in the same transaction as its domain change, waiting for the relay."""

    __tablename__ = "bus_outbox"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    type: Mapped[str] = mapped_column(String(80), nullable=False)
    envelope: Mapped[dict] = mapped_column(JSON, nullable=False)
    #: None: every subscriber of the type; a service name: only that one (a dead-letter replay).
    target: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    published_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_bus_outbox_unpublished", "created_at", postgresql_where=text("published_at IS NULL"),
              sqlite_where=text("published_at IS NULL")),
    )


class ProcessedEvent(BusBase):
    """An event id this service's consumer has handled; written with the handler's effect."""

    __tablename__ = "bus_processed"

    consumer: Mapped[str] = mapped_column(String(80), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    processed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)


class DeadLetter(BusBase):
    """A message whose retries ran out, or that kept killing its worker: visible and replayable."""

    __tablename__ = "bus_dead_letters"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    message_id: Mapped[str] = mapped_column(String(64), nullable=False)
    queue: Mapped[str] = mapped_column(String(80), nullable=False)
    actor: Mapped[str] = mapped_column(String(120), nullable=False)
    event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    event_type: Mapped[str | None] = mapped_column(String(80))
    envelope: Mapped[dict] = mapped_column(JSON, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    failed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    replayed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


bus_metadata = BusBase.metadata
