"""Rows and engine results as the API shows them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from altjung.matching.common import today
from altjung.matching.domain import BatchProposal, Exclusions, Suggestion, Suggestions
from altjung.matching.domain import PoliceCertificate as Seen
from altjung.matching.domain.lifecycle import certificate_due_on, missing_screening_steps
from altjung.matching.models import Mentee, Mentor, PoliceCertificate
from altjung.matching.suggestions import names

_PERSON = ("id", "version", "first_name", "last_name", "email", "phone", "contact_language", "birth_year",
           "languages", "interests", "availability", "postcode", "lat", "lon", "max_distance_km", "status",
           "status_since", "source", "registered_on", "consent_on", "consent_text_version", "consent_language",
           "erased", "created_at", "updated_at")


def _person(row: Mentor | Mentee) -> dict[str, Any]:
    return {name: getattr(row, name) for name in _PERSON}


def certificate(row: PoliceCertificate | None) -> dict[str, Any]:
    if row is None:
        return {"seen": False, "issued_on": None, "seen_on": None, "has_relevant_entry": None, "valid": False,
                "due_on": None}
    seen = Seen(issued_on=row.issued_on, seen_on=row.seen_on, has_relevant_entry=row.has_relevant_entry)
    return {"seen": True, "issued_on": row.issued_on, "seen_on": row.seen_on,
            "has_relevant_entry": row.has_relevant_entry, "valid": seen.is_valid_on(today()),
            "due_on": certificate_due_on(row.issued_on)}


def mentors(session: Session, rows: list[Mentor]) -> list[dict[str, Any]]:
    ids = [r.id for r in rows]
    certs = {c.mentor_id: c for c in session.scalars(
        select(PoliceCertificate).where(PoliceCertificate.mentor_id.in_(ids)))} if ids else {}
    out = []
    for row in rows:
        data = _person(row)
        data.update(gender=row.gender, areas=row.areas, capacity=row.capacity, active_tandems=row.active_tandems,
                    police_certificate=certificate(certs.get(row.id)),
                    screening={"interview_on": row.interview_on, "training_on": row.training_on,
                               "training_hours": row.training_hours, "agreement_on": row.agreement_on,
                               "consent_on": row.consent_on,
                               "missing": missing_screening_steps(
                                   interview_on=row.interview_on, training_on=row.training_on,
                                   agreement_on=row.agreement_on, consent_on=row.consent_on)})
        out.append(data)
    return out


def mentees(rows: list[Mentee]) -> list[dict[str, Any]]:
    on = today()
    out = []
    for row in rows:
        data = _person(row)
        waiting = (on - row.waiting_since).days if row.waiting_since and row.status == "waiting" else None
        data.update(target_group=row.target_group, needs=row.needs,
                    preferred_mentor_gender=row.preferred_mentor_gender, referred_by=row.referred_by,
                    waiting_since=row.waiting_since, waiting_days=waiting,
                    minor=row.birth_year is not None and on.year - row.birth_year <= 18)
        out.append(data)
    return out


def exclusions(ex: Exclusions) -> dict[str, Any]:
    de, en = ex.summary
    return {"pool_size": ex.pool_size, "possible": ex.possible, "summary": {"de": de, "en": en},
            "by_constraint": [{"constraint": e.constraint.value, "label": {"de": e.label[0], "en": e.label[1]},
                               "excluded": e.excluded, "decisive": e.decisive} for e in ex.by_constraint]}


def suggestion(s: Suggestion, people: dict[UUID, str]) -> dict[str, Any]:
    return {"mentor_id": s.mentor_id, "mentee_id": s.mentee_id, "mentor_name": people.get(s.mentor_id, ""),
            "mentee_name": people.get(s.mentee_id, ""), "score": round(s.score, 6),
            "contributions": [{"criterion": c.criterion.value, "label": dict(zip(("de", "en"), c.criterion.label,
                                                                                  strict=True)),
                               "fit": round(c.fit, 6), "weight": c.weight, "points": round(c.points, 6)}
                              for c in s.contributions],
            "reasons": [{"topic": r.topic, "de": r.de, "en": r.en} for r in s.reasons]}


def suggestions(session: Session, result: Suggestions) -> dict[str, Any]:
    people = names(session, {s.mentor_id for s in result.items}, {s.mentee_id for s in result.items})
    return {"for_id": result.for_id, "items": [suggestion(s, people) for s in result.items],
            "exclusions": exclusions(result.exclusions)}


def batch(session: Session, result: BatchProposal, proposed: list[UUID]) -> dict[str, Any]:
    people = names(session, {t.mentor_id for t in result.tandems},
                   {t.mentee_id for t in result.tandems} | {u.mentee_id for u in result.unmatched})
    return {"tandems": [suggestion(t, people) for t in result.tandems],
            "unmatched": [{"mentee_id": u.mentee_id, "mentee_name": people.get(u.mentee_id, ""),
                           "possible_mentors": u.possible_mentors, "reason": {"de": u.reason[0], "en": u.reason[1]},
                           "exclusions": exclusions(u.exclusions)} for u in result.unmatched],
            "total_score": round(result.total_score, 6), "matched": result.matched, "proposed": proposed}
