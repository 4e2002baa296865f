"""Hard constraints of a Tandem and the vectorised check of all of them at once."""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from altjung.matching.domain import geo
from altjung.matching.domain.encoding import MenteeArrays, MentorArrays
from altjung.matching.domain.weights import Weights


class Constraint(StrEnum):
    """A rule every proposed Tandem must satisfy; the order is the order of explanations."""

    MENTEE_NOT_WAITING = "mentee_not_waiting"
    MENTOR_NOT_ACTIVE = "mentor_not_active"
    NO_CAPACITY = "no_capacity"
    NO_SHARED_LANGUAGE = "no_shared_language"
    NO_SHARED_TIME = "no_shared_time"
    TOO_FAR = "too_far"
    GENDER_PREFERENCE = "gender_preference"
    NO_POLICE_CERTIFICATE = "no_police_certificate"

    @property
    def label(self) -> tuple[str, str]:
        """What failed, in German and English."""
        return _LABELS[self]


_LABELS = {
    Constraint.MENTEE_NOT_WAITING: ("Mentee wartet nicht auf eine Patenschaft",
                                    "Mentee is not waiting for a Patenschaft"),
    Constraint.MENTOR_NOT_ACTIVE: ("Pate/Patin nicht aktiv", "Mentor not active"),
    Constraint.NO_CAPACITY: ("Keine freie Kapazität", "No free capacity"),
    Constraint.NO_SHARED_LANGUAGE: ("Keine gemeinsame Sprache", "No shared language"),
    Constraint.NO_SHARED_TIME: ("Keine gemeinsamen Zeitfenster", "No overlapping availability"),
    Constraint.TOO_FAR: ("Zu weit entfernt", "Too far away"),
    Constraint.GENDER_PREFERENCE: ("Gewünschtes Geschlecht passt nicht",
                                   "Preferred mentor gender not met"),
    Constraint.NO_POLICE_CERTIFICATE: (
        "Kein gültiges erweitertes Führungszeugnis (Mentee minderjährig)",
        "No valid extended police certificate (mentee is a minor)"),
}


def limit_km(max_km: np.ndarray, weights: Weights) -> np.ndarray:
    """A profile's maximum distance, or the site's default where it states none."""
    return np.where(np.isnan(max_km), weights.max_distance_km, max_km)


def passes(mentees: MenteeArrays, mentors: MentorArrays, weights: Weights, *,
           chord2: np.ndarray | None = None) -> dict[Constraint, np.ndarray]:
    """For each constraint, which pairs pass it; arrays broadcast to the pair shape.

    Callers shape the sides: rows × columns (`as_rows()` / `as_columns()`), or two equally
    long sides for element-wise pairs. `chord2` may be passed when already computed.
    """
    e, r = mentees, mentors
    rank = weights.min_rank
    shared_language = (e.lang[rank, 0] & r.lang[rank, 0]) != 0
    for word in range(1, e.lang.shape[1]):
        shared_language |= (e.lang[rank, word] & r.lang[rank, word]) != 0
    reach = np.minimum(geo.km_to_chord2(limit_km(e.max_km, weights)),
                       geo.km_to_chord2(limit_km(r.max_km, weights)))
    return {
        Constraint.MENTEE_NOT_WAITING: e.waiting,
        Constraint.MENTOR_NOT_ACTIVE: r.active,
        Constraint.NO_CAPACITY: r.free > 0,
        Constraint.NO_SHARED_LANGUAGE: shared_language,
        Constraint.NO_SHARED_TIME: (e.slots & r.slots) != 0,
        Constraint.TOO_FAR: (geo.chord2(e.xyz, r.xyz) if chord2 is None else chord2) <= reach,
        Constraint.GENDER_PREFERENCE: (e.wants_gender == 0) | (e.wants_gender == r.gender),
        Constraint.NO_POLICE_CERTIFICATE: ~e.minor | r.certified,
    }


def feasible(masks: dict[Constraint, np.ndarray]) -> np.ndarray:
    """Pairs that pass every constraint."""
    shape = np.broadcast_shapes(*(mask.shape for mask in masks.values()))
    out = np.ones(shape, dtype=bool)
    for mask in masks.values():
        out &= mask
    return out
