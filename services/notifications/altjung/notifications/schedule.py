"""The durable schedule: what is due when. Jobs are taken with a lease, so a killed worker's come back."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from altjung.kit.bus.models import utcnow
from altjung.kit.db import Database
from altjung.notifications.models import Job

log = logging.getLogger("altjung.notifications.schedule")

#: Longest a taken job stays away from other workers (beyond any attempt's timeouts).
DEFAULT_LEASE = dt.timedelta(seconds=120)


@dataclass(frozen=True)
class Due:
    """A job taken by this worker."""

    id: UUID
    kind: str
    ref_id: UUID
    site_id: UUID | None


def plan(session: Session, kind: str, ref_id: UUID, site_id: UUID | None, due_at: dt.datetime | None = None) -> None:
    """Schedule (or reschedule) one delivery or mail, in the caller's transaction."""
    job = session.scalars(select(Job).where(Job.kind == kind, Job.ref_id == ref_id)).first()
    if job is None:
        session.add(Job(kind=kind, ref_id=ref_id, site_id=site_id, due_at=due_at or utcnow()))
    else:
        job.due_at, job.leased_until = due_at or utcnow(), None


def add(session: Session, kind: str, ref_id: UUID, site_id: UUID | None, due_at: dt.datetime | None = None) -> None:
    """Schedule new work (nothing is scheduled for it yet)."""
    session.add(Job(kind=kind, ref_id=ref_id, site_id=site_id, due_at=due_at or utcnow()))


def done(session: Session, kind: str, ref_id: UUID) -> None:
    session.execute(delete(Job).where(Job.kind == kind, Job.ref_id == ref_id))


def done_many(session: Session, kind: str, ref_ids: set[UUID] | list[UUID]) -> None:
    if ref_ids:
        session.execute(delete(Job).where(Job.kind == kind, Job.ref_id.in_(list(ref_ids))))


def resume_site(session: Session, site_id: UUID) -> None:
    """A reactivated site's paused work is due now."""
    session.execute(update(Job).where(Job.site_id == site_id).values(due_at=utcnow(), leased_until=None))


def take(db: Database, *, limit: int, lease: dt.timedelta = DEFAULT_LEASE,
         now: dt.datetime | None = None) -> list[Due]:
    """Lease up to ``limit`` due jobs, earliest first. Two workers never hold the same job: the
    UPDATE re-checks that each is still free, and only the rows it changed are returned."""
    now = now or utcnow()
    free = or_(Job.leased_until.is_(None), Job.leased_until < now)
    with db.session() as session:
        candidates = select(Job.id).where(Job.due_at <= now, free).order_by(Job.due_at).limit(limit)
        rows = session.execute(update(Job).where(Job.id.in_(candidates.scalar_subquery()), free)
                               .values(leased_until=now + lease)
                               .returning(Job.id, Job.kind, Job.ref_id, Job.site_id)
                               .execution_options(synchronize_session=False)).all()
        session.commit()
    return [Due(row.id, row.kind, row.ref_id, row.site_id) for row in rows]


def renew(db: Database, ids: list[UUID], *, lease: dt.timedelta) -> None:
    """Extend the leases of jobs still being worked (a rescheduled job, lease NULL, is left alone)."""
    with db.session() as session:
        session.execute(update(Job).where(Job.id.in_(ids), Job.leased_until.is_not(None))
                        .values(leased_until=utcnow() + lease).execution_options(synchronize_session=False))
        session.commit()


class LeaseKeeper:
    """While a batch is worked, renews its leases every third of the lease: a batch of slow endpoints
    outlasting the lease would otherwise be taken (and sent) a second time by another loop."""

    def __init__(self, db: Database, ids: list[UUID], *, lease: dt.timedelta) -> None:
        self.db, self.ids, self.lease = db, ids, lease
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="notifications-lease", daemon=True)

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._done.wait(self.lease.total_seconds() / 3):
            try:
                renew(self.db, self.ids, lease=self.lease)
            except Exception:  # the next round tries again; the lease is the safety net
                log.exception("renewing leases failed")


def work_due(db: Database) -> bool:
    """Is any job due now, taken or not (what the embedded platform's join() waits for)?"""
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Job).where(Job.due_at <= utcnow())) > 0


def next_due(db: Database, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the earliest job that nobody holds becomes due (None: nothing scheduled)."""
    now = now or utcnow()
    with db.session() as session:
        return session.scalar(select(func.min(Job.due_at))
                              .where(or_(Job.leased_until.is_(None), Job.leased_until < now)))
