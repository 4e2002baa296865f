"""The BaS view on the production shape: several sites driven through registrations, matches and ends
(events published through a scratch service's outbox and relay, as matching will), every figure checked."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import psycopg
import pytest
import requests
from sqlalchemy import create_engine

from altjung.events import event_class
from altjung.kit.bus import record
from altjung.kit.bus.broker import get_broker
from altjung.kit.bus.models import bus_metadata
from altjung.kit.bus.relay import Relay
from altjung.kit.db import Database
from altjung.kit.settings import Settings
from altjung.kit.tenancy import tenant_context
from infra.local.stack import PG_ADMIN
from tests.integration.conftest import eventually, mint

YEAR = 2024
#: What each site does in YEAR: Tandems started (month, target group), ended (month, reason), and
#: mentees left waiting. Mentors: born 1950 (65–74), registered in January, screened in February,
#: active from March; mentees born 2005 (18–26), registered in January.
PLAN = {
    "a": {"land": "DE-BY", "started": 6, "start": "03-15", "group": "refugee", "ended": 2, "end": "09-30",
          "reason": "no_time", "waiting": 0},
    "b": {"land": "DE-BY", "started": 5, "start": "04-15", "group": "low_formal_education", "ended": 0,
          "end": None, "reason": None, "waiting": 0},
    "c": {"land": "DE-HB", "started": 7, "start": "05-15", "group": "refugee", "ended": 5, "end": "11-20",
          "reason": "goal_reached", "waiting": 2},
}


def expected(plan: dict) -> dict[str, int]:
    return {"started": plan["started"], "ended": plan["ended"], "active": plan["started"] - plan["ended"],
            "proposed": plan["started"], "mentors_applied": plan["started"], "mentors_screened": plan["started"],
            "mentors_active": plan["started"], "mentees_applied": plan["started"] + plan["waiting"],
            "mentees_waiting": plan["waiting"]}


@pytest.fixture
def publisher(stack) -> Iterator:
    """A scratch service: its own database with an outbox, relayed to the stack's Redis."""
    name = f"aj_scratch_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/" + name
    engine = create_engine(url)
    bus_metadata.create_all(engine)
    engine.dispose()
    db = Database(url)
    broker = get_broker(Settings.from_env("scratch", database_url=url, broker_url=stack.broker_url))
    relay = Relay(db=db, broker=broker, service="scratch")

    def publish(site: str, type_: str, **payload) -> None:
        with tenant_context(uuid.UUID(site)), db.session() as session:
            record(session, event_class(type_).from_payload(payload), tenant_id=uuid.UUID(site))
            session.commit()

    publish.relay = relay  # type: ignore[attr-defined]
    yield publish
    db.dispose()
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drive(publish, site: str, plan: dict) -> list[str]:
    day = lambda md: f"{YEAR}-{md}"
    pairs, mentees = [], []
    for n in range(plan["started"] + plan["waiting"]):
        mentee = str(uuid.uuid4())
        mentees.append(mentee)
        publish(site, "mentee.registered", mentee_id=mentee, target_group=plan["group"], birth_year=2005,
                registered_on=day("01-10"))
        if n < plan["started"]:
            mentor = str(uuid.uuid4())
            publish(site, "mentor.registered", mentor_id=mentor, birth_year=1950, registered_on=day("01-05"))
            publish(site, "mentor.status_changed", mentor_id=mentor, status="screened", changed_on=day("02-01"))
            publish(site, "mentor.status_changed", mentor_id=mentor, status="active", changed_on=day("03-01"))
            pairs.append((str(uuid.uuid4()), mentor, mentee))
    for n, (patenschaft, mentor, mentee) in enumerate(pairs):
        # the end is published before the start and the start before the proposal: out of order on purpose
        if n < plan["ended"]:
            publish(site, "patenschaft.ended", patenschaft_id=patenschaft, ended_on=day(plan["end"]),
                    reason=plan["reason"], planned=False)
        publish(site, "patenschaft.started", patenschaft_id=patenschaft, mentor_id=mentor, mentee_id=mentee,
                started_on=day(plan["start"]), target_group=plan["group"])
        publish(site, "patenschaft.proposed", patenschaft_id=patenschaft, mentor_id=mentor, mentee_id=mentee,
                proposed_on=day("03-01"))
    publish.relay.drain()  # type: ignore[attr-defined]
    return mentees


def api(stack, path: str, token: str, **params) -> dict:
    response = requests.get(f"{stack.url('federation')}/api/v1{path}", params=params, timeout=20,
                            headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return response.json()


def check(cell: dict | None, value: int, where: str) -> None:
    """A shown figure is the number created; a count from 1 to 4 is never shown."""
    assert cell is not None, where
    if cell["suppressed"]:
        assert cell["value"] is None, where
    else:
        assert cell["value"] == value, (where, cell, value)
    if 0 < value < 5:
        assert cell["suppressed"], (where, value)


def test_the_federation_view_shows_the_numbers_the_sites_created(stack, publisher):
    admin, viewer = mint(stack, "platform_admin"), mint(stack, "federation_viewer")
    sites = {}
    for key, plan in PLAN.items():
        slug = f"fed-{key}-{uuid.uuid4().hex[:6]}"
        response = requests.post(f"{stack.url('tenants')}/api/v1/partner-sites", timeout=10,
                                 headers={"Authorization": f"Bearer {admin}"},
                                 json={"slug": slug, "name": f"Seniorenbüro {key.upper()} {slug}",
                                       "bundesland": plan["land"], "first_coordinator_email": f"k@{slug}.example"})
        assert response.status_code == 201, response.text
        sites[key] = response.json()["id"]
    # When each site registers, matches and ends, as its events say
    mentees = {key: drive(publisher, sites[key], plan) for key, plan in PLAN.items()}

    # Then each site's own coordinator sees exactly its numbers, unsuppressed
    def own_figures_arrived():
        for key, plan in PLAN.items():
            body = api(stack, f"/partner-sites/{sites[key]}/figures", mint(stack, "coordinator", sites[key]),
                       year=YEAR)
            if {k: body["figures"][k]["value"] for k in expected(plan)} != expected(plan):
                return False
        return True

    eventually(own_figures_arrived, timeout=60)
    for key, plan in PLAN.items():
        own = api(stack, f"/partner-sites/{sites[key]}/figures", mint(stack, "coordinator", sites[key]), year=YEAR)
        assert own["suppressed"] is False
        assert own["breakdowns"]["started_by_target_group"] == {plan["group"]: {"value": plan["started"],
                                                                                "suppressed": False}}
        assert own["breakdowns"]["started_by_mentor_age"] == {"65_74": {"value": plan["started"],
                                                                        "suppressed": False}}
        assert own["breakdowns"]["started_by_mentee_age"] == {"18_26": {"value": plan["started"],
                                                                        "suppressed": False}}
        if plan["ended"]:
            assert own["breakdowns"]["ended_by_reason"] == {plan["reason"]: {"value": plan["ended"],
                                                                             "suppressed": False}}
            assert own["figures"]["share_ended_early_percent"]["value"] in (100, None)
        months = {m["month"]: m["figures"] for m in own["months"]}
        assert months[f"{YEAR}-{plan['start'][:2]}"]["started"]["value"] == plan["started"]
        assert months[f"{YEAR}-12"]["active"]["value"] == plan["started"] - plan["ended"]

    # And the BaS sees every site's row as created, with the small numbers hidden
    rows = {r["site_id"]: r["figures"] for r in api(stack, "/figures/sites", viewer, year=YEAR)["sites"]}
    for key, plan in PLAN.items():
        for measure, value in expected(plan).items():
            check(rows[sites[key]][measure], value, f"site {key} {measure}")
    # And the federation's totals add up to what all sites created
    everyone = {m: sum(expected(p)[m] for p in PLAN.values()) for m in expected(PLAN["a"])}
    totals = api(stack, "/figures/totals", viewer, year=YEAR)
    mine = set(sites.values())
    others = [f for sid, f in rows.items() if sid not in mine]
    assert all(f["started"]["value"] in (0, None) for f in others)  # other tests' sites made no Patenschaft then
    for measure in ("started", "ended", "active", "proposed"):
        check(totals["figures"][measure], everyone[measure], f"total {measure}")
    assert totals["figures"]["started"] == {"value": 18, "suppressed": False}
    check(totals["breakdowns"]["started_by_target_group"]["refugee"], 13, "refugee")
    check(totals["breakdowns"]["started_by_mentor_age"]["65_74"], 18, "mentor age 65-74")
    # And a Land's view holds its sites only
    bremen = api(stack, "/figures/sites", viewer, year=YEAR, bundesland="DE-HB")["sites"]
    assert sites["c"] in {r["site_id"] for r in bremen} and sites["a"] not in {r["site_id"] for r in bremen}
    # And the monthly series shows each month's starts where they are not small
    months = {p["month"]: p["figures"] for p in api(stack, "/figures/series", viewer, year=YEAR)["points"]}
    for key, plan in PLAN.items():
        check(months[f"{YEAR}-{plan['start'][:2]}"]["started"], plan["started"], f"series {key}")
    check(months[f"{YEAR}-12"]["active"], everyone["active"], "series active at year end")
    # And the funder report names the period, when it was made and from which data
    report = requests.get(f"{stack.url('federation')}/api/v1/reports/funder", timeout=20,
                          params={"year": YEAR, "format": "csv"}, headers={"Authorization": f"Bearer {viewer}"})
    text = report.content.decode("utf-8-sig")
    assert f"Berichtszeitraum;Januar {YEAR} bis Dezember {YEAR}" in text and "Datenstand" in text
    assert "Begonnene Patenschaften;18" in text

    # When a mentee's data is erased, and the read model is rebuilt from the stored events
    publisher(sites["c"], "person.erased", person_kind="mentee", person_id=mentees["c"][-1])
    publisher.relay.drain()  # type: ignore[attr-defined]
    before = api(stack, "/figures/sites", viewer, year=YEAR)
    env = {**os.environ, **stack.env("federation")}
    done = subprocess.run([sys.executable, "-m", "altjung.kit.cli", "federation-rebuild"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "events replayed" in done.stdout
    # Then every figure is what it was
    after = api(stack, "/figures/sites", viewer, year=YEAR)
    assert after["sites"] == before["sites"]
