"""Properties of suggestions against an independent, slow per-pair reference."""

from __future__ import annotations

import matching_reference as ref
import matching_strategies as gen
import pytest
from hypothesis import HealthCheck, assume, event, given, settings, target
from hypothesis import strategies as st

from altjung.matching.domain import Constraint, MenteeIndex, MentorIndex, suggest_mentees, suggest_mentors

SETTINGS = settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_suggestions(result, k, pairs, weights):
    """`pairs`: (candidate id, mentor, mentee) for the whole pool, in pool order."""
    possible = {cid: ref.score(m, e, weights, gen.ON) for cid, m, e in pairs
                if not ref.failures(m, e, weights, gen.ON)}
    event(f"possible: {min(len(possible), 3)}{'+' if len(possible) >= 3 else ''}")
    target(float(len(possible)))  # steer generation towards pools with several possible pairs
    shown = [s.mentor_id if s.mentor_id in possible else s.mentee_id for s in result.items]
    # every suggestion satisfies every hard constraint, and its score is the reference score
    for suggestion, cid in zip(result.items, shown, strict=True):
        assert cid in possible
        assert suggestion.score == pytest.approx(possible[cid], abs=1e-6)
        assert suggestion.score == pytest.approx(sum(c.points for c in suggestion.contributions),
                                                 abs=1e-9)
        assert all(0.0 <= c.fit <= 1.0 for c in suggestion.contributions)
        assert suggestion.reasons
    # best first, nobody better left out, as many as asked for or possible
    scores = [s.score for s in result.items]
    assert scores == sorted(scores, reverse=True)
    assert len(result.items) == min(k, len(possible))
    if scores:
        left_out = [v for cid, v in possible.items() if cid not in shown]
        assert all(v <= scores[-1] + 1e-6 for v in left_out)
    # the exclusion counts are the reference's, constraint by constraint
    broken = [ref.failures(m, e, weights, gen.ON) for _, m, e in pairs]
    assert result.exclusions.possible == len(possible)
    counts = {x.constraint: (x.excluded, x.decisive) for x in result.exclusions.by_constraint}
    for constraint in Constraint:
        excluded = sum(constraint in b for b in broken)
        decisive = sum(b == {constraint} for b in broken)
        assert counts.get(constraint, (0, 0)) == (excluded, decisive)


@SETTINGS
@given(mentee=gen.mentees(), pool=st.lists(gen.mentors(), min_size=3, max_size=12), k=st.integers(1, 6),
       weights=gen.weights)
def test_suggested_mentors_satisfy_every_constraint_and_are_the_best(mentee, pool, k, weights):
    # Given any mentee and pool of mentors (no pair ambiguously close to its distance limit)
    assume(not any(ref.near_boundary(m, mentee, weights) for m in pool))
    # When the best k mentors are suggested
    result = suggest_mentors(mentee, MentorIndex.build(pool, on=gen.ON), k=k, weights=weights)
    # Then they agree with the slow per-pair reference in every respect
    check_suggestions(result, k, [(m.id, m, mentee) for m in pool], weights)


@SETTINGS
@given(mentor=gen.mentors(), pool=st.lists(gen.mentees(), min_size=3, max_size=12), k=st.integers(1, 6),
       weights=gen.weights)
def test_suggested_mentees_satisfy_every_constraint_and_are_the_best(mentor, pool, k, weights):
    # Given any mentor and pool of mentees
    assume(not any(ref.near_boundary(mentor, e, weights) for e in pool))
    # When the best k mentees are suggested
    result = suggest_mentees(mentor, MenteeIndex.build(pool, on=gen.ON), k=k, weights=weights)
    # Then they agree with the slow per-pair reference in every respect
    check_suggestions(result, k, [(e.id, mentor, e) for e in pool], weights)
