"""The public interest form: applicants with consent, a spam trap, rate limits, and closed when the site
says so (form closed, target group not taken) or is suspended."""

from __future__ import annotations

import uuid

import pytest
from matching_api import M, events_of, new_site, ok

FORM = {"kind": "mentor", "first_name": "Renate", "last_name": "Vogel", "email": "renate.vogel@mail.example",
        "birth_year": 1955, "postcode": "50733", "languages": {"de": "native", "en": "B2"},
        "consent": {"accepted": True, "text_version": "2026-01", "language": "de"}}


@pytest.fixture
def site(api, make_site, token_for):
    return new_site(api, make_site, token_for)


def submit(api, slug: str, body: dict):
    # every test has its own site: the throttle counts per client and site
    return api.post(f"{M}/public/sites/{slug}/interest", json=body)


def test_a_prospective_mentor_becomes_an_applicant(api, site, platform):
    # When somebody fills the form of a site without any login
    response = submit(api, site.slug, FORM)
    # Then it is received, and the site finds an applicant with the consent recorded
    assert response.status_code == 202, response.text
    (mentor,) = ok(site.get("/mentors", params={"q": "renate"}))["items"]
    assert (mentor["status"], mentor["source"], mentor["postcode"]) == ("applicant", "interest_form", "50733")
    assert (mentor["consent_text_version"], mentor["consent_language"]) == ("2026-01", "de")
    assert mentor["consent_on"] is not None and mentor["lat"] is not None
    (event,) = events_of(platform, site.id, "mentor.applied")
    assert event["mentor_id"] == mentor["id"] and set(event) == {"type", "mentor_id", "birth_year",
                                                                 "registered_on"}


def test_a_mentee_names_an_accepted_target_group(api, site, platform):
    body = {**FORM, "kind": "mentee", "first_name": "Yonas", "target_group": "refugee",
            "languages": {"ti": "native", "de": "A2"}}
    assert submit(api, site.slug, body).status_code == 202
    (mentee,) = ok(site.get("/mentees", params={"q": "yonas"}))["items"]
    assert mentee["target_group"] == "refugee" and mentee["referred_by"] == "self"
    assert [e["mentee_id"] for e in events_of(platform, site.id, "mentee.applied")] == [mentee["id"]]
    missing = submit(api, site.slug, {**body, "target_group": None})
    assert missing.status_code == 422


def test_consent_is_required(api, site):
    for consent in ({"accepted": False, "text_version": "2026-01", "language": "de"},
                    {"accepted": True, "language": "de"}):
        response = submit(api, site.slug, {**FORM, "consent": consent})
        assert response.status_code == 422, response.text
    without = {k: v for k, v in FORM.items() if k != "consent"}
    assert submit(api, site.slug, without).status_code == 422
    assert ok(site.get("/mentors"))["items"] == []


def test_the_spam_trap_accepts_silently_and_stores_nothing(api, site, platform):
    response = submit(api, site.slug, {**FORM, "website": "http://spam.example"})
    assert response.status_code == 202
    assert ok(site.get("/mentors"))["items"] == []
    assert events_of(platform, site.id, "mentor.applied") == []


def test_too_many_submissions_from_one_client_are_refused(api, site):
    responses = [submit(api, site.slug, {**FORM, "first_name": f"Person{i}"}) for i in range(7)]
    assert [r.status_code for r in responses] == [202] * 5 + [429, 429]
    assert responses[-1].headers["Retry-After"] == "900"
    assert responses[-1].headers["Content-Type"] == "application/problem+json"
    assert len(ok(site.get("/mentors"))["items"]) == 5


def test_a_closed_form_a_group_not_taken_and_a_suspended_site(api, site, platform, admin_token):
    form = ok(api.get(f"{M}/public/sites/{site.slug}/interest-form"))
    assert form["open"] is True and "refugee" in form["target_groups"]
    settings = ok(api.get("/tenants/api/v1/settings", token=site.token))
    ok(api.patch("/tenants/api/v1/settings", token=site.token, json={
        "settings": {"interest_form": {"target_groups": ["single_parent"]}}, "version": settings["version"]}))
    assert platform.join(timeout=20)
    mentee = {**FORM, "kind": "mentee", "target_group": "refugee"}
    refused = submit(api, site.slug, mentee)
    assert refused.status_code == 422 and refused.json()["code"] == "target_group_not_accepted"
    assert submit(api, site.slug, {**mentee, "target_group": "single_parent"}).status_code == 202
    # the coordinator closes the form
    ok(api.patch("/tenants/api/v1/settings", token=site.token, json={
        "settings": {"interest_form": {"open": False}}, "version": settings["version"] + 1}))
    assert platform.join(timeout=20)
    closed = submit(api, site.slug, FORM)
    assert closed.status_code == 409 and closed.json()["code"] == "form_closed"
    # a suspended site's form is gone, like a site that never existed
    ok(api.post(f"/tenants/api/v1/partner-sites/{site.id}/suspension", token=admin_token, json={}))
    assert platform.join(timeout=20)
    assert submit(api, site.slug, FORM).status_code == 404
    assert api.get(f"{M}/public/sites/{site.slug}/interest-form").status_code == 404
    assert submit(api, f"nowhere-{uuid.uuid4().hex[:6]}", FORM).status_code == 404
