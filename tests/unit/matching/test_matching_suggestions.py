"""Top-k suggestions with reasons, and explanations when nobody fits: hand-made cases."""

from __future__ import annotations

import numpy as np
import pytest
from matching_builders import ON, east, mentee, mentor

from altjung.matching.domain import (
    Constraint,
    Criterion,
    MenteeIndex,
    MenteeStatus,
    MentorIndex,
    MentorStatus,
    PoliceCertificate,
    Weights,
    suggest_mentees,
    suggest_mentors,
)
from altjung.matching.domain.suggest import top_k


def texts(suggestion) -> tuple[list[str], list[str]]:
    return [r.de for r in suggestion.reasons], [r.en for r in suggestion.reasons]


def test_reasons_name_language_level_interests_and_distance_in_german_and_english():
    # Given an Arabic-speaking mentee with little German and an Arabic-speaking Patin 4.2 km away
    patin = mentor(languages={"de": "native", "ar": "C1"}, **east(4.2),
                   interests=frozenset({"cooking", "chess", "music", "art"}))
    young = mentee(languages={"ar": "native", "de": "A1"},
                   interests=frozenset({"cooking", "chess", "music"}))
    # When mentors are suggested for the mentee
    [suggestion] = suggest_mentors(young, MentorIndex.build([patin], on=ON)).items
    # Then the reasons say so in both languages; German A1 is below the site's minimum level
    german, english = texts(suggestion)
    assert "Spricht Arabisch (C1)" in german and "Speaks Arabic (C1)" in english
    assert "3 gemeinsame Interessen (Schach, Kochen, Musik)" in german
    assert "3 shared interests (chess, cooking, music)" in english
    assert "4,2 km entfernt" in german and "4.2 km away" in english
    assert "Unterstützt bei: Deutsch lernen" in german
    assert "1 gemeinsames Zeitfenster (Di nachmittags)" in german
    assert "1 shared time slot (Tue afternoon)" in english


def test_scores_follow_the_weights_and_the_best_mentor_comes_first():
    # Given a mentee waiting 90 days who needs German and help at work, and two possible mentors
    slots = frozenset({(0, "morning"), (1, "afternoon"), (3, "evening")})
    young = mentee(waited_days=90, needs=frozenset({"german_language", "work"}),
                   interests=frozenset({"cooking", "chess", "art"}), availability=slots)
    perfect = mentor(areas=frozenset({"german_language", "work"}), availability=slots,
                     interests=frozenset({"cooking", "chess", "art"}))
    halfway = mentor(areas=frozenset({"work"}), **east(5.0))
    # When mentors are suggested with the default weights
    result = suggest_mentors(young, MentorIndex.build([halfway, perfect], on=ON))
    # Then each criterion contributes fit × weight, and the scores are ordered
    best, second = result.items
    assert best.mentor_id == perfect.id
    assert best.score == pytest.approx(0.35 + 0.15 + 0.2 + 0.15 + 0.15 * 0.5)
    assert second.score == pytest.approx(0.35 * 0.5 + 0.2 * 0.5 + 0.15 / 3 + 0.15 * 0.5, abs=1e-4)
    for suggestion in result.items:
        assert suggestion.score == pytest.approx(sum(c.points for c in suggestion.contributions))
    assert {c.criterion: c.fit for c in second.contributions}[Criterion.DISTANCE] == \
        pytest.approx(0.5, abs=1e-4)


def test_a_mentee_nobody_fits_gets_each_constraint_counted():
    # Given a 16-year-old who speaks Tigrinya and German A2, wishes a Patin, and seven mentors
    # who each break exactly one rule
    young = mentee(wish="female", birth_year=ON.year - 16, languages={"ti": "native", "de": "A2"})
    pool = [
        mentor(status=MentorStatus.PAUSED),
        mentor(capacity=2, active_tandems=2),
        mentor(languages={"en": "C1"}),
        mentor(availability=frozenset({(6, "morning")})),
        mentor(**east(12.0)),
        mentor(gender="male"),
        mentor(police_certificate=PoliceCertificate(issued_on=ON.replace(year=2019),
                                                    seen_on=ON.replace(year=2019))),
    ]
    # When mentors are suggested
    result = suggest_mentors(young, MentorIndex.build(pool, on=ON))
    # Then there is none, and every constraint excluded exactly one mentor, decisively
    assert result.items == ()
    assert result.exclusions.possible == 0 and result.exclusions.pool_size == 7
    counts = {e.constraint: (e.excluded, e.decisive) for e in result.exclusions.by_constraint}
    assert counts == {c: (1, 1) for c in Constraint if c is not Constraint.MENTEE_NOT_WAITING}
    german, english = result.exclusions.summary
    assert german.startswith("Von 7 passen 0: Pate/Patin nicht aktiv (1)")
    assert "Kein gültiges erweitertes Führungszeugnis (Mentee minderjährig) (1)" in german
    assert "No shared language (1)" in english and "Too far away (1)" in english


def test_a_mentee_who_is_not_waiting_is_matched_with_nobody():
    # Given a mentee already in a Tandem and a mentor who would fit otherwise
    # When mentors are suggested for that mentee
    result = suggest_mentors(mentee(status=MenteeStatus.MATCHED), MentorIndex.build([mentor()], on=ON))
    # Then nobody is suggested, and the mentee's status is the decisive reason
    assert result.items == ()
    [exclusion] = result.exclusions.by_constraint
    assert (exclusion.constraint, exclusion.decisive) == (Constraint.MENTEE_NOT_WAITING, 1)


def test_the_distance_limit_is_the_smaller_of_both_and_the_site_default_fills_gaps():
    # Given a mentee 6 km away from a mentor who states no limit, on a site with a 5 km default
    young, far = mentee(max_distance_km=20.0), mentor(max_distance_km=None, **east(6.0))
    index = MentorIndex.build([far], on=ON)
    # When mentors are suggested with the default of 5 km, then with one of 8 km
    # Then the mentor is too far at first and possible after
    assert suggest_mentors(young, index, weights=Weights(max_distance_km=5.0)).items == ()
    assert len(suggest_mentors(young, index, weights=Weights(max_distance_km=8.0)).items) == 1


def test_language_level_minimum_is_a_site_setting():
    # Given a mentee with German A2 and a German-speaking mentor
    young, patin = mentee(languages={"de": "A2"}), mentor()
    index = MentorIndex.build([patin], on=ON)
    # When the site asks for A2, then for B1
    # Then German counts as shared only in the first case
    assert len(suggest_mentors(young, index, weights=Weights(min_language_level="A2")).items) == 1
    assert suggest_mentors(young, index, weights=Weights(min_language_level="B1")).items == ()


def test_more_than_64_language_and_interest_codes_still_match():
    # Given a pool whose codes need more than one 64-bit word, sharing only the last codes
    pool = [mentor(languages={f"l{i:02d}": "C1"}, interests=frozenset({f"i{i:02d}"}))
            for i in range(70)]
    young = mentee(languages={"l69": "B2"}, interests=frozenset({"i69"}))
    # When mentors are suggested
    [suggestion] = suggest_mentors(young, MentorIndex.build(pool, on=ON)).items
    # Then the one sharing the language is found, with the shared interest counted
    assert suggestion.mentor_id == pool[69].id
    assert {c.criterion: c.fit for c in suggestion.contributions}[Criterion.INTERESTS] == \
        pytest.approx(1 / 3)


def test_top_k_breaks_ties_by_position_and_copes_with_small_pools():
    # Given scores with ties
    scores = np.array([0.5, 0.9, 0.5, 0.9, 0.1])
    # When the best three, all, or none are asked for
    # Then ties go to the earlier position and the order is best first
    assert top_k(scores, 3).tolist() == [1, 3, 0]
    assert top_k(scores, 10).tolist() == [1, 3, 0, 2, 4]
    assert top_k(scores, 0).tolist() == [] and top_k(np.array([]), 3).tolist() == []


def test_mentees_for_a_mentor_favour_longer_waiting_and_describe_the_mentee():
    # Given a mentor and two otherwise equal mentees who waited 30 and 120 days
    patin = mentor()
    recent, longer = mentee(waited_days=30), mentee(waited_days=120, languages={"de": "B2"})
    # When mentees are suggested for the mentor
    result = suggest_mentees(patin, MenteeIndex.build([recent, longer], on=ON))
    # Then the longer waiting comes first and reasons describe the mentee
    assert [s.mentee_id for s in result.items] == [longer.id, recent.id]
    german, english = texts(result.items[0])
    assert "Wartet seit 120 Tagen" in german and "Waiting for 120 days" in english
    assert "Spricht Deutsch (B2)" in german
    assert "Braucht Unterstützung bei: Deutsch lernen" in german


def test_empty_pools_answer_empty():
    # Given no mentors and no mentees
    # When suggestions are asked for
    # Then none are given and the pool is empty
    result = suggest_mentors(mentee(), MentorIndex.build([], on=ON))
    assert result.items == () and result.exclusions.pool_size == 0
    assert suggest_mentees(mentor(), MenteeIndex.build([], on=ON)).items == ()
