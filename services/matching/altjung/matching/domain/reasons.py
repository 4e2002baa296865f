"""German and English reasons for a pair, per-criterion contributions and exclusion counts."""

from __future__ import annotations

from datetime import date
from typing import Literal

import numpy as np

from altjung.matching.domain import geo, labels
from altjung.matching.domain.labels import LEVEL_RANK, SLOTS
from altjung.matching.domain.profiles import MenteeProfile, MentorProfile
from altjung.matching.domain.results import Contribution, Exclusion, Exclusions, Reason
from altjung.matching.domain.rules import Constraint
from altjung.matching.domain.weights import Criterion, Weights

#: Whom the reasons describe: the suggested mentor (to match a mentee) or the suggested mentee.
About = Literal["mentor", "mentee"]

_MAX_LISTED = 4
_AREA_ORDER = {code: i for i, code in enumerate(labels.AREA_LABELS)}


def _listed(pairs: list[tuple[str, str]]) -> tuple[str, str]:
    de, en = labels.joined(pairs[:_MAX_LISTED])
    more = len(pairs) - _MAX_LISTED
    return (f"{de} u. a.", f"{en} and more") if more > 0 else (de, en)


def _counted(n: int, one: tuple[str, str], many: tuple[str, str]) -> tuple[str, str]:
    de, en = one if n == 1 else many
    return f"{n} {de}", f"{n} {en}"


def reasons(mentor: MentorProfile, mentee: MenteeProfile, *, weights: Weights, on: date,
            about: About) -> tuple[Reason, ...]:
    """Why this (feasible) pair fits, most telling first; built only for the pairs shown."""
    out: list[Reason] = []
    subject = mentor if about == "mentor" else mentee
    shared = sorted(
        (code for code in mentor.languages.keys() & mentee.languages.keys()
         if min(LEVEL_RANK[mentor.languages[code]], LEVEL_RANK[mentee.languages[code]])
         >= weights.min_rank),
        key=lambda c: (-min(LEVEL_RANK[mentor.languages[c]], LEVEL_RANK[mentee.languages[c]]), c))
    if shared:
        spoken = [(f"{labels.language(c)[0]} ({labels.level(subject.languages[c])[0]})",
                   f"{labels.language(c)[1]} ({labels.level(subject.languages[c])[1]})")
                  for c in shared]
        de, en = _listed(spoken)
        out.append(Reason("language", f"Spricht {de}", f"Speaks {en}"))
    covered = sorted(mentee.needs & mentor.areas, key=_AREA_ORDER.__getitem__)
    if covered:
        de, en = _listed([labels.area(c) for c in covered])
        if about == "mentor":
            out.append(Reason(Criterion.NEEDS, f"Unterstützt bei: {de}", f"Supports with: {en}"))
        else:
            out.append(Reason(Criterion.NEEDS, f"Braucht Unterstützung bei: {de}",
                              f"Needs support with: {en}"))
    uncovered = sorted(mentee.needs - mentor.areas, key=_AREA_ORDER.__getitem__)
    if uncovered:
        de, en = _listed([labels.area(c) for c in uncovered])
        out.append(Reason(Criterion.NEEDS, f"Nicht abgedeckt: {de}", f"Not covered: {en}"))
    interests = sorted(mentor.interests & mentee.interests)
    if interests:
        de, en = _counted(len(interests), ("gemeinsames Interesse", "shared interest"),
                          ("gemeinsame Interessen", "shared interests"))
        list_de, list_en = _listed([labels.interest(c) for c in interests])
        out.append(Reason(Criterion.INTERESTS, f"{de} ({list_de})", f"{en} ({list_en})"))
    km_de, km_en = labels.decimal(geo.haversine_km(mentor.lat, mentor.lon, mentee.lat, mentee.lon))
    out.append(Reason(Criterion.DISTANCE, f"{km_de} km entfernt", f"{km_en} km away"))
    slots = sorted(mentor.availability & mentee.availability, key=lambda s: (s[0], SLOTS.index(s[1])))
    if slots:
        de, en = _counted(len(slots), ("gemeinsames Zeitfenster", "shared time slot"),
                          ("gemeinsame Zeitfenster", "shared time slots"))
        list_de, list_en = _listed([labels.slot(*s) for s in slots])
        out.append(Reason(Criterion.AVAILABILITY, f"{de} ({list_de})", f"{en} ({list_en})"))
    if about == "mentee":
        days = max((on - mentee.waiting_since).days, 0)
        de, en = _counted(days, ("Tag", "day"), ("Tagen", "days"))
        out.append(Reason(Criterion.WAITING, f"Wartet seit {de}", f"Waiting for {en}"))
    if mentee.preferences.mentor_gender is not None:
        out.append(Reason(Constraint.GENDER_PREFERENCE, "Entspricht dem Wunsch zum Geschlecht",
                          "Matches the preferred mentor gender"))
    if mentee.is_minor(on):
        out.append(Reason(Constraint.NO_POLICE_CERTIFICATE,
                          "Gültiges erweitertes Führungszeugnis (Mentee minderjährig)",
                          "Valid extended police certificate (mentee is a minor)"))
    return tuple(out)


def contributions(fits: dict[Criterion, np.ndarray], weights: Weights, n: int,
                  ) -> list[tuple[Contribution, ...]]:
    """The contribution of every criterion for each of the n pairs the fit arrays describe."""
    columns = [[Contribution(c, fit, weights.of(c)) for fit in np.broadcast_to(f, (n,)).tolist()]
               for c, f in fits.items()]
    return list(zip(*columns, strict=True)) if columns else [() for _ in range(n)]


def exclusions(masks: dict[Constraint, np.ndarray], shape: tuple[int, ...]) -> list[Exclusions]:
    """Exclusion counts along the last axis (the pool) for each leading position (the subjects)."""
    failed = {c: ~np.broadcast_to(mask, shape) for c, mask in masks.items()}
    failures = sum((f.astype(np.int8) for f in failed.values()), np.zeros(shape, dtype=np.int8))
    alone = failures == 1
    excluded = {c: f.sum(axis=-1).reshape(-1) for c, f in failed.items()}
    decisive = {c: (f & alone).sum(axis=-1).reshape(-1) for c, f in failed.items()}
    possible = (failures == 0).sum(axis=-1).reshape(-1)
    return [Exclusions(pool_size=shape[-1], possible=int(possible[i]), by_constraint=tuple(
        Exclusion(c, int(excluded[c][i]), int(decisive[c][i])) for c in Constraint
        if excluded[c][i] > 0)) for i in range(possible.size)]
