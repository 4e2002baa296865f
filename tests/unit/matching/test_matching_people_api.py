"""Mentors and mentees over HTTP: registration, status history, screening, police certificate, lists,
optimistic concurrency and erasure."""

from __future__ import annotations

import datetime as dt

import pytest
from matching_api import MENTEE, MENTOR, TODAY, certify, events_of, new_mentee, new_mentor, new_site, ok


@pytest.fixture(scope="module")
def site(api, make_site, token_for):
    return new_site(api, make_site, token_for)


def test_registering_a_mentor_makes_an_applicant_with_a_place_and_history(site, platform):
    # When staff register a mentor with a Köln postcode
    mentor = ok(site.post("/mentors", MENTOR, token=site.staff), 201)
    # Then the mentor is an applicant, placed at the postcode's centre, and the ETag is its version
    assert mentor["status"] == "applicant" and mentor["source"] == "staff"
    assert mentor["lat"] == pytest.approx(50.9385) and mentor["lon"] == pytest.approx(6.959)
    assert mentor["screening"]["missing"] == ["interview", "training", "agreement", "consent"]
    assert mentor["police_certificate"]["seen"] is False
    history = ok(site.get(f"/mentors/{mentor['id']}/history"))
    assert [(h["from_status"], h["to_status"], h["changed_by"]) for h in history] == [
        (None, "applicant", "test-staff")]
    # And mentor.registered carries ids and categories only
    (event,) = [e for e in events_of(platform, site.id, "mentor.registered") if e["mentor_id"] == mentor["id"]]
    assert set(event) == {"type", "mentor_id", "birth_year", "registered_on"}


def test_a_profile_has_no_field_for_special_categories(site):
    # Religion, health or ethnicity have no field: sending one is refused, nothing is stored
    for field, value in (("religion", "muslim"), ("health", "diabetes"), ("ethnicity", "x")):
        response = site.post("/mentees", {**MENTEE, field: value})
        assert response.status_code == 422, response.text
        assert field in response.json()["errors"]["json"]


def test_status_changes_follow_the_screening_and_keep_who_when_why(site, platform):
    mentor = ok(site.post("/mentors", MENTOR), 201)
    url = f"/mentors/{mentor['id']}"
    # Given an applicant without an interview, it cannot be screened yet
    refused = site.post(f"{url}/status", {"status": "screened", "version": mentor["version"]})
    assert refused.status_code == 409 and refused.json()["missing"] == ["interview", "consent"]
    # and it can never jump to active
    assert site.post(f"{url}/status", {"status": "active", "version": mentor["version"]}).status_code == 409
    # When the checklist is completed step by step
    day = TODAY.isoformat()
    mentor = ok(site.patch(f"{url}/screening", {"interview_on": day, "consent_on": day,
                                                "consent_text_version": "2026-01", "consent_language": "de",
                                                "version": mentor["version"]}))
    mentor = ok(site.post(f"{url}/status", {"status": "screened", "reason": "Gespräch gut",
                                            "version": mentor["version"]}))
    assert site.post(f"{url}/status", {"status": "active", "version": mentor["version"]}).json()["missing"] == [
        "training", "agreement"]
    mentor = ok(site.patch(f"{url}/screening", {"training_on": day, "training_hours": 8, "agreement_on": day,
                                                "version": mentor["version"]}))
    mentor = ok(site.post(f"{url}/status", {"status": "active", "reason": "Schulung besucht",
                                            "version": mentor["version"]}))
    # Then the history says who changed what, when and why, and each step was an event
    history = ok(site.get(f"{url}/history"))
    assert [(h["to_status"], h["reason"]) for h in history] == [
        ("applicant", ""), ("screened", "Gespräch gut"), ("active", "Schulung besucht")]
    assert all(h["changed_by"] == "test-coordinator" and h["changed_at"] for h in history[1:])
    changes = [e for e in events_of(platform, site.id, "mentor.status_changed") if e["mentor_id"] == mentor["id"]]
    assert [e["status"] for e in changes] == ["screened", "active"]


def test_police_certificate_is_a_record_of_seeing_it_and_must_be_fresh_when_seen(site):
    mentor = new_mentor(site)
    url = f"/mentors/{mentor['id']}/police-certificate"
    # A certificate issued four months before it was seen is refused
    old = site.put(url, {"issued_on": (TODAY - dt.timedelta(days=125)).isoformat(), "seen_on": TODAY.isoformat(),
                         "version": mentor["version"]})
    assert old.status_code == 422 and old.json()["code"] == "certificate_too_old"
    # A document or its contents cannot be sent at all
    assert site.put(url, {"issued_on": TODAY.isoformat(), "seen_on": TODAY.isoformat(), "document": "x",
                          "version": mentor["version"]}).status_code == 422
    # A fresh one is recorded with issue date, date seen and the entry flag, valid and due in five years
    issued = TODAY - dt.timedelta(days=30)
    mentor = certify(site, mentor, issued=issued)
    cert = mentor["police_certificate"]
    assert cert == {"seen": True, "issued_on": issued.isoformat(), "seen_on": TODAY.isoformat(),
                    "has_relevant_entry": False, "valid": True,
                    "due_on": issued.replace(year=issued.year + 5).isoformat()}


def test_every_update_needs_the_current_version(site):
    mentee = ok(site.post("/mentees", MENTEE), 201)
    url = f"/mentees/{mentee['id']}"
    # Without a version: 428; with the current one (If-Match): changed, new ETag
    assert site.patch(url, {"phone": "0221 123"}).status_code == 428
    changed = site.patch(url, {"phone": "0221 123"}, headers={"If-Match": f'"{mentee["version"]}"'})
    assert changed.status_code == 200, changed.text
    assert changed.headers["ETag"] == f'"{mentee["version"] + 1}"'
    # A second writer with the old version is refused with 412 and changes nothing
    for call in (lambda: site.patch(url, {"phone": "0"}, headers={"If-Match": f'"{mentee["version"]}"'}),
                 lambda: site.post(f"{url}/status", {"status": "waiting", "version": mentee["version"]}),
                 lambda: site.post(f"{url}/erasure", {"version": mentee["version"]})):
        stale = call()
        assert stale.status_code == 412, stale.text
        assert stale.headers["Content-Type"] == "application/problem+json"
    assert ok(site.get(url))["phone"] == "0221 123"


def test_lists_filter_and_page_with_a_cursor(api, make_site, token_for):
    site = new_site(api, make_site, token_for)
    for first, languages, group, waited in (("Olena", {"uk": "native", "de": "A2"}, "refugee", 200),
                                            ("Oksana", {"uk": "native", "de": "A2"}, "single_parent", 10),
                                            ("Emre", {"tr": "native", "de": "B2"}, "migration_background", 90),
                                            ("Kevin", {"de": "native"}, "low_formal_education", 400)):
        new_mentee(site, first_name=first, last_name="Test", languages=languages, target_group=group,
                   waiting_since=(TODAY - dt.timedelta(days=waited)).isoformat())
    ok(site.post("/mentees", {**MENTEE, "first_name": "Bewerberin"}), 201)

    def names(**query) -> list[str]:
        return [m["first_name"] for m in ok(site.get("/mentees", params=query))["items"]]

    assert names(language="uk") == ["Oksana", "Olena"]
    assert names(status="applicant") == ["Bewerberin"]
    assert names(target_group="migration_background") == ["Emre"]
    assert names(q="ksa") == ["Oksana"]
    assert names(waiting_min_days=90, status="waiting") == ["Emre", "Kevin", "Olena"]
    assert names(waiting_max_days=100, status="waiting") == ["Emre", "Oksana"]
    assert names(status="applicant", in_status_min_days=0) == ["Bewerberin"]
    assert names(status="applicant", in_status_min_days=7) == []  # registered just now
    # pages of two, each picking up after the last
    seen, cursor = [], None
    while True:
        page = ok(site.get("/mentees", params={"limit": 2, **({"cursor": cursor} if cursor else {})}))
        seen += [m["first_name"] for m in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["Bewerberin", "Emre", "Kevin", "Oksana", "Olena"]
    assert site.get("/mentees", params={"cursor": "kaputt"}).status_code == 422


def test_erasure_wipes_the_person_and_contact_lookups_find_nothing(site, platform, api, token_for):
    mentor = new_mentor(site, first_name="Zu", last_name="Löschen")
    mentor = certify(site, mentor)
    service = token_for("service", site.id, scope="people:contact")
    contact = ok(api.get(f"/matching/api/v1/contacts/mentors/{mentor['id']}", token=service))
    assert contact == {"email": MENTOR["email"], "first_name": "Zu", "language": "de"}
    # Staff may not erase; a coordinator may
    assert site.post(f"/mentors/{mentor['id']}/erasure", {"version": mentor["version"]},
                     token=site.staff).status_code == 403
    erased = ok(site.post(f"/mentors/{mentor['id']}/erasure", {"version": mentor["version"]}))
    assert erased["erased"] and erased["status"] == "left"
    assert (erased["first_name"], erased["last_name"], erased["email"], erased["postcode"], erased["lat"]) == (
        "", "", "", "", None)
    assert erased["police_certificate"]["seen"] is False
    assert api.get(f"/matching/api/v1/contacts/mentors/{mentor['id']}", token=service).status_code == 404
    assert {"type": "person.erased", "person_kind": "mentor", "person_id": mentor["id"]} in events_of(
        platform, site.id, "person.erased")
    assert mentor["id"] not in [m["id"] for m in ok(site.get("/mentors"))["items"]]


def test_the_contact_lookup_needs_the_scope(site, api, token_for):
    mentee = new_mentee(site)
    url = f"/matching/api/v1/contacts/mentees/{mentee['id']}"
    assert api.get(url, token=site.token).status_code == 403
    assert api.get(url, token=token_for("service", site.id, scope="mentees:read")).status_code == 403
    assert ok(api.get(url, token=token_for("service", site.id, scope="people:contact")))["first_name"] == "Amal"
