"""Starting Patenschaften concurrently on PostgreSQL (application role, row-level security): a mentor's
capacity is never exceeded and a mentee never gets two Tandems, however the starts race.

matching's own database is migrated on a scratch PostgreSQL exactly as in production; threads each start
one proposal in their own transaction, released together by a barrier.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections import Counter
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import func, select

from altjung.kit.db import Database
from altjung.kit.migrate import upgrade
from altjung.kit.problems import Conflict, PreconditionFailed
from altjung.kit.settings import Settings
from altjung.kit.tenancy import tenant_context
from altjung.matching import people, tandems
from altjung.matching.common import today
from altjung.matching.models import Mentee, Mentor, Patenschaft
from infra.local.stack import PG_ADMIN

MENTOR = {"first_name": "Gisela", "last_name": "Roth", "birth_year": 1955, "gender": "female",
          "languages": {"de": "native"}, "areas": ["german_language"], "availability": [[2, "morning"]],
          "postcode": "04109"}
MENTEE = {"first_name": "Olena", "last_name": "Melnyk", "birth_year": 2000, "target_group": "refugee",
          "languages": {"de": "B1", "uk": "native"}, "needs": ["german_language"], "availability": [[2, "morning"]],
          "postcode": "04105"}


@pytest.fixture(scope="module")
def db() -> Iterator[Database]:
    prefix = f"aj_mc_{uuid.uuid4().hex[:8]}"
    owner, app, name = f"{prefix}_owner", f"{prefix}_app", f"{prefix}_matching"
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://").split("@")[1]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {owner} LOGIN NOSUPERUSER NOBYPASSRLS")
        conn.execute(f"CREATE ROLE {app} LOGIN NOSUPERUSER NOBYPASSRLS")
        conn.execute(f'CREATE DATABASE "{name}" OWNER {owner}')
    database = None
    try:
        app_url, owner_url = (f"postgresql+psycopg://{role}@{base}/{name}" for role in (app, owner))
        upgrade(Settings.from_env("matching", {}, database_url=app_url, migration_database_url=owner_url))
        database = Database(app_url, pool_size=12)
        yield database
    finally:
        if database is not None:
            database.dispose()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in (app, owner):
                conn.execute(f"DROP ROLE IF EXISTS {role}")


def _active_mentor(session, **changes) -> Mentor:
    mentor = people.register(session, "mentor", {**MENTOR, **changes}, actor="it")
    day = today() - dt.timedelta(days=1)
    mentor.interview_on = mentor.training_on = mentor.agreement_on = mentor.consent_on = day
    mentor.status = "active"
    return mentor


def _waiting_mentee(session, **changes) -> Mentee:
    mentee = people.register(session, "mentee", {**MENTEE, **changes}, actor="it")
    mentee.status, mentee.consent_on = "waiting", today()
    return mentee


def _race(db: Database, site: uuid.UUID, proposals: list[Patenschaft]) -> Counter:
    """Start every proposal at once, one thread and transaction each; count the outcomes."""
    barrier = threading.Barrier(len(proposals))
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def attempt(p: Patenschaft) -> None:
        with tenant_context(site), db.session() as session:
            barrier.wait()
            try:
                tandems.start(session, p.id, started_on=None, expected_version=p.version, actor="it")
                session.commit()
                outcome = "started"
            except Conflict as err:
                outcome = err.extensions.get("code", "conflict")
            except PreconditionFailed:
                outcome = "stale"
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=attempt, args=(p,)) for p in proposals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_concurrent_starts_never_exceed_a_mentors_capacity(db):
    # Given a mentor with two places and eight waiting mentees, each proposed to that mentor
    site = uuid.uuid4()
    with tenant_context(site), db.session() as session:
        mentor = _active_mentor(session, capacity=2)
        mentees = [_waiting_mentee(session, first_name=f"Mentee{i}") for i in range(8)]
        session.flush()
        proposals = [tandems.propose(session, mentor_id=mentor.id, mentee_id=m.id, actor="it") for m in mentees]
        session.commit()
    # When eight coordinators start them at the same moment
    outcomes = _race(db, site, proposals)
    # Then exactly two started and the other six were refused for lack of capacity
    assert outcomes == Counter({"started": 2, "no_capacity": 6})
    with tenant_context(site), db.session() as session:
        assert session.get(Mentor, mentor.id).active_tandems == 2
        started = session.scalar(select(func.count()).select_from(Patenschaft).where(Patenschaft.status == "started"))
        matched = session.scalar(select(func.count()).select_from(Mentee).where(Mentee.status == "matched"))
        assert started == matched == 2


def test_concurrent_starts_for_one_mentee_form_one_tandem(db):
    # Given one waiting mentee proposed to six different mentors
    site = uuid.uuid4()
    with tenant_context(site), db.session() as session:
        mentee = _waiting_mentee(session)
        mentors = [_active_mentor(session, first_name=f"Mentor{i}") for i in range(6)]
        session.flush()
        proposals = [tandems.propose(session, mentor_id=m.id, mentee_id=mentee.id, actor="it") for m in mentors]
        session.commit()
    # When all six are started at once
    outcomes = _race(db, site, proposals)
    # Then one Tandem runs; the others were refused, and the winner withdrew them
    assert outcomes["started"] == 1 and sum(outcomes.values()) == 6
    assert set(outcomes) <= {"started", "mentee_not_waiting", "constraints_violated", "wrong_state", "stale"}
    with tenant_context(site), db.session() as session:
        statuses = Counter(session.scalars(select(Patenschaft.status)))
        assert statuses == Counter({"started": 1, "withdrawn": 5})
        assert sum(session.scalars(select(Mentor.active_tandems))) == 1
        assert session.get(Mentee, mentee.id).status == "matched"


def test_another_sites_transaction_sees_none_of_it(db):
    # Row-level security: the application role with another tenant sees no mentor of the first site
    site, other = uuid.uuid4(), uuid.uuid4()
    with tenant_context(site), db.session() as session:
        _active_mentor(session)
        session.commit()
    with tenant_context(other), db.session() as session:
        assert session.scalars(select(Mentor)).all() == []
