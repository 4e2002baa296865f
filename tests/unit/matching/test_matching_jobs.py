"""Scheduled jobs: overdue check-ins announced once per period, applicants stuck in screening for 7 and
14 days, police certificate records deleted when they may no longer be kept; the `altjung` command."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from matching_api import TODAY, certify, events_of, new_mentee, new_mentor, new_site, ok, propose, start
from sqlalchemy import update

from altjung.kit.cli import main
from altjung.kit.tenancy import tenant_context
from altjung.matching import jobs
from altjung.matching.domain.profiles import add_months
from altjung.matching.models import Patenschaft


@pytest.fixture
def site(api, make_site, token_for):
    return new_site(api, make_site, token_for)


def run(platform, site, on: dt.date, *names: str) -> dict[str, int]:
    return jobs.run_site(platform.runtimes["matching"].db, uuid.UUID(site.id), on=on, jobs=names or jobs.JOBS)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def test_an_overdue_tandem_is_listed_and_announced_once_per_period(site, platform):
    # Given a Tandem that started today with no staff contact since
    p = start(site, propose(site, new_mentor(site), new_mentee(site)))
    # When the daily job runs in 10 days, nothing is due yet (first contact by day 14)
    assert run(platform, site, days(10), "overdue") == {"overdue": 0}
    # On day 20 it is overdue since day 14: announced once, however often the job runs
    assert run(platform, site, days(20), "overdue") == {"overdue": 1}
    assert run(platform, site, days(20), "overdue") == {"overdue": 0}
    assert run(platform, site, days(27), "overdue") == {"overdue": 0}
    (event,) = events_of(platform, site.id, "checkin.overdue")
    assert event == {"type": "checkin.overdue", "patenschaft_id": p["id"], "due_since": days(14).isoformat(),
                     "period": days(14).isoformat()}


def test_the_overdue_list_follows_the_cadence(site, platform):
    p = start(site, propose(site, new_mentor(site), new_mentee(site)))
    # move the start 20 days back (the API only takes past dates after the proposal)
    with tenant_context(uuid.UUID(site.id)), platform.runtimes["matching"].db.session() as session:
        session.execute(update(Patenschaft).where(Patenschaft.id == uuid.UUID(p["id"])).values(
            started_on=days(-20), proposed_on=days(-25)))
        session.commit()
    (overdue,) = ok(site.get("/patenschaften/overdue"))
    assert (overdue["patenschaft"]["id"], overdue["due_since"], overdue["days_overdue"]) == (
        p["id"], days(-6).isoformat(), 6)
    # One contact today: the second one of the first month is due at its end (day 28), so not overdue now
    ok(site.post(f"/patenschaften/{p['id']}/checkins", {"kind": "in_depth", "with_whom": "mentee"}), 201)
    assert ok(site.get("/patenschaften/overdue")) == []


def test_applicants_stuck_in_screening_are_announced_at_7_and_14_days(site, platform):
    mentor = ok(site.post("/mentors", {"first_name": "Wartet", "postcode": "50667"}), 201)
    mentee = new_mentee(site, waiting=False)
    new_mentor(site)  # active: not stuck
    assert run(platform, site, days(6), "stalled") == {"stalled": 0}
    assert run(platform, site, days(7), "stalled") == {"stalled": 2}
    assert run(platform, site, days(9), "stalled") == {"stalled": 0}
    assert run(platform, site, days(14), "stalled") == {"stalled": 2}
    stalled = events_of(platform, site.id, "screening.stalled")
    assert sorted((e["person_kind"], e["person_id"], e["days"]) for e in stalled) == sorted([
        ("mentor", mentor["id"], 7), ("mentee", mentee["id"], 7), ("mentor", mentor["id"], 14),
        ("mentee", mentee["id"], 14)])
    assert {e["status"] for e in stalled} == {"applicant"}


def test_certificate_records_go_three_months_after_the_last_tandem_or_when_someone_never_starts(site, platform):
    # A mentor who leaves without ever starting: the record goes at once
    never = certify(site, new_mentor(site))
    left = ok(site.post(f"/mentors/{never['id']}/status", {"status": "left", "version": never["version"]}))
    assert left["police_certificate"]["seen"] is False
    # A mentor whose only Tandem ended today: kept for three months, then deleted by the job
    mentor = certify(site, new_mentor(site))
    p = start(site, propose(site, mentor, new_mentee(site)))
    ok(site.post(f"/patenschaften/{p['id']}/end", {"reason": "goal_reached", "planned": True,
                                                  "goals_reached": "yes", "version": p["version"]}))
    assert run(platform, site, days(60), "certificates") == {"certificates": 0}
    assert ok(site.get(f"/mentors/{mentor['id']}"))["police_certificate"]["seen"] is True
    three_months = add_months(TODAY, 3)
    assert run(platform, site, three_months - dt.timedelta(days=1), "certificates") == {"certificates": 0}
    assert run(platform, site, three_months, "certificates") == {"certificates": 1}
    assert ok(site.get(f"/mentors/{mentor['id']}"))["police_certificate"]["seen"] is False
    # An active mentor who has not started yet keeps the record
    waiting = certify(site, new_mentor(site))
    assert run(platform, site, days(400), "certificates") == {"certificates": 0}
    assert ok(site.get(f"/mentors/{waiting['id']}"))["police_certificate"]["seen"] is True


def test_a_suspended_site_gets_no_reminders_but_retention_still_runs(site, platform, api, admin_token):
    start(site, propose(site, new_mentor(site), new_mentee(site)))
    ok(api.post(f"/tenants/api/v1/partner-sites/{site.id}/suspension", token=admin_token, json={}))
    assert platform.join(timeout=20)
    assert run(platform, site, days(30)) == {"certificates": 0, "retention": 0}
    assert events_of(platform, site.id, "checkin.overdue") == []


def test_people_who_left_are_erased_after_the_retention_period(site, platform):
    # Given a mentee whose Tandem ended today and who left, and a mentor still active
    mentor, mentee = new_mentor(site), new_mentee(site)
    p = start(site, propose(site, mentor, mentee))
    ok(site.post(f"/patenschaften/{p['id']}/end", {"reason": "goal_reached", "planned": True,
                                                  "goals_reached": "mostly", "version": p["version"]}))
    assert ok(site.get(f"/mentees/{mentee['id']}"))["status"] == "left"
    # Then nothing is erased within the site's retention period (default 365 days after the end)
    assert run(platform, site, days(364), "retention") == {"retention": 0}
    # and after it the mentee is erased (person.erased), the active mentor is not
    assert run(platform, site, days(365), "retention") == {"retention": 1}
    assert ok(site.get(f"/mentees/{mentee['id']}"))["erased"] is True
    assert ok(site.get(f"/mentors/{mentor['id']}"))["erased"] is False
    assert [e["person_id"] for e in events_of(platform, site.id, "person.erased")] == [mentee["id"]]


def test_the_jobs_are_an_altjung_command(site, platform, monkeypatch, capsys):
    ok(site.post("/mentors", {"first_name": "Kommando", "postcode": "50667"}), 201)
    monkeypatch.setenv("MATCHING_DATABASE_URL", platform.runtimes["matching"].settings.database_url)
    assert main(["matching-jobs", "--job", "stalled", "--on", days(8).isoformat()]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"{site.id}\tstalled=1" in lines
