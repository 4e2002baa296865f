"""matching's routes in the cross-tenant matrix (see __init__.py for how to add a route).

Owner: the matching engineer. Site A's mentors, mentees and Patenschaften are made through A's API; B's
token with A's ids must answer 404 (or, for lists and own-site routes, never show A's data), and the
checks make sure B's writes left A's objects as they were.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import update

from altjung.kit.tenancy import tenant_context
from tests.contract.route_matrix import Case, Ctx, Exempt, Target

API = "/matching/api/v1"
TODAY = dt.datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat()
MENTOR = {"last_name": "Matrix", "birth_year": 1957, "gender": "female", "languages": {"de": "native"},
          "areas": ["german_language"], "availability": [[2, "morning"]], "postcode": "50667", "capacity": 3}
MENTEE = {"last_name": "Matrix", "birth_year": 2001, "target_group": "refugee", "languages": {"de": "B1"},
          "needs": ["german_language"], "availability": [[2, "morning"]], "postcode": "50668",
          "consent_on": TODAY}
FOUND = frozenset({200})


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def _mentor(ctx: Ctx) -> dict:
    token = ctx.token_a()
    marker = f"Pate-{uuid.uuid4().hex[:8]}"
    m = _ok(ctx.api.post(f"{API}/mentors", token=token, json={**MENTOR, "first_name": marker}), 201)
    m = _ok(ctx.api.patch(f"{API}/mentors/{m['id']}/screening", token=token, json={
        "interview_on": TODAY, "training_on": TODAY, "agreement_on": TODAY, "consent_on": TODAY,
        "version": m["version"]}))
    for status in ("screened", "active"):
        m = _ok(ctx.api.post(f"{API}/mentors/{m['id']}/status", token=token,
                             json={"status": status, "version": m["version"]}))
    return {**m, "marker": marker}


def _mentee(ctx: Ctx) -> dict:
    token = ctx.token_a()
    marker = f"Mentee-{uuid.uuid4().hex[:8]}"
    m = _ok(ctx.api.post(f"{API}/mentees", token=token, json={**MENTEE, "first_name": marker}), 201)
    m = _ok(ctx.api.post(f"{API}/mentees/{m['id']}/status", token=token,
                         json={"status": "waiting", "version": m["version"]}))
    return {**m, "marker": marker}


def _person(kind: str, json: Callable[[dict], dict] | None = None) -> Callable[[Ctx], Target]:
    def setup(ctx: Ctx) -> Target:
        person = _mentor(ctx) if kind == "mentor" else _mentee(ctx)
        body = json(person) if json else {"version": person["version"]}
        return Target(params={f"{kind}_id": person["id"]}, json=body, marker=person["marker"],
                      extra={"person": person})

    return setup


def _unchanged(kind: str) -> Callable[[Ctx, Target], None]:
    def check(ctx: Ctx, target: Target) -> None:
        now = _ok(ctx.api.get(f"{API}/{kind}s/{target.params[f'{kind}_id']}", token=ctx.token_a()))
        before = target.extra["person"]
        assert (now["version"], now["status"], now["first_name"]) == (
            before["version"], before["status"], before["first_name"]), "site B changed site A's person"

    return check


def _listed(kind: str) -> Callable[[Ctx], Target]:
    def setup(ctx: Ctx) -> Target:
        person = _mentor(ctx) if kind == "mentor" else _mentee(ctx)
        return Target(marker=person["id"])

    return setup


def _created(kind: str) -> Callable[[Ctx], Target]:
    def setup(ctx: Ctx) -> Target:
        body = {**(MENTOR if kind == "mentor" else MENTEE), "first_name": "B-Person"}
        return Target(json=body, marker=ctx.site_a["id"])

    return setup


def _proposal(ctx: Ctx) -> dict:
    mentor, mentee = _mentor(ctx), _mentee(ctx)
    return _ok(ctx.api.post(f"{API}/patenschaften", token=ctx.token_a(),
                            json={"mentor_id": mentor["id"], "mentee_id": mentee["id"]}), 201)


def _running(ctx: Ctx) -> dict:
    p = _proposal(ctx)
    return _ok(ctx.api.post(f"{API}/patenschaften/{p['id']}/start", token=ctx.token_a(),
                            json={"version": p["version"]}))


def _tandem(make: Callable[[Ctx], dict], json: Callable[[dict], dict] | None = None) -> Callable[[Ctx], Target]:
    def setup(ctx: Ctx) -> Target:
        p = make(ctx)
        return Target(params={"patenschaft_id": p["id"]}, json=json(p) if json else {"version": p["version"]},
                      marker=p["id"], extra={"p": p})

    return setup


def _tandem_unchanged(ctx: Ctx, target: Target) -> None:
    now = _ok(ctx.api.get(f"{API}/patenschaften/{target.params['patenschaft_id']}", token=ctx.token_a()))
    before = target.extra["p"]
    assert (now["version"], now["status"]) == (before["version"], before["status"]), "site B changed A's Tandem"
    checkins = _ok(ctx.api.get(f"{API}/patenschaften/{before['id']}/checkins", token=ctx.token_a()))
    assert checkins == [], "site B logged a check-in on A's Tandem"


def _overdue(ctx: Ctx) -> Target:
    """A Tandem of A behind its check-ins: started 30 days ago with no contact since."""
    p = _running(ctx)
    from altjung.matching.models import Patenschaft

    today = dt.date.fromisoformat(TODAY)
    with tenant_context(ctx.site_a_id), ctx.platform.runtimes["matching"].db.session() as session:
        session.execute(update(Patenschaft).where(Patenschaft.id == uuid.UUID(p["id"])).values(
            started_on=today - dt.timedelta(days=30), proposed_on=today - dt.timedelta(days=35)))
        session.commit()
    return Target(marker=p["id"])


def _proposal_pair(ctx: Ctx) -> Target:
    mentor, mentee = _mentor(ctx), _mentee(ctx)
    return Target(json={"mentor_id": mentor["id"], "mentee_id": mentee["id"]}, marker=mentee["id"])


def _waiting(ctx: Ctx) -> Target:
    _mentor(ctx)
    return Target(json={}, marker=_mentee(ctx)["id"])


def _contact(kind: str) -> Callable[[Ctx], Target]:
    def setup(ctx: Ctx) -> Target:
        person = _mentor(ctx) if kind == "mentor" else _mentee(ctx)
        return Target(params={f"{kind}_id": person["id"]}, marker=person["marker"])

    return setup


def _people_cases(kind: str) -> list[Case]:
    base = f"/api/v1/{kind}s"
    item = f"{base}/{{{kind}_id}}"
    return [
        Case("GET", base, setup=_listed(kind), expect=FOUND, absent=True),
        Case("POST", base, setup=_created(kind), expect=frozenset({201}), absent=True, control=None),
        Case("GET", item, setup=_person(kind)),
        Case("PATCH", item, setup=_person(kind, lambda p: {"phone": "0000", "version": p["version"]}),
             check=_unchanged(kind)),
        Case("POST", f"{item}/status", setup=_person(kind, lambda p: {"status": "left", "version": p["version"]}),
             check=_unchanged(kind)),
        Case("GET", f"{item}/history", setup=_person(kind)),
        Case("POST", f"{item}/erasure", setup=_person(kind), check=_unchanged(kind)),
        Case("GET", f"{item}/suggestions", setup=_person(kind)),
    ]


CASES = [
    *_people_cases("mentor"),
    *_people_cases("mentee"),
    Case("PATCH", "/api/v1/mentors/{mentor_id}/screening", check=_unchanged("mentor"),
         setup=_person("mentor", lambda p: {"training_hours": 99, "version": p["version"]})),
    Case("PUT", "/api/v1/mentors/{mentor_id}/police-certificate", check=_unchanged("mentor"),
         setup=_person("mentor", lambda p: {"issued_on": TODAY, "seen_on": TODAY, "version": p["version"]})),
    Case("GET", "/api/v1/patenschaften", setup=lambda ctx: Target(marker=_proposal(ctx)["id"]), expect=FOUND,
         absent=True),
    Case("POST", "/api/v1/patenschaften", setup=_proposal_pair),
    Case("GET", "/api/v1/patenschaften/overdue", setup=_overdue, expect=FOUND, absent=True),
    Case("GET", "/api/v1/patenschaften/{patenschaft_id}", setup=_tandem(_proposal)),
    Case("POST", "/api/v1/patenschaften/{patenschaft_id}/start", setup=_tandem(_proposal),
         check=_tandem_unchanged),
    Case("POST", "/api/v1/patenschaften/{patenschaft_id}/decline", check=_tandem_unchanged,
         setup=_tandem(_proposal, lambda p: {"reason": "other", "version": p["version"]})),
    Case("POST", "/api/v1/patenschaften/{patenschaft_id}/end", check=_tandem_unchanged,
         setup=_tandem(_running, lambda p: {"reason": "other", "planned": False, "goals_reached": "no",
                                            "version": p["version"]})),
    Case("GET", "/api/v1/patenschaften/{patenschaft_id}/checkins", setup=_tandem(_running)),
    Case("POST", "/api/v1/patenschaften/{patenschaft_id}/checkins", check=_tandem_unchanged,
         setup=_tandem(_running, lambda p: {"kind": "quick", "with_whom": "both", "note": "von B"})),
    Case("POST", "/api/v1/batch-proposals", setup=_waiting, expect=FOUND, absent=True),
    Case("GET", "/api/v1/contacts/mentors/{mentor_id}", setup=_contact("mentor"), as_role="service",
         scope="people:contact"),
    Case("GET", "/api/v1/contacts/mentees/{mentee_id}", setup=_contact("mentee"), as_role="service",
         scope="people:contact"),
]

EXEMPT = [
    Exempt("GET", "/api/v1/public/sites/{slug}/interest-form",
           "public by design: whether a site's interest form is open, its intro text and target groups (the "
           "site's published settings, addressed by its public slug; no person's data)"),
    Exempt("POST", "/api/v1/public/sites/{slug}/interest",
           "public by design: the unauthenticated interest form; it only creates an applicant at the site the "
           "slug names and answers 202 without any data (see tests/unit/matching/test_matching_interest_form.py)"),
]
