"""Demo data of the embedded run: mentors and mentees for both demo sites (Köln, Leipzig) with names,
postcodes and languages, a few proposals and running Tandems (some behind on check-ins).

Profiles come from the engine's ``demo_profiles``; names, postcodes, screening and Tandems are added
here. Idempotent: a site that already has mentors is left alone (a second `make run` reuses them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import uuid
from typing import Any

from sqlalchemy import select

from altjung.events.catalogue import (
    MenteeRegistered,
    MenteeStatusChanged,
    MentorRegistered,
    MentorStatusChanged,
    PatenschaftProposed,
    PatenschaftStarted,
)
from altjung.kit.bus import record
from altjung.kit.runtime import Runtime
from altjung.kit.tenancy import tenant_context
from altjung.matching.common import language_codes, name_key, today
from altjung.matching.demo_names import (
    BY_LANGUAGE,
    GERMAN_ANY,
    GERMAN_FEMALE,
    GERMAN_LAST,
    GERMAN_MALE,
    email_of,
    origin_of,
)
from altjung.matching.domain import MenteeProfile, MentorIndex, MentorProfile, Weights, demo_profiles, propose_batch
from altjung.matching.domain.lifecycle import PatenschaftStatus
from altjung.matching.models import Checkin, Mentee, Mentor, Patenschaft, PoliceCertificate, StatusChange
from altjung.matching.places import nearest_postcode

#: The demo sites of the tenants service (altjung.tenants.demo): id, centre, postcode prefix, seed.
DEMO_SITES = (
    (uuid.UUID("6f1d2c3b-0a9e-4e8d-9c7b-1a2b3c4d5e01"), (50.9413, 6.9583), "5", 5001),  # Köln
    (uuid.UUID("6f1d2c3b-0a9e-4e8d-9c7b-1a2b3c4d5e02"), (51.3397, 12.3731), "04", 5002),  # Leipzig
)
MENTORS, MENTEES = 60, 80
#: Tandems started from the engine's batch, proposals left open.
STARTED, PROPOSED = 8, 4
ACTOR = "demo"


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), dt.UTC)


def _common(p: MentorProfile | MenteeProfile, rng: random.Random, first: str, last: str, n: int,
            prefix: str, on: dt.date) -> dict[str, Any]:
    registered = on - dt.timedelta(days=rng.randint(3, 400))
    return dict(id=p.id, first_name=first, last_name=last, sort_name=name_key(first, last),
                email=email_of(first, last, n), phone=f"0{rng.randint(150, 179)} {rng.randint(1000000, 9999999)}",
                contact_language="de", birth_year=p.birth_year, languages=dict(p.languages),
                language_codes=language_codes(p.languages), interests=sorted(p.interests),
                availability=sorted([d, part] for d, part in p.availability),
                postcode=nearest_postcode(p.lat, p.lon, prefix=prefix), lat=round(p.lat, 5), lon=round(p.lon, 5),
                max_distance_km=p.max_distance_km, status=p.status.value, registered_on=registered,
                status_since=_at(on - dt.timedelta(days=rng.randint(1, 20) if p.status.value == "applicant"
                                                   else rng.randint(20, 300))),
                consent_on=None if p.status.value == "applicant" else registered,
                consent_text_version="" if p.status.value == "applicant" else "2026-01",
                consent_language="" if p.status.value == "applicant" else "de")


def _mentor(session, p: MentorProfile, rng: random.Random, n: int, prefix: str, on: dt.date) -> Mentor:
    first = rng.choice({"female": GERMAN_FEMALE, "male": GERMAN_MALE}.get(p.gender or "", GERMAN_ANY))
    data = _common(p, rng, first, rng.choice(GERMAN_LAST), n, prefix, on)
    screened = p.status.value != "applicant"
    mentor = Mentor(**data, gender=p.gender, areas=sorted(p.areas), capacity=p.capacity, active_tandems=0,
                    interview_on=data["registered_on"] + dt.timedelta(days=7) if screened else None,
                    training_on=data["registered_on"] + dt.timedelta(days=21) if screened else None,
                    training_hours=12.0 if screened else None,
                    agreement_on=data["registered_on"] + dt.timedelta(days=21) if screened else None)
    session.add(mentor)
    if p.police_certificate is not None:
        c = p.police_certificate
        session.add(PoliceCertificate(mentor_id=p.id, issued_on=c.issued_on, seen_on=min(c.seen_on, on),
                                      has_relevant_entry=c.has_relevant_entry, recorded_by=ACTOR))
    record(session, MentorRegistered(mentor_id=p.id, birth_year=p.birth_year, registered_on=data["registered_on"]))
    return mentor


def _announce_status(session, p, is_mentor: bool, since: dt.date) -> None:
    """Tell the other services (federation's figures) where the demo person stands, as real use would."""
    if p.status.value == "applicant":
        return
    if is_mentor:
        steps = ["screened", "active"] if p.status.value == "active" else [p.status.value]
        for status in steps:
            record(session, MentorStatusChanged(mentor_id=p.id, status=status, changed_on=since))
    else:
        record(session, MenteeStatusChanged(mentee_id=p.id, status=p.status.value, changed_on=since))


def _mentee(session, p: MenteeProfile, rng: random.Random, n: int, prefix: str, on: dt.date) -> Mentee:
    firsts, lasts = BY_LANGUAGE[origin_of(p.languages)]
    data = _common(p, rng, rng.choice(firsts), rng.choice(lasts), n, prefix, on)
    data["contact_language"] = "de" if p.languages.get("de") in ("B2", "C1", "C2", "native") else "en"
    mentee = Mentee(**data, target_group=p.target_group.value, needs=sorted(p.needs),
                    preferred_mentor_gender=p.preferences.mentor_gender,
                    referred_by=rng.choice(("youth_welfare_office", "refugee_counselling", "school", "job_centre",
                                            "self", "migration_service")),
                    waiting_since=min(p.waiting_since, on))
    session.add(mentee)
    record(session, MenteeRegistered(mentee_id=p.id, target_group=p.target_group.value, birth_year=p.birth_year,
                                     registered_on=data["registered_on"]))
    return mentee


def _tandems(session, mentors: list[MentorProfile], mentees: list[MenteeProfile], rows: dict[uuid.UUID, Any],
             rng: random.Random, on: dt.date) -> None:
    waiting = [m for m in mentees if m.status.value == "waiting"]
    result = propose_batch(waiting, MentorIndex.build(mentors, on=on), weights=Weights())
    for i, tandem in enumerate(result.tandems[:STARTED + PROPOSED]):
        started = i < STARTED
        begun = on - dt.timedelta(days=rng.randint(10, 150))
        p = Patenschaft(mentor_id=tandem.mentor_id, mentee_id=tandem.mentee_id, score=tandem.score,
                        status=PatenschaftStatus.STARTED if started else PatenschaftStatus.PROPOSED,
                        proposed_on=begun - dt.timedelta(days=10) if started else on, proposed_by=ACTOR,
                        started_on=begun if started else None)
        session.add(p)
        session.flush()
        record(session, PatenschaftProposed(patenschaft_id=p.id, mentor_id=p.mentor_id, mentee_id=p.mentee_id,
                                            proposed_on=p.proposed_on))
        if not started:
            continue
        rows[p.mentor_id].active_tandems += 1
        mentee = rows[p.mentee_id]
        mentee.status, mentee.status_since = "matched", _at(begun)
        session.add(StatusChange(person_kind="mentee", person_id=mentee.id, from_status="waiting",
                                 to_status="matched", changed_at=_at(begun), changed_by=ACTOR))
        record(session, PatenschaftStarted(patenschaft_id=p.id, mentor_id=p.mentor_id, mentee_id=p.mentee_id,
                                           started_on=begun, target_group=mentee.target_group))
        # every other Tandem is kept on cadence; the rest fall behind
        day, step = begun, (14 if i % 2 == 0 else 45)
        while day + dt.timedelta(days=step) < on:
            day += dt.timedelta(days=step)
            session.add(Checkin(patenschaft_id=p.id, on=day, kind=rng.choice(("quick", "in_depth")),
                                with_whom=rng.choice(("mentor", "mentee", "both")), created_by=ACTOR,
                                note="Treffen laufen gut." if i % 2 == 0 else ""))
            p.last_checkin_on = day


def seed(runtime: Runtime, platform: object = None) -> None:
    """Create the demo people and Tandems of both demo sites unless a site already has mentors."""
    on = today()
    for site_id, centre, prefix, seed_no in DEMO_SITES:
        with tenant_context(site_id), runtime.unit_of_work() as session:
            if session.scalars(select(Mentor.id).limit(1)).first() is not None:
                continue
            rng = random.Random(seed_no)
            mentors, mentees = demo_profiles(seed_no, MENTORS, MENTEES, centre=centre, radius_km=7.0, on=on)
            rows: dict[uuid.UUID, Any] = {}
            for n, p in enumerate(mentors):
                rows[p.id] = _mentor(session, p, rng, n, prefix, on)
            for n, p in enumerate(mentees):
                rows[p.id] = _mentee(session, p, rng, n, prefix, on)
            for p in (*mentors, *mentees):
                is_mentor = isinstance(p, MentorProfile)
                session.add(StatusChange(person_kind="mentor" if is_mentor else "mentee",
                                         person_id=p.id, from_status=None, to_status=p.status.value,
                                         changed_at=rows[p.id].status_since, changed_by=ACTOR))
                _announce_status(session, p, is_mentor, rows[p.id].status_since.date())
            session.flush()
            free = [dataclasses.replace(m, active_tandems=0) for m in mentors]  # the database is the truth
            _tandems(session, free, mentees, rows, rng, on)
            session.commit()
