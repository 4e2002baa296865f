"""Nothing lost, nothing twice: processes SIGKILLed at every step of the outbox → bus → consumer path."""

from __future__ import annotations

import uuid

import psycopg
import requests

from infra.local.stack import PG_ADMIN
from tests.integration.conftest import eventually, mint
from tests.support import mails_to


def count(stack, service: str, sql: str, **params) -> int:
    dsn = PG_ADMIN.rsplit("/", 1)[0] + "/" + stack.database(service)
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql, params).fetchone()[0]


def test_every_event_has_its_effect_exactly_once_when_processes_are_killed(fresh_stack, tmp_path):
    # Given a production-shaped platform in which each step of the path is armed to die once:
    flags = {name: tmp_path / f"{name}.fired" for name in
             ("web_after_commit", "relay_after_publish", "consumer_before_commit", "consumer_after_commit",
              "mailer_after_commit")}
    stack = fresh_stack(faults={
        # the tenants web process dies after its commit, before it publishes
        "tenants-web": f"publish.before@{flags['web_after_commit']}",
        # the tenants worker's relay dies after enqueuing, before it marks the rows published
        "tenants-worker": f"publish.after@{flags['relay_after_publish']}",
        # federation's consumer dies inside the handler's transaction, before commit
        "federation-worker": f"consume.before_commit@{flags['consumer_before_commit']}",
        # identity's consumer dies after its commit (the invitation + user.invited are in), before the ack
        "identity-worker": f"consume.after_commit@{flags['consumer_after_commit']}",
        # notifications dies after recording the mail, before the ack
        "notifications-worker": f"consume.after_commit@{flags['mailer_after_commit']}",
    })
    admin = mint(stack, "platform_admin")
    slug = f"crash-{uuid.uuid4().hex[:6]}"
    # When a platform admin creates a partner site (the request itself dies with its process)
    try:
        response = requests.post(f"{stack.url('tenants')}/api/v1/partner-sites", timeout=10,
                                 headers={"Authorization": f"Bearer {admin}"},
                                 json={"slug": slug, "name": "Standort Absturz", "bundesland": "DE-BE",
                                       "first_coordinator_email": f"k@{slug}.example"})
        assert response.status_code in (201, 502), response.text
    except requests.ConnectionError:
        pass  # the worker was SIGKILLed after the commit: the client sees a dropped connection
    # Then, after the supervisor restarted what died, every effect happened exactly once
    viewer = mint(stack, "federation_viewer")

    def federation_lists_it():
        sites = requests.get(f"{stack.url('federation')}/api/v1/partner-sites", timeout=5,
                             headers={"Authorization": f"Bearer {viewer}"}).json()
        return [s for s in sites if s["slug"] == slug]

    assert len(eventually(federation_lists_it, timeout=60)) == 1
    eventually(lambda: mails_to(stack.root / "mail", f"k@{slug}.example"), timeout=60)
    site_id = federation_lists_it()[0]["site_id"]
    assert count(stack, "tenants", "SELECT count(*) FROM partner_sites WHERE slug = %(s)s", s=slug) == 1
    assert count(stack, "identity", "SELECT count(*) FROM bus_outbox WHERE type = 'user.invited' "
                 "AND envelope->>'tenant_id' = %(t)s", t=site_id) == 1
    # every armed fault really fired
    assert {name for name, flag in flags.items() if flag.exists()} == set(flags)
    # and the duplicates the crashes caused were absorbed: still one mail, no dead letters
    eventually(lambda: count(stack, "notifications", "SELECT count(*) FROM bus_processed") >= 1)
    assert len(mails_to(stack.root / "mail", f"k@{slug}.example")) == 1
    for service in ("identity", "notifications", "federation"):
        assert count(stack, service, "SELECT count(*) FROM bus_dead_letters") == 0


def test_a_message_that_keeps_killing_its_worker_is_quarantined(fresh_stack):
    # Given matching's consumer dies on every message it touches (no flag file: it fires every time)
    stack = fresh_stack(faults={"matching-worker": "consume.before_commit"})
    admin = mint(stack, "platform_admin")
    slug = f"poison-{uuid.uuid4().hex[:6]}"
    # When a partner site is created (matching is one of tenant.created's subscribers)
    response = requests.post(f"{stack.url('tenants')}/api/v1/partner-sites", timeout=10,
                             headers={"Authorization": f"Bearer {admin}"},
                             json={"slug": slug, "name": "Standort Gift", "bundesland": "DE-HB",
                                   "first_coordinator_email": f"k@{slug}.example"})
    assert response.status_code == 201
    site_id = response.json()["id"]
    # Then after a few killed deliveries, our own attempt count moves it to the dead-letter store
    sql = ("SELECT count(*) FROM bus_dead_letters WHERE event_type = 'tenant.created' "
           "AND reason LIKE 'quarantined%%' AND envelope->>'tenant_id' = %(t)s")
    eventually(lambda: count(stack, "matching", sql, t=site_id) == 1, timeout=90)
    # And the other services were not held up by it
    assert count(stack, "identity", "SELECT count(*) FROM bus_outbox WHERE type = 'user.invited' "
                 "AND envelope->>'tenant_id' = %(t)s", t=site_id) == 1
