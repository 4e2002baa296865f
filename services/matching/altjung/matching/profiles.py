"""From rows to the engine's profiles and weights (and back to the engine's verdict on one pair)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from altjung.kit.problems import Conflict
from altjung.matching.domain import (
    Constraint,
    MenteePreferences,
    MenteeProfile,
    MenteeStatus,
    MentorIndex,
    MentorProfile,
    MentorStatus,
    PoliceCertificate,
    Suggestion,
    TargetGroup,
    Weights,
    suggest_mentors,
)
from altjung.matching.models import Mentee, Mentor
from altjung.matching.models import PoliceCertificate as CertificateRow


def weights_of(settings: dict[str, Any]) -> Weights:
    """A site's weights and default distance from its settings document (defaults where missing)."""
    matching = settings.get("matching") or {}
    data = dict(matching.get("weights") or {})
    if matching.get("max_distance_km") is not None:
        data["max_distance_km"] = matching["max_distance_km"]
    return Weights.from_dict(data)


def _slots(rows: list) -> frozenset[tuple[int, str]]:
    return frozenset((int(day), str(part)) for day, part in rows)


def mentor_profile(row: Mentor, certificate: CertificateRow | None) -> MentorProfile | None:
    """The engine's view of a mentor; None when the mentor has no location yet."""
    if row.lat is None or row.lon is None:
        return None
    cert = None if certificate is None else PoliceCertificate(
        issued_on=certificate.issued_on, seen_on=certificate.seen_on,
        has_relevant_entry=certificate.has_relevant_entry)
    return MentorProfile(
        id=row.id, birth_year=row.birth_year or 1950, gender=row.gender, languages=dict(row.languages),
        interests=frozenset(row.interests), areas=frozenset(row.areas), availability=_slots(row.availability),
        lat=row.lat, lon=row.lon, max_distance_km=row.max_distance_km, capacity=row.capacity,
        active_tandems=row.active_tandems, status=MentorStatus(row.status), police_certificate=cert)


def mentee_profile(row: Mentee) -> MenteeProfile | None:
    """The engine's view of a mentee; None when the mentee has no location yet."""
    if row.lat is None or row.lon is None:
        return None
    return MenteeProfile(
        id=row.id, target_group=TargetGroup(row.target_group), birth_year=row.birth_year or 2000,
        languages=dict(row.languages), needs=frozenset(row.needs), interests=frozenset(row.interests),
        availability=_slots(row.availability), lat=row.lat, lon=row.lon, max_distance_km=row.max_distance_km,
        preferences=MenteePreferences(mentor_gender=row.preferred_mentor_gender),
        waiting_since=row.waiting_since or row.registered_on, status=MenteeStatus(row.status))


def no_location() -> Conflict:
    return Conflict("Für diese Person ist noch kein Ort (Postleitzahl) erfasst. / "
                    "This person has no location (postcode) yet.", code="no_location")


def check_pair(mentor: Mentor, certificate: CertificateRow | None, mentee: Mentee, *, weights: Weights,
               on: date, ignore: frozenset[Constraint] = frozenset()) -> Suggestion:
    """The engine's suggestion for exactly this pair, or 409 naming every hard constraint it breaks."""
    mentor_p, mentee_p = mentor_profile(mentor, certificate), mentee_profile(mentee)
    if mentor_p is None or mentee_p is None:
        raise no_location()
    if Constraint.NO_CAPACITY in ignore:
        mentor_p = dataclasses.replace(mentor_p, active_tandems=0)
    if Constraint.MENTEE_NOT_WAITING in ignore:
        mentee_p = dataclasses.replace(mentee_p, status=MenteeStatus.WAITING)
    result = suggest_mentors(mentee_p, MentorIndex.build([mentor_p], on=on), k=1, weights=weights)
    if result.items:
        return result.items[0]
    broken = [e for e in result.exclusions.by_constraint if e.constraint not in ignore]
    raise Conflict("Diese Patenschaft ist nicht möglich: " + "; ".join(e.label[0] for e in broken)
                   + " / This Tandem is not possible: " + "; ".join(e.label[1] for e in broken),
                   code="constraints_violated", constraints=[e.constraint.value for e in broken])
