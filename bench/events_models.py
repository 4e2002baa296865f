"""The table bench/events.py's handler writes: one row per event."""

from __future__ import annotations

import uuid

from sqlalchemy import Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class BenchBase(DeclarativeBase):
    pass


class Effect(BenchBase):
    """What our handler writes: one row per event, in the same transaction as its processed id."""

    __tablename__ = "bench_effects"

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    checkin_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
