"""Hypothesis strategies for small, overlapping pools of mentor and mentee profiles."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from hypothesis import strategies as st

from altjung.matching.domain import (
    MenteePreferences,
    MenteeProfile,
    MenteeStatus,
    MentorProfile,
    MentorStatus,
    PoliceCertificate,
    TargetGroup,
    Weights,
)

ON = date(2025, 6, 2)
CENTRE = (52.52, 13.40)

# Lists start with the value that lets a pair match: examples shrink towards possible pairs.
_levels = st.sampled_from(["native", "C2", "C1", "B2", "B1", "A2", "A1"])
_languages = st.builds(
    lambda german, others: ({"de": german} if german else {}) | others,
    st.sampled_from(["native", "B1", "C1", "B2", "A2", "A1", None]),
    st.dictionaries(st.sampled_from(["ar", "uk", "en", "ti"]), _levels, max_size=2))
_slots = st.frozensets(st.sampled_from([(2, "afternoon"), (0, "morning"), (4, "afternoon"),
                                        (6, "evening")]), min_size=1, max_size=3)
_areas = st.frozensets(st.sampled_from(["german_language", "work", "housing", "health"]))
_interests = st.frozensets(st.sampled_from(["cooking", "football", "music", "chess", "art"]))
_max_km = st.sampled_from([None, 10.0, 5.0, 20.0, 3.0, 1.0, 0.0]) | st.floats(0.5, 25.0)
_gender = st.sampled_from(["female", "male", "diverse"])
_ids = st.builds(uuid.uuid4)


@st.composite
def _place(draw, spreads=(0.02, 0.005, 0.02, 0.08)) -> tuple[float, float]:
    spread = draw(st.sampled_from(spreads))  # 0.01 degrees: about 1 km
    return (CENTRE[0] + draw(st.floats(-spread, spread)), CENTRE[1] + draw(st.floats(-spread, spread)))


@st.composite
def certificates(draw) -> PoliceCertificate | None:
    if draw(st.integers(0, 4)) == 4:
        return None
    issued = ON - timedelta(days=draw(st.integers(0, 5 * 365) | st.integers(-30, 6 * 365)))
    return PoliceCertificate(issued_on=issued, seen_on=issued + timedelta(
        days=draw(st.integers(0, 90) | st.integers(-5, 120))), has_relevant_entry=draw(st.integers(0, 9)) == 9)


#: A site theme: most of its profiles are matchable, near the centre, and share a language and slot.
themes = st.tuples(st.sampled_from(["de", "ar"]), st.sampled_from([(2, "afternoon"), (6, "evening")]))


def _open(draw, theme) -> bool:
    return theme is not None and draw(st.integers(0, 3)) < 3


@st.composite
def mentors(draw, *, status: MentorStatus | None = None, theme=None) -> MentorProfile:
    open_ = _open(draw, theme)
    lat, lon = draw(_place((0.01, 0.002)) if open_ else _place())
    languages, slots = draw(_languages), draw(_slots)
    capacity = draw(st.sampled_from([1, 2, 1, 3, 0]))
    busy = draw(st.sampled_from([0] * 6 + [capacity]))
    status = status or draw(st.sampled_from([MentorStatus.ACTIVE] * 15 + list(MentorStatus)))
    if open_:
        languages, slots = languages | {theme[0]: "C1"}, slots | {theme[1]}
        capacity, busy, status = max(capacity, 1), 0, MentorStatus.ACTIVE
    return MentorProfile(
        id=draw(_ids), birth_year=draw(st.integers(1945, 1980)),
        gender=draw(st.sampled_from(["female", "male", None, "diverse"])),
        languages=languages, interests=draw(_interests), areas=draw(_areas), availability=slots,
        lat=lat, lon=lon, max_distance_km=draw(_max_km), capacity=capacity, active_tandems=busy,
        status=status, police_certificate=draw(certificates()))


@st.composite
def mentees(draw, *, status: MenteeStatus | None = None, theme=None) -> MenteeProfile:
    open_ = _open(draw, theme)
    lat, lon = draw(_place((0.01, 0.002)) if open_ else _place())
    languages, slots = draw(_languages), draw(_slots)
    status = status or draw(st.sampled_from([MenteeStatus.WAITING] * 15 + list(MenteeStatus)))
    if open_:
        languages, slots, status = languages | {theme[0]: "B2"}, slots | {theme[1]}, MenteeStatus.WAITING
    return MenteeProfile(
        id=draw(_ids), target_group=draw(st.sampled_from(list(TargetGroup))),
        birth_year=ON.year - draw(st.integers(19, 30) | st.integers(19, 30) | st.integers(10, 18)),
        languages=languages, needs=draw(_areas), interests=draw(_interests), availability=slots,
        lat=lat, lon=lon, max_distance_km=draw(_max_km),
        preferences=MenteePreferences(mentor_gender=draw(st.sampled_from([None] * 6 + ["female", "male"]))),
        waiting_since=ON - timedelta(days=draw(st.integers(0, 500) | st.integers(-10, 0))), status=status)


weights = st.builds(
    Weights, needs=st.floats(0, 2), interests=st.floats(0, 2), distance=st.floats(0, 2),
    availability=st.floats(0, 2), waiting=st.floats(0, 2),
    max_distance_km=st.sampled_from([10.0, 5.0, 20.0, 2.0, 0.0]),
    min_language_level=st.sampled_from(["A2", "A1", "B1", "A2", "B2", "native"]),
    full_waiting_days=st.integers(1, 400))


@st.composite
def sites(draw, *, mentors_between: tuple[int, int], mentees_between: tuple[int, int]):
    """Mentors and mentees of one site sharing, mostly, one language and one time slot."""
    theme = draw(themes)
    return (draw(st.lists(mentors(theme=theme), min_size=mentors_between[0], max_size=mentors_between[1])),
            draw(st.lists(mentees(theme=theme), min_size=mentees_between[0], max_size=mentees_between[1])))
