"""The read model in the database: built only from consumed events, idempotent, order-tolerant,
and rebuilt from the event store to exactly what live consumption made."""

from __future__ import annotations

import random
import types
import uuid

import pytest
from federation_db import as_wire, deliver, dump, scratch, stream
from federation_stream import event, uid
from sqlalchemy import func, select

from altjung.federation.domain import State, apply_all, derive_figures
from altjung.federation.domain.months import months_between
from altjung.federation.handlers import HANDLERS
from altjung.federation.models import RollupRow, Site, StoredEvent
from altjung.federation.rebuild import rebuild
from altjung.kit.bus.consume import consume_many
from altjung.kit.site_status import merge_handlers


@pytest.fixture
def db(tmp_path):
    database = scratch(tmp_path / "federation.db")
    yield database
    database.dispose()


@pytest.mark.parametrize("seed", [3, 11])
def test_the_rebuilt_model_equals_the_live_one(db, seed):
    # Given a stream with corrections, delivered in a shuffled order with a third of it twice
    events = stream(seed)
    rnd = random.Random(seed)
    arrived = events + rnd.sample(events, len(events) // 3)
    rnd.shuffle(arrived)
    handled = [deliver(db, envelope) for envelope in arrived]
    assert sum(handled) == len(events)  # each event handled once, redeliveries skipped
    live = dump(db)
    assert live["fed_rollup"] and live["fed_patenschaften"]
    # When the read model is rebuilt from the stored events
    done = rebuild(db)
    # Then it is exactly the live one, row for row
    assert done.events == len(events)
    assert dump(db) == live


def test_the_rollup_holds_what_the_domain_derives(db):
    # Given the stream consumed in its own order
    events = stream(5)
    for envelope in events:
        deliver(db, envelope)
    # Then every site's monthly rollup is derive_figures over the same events
    state = State()
    apply_all(state, events)
    with db.session() as session:
        stored = {(str(s), m, k): v for s, m, k, v in session.execute(
            select(RollupRow.site_id, RollupRow.month, RollupRow.metric, RollupRow.value))}
        spans = {str(s.site_id): (s.first_month, s.last_month) for s in session.scalars(select(Site))}
    expected = {}
    for site, (first, last) in spans.items():
        if first is None:
            continue
        for figure in derive_figures(state, months_between(first, last)):
            if figure.tenant_id == site:
                expected.update({(site, figure.month, k): v for k, v in figure.counts.to_metrics().items()})
    assert stored == expected


def test_a_batch_in_one_transaction_gives_what_single_deliveries_give(db, tmp_path):
    # Given one site's events handled as one relay batch (one transaction, one recompute)
    events = [e for e in stream(7) if e["tenant_id"] == uid("tenant-a") or e["type"].startswith("tenant.")]
    handlers = merge_handlers("federation", HANDLERS)
    runtime = types.SimpleNamespace(db=db, publish_soon=lambda ids: None)
    requeued: list[dict] = []
    site_events = [e for e in events if e["tenant_id"]]
    for e in events:
        if not e["tenant_id"]:
            deliver(db, e)
    assert consume_many(site_events, handlers, runtime=runtime, consumer="federation",
                        requeue=requeued.append) == len(site_events)
    assert not requeued
    # Then the result is that of delivering them one by one elsewhere
    other = scratch(tmp_path / "one-by-one.db")
    for e in events:
        deliver(other, e)
    assert dump(db) == dump(other)
    other.dispose()


def test_person_erased_is_acknowledged_and_removes_nothing(db):
    # Given a mentee registered and matched at a site
    site = uid("tenant-e")
    events = [as_wire(e) for e in (
        event("tenant.created", "2024-01-01", None, "e-t", tenant_id=site, slug="e", name="E", bundesland="DE-BE"),
        event("mentee.registered", "2024-01-05", site, "e-r", mentee_id=uid("x"), target_group="refugee",
              birth_year=2005, registered_on="2024-01-05"),
        event("patenschaft.started", "2024-02-01", site, "e-s", patenschaft_id=uid("px"), mentor_id=uid("mx"),
              mentee_id=uid("x"), started_on="2024-02-01", target_group="refugee"),
        event("checkin.logged", "2024-03-01", site, "e-c", patenschaft_id=uid("px"), checkin_id=uid("cx"),
              on="2024-03-01"),
    )]
    for envelope in events:
        deliver(db, envelope)
    before = dump(db)
    # When the mentee's data is erased in matching
    erased = as_wire(event("person.erased", "2024-03-02", site, "e-x", person_kind="mentee", person_id=uid("x")))
    assert deliver(db, erased) is True
    assert deliver(db, erased) is False
    after = dump(db)
    # Then nothing was removed, and the months before the erasure keep their figures
    for table in ("fed_mentees", "fed_patenschaften", "fed_checkins"):
        assert len(after[table]) == len(before[table])
    february = [r for r in after["fed_rollup"] if r[1] == "2024-02"]
    assert february == [r for r in before["fed_rollup"] if r[1] == "2024-02"]
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(StoredEvent)
                              .where(StoredEvent.type == "person.erased")) == 1


def test_the_event_store_keeps_no_coordinators_email(db):
    site = str(uuid.uuid4())
    created = as_wire(event("tenant.created", "2024-01-01", None, "mail", tenant_id=site, slug="m", name="M",
                            bundesland="DE-BY", first_coordinator_email="koordination@m.example"))
    deliver(db, created)
    with db.session() as session:
        (stored,) = session.scalars(select(StoredEvent.envelope))
    assert "first_coordinator_email" not in stored["payload"]
    assert "koordination@" not in str(dump(db))


def test_a_years_quarters_in_one_pass_equal_each_period_on_its_own(db):
    from altjung.federation.domain.report import Period
    from altjung.federation.periods import period_totals, site_infos, year_totals

    for envelope in stream(9):
        deliver(db, envelope)
    with db.session() as session:
        infos = site_infos(session)
        together = year_totals(session, 2024, infos)
        assert together[("y", 2024)] == period_totals(session, Period("2024-01", "2024-12"), infos)
        for q in range(1, 5):
            alone = period_totals(session, Period(f"2024-{3 * q - 2:02d}", f"2024-{3 * q:02d}"), infos)
            assert together[("q", 2024, q)] == alone
        assert any(s.flows.started for s in together[("y", 2024)])
