"""Seeded, realistic synthetic mentor and mentee profiles around a city centre (no names)."""

from __future__ import annotations

import math
import random
import uuid
from datetime import date, timedelta

from altjung.matching.domain.labels import AREA_LABELS, INTEREST_LABELS, LEVEL_ORDER, SLOTS
from altjung.matching.domain.profiles import (
    MenteePreferences,
    MenteeProfile,
    MenteeStatus,
    MentorProfile,
    MentorStatus,
    PoliceCertificate,
    TargetGroup,
)

#: Berlin, Alexanderplatz.
DEFAULT_CENTRE = (52.5219, 13.4132)

_AREA_SHARE = dict(zip(AREA_LABELS, (0.7, 0.5, 0.35, 0.6, 0.25, 0.45, 0.15), strict=True))
_NEED_SHARE = dict(zip(AREA_LABELS, (0.6, 0.45, 0.3, 0.45, 0.25, 0.2, 0.1), strict=True))
#: (share, languages of origin with level) of mentees' language backgrounds.
_ORIGINS = (
    (0.24, {"ar": "native"}), (0.05, {"ar": "native", "ku": "native"}),
    (0.18, {"uk": "native", "ru": "C1"}), (0.12, {"prs": "native", "fa": "B2"}),
    (0.06, {"fa": "native"}), (0.04, {"ps": "native", "prs": "B1"}),
    (0.08, {"ti": "native", "ar": "A2"}), (0.09, {"tr": "native"}), (0.05, {"ru": "native"}),
    (0.04, {"so": "native", "ar": "A2"}), (0.05, {}),
)
#: (share, extra language, levels) spoken by some mentors besides German.
_MENTOR_EXTRAS = ((0.6, "en", ("B1", "B2", "C1")), (0.15, "fr", ("A2", "B1", "B2")),
                  (0.08, "es", ("A2", "B1")), (0.08, "ru", ("B1", "native")),
                  (0.05, "tr", ("native",)), (0.04, "ar", ("B1", "native")),
                  (0.03, "uk", ("native",)), (0.02, "fa", ("native",)), (0.03, "it", ("B1",)))


def _place(rng: random.Random, centre: tuple[float, float], radius_km: float) -> tuple[float, float]:
    north, east = rng.gauss(0, radius_km / 2), rng.gauss(0, radius_km / 2)
    lat = centre[0] + north / 111.2
    return lat, centre[1] + east / (111.2 * math.cos(math.radians(lat)))


def _some(rng: random.Random, shares: dict[str, float], at_least: int = 1) -> frozenset[str]:
    chosen = {code for code, share in shares.items() if rng.random() < share}
    while len(chosen) < at_least:
        chosen.add(rng.choice(list(shares)))
    return frozenset(chosen)


def _slots(rng: random.Random, part_weights: tuple[float, float, float], weekend: float,
           ) -> frozenset[tuple[int, str]]:
    slots: set[tuple[int, str]] = set()
    wanted = rng.randint(3, 8)
    while len(slots) < wanted:
        day = rng.randint(5, 6) if rng.random() < weekend else rng.randint(0, 4)
        slots.add((day, rng.choices(SLOTS, part_weights)[0]))
    return frozenset(slots)


def _mentor(rng: random.Random, on: date, centre, radius_km: float, matchable: bool) -> MentorProfile:
    languages = {"de": "native"}
    for share, code, levels in _MENTOR_EXTRAS:
        if rng.random() < share:
            languages[code] = rng.choice(levels)
    capacity = rng.choices((1, 2, 3), (0.75, 0.2, 0.05))[0]
    status = MentorStatus.ACTIVE if matchable else rng.choices(
        list(MentorStatus), (0.08, 0.1, 0.7, 0.08, 0.04))[0]
    certificate = None
    if status in (MentorStatus.ACTIVE, MentorStatus.PAUSED) and rng.random() < 0.85:
        issued = on - timedelta(days=rng.randint(0, 6 * 365))
        certificate = PoliceCertificate(issued_on=issued, seen_on=issued + timedelta(
            days=rng.randint(3, 100)), has_relevant_entry=rng.random() < 0.005)
    lat, lon = _place(rng, centre, radius_km)
    return MentorProfile(
        id=uuid.UUID(int=rng.getrandbits(128), version=4), birth_year=on.year - rng.randint(45, 80),
        gender=rng.choices(("female", "male", "diverse", None), (0.62, 0.36, 0.01, 0.01))[0],
        languages=languages, interests=frozenset(rng.sample(sorted(INTEREST_LABELS), rng.randint(2, 5))),
        areas=_some(rng, _AREA_SHARE, 2), availability=_slots(rng, (0.45, 0.4, 0.15), 0.15),
        lat=lat, lon=lon, max_distance_km=rng.choice((3.0, 5.0, 8.0, 10.0, 15.0, None)),
        capacity=capacity, active_tandems=rng.randint(0, capacity - (1 if matchable else 0)),
        status=status, police_certificate=certificate)


def _mentee(rng: random.Random, on: date, centre, radius_km: float, matchable: bool) -> MenteeProfile:
    group = rng.choices(list(TargetGroup), (0.5, 0.15, 0.1, 0.2, 0.05))[0]
    origin = rng.choices([o for _, o in _ORIGINS], [s for s, _ in _ORIGINS])[0]
    languages = dict(origin)
    german = ("B2", "C1", "native") if group == TargetGroup.MIGRATION_BACKGROUND else LEVEL_ORDER[:4]
    languages["de"] = "native" if not origin else rng.choice(german)
    if rng.random() < 0.5:
        languages.setdefault("en", rng.choice(LEVEL_ORDER[:4]))
    wish = rng.choices(("female", "male", None), (0.3, 0.03, 0.67) if group ==
                       TargetGroup.SINGLE_PARENT else (0.12, 0.03, 0.85))[0]
    status = MenteeStatus.WAITING if matchable else rng.choices(
        list(MenteeStatus), (0.1, 0.75, 0.1, 0.03, 0.02))[0]
    lat, lon = _place(rng, centre, radius_km)
    return MenteeProfile(
        id=uuid.UUID(int=rng.getrandbits(128), version=4), target_group=group,
        birth_year=on.year - (rng.randint(20, 35) if group == TargetGroup.SINGLE_PARENT
                              else rng.randint(12, 27)),
        languages=languages, needs=_some(rng, _NEED_SHARE),
        interests=frozenset(rng.sample(sorted(INTEREST_LABELS), rng.randint(1, 4))),
        availability=_slots(rng, (0.15, 0.5, 0.35), 0.3), lat=lat, lon=lon,
        max_distance_km=rng.choice((3.0, 5.0, 8.0, 10.0, None)),
        preferences=MenteePreferences(mentor_gender=wish),
        waiting_since=on - timedelta(days=rng.randint(0, 400)), status=status)


def demo_profiles(seed: int, n_mentors: int, n_mentees: int, *,
                  centre: tuple[float, float] = DEFAULT_CENTRE, radius_km: float = 10.0,
                  on: date = date(2025, 6, 2), matchable_only: bool = False,
                  ) -> tuple[list[MentorProfile], list[MenteeProfile]]:
    """Profiles spread around `centre` (lat, lon); `matchable_only` makes every mentor active with a
    free place and every mentee waiting. The same seed gives the same profiles, ids included."""
    rng = random.Random(seed)
    mentors = [_mentor(rng, on, centre, radius_km, matchable_only) for _ in range(n_mentors)]
    mentees = [_mentee(rng, on, centre, radius_km, matchable_only) for _ in range(n_mentees)]
    return mentors, mentees
