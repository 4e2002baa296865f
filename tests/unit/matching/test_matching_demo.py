"""The demo-data generator: seeded, valid and realistic enough to show the engine."""

from __future__ import annotations

from collections import Counter

from matching_builders import ON

from altjung.matching.domain import (
    MenteeStatus,
    MentorIndex,
    MentorStatus,
    demo_profiles,
    geo,
    propose_batch,
)


def test_the_same_seed_gives_the_same_profiles_and_another_seed_others():
    # Given two runs with one seed and one with another
    # When profiles are generated
    first, again, other = (demo_profiles(seed, 30, 30) for seed in (1, 1, 2))
    # Then the first two are equal, ids included, and the third differs
    assert first == again
    assert [m.id for m in first[0]] != [m.id for m in other[0]]


def test_profiles_cluster_around_the_given_centre_and_speak_the_expected_languages():
    # Given a centre in Leipzig
    centre = (51.3397, 12.3731)
    # When 300 mentors and 300 mentees are generated around it
    mentors, mentees = demo_profiles(3, 300, 300, centre=centre, radius_km=8.0)
    # Then they live around it, mentors speak German, mentees the languages of arrival
    distances = [geo.haversine_km(*centre, p.lat, p.lon) for p in mentors + mentees]
    assert sorted(distances)[len(distances) // 2] < 8.0
    assert all(m.languages.get("de") == "native" for m in mentors)
    spoken = Counter(code for m in mentees for code in m.languages)
    assert {"ar", "uk", "prs", "fa", "ti", "tr", "ru", "en", "de"} <= set(spoken)
    assert Counter(m.status for m in mentors)[MentorStatus.ACTIVE] > 150
    assert Counter(m.status for m in mentees)[MenteeStatus.WAITING] > 150


def test_matchable_only_profiles_form_many_tandems():
    # Given demo profiles that are all matchable
    mentors, mentees = demo_profiles(4, 100, 100, on=ON, matchable_only=True)
    assert all(m.status is MentorStatus.ACTIVE and m.free_capacity > 0 for m in mentors)
    # When a batch is proposed
    proposal = propose_batch(mentees, MentorIndex.build(mentors, on=ON))
    # Then most mentees get a Tandem
    assert proposal.matched > 70
