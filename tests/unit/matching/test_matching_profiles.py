"""Profiles, police certificates, minority and weights: the facts the rules rest on."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from altjung.matching.domain import (
    InvalidProfile,
    InvalidWeights,
    MenteeProfile,
    MentorProfile,
    PoliceCertificate,
    TargetGroup,
    Weights,
)

ON = date(2025, 6, 2)


@pytest.mark.parametrize(("issued", "seen", "entry", "valid"), [
    (date(2024, 1, 10), date(2024, 2, 1), False, True),  # fresh when seen, 1.4 years old
    (date(2024, 1, 10), date(2024, 4, 10), False, True),  # seen exactly 3 months after issue
    (date(2024, 1, 10), date(2024, 4, 11), False, False),  # seen 3 months + 1 day after issue
    (date(2023, 11, 30), date(2024, 2, 29), False, True),  # month end clamps to 29 February
    (date(2020, 6, 2), date(2020, 6, 20), False, True),  # exactly 5 years old today
    (date(2020, 6, 1), date(2020, 6, 20), False, False),  # 5 years and a day
    (date(2024, 1, 10), date(2024, 2, 1), True, False),  # relevant entry
    (date(2024, 1, 10), date(2024, 1, 9), False, False),  # "seen" before it was issued
    (date(2025, 6, 1), date(2025, 6, 3), False, False),  # seen only after the reference date
])
def test_police_certificate_validity(issued, seen, entry, valid):
    # Given an extended police certificate as the partner site recorded it
    cert = PoliceCertificate(issued_on=issued, seen_on=seen, has_relevant_entry=entry)
    # When its validity on the reference date is asked
    # Then it is valid only if fresh when seen, at most five years old and without entry
    assert cert.is_valid_on(ON) is valid


@pytest.mark.parametrize(("age_this_year", "minor"), [(17, True), (18, True), (19, False)])
def test_a_mentee_who_may_still_be_17_counts_as_minor(age_this_year, minor):
    # Given a mentee known only by birth year
    mentee = MenteeProfile(id=uuid.uuid4(), target_group=TargetGroup.REFUGEE,
                           birth_year=ON.year - age_this_year, languages={"ar": "native"},
                           lat=52.5, lon=13.4, waiting_since=ON)
    # When minority is decided
    # Then someone turning 18 this year may still be 17 and counts as a minor
    assert mentee.is_minor(ON) is minor


@pytest.mark.parametrize("change", [
    {"languages": {"de": "fluent"}}, {"availability": frozenset({(7, "morning")})},
    {"availability": frozenset({(1, "night")})}, {"areas": frozenset({"cooking"})},
    {"gender": "other"}, {"capacity": -1}, {"lat": 91.0}, {"max_distance_km": -1.0},
])
def test_mentor_profile_rejects_unknown_codes(change):
    # Given mentor profile fields with one value outside the known codes
    fields = dict(id=uuid.uuid4(), birth_year=1958, gender="female", languages={"de": "native"},
                  lat=52.5, lon=13.4) | change
    # When the profile is built
    # Then it is refused
    with pytest.raises(InvalidProfile):
        MentorProfile(**fields)


def test_free_capacity_is_never_negative():
    # Given a mentor with more Tandems than places (capacity lowered later)
    mentor = MentorProfile(id=uuid.uuid4(), birth_year=1958, gender=None, languages={},
                           lat=52.5, lon=13.4, capacity=1, active_tandems=2)
    # When the free places are counted
    # Then there are none, not minus one
    assert mentor.free_capacity == 0


@pytest.mark.parametrize("change", [{"needs": -1.0}, {"distance": float("nan")},
                                    {"min_language_level": "B3"}, {"full_waiting_days": 0},
                                    {"max_distance_km": float("inf")}])
def test_weights_reject_unusable_values(change):
    # Given site weights with one unusable value
    # When they are built
    # Then they are refused
    with pytest.raises(InvalidWeights):
        Weights(**change)


def test_weights_from_stored_settings_ignore_unknown_keys():
    # Given stored site settings with an unknown key and one weight changed
    # When weights are built from them
    weights = Weights.from_dict({"needs": 1.0, "colour": "blue"})
    # Then the known weight is taken, the rest defaulted
    assert weights.needs == 1.0 and weights.distance == Weights().distance
    assert weights.total == pytest.approx(1.0 + 0.15 + 0.2 + 0.15 + 0.15)
