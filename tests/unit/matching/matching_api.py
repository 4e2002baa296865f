"""Helpers for the matching API tests: a partner site with tokens, people ready to match, events."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from altjung.kit.bus.models import OutboxMessage

M = "/matching/api/v1"
TODAY = dt.datetime.now(ZoneInfo("Europe/Berlin")).date()  # the sites' day, as the service sees it


@dataclass
class Site:
    id: str
    slug: str
    token: str
    staff: str
    api: Any

    def get(self, path: str, token: str | None = None, **kw):
        return self.api.get(M + path, token=token or self.token, **kw)

    def post(self, path: str, json: dict | None = None, token: str | None = None, **kw):
        return self.api.post(M + path, json=json if json is not None else {}, token=token or self.token, **kw)

    def patch(self, path: str, json: dict, token: str | None = None, **kw):
        return self.api.patch(M + path, json=json, token=token or self.token, **kw)

    def put(self, path: str, json: dict, token: str | None = None, **kw):
        return self.api.put(M + path, json=json, token=token or self.token, **kw)


def new_site(api, make_site, token_for, **fields) -> Site:
    site = make_site(**fields)
    return Site(id=site["id"], slug=site["slug"], token=token_for("coordinator", site["id"]),
                staff=token_for("staff", site["id"]), api=api)


MENTOR = {"first_name": "Ursula", "last_name": "Becker", "email": "ursula.becker@mail.example",
          "birth_year": 1958, "gender": "female", "languages": {"de": "native", "ar": "B1"},
          "interests": ["football", "cooking"], "areas": ["german_language", "school_training"],
          "availability": [[1, "afternoon"], [3, "afternoon"]], "postcode": "50667", "capacity": 1}
MENTEE = {"first_name": "Amal", "last_name": "Haddad", "email": "amal.haddad@mail.example", "birth_year": 2000,
          "target_group": "refugee", "languages": {"ar": "native", "de": "A2"}, "needs": ["german_language"],
          "interests": ["football"], "availability": [[1, "afternoon"]], "postcode": "50668",
          "consent_on": TODAY.isoformat(), "consent_text_version": "2026-01", "consent_language": "de"}


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, response.text[:600])
    return response.json()


def new_mentor(site: Site, *, active: bool = True, **changes) -> dict:
    """A mentor registered, screened and (by default) active."""
    mentor = ok(site.post("/mentors", {**MENTOR, **changes}), 201)
    if not active:
        return mentor
    day = TODAY.isoformat()
    mentor = ok(site.patch(f"/mentors/{mentor['id']}/screening",
                           {"interview_on": day, "training_on": day, "training_hours": 12, "agreement_on": day,
                            "consent_on": day, "consent_text_version": "2026-01", "consent_language": "de",
                            "version": mentor["version"]}))
    for status in ("screened", "active"):
        mentor = ok(site.post(f"/mentors/{mentor['id']}/status",
                              {"status": status, "reason": "Checkliste vollständig", "version": mentor["version"]}))
    return mentor


def new_mentee(site: Site, *, waiting: bool = True, **changes) -> dict:
    mentee = ok(site.post("/mentees", {**MENTEE, **changes}), 201)
    if waiting:
        mentee = ok(site.post(f"/mentees/{mentee['id']}/status",
                              {"status": "waiting", "reason": "Erstgespräch geführt", "version": mentee["version"]}))
    return mentee


def certify(site: Site, mentor: dict, *, issued: dt.date | None = None, seen: dt.date | None = None) -> dict:
    issued = issued or TODAY - dt.timedelta(days=20)
    return ok(site.put(f"/mentors/{mentor['id']}/police-certificate",
                       {"issued_on": issued.isoformat(), "seen_on": (seen or TODAY).isoformat(),
                        "has_relevant_entry": False, "version": mentor["version"]}))


def propose(site: Site, mentor: dict, mentee: dict) -> dict:
    return ok(site.post("/patenschaften", {"mentor_id": mentor["id"], "mentee_id": mentee["id"]}), 201)


def start(site: Site, p: dict, **body) -> dict:
    return ok(site.post(f"/patenschaften/{p['id']}/start", {"version": p["version"], **body}))


def events_of(platform, site_id: str, *types: str) -> list[dict]:
    """matching's recorded events of one site (oldest first): {type, payload}."""
    with platform.runtimes["matching"].db.session() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at)).all()
    return [{"type": r.type, **r.envelope["payload"]} for r in rows
            if r.envelope["tenant_id"] == site_id and (not types or r.type in types)]


def new_id() -> str:
    return str(uuid.uuid4())
