"""The bus on the embedded stack: outbox with the domain change, idempotent consumers, dead letters."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from altjung.events import Envelope
from altjung.events.catalogue import TenantUpdated
from altjung.federation.models import Site
from altjung.kit.bus import record
from altjung.kit.bus.deadletters import list_dead_letters, replay
from altjung.kit.bus.models import OutboxMessage, ProcessedEvent
from altjung.kit.bus.relay import publish


def _updated(site_id: uuid.UUID, name: str) -> TenantUpdated:
    return TenantUpdated(tenant_id=site_id, slug="bus-site", name=name, bundesland="DE-BY", status="active")


def test_a_rolled_back_transaction_publishes_nothing(platform):
    tenants = platform.runtimes["tenants"]
    site_id = uuid.uuid4()
    # Given a unit of work that records an event and then fails
    with pytest.raises(RuntimeError), tenants.unit_of_work() as session:
        record(session, _updated(site_id, "Nie veröffentlicht"), tenant_id=site_id)
        session.flush()
        raise RuntimeError("the domain change failed")
    # Then no outbox row exists and no service heard of it
    assert platform.join(timeout=10)
    with tenants.db.session() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.envelope["tenant_id"].as_string()
                                                           == str(site_id))).all()
    assert rows == []
    with platform.runtimes["federation"].db.session() as session:
        assert session.get(Site, site_id) is None


def test_a_redelivered_event_changes_nothing(platform, make_site):
    site = make_site()
    federation = platform.runtimes["federation"]
    # Given an event that federation has handled
    envelope = Envelope.wrap(_updated(uuid.UUID(site["id"]), "Neuer Name"), tenant_id=uuid.UUID(site["id"]))
    publish(federation.broker, envelope.to_dict(), target="federation")
    assert platform.join(timeout=10)
    # When the very same envelope arrives three more times (a relay crash, a broker redelivery)
    for _ in range(3):
        publish(federation.broker, envelope.to_dict(), target="federation")
    assert platform.join(timeout=10)
    # Then it was handled once: one processed-id row, and its effect stands unchanged
    with federation.db.session() as session:
        handled = session.scalar(select(func.count()).select_from(ProcessedEvent)
                                 .where(ProcessedEvent.event_id == envelope.id))
        assert handled == 1
        assert session.get(Site, uuid.UUID(site["id"])).name == "Neuer Name"


def test_a_failing_handler_lands_in_dead_letters_and_can_be_replayed(platform, make_site):
    site = make_site()
    federation = platform.runtimes["federation"]
    original = federation.handlers["tenant.updated"]
    calls: list[str] = []

    def broken(envelope, session):
        calls.append("fail")
        raise ConnectionError("read model store unavailable")

    # Given federation's handler for tenant.updated fails every time
    federation.handlers["tenant.updated"] = broken
    try:
        envelope = Envelope.wrap(_updated(uuid.UUID(site["id"]), "Nach Ausfall"), tenant_id=uuid.UUID(site["id"]))
        publish(federation.broker, envelope.to_dict(), target="federation")
        assert platform.join(timeout=20)
    finally:
        federation.handlers["tenant.updated"] = original
    # Then after its bounded retries (1 + 2) it is in the dead-letter store, with the reason
    assert len(calls) == 3
    dead = [d for d in list_dead_letters(federation.db) if d.event_id == envelope.id]
    assert len(dead) == 1 and "ConnectionError" in dead[0].reason
    # When the handler works again and the dead letter is replayed
    assert replay(federation.db, ids=[dead[0].id]) == 1
    assert platform.join(timeout=20)
    # Then the effect happened, and the letter is marked replayed
    with federation.db.session() as session:
        assert session.get(Site, uuid.UUID(site["id"])).name == "Nach Ausfall"
    assert [d for d in list_dead_letters(federation.db) if d.event_id == envelope.id] == []


def test_an_envelope_that_does_not_validate_is_dead_at_once(platform):
    federation = platform.runtimes["federation"]
    bad = Envelope.wrap(_updated(uuid.uuid4(), "x"), tenant_id=None).to_dict()
    bad["payload"]["tenant_id"] = "not-a-uuid"
    publish(federation.broker, bad, target="federation")
    assert platform.join(timeout=10)
    dead = [d for d in list_dead_letters(federation.db) if str(d.event_id) == bad["id"]]
    assert len(dead) == 1 and dead[0].attempts == 1 and "PermanentFailure" in dead[0].reason


def test_recording_an_invalid_event_fails_loudly(platform):
    from altjung.events import EventInvalid

    tenants = platform.runtimes["tenants"]
    with pytest.raises(EventInvalid), tenants.unit_of_work() as session:
        record(session, TenantUpdated(tenant_id="nope", slug="x", name="x", bundesland="x", status="x"),
               platform=True)


def test_the_deadletters_command_lists_and_replays(platform, make_site, capsys, monkeypatch):
    from altjung.kit.cli import main

    site = make_site()
    federation = platform.runtimes["federation"]
    original = federation.handlers["tenant.updated"]
    federation.handlers["tenant.updated"] = lambda envelope, session: 1 / 0
    try:
        envelope = Envelope.wrap(_updated(uuid.UUID(site["id"]), "Per Kommando"), tenant_id=uuid.UUID(site["id"]))
        publish(federation.broker, envelope.to_dict(), target="federation")
        assert platform.join(timeout=20)
    finally:
        federation.handlers["tenant.updated"] = original
    # Given the command reads the same databases as the running platform
    monkeypatch.setenv("ALTJUNG_VAR_DIR", str(platform.var_dir))
    monkeypatch.delenv("FEDERATION_DATABASE_URL", raising=False)
    # When an operator lists the dead letters
    assert main(["deadletters", "list", "--service", "federation"]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines() if "ZeroDivision" in line]
    assert listed and "tenant.updated" in listed[0] and "ZeroDivisionError" in listed[0]
    letter_id = listed[0].split("\t")[1]
    # And replays that one
    assert main(["deadletters", "replay", "--service", "federation", "--id", letter_id]) == 0
    assert "1 replayed" in capsys.readouterr().out
    assert platform.join(timeout=20)
    with federation.db.session() as session:
        assert session.get(Site, uuid.UUID(site["id"])).name == "Per Kommando"


def test_a_batch_of_events_for_one_site_is_handled_as_if_one_by_one(platform, make_site, caplog):
    from altjung.kit.bus.relay import publish_many
    from altjung.matching.models import SiteConfig

    site = make_site()
    site_id = uuid.UUID(site["id"])
    matching = platform.runtimes["matching"]
    # Given two events about the same site that each create-or-update its row
    first = Envelope.wrap(_updated(site_id, "Erster"), tenant_id=site_id).to_dict()
    second = Envelope.wrap(TenantUpdated(tenant_id=site_id, slug="bus-batch", name="Zweiter", bundesland="DE-BY",
                                         status="active"), tenant_id=site_id).to_dict()
    # When the relay sends them to matching in one message
    assert publish_many(matching.broker, [(first, "matching"), (second, "matching")], batch=50) == 1
    assert platform.join(timeout=20)
    # Then both were handled in that batch (not split for a retry one by one) and the later one wins
    assert not [r for r in caplog.records if "one by one" in r.getMessage()]
    with matching.db.session() as session:
        assert session.get(SiteConfig, site_id).slug == "bus-batch"
        handled = session.scalar(select(func.count()).select_from(ProcessedEvent).where(
            ProcessedEvent.event_id.in_([uuid.UUID(first["id"]), uuid.UUID(second["id"])])))
    assert handled == 2
    assert [d for d in list_dead_letters(matching.db) if str(d.event_id) in (first["id"], second["id"])] == []
