"""The kit's site-status table: fed by tenant events in every service, read by the token guard."""

from __future__ import annotations

import datetime as dt
import types
import uuid

import pytest
from flask import Flask

from altjung.events import Envelope
from altjung.events.catalogue import TenantArchived, TenantReactivated, TenantSuspended
from altjung.kit import site_status
from altjung.kit.db import Database
from altjung.kit.problems import init_problems

SITE = uuid.uuid4()
T0 = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def db(tmp_path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'svc.db'}")
    site_status.site_status_metadata.create_all(database.engine)
    yield database
    database.dispose()


def deliver(db: Database, event, *, at: dt.datetime) -> None:
    envelope = Envelope.wrap(event, tenant_id=event.tenant_id, occurred_at=at)
    with db.session() as session:
        site_status.when_tenant_status_changed_record_site_status(envelope, session)
        session.commit()


def status(db: Database) -> str:
    with db.session() as session:
        return site_status.status_of(session, SITE)


def test_a_site_never_suspended_is_active(db):
    with db.session() as session:
        assert site_status.is_active(session, uuid.uuid4())


def test_events_set_the_status_and_a_late_older_event_changes_nothing(db):
    deliver(db, TenantSuspended(tenant_id=SITE, reason="contract_paused"), at=T0)
    assert status(db) == "suspended"
    deliver(db, TenantReactivated(tenant_id=SITE), at=T0 + dt.timedelta(minutes=1))
    assert status(db) == "active"
    # the suspension is redelivered after the reactivation: the newer change stands
    deliver(db, TenantSuspended(tenant_id=SITE, reason="contract_paused"), at=T0)
    assert status(db) == "active"
    deliver(db, TenantArchived(tenant_id=SITE), at=T0 + dt.timedelta(minutes=2))
    with db.session() as session:
        assert site_status.status_of(session, SITE) == "archived"
        assert not site_status.is_active(session, SITE)


def test_the_kit_handler_is_merged_into_every_subscribed_service_and_runs_before_its_own(db):
    calls: list[str] = []
    merged = site_status.merge_handlers("matching", {"tenant.suspended": lambda e, s: calls.append("own")})
    assert set(site_status.STATUS_BY_EVENT) <= set(merged)
    envelope = Envelope.wrap(TenantSuspended(tenant_id=SITE, reason="x"), tenant_id=SITE, occurred_at=T0)
    with db.session() as session:
        merged["tenant.suspended"](envelope, session)
        session.commit()
    assert calls == ["own"] and status(db) == "suspended"
    # the portal has no worker, so nothing is routed to it and nothing is merged
    assert site_status.merge_handlers("portal", {}) == {}


@pytest.fixture
def guarded(db):
    app = Flask("svc")
    init_problems(app)
    runtime = types.SimpleNamespace(db=db, settings=types.SimpleNamespace(extra={"site_status_ttl": 0}))
    site_status.init_app(app, runtime)
    guard = app.extensions["altjung_token_guard"]

    @app.route("/thing", methods=["GET", "POST"])
    def thing():
        return "ok" if guard({"tenant": str(SITE), "sub": "x"}) else ("refused", 401)

    return app.test_client()


def test_the_guard_refuses_a_suspended_sites_tokens_and_lets_them_in_again(db, guarded):
    assert guarded.get("/thing").status_code == 200
    deliver(db, TenantSuspended(tenant_id=SITE, reason="x"), at=T0)
    assert guarded.get("/thing").status_code == 401
    deliver(db, TenantReactivated(tenant_id=SITE), at=T0 + dt.timedelta(seconds=1))
    assert guarded.get("/thing").status_code == 200


def test_the_guard_keeps_an_archived_site_read_only(db, guarded):
    deliver(db, TenantArchived(tenant_id=SITE), at=T0)
    assert guarded.get("/thing").status_code == 200
    response = guarded.post("/thing")
    assert response.status_code == 423
    assert response.mimetype == "application/problem+json"


def test_the_guard_wraps_a_guard_installed_before_it(db):
    app = Flask("svc")
    app.extensions["altjung_token_guard"] = lambda claims: claims.get("sub") != "banned"
    site_status.init_app(app, types.SimpleNamespace(db=db, settings=types.SimpleNamespace(extra={})))
    guard = app.extensions["altjung_token_guard"]
    with app.test_request_context("/"):
        assert guard({"sub": "ok", "tenant": str(SITE)})
        assert not guard({"sub": "banned", "tenant": str(SITE)})
        assert guard({"sub": "admin"})  # a platform token names no site
        assert not guard({"sub": "x", "tenant": "not-a-uuid"})


def test_two_status_events_of_one_site_in_one_transaction_do_not_clash(db):
    # a relay batch hands one site's events to one transaction
    with db.session() as session:
        for event, at in ((TenantSuspended(tenant_id=SITE, reason="x"), T0),
                          (TenantReactivated(tenant_id=SITE), T0 + dt.timedelta(seconds=1))):
            site_status.when_tenant_status_changed_record_site_status(
                Envelope.wrap(event, tenant_id=SITE, occurred_at=at), session)
        session.commit()
    assert status(db) == "active"
