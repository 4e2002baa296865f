"""The Patenschaft lifecycle over HTTP: suggestions with reasons, proposals, start (withdrawing the
mentee's other proposals, never over capacity), decline, check-ins, overdue Tandems, end, batch."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from matching_api import TODAY, certify, events_of, new_mentee, new_mentor, new_site, ok, propose, start


@pytest.fixture
def site(api, make_site, token_for):
    return new_site(api, make_site, token_for)


def test_suggestions_for_a_mentee_carry_reasons_contributions_and_exclusions(site):
    # Given two possible mentors, one nearer with more in common, and one who speaks no shared language
    near = new_mentor(site, first_name="Nah", postcode="50668", interests=["football"])
    far = new_mentor(site, first_name="Fern", postcode="50859", max_distance_km=20)
    new_mentor(site, first_name="Ohne", languages={"de": "native"}, postcode="50668")
    mentee = new_mentee(site, max_distance_km=15, languages={"ar": "native"})
    # When a coordinator asks for suggestions
    result = ok(site.get(f"/mentees/{mentee['id']}/suggestions", params={"k": 5}))
    # Then the nearer mentor comes first, each with reasons in German and English
    assert [s["mentor_id"] for s in result["items"]] == [near["id"], far["id"]]
    best = result["items"][0]
    assert best["mentor_name"] == "Nah Becker"
    assert {c["criterion"] for c in best["contributions"]} == {"needs", "interests", "distance", "availability",
                                                                "waiting"}
    assert best["score"] == pytest.approx(sum(c["points"] for c in best["contributions"]), abs=1e-5)
    assert best["reasons"] and all(r["de"] and r["en"] for r in best["reasons"])
    # And the mentor without a shared language is explained, not silently dropped
    assert result["exclusions"]["pool_size"] == 3 and result["exclusions"]["possible"] == 2
    (excluded,) = result["exclusions"]["by_constraint"]
    assert excluded["constraint"] == "no_shared_language" and excluded["excluded"] == 1
    assert excluded["label"]["de"] == "Keine gemeinsame Sprache"
    # And the other way round: mentees for a mentor
    reverse = ok(site.get(f"/mentors/{near['id']}/suggestions"))
    assert [s["mentee_id"] for s in reverse["items"]] == [mentee["id"]]


def test_the_sites_weights_from_its_settings_are_used(site, api, platform):
    mentor = new_mentor(site)
    mentee = new_mentee(site)
    # When the coordinator sets the site's weights in the tenants service
    settings = ok(api.get("/tenants/api/v1/settings", token=site.token))
    ok(api.patch("/tenants/api/v1/settings", token=site.token, json={
        "settings": {"matching": {"weights": {"needs": 2.0, "interests": 0, "distance": 0, "availability": 0,
                                              "waiting": 0}}}, "version": settings["version"]}))
    assert platform.join(timeout=20)
    # Then matching scores with them (settings.changed reached it)
    (item,) = ok(site.get(f"/mentees/{mentee['id']}/suggestions"))["items"]
    assert item["mentor_id"] == mentor["id"]
    weights = {c["criterion"]: c["weight"] for c in item["contributions"]}
    assert weights == {"needs": 2.0, "interests": 0.0, "distance": 0.0, "availability": 0.0, "waiting": 0.0}


def test_a_minor_needs_a_mentor_with_a_valid_police_certificate(site):
    mentor = new_mentor(site)
    minor = new_mentee(site, birth_year=TODAY.year - 15)
    # Proposing is refused, naming the rule
    refused = site.post("/patenschaften", {"mentor_id": mentor["id"], "mentee_id": minor["id"]})
    assert refused.status_code == 409
    assert refused.json()["constraints"] == ["no_police_certificate"]
    # Once a fresh certificate was seen, the Tandem is possible
    certify(site, mentor)
    assert propose(site, mentor, minor)["status"] == "proposed"


def test_starting_withdraws_the_mentees_other_proposals_and_is_an_event(site, platform):
    first, second = new_mentor(site, capacity=2), new_mentor(site, first_name="Klaus", gender="male")
    mentee = new_mentee(site)
    chosen, other = propose(site, first, mentee), propose(site, second, mentee)
    # the same open pair cannot be proposed twice
    assert site.post("/patenschaften", {"mentor_id": first["id"], "mentee_id": mentee["id"]}).status_code == 409
    # When the coordinator confirms the first Tandem after the first meeting
    started = start(site, chosen, started_on=TODAY.isoformat())
    # Then it runs, the mentee is matched, the other proposal is withdrawn
    assert started["status"] == "started" and started["started_on"] == TODAY.isoformat()
    assert ok(site.get(f"/mentees/{mentee['id']}"))["status"] == "matched"
    assert ok(site.get(f"/mentors/{first['id']}"))["active_tandems"] == 1
    assert ok(site.get(f"/patenschaften/{other['id']}"))["status"] == "withdrawn"
    # And each step is an event with ids, dates and categories only
    types = [e["type"] for e in events_of(platform, site.id, "patenschaft.proposed", "patenschaft.started",
                                           "patenschaft.declined")]
    assert types == ["patenschaft.proposed", "patenschaft.proposed", "patenschaft.started", "patenschaft.declined"]
    (event,) = events_of(platform, site.id, "patenschaft.started")
    assert event == {"type": "patenschaft.started", "patenschaft_id": chosen["id"], "mentor_id": first["id"],
                     "mentee_id": mentee["id"], "started_on": TODAY.isoformat(), "target_group": "refugee"}
    (withdrawn,) = events_of(platform, site.id, "patenschaft.declined")
    assert withdrawn["reason"] == "withdrawn" and withdrawn["patenschaft_id"] == other["id"]
    # A stale or repeated start is refused
    assert site.post(f"/patenschaften/{chosen['id']}/start", {"version": chosen["version"]}).status_code == 412
    assert site.post(f"/patenschaften/{chosen['id']}/start", {"version": started["version"]}).status_code == 409


def test_a_mentors_capacity_is_never_exceeded(site):
    mentor = new_mentor(site, capacity=1)
    one, two = new_mentee(site), new_mentee(site, first_name="Rami")
    p1, p2 = propose(site, mentor, one), propose(site, mentor, two)
    start(site, p1)
    full = site.post(f"/patenschaften/{p2['id']}/start", {"version": p2["version"]})
    assert full.status_code == 409 and full.json()["code"] == "no_capacity"
    assert ok(site.get(f"/mentors/{mentor['id']}"))["active_tandems"] == 1
    assert ok(site.get(f"/mentees/{two['id']}"))["status"] == "waiting"


def test_decline_checkins_overdue_and_end(site, platform):
    mentor, mentee = new_mentor(site, capacity=2), new_mentee(site)
    declined = propose(site, mentor, new_mentee(site, first_name="Noor"))
    out = ok(site.post(f"/patenschaften/{declined['id']}/decline", {"reason": "mentee_declined",
                                                                  "declined_by": "mentee",
                                                                  "version": declined["version"]}))
    assert (out["status"], out["decline_reason"], out["declined_by"]) == ("declined", "mentee_declined", "mentee")
    # A Tandem that started today is not overdue (its cadence is covered in the jobs tests)
    p = start(site, propose(site, mentor, mentee))
    assert ok(site.get("/patenschaften/overdue")) == []
    checkin = ok(site.post(f"/patenschaften/{p['id']}/checkins", {"kind": "quick", "with_whom": "both",
                                                                 "note": "Erstes Treffen im Café"}), 201)
    assert checkin["on"] == TODAY.isoformat()
    assert [c["note"] for c in ok(site.get(f"/patenschaften/{p['id']}/checkins"))] == ["Erstes Treffen im Café"]
    logged = events_of(platform, site.id, "checkin.logged")
    assert logged[-1] == {"type": "checkin.logged", "patenschaft_id": p["id"], "checkin_id": checkin["id"],
                          "on": TODAY.isoformat(), "kind": "quick"}
    # When the Tandem ends early with its assessment, the mentee waits again for another Pate
    p = ok(site.get(f"/patenschaften/{p['id']}"))
    ended = ok(site.post(f"/patenschaften/{p['id']}/end", {"reason": "moved_away", "planned": False,
                                                          "goals_reached": "partly", "mentee_status": "waiting",
                                                          "version": p["version"]}))
    assert (ended["status"], ended["end_reason"], ended["end_planned"], ended["goals_reached"]) == (
        "ended", "moved_away", False, "partly")
    assert ok(site.get(f"/mentors/{mentor['id']}"))["active_tandems"] == 0
    assert ok(site.get(f"/mentees/{mentee['id']}"))["status"] == "waiting"
    assert events_of(platform, site.id, "patenschaft.ended")[-1] == {
        "type": "patenschaft.ended", "patenschaft_id": p["id"], "ended_on": TODAY.isoformat(),
        "reason": "moved_away", "planned": False, "goals_reached": "partly"}
    # Nothing more can be logged or ended
    assert site.post(f"/patenschaften/{p['id']}/checkins", {"kind": "quick", "with_whom": "mentor"}
                     ).status_code == 409
    listed = ok(site.get("/patenschaften", params={"status": "ended,declined"}))["items"]
    assert {x["id"] for x in listed} == {p["id"], declined["id"]}


def test_the_batch_proposal_places_everyone_an_optimal_assignment_can(site, platform):
    # Given two mentors and two mentees where the greedy choice (best pair first) strands one mentee:
    # Kurz can take either mentee, Lang only the one who also speaks Arabic
    kurz = new_mentor(site, first_name="Kurz", postcode="50668", languages={"de": "native", "ar": "B1"})
    lang = new_mentor(site, first_name="Lang", postcode="50667", languages={"ar": "native"})
    both = new_mentee(site, first_name="Beide", postcode="50668", languages={"ar": "native", "de": "A2"})
    german = new_mentee(site, first_name="Deutsch", postcode="50668", languages={"de": "B1"})
    result = ok(site.post("/batch-proposals", {}))
    pairs = {(t["mentor_id"], t["mentee_id"]) for t in result["tandems"]}
    assert pairs == {(lang["id"], both["id"]), (kurz["id"], german["id"])}
    assert result["matched"] == 2 and result["unmatched"] == [] and result["proposed"] == []
    # With propose: true the proposals are created (and a second run does not duplicate them)
    proposed = ok(site.post("/batch-proposals", {"propose": True}))["proposed"]
    assert len(proposed) == 2
    assert ok(site.post("/batch-proposals", {"propose": True}))["proposed"] == []
    assert len(ok(site.get("/patenschaften", params={"status": "proposed"}))["items"]) == 2


def test_concurrent_starts_over_http_never_exceed_capacity(site, api):
    # Given a mentor with two places and eight proposals (PostgreSQL: tests/integration/test_matching_concurrency.py)
    mentor = new_mentor(site, capacity=2)
    proposals = [propose(site, mentor, new_mentee(site, first_name=f"Mentee{i}")) for i in range(8)]
    barrier, outcomes, lock = threading.Barrier(len(proposals)), Counter(), threading.Lock()

    def attempt(p: dict) -> None:
        barrier.wait()
        response = site.post(f"/patenschaften/{p['id']}/start", {"version": p["version"]})
        with lock:
            outcomes[(response.status_code, response.json().get("code"))] += 1

    threads = [threading.Thread(target=attempt, args=(p,)) for p in proposals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # Then two start and six are refused for lack of a place
    assert outcomes == Counter({(200, None): 2, (409, "no_capacity"): 6})
    assert ok(site.get(f"/mentors/{mentor['id']}"))["active_tandems"] == 2


def test_a_person_who_leaves_has_their_open_proposals_withdrawn(site, platform):
    mentor = new_mentor(site, capacity=2)
    p1, p2 = propose(site, mentor, new_mentee(site)), propose(site, mentor, new_mentee(site, first_name="Huda"))
    mentor = ok(site.get(f"/mentors/{mentor['id']}"))
    ok(site.post(f"/mentors/{mentor['id']}/status",
                 {"status": "left", "reason": "Umzug", "version": mentor["version"]}))
    assert {ok(site.get(f"/patenschaften/{p['id']}"))["status"] for p in (p1, p2)} == {"withdrawn"}
    withdrawn = {e["patenschaft_id"] for e in events_of(platform, site.id, "patenschaft.declined")
                 if e["reason"] == "withdrawn"}
    assert withdrawn == {p1["id"], p2["id"]}


def test_a_mentee_nobody_fits_gets_the_reasons_instead(site):
    new_mentor(site, gender="male", first_name="Klaus")
    new_mentor(site, languages={"de": "native"}, first_name="Nur-Deutsch")
    mentee = new_mentee(site, preferred_mentor_gender="female", languages={"ar": "native"})
    result = ok(site.get(f"/mentees/{mentee['id']}/suggestions"))
    assert result["items"] == []
    ex = result["exclusions"]
    assert (ex["pool_size"], ex["possible"]) == (2, 0)
    assert {(e["constraint"], e["excluded"], e["decisive"]) for e in ex["by_constraint"]} == {
        ("no_shared_language", 1, 1), ("gender_preference", 1, 1)}
    assert ex["summary"]["de"].startswith("Von 2 passen 0: ")
    assert ex["summary"]["en"].startswith("Of 2, 0 are possible: ")
    # and the batch says the same about the mentee it cannot place
    (unmatched,) = ok(site.post("/batch-proposals", {}))["unmatched"]
    assert unmatched["mentee_id"] == mentee["id"] and unmatched["possible_mentors"] == 0
    assert unmatched["reason"]["de"] == ex["summary"]["de"]


def test_a_partner_integration_reads_with_its_scope_and_cannot_write(site, token_for):
    mentor = new_mentor(site)
    integration = token_for("service", site.id, scope="mentors:read")
    assert ok(site.get(f"/mentors/{mentor['id']}", token=integration))["id"] == mentor["id"]
    assert site.get("/mentees", token=integration).status_code == 403
    assert site.patch(f"/mentors/{mentor['id']}", {"phone": "1", "version": mentor["version"]},
                      token=integration).status_code == 403
