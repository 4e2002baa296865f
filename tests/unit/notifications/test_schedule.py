"""The durable schedule: leases keep two workers apart, a dead worker's jobs come back, renewals
keep a long batch, and a rescheduled job is not taken before its time."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import pytest

from altjung.kit.bus.models import utcnow
from altjung.kit.db import Database
from altjung.notifications import schedule
from altjung.notifications.models import Base, Job


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'schedule.db'}")
    Base.metadata.create_all(database.engine)
    yield database
    database.dispose()


def _add(db, n: int, *, due: dt.datetime | None = None) -> list[uuid.UUID]:
    refs = [uuid.uuid4() for _ in range(n)]
    with db.session() as session:
        for ref in refs:
            schedule.add(session, "delivery", ref, uuid.uuid4(), due)
        session.commit()
    return refs


def test_two_takers_never_hold_the_same_job(db):
    _add(db, 10)
    first = schedule.take(db, limit=6)
    second = schedule.take(db, limit=6)
    assert len(first) == 6 and len(second) == 4
    assert not {j.id for j in first} & {j.id for j in second}
    assert schedule.take(db, limit=6) == []


def test_a_dead_workers_jobs_come_back_after_the_lease_and_not_before(db):
    _add(db, 3)
    assert len(schedule.take(db, limit=10, lease=dt.timedelta(seconds=60))) == 3  # then the worker dies
    assert schedule.take(db, limit=10) == []
    later = utcnow() + dt.timedelta(seconds=61)
    assert len(schedule.take(db, limit=10, now=later)) == 3


def test_jobs_due_later_wait_and_next_due_says_when(db):
    due = utcnow() + dt.timedelta(hours=2)
    _add(db, 1, due=due)
    assert schedule.take(db, limit=10) == []
    assert abs((schedule.next_due(db) - due).total_seconds()) < 1


def test_the_lease_keeper_renews_a_long_batch_but_not_a_rescheduled_job(db):
    refs = _add(db, 2)
    lease = dt.timedelta(seconds=0.6)
    taken = schedule.take(db, limit=10, lease=lease)
    with schedule.LeaseKeeper(db, [j.id for j in taken], lease=lease):
        with db.session() as session:  # one of them fails and is planned for later
            schedule.plan(session, "delivery", refs[0], None, utcnow() + dt.timedelta(hours=1))
            session.commit()
        time.sleep(1.0)  # longer than the lease: without renewal the other would be free again
        assert schedule.take(db, limit=10) == []
    with db.session() as session:
        planned = session.query(Job).filter_by(ref_id=refs[0]).one()
        assert planned.leased_until is None and planned.due_at > utcnow() + dt.timedelta(minutes=59)
