"""Batch proposals: the optimal assignment under capacities, the greedy baseline, explanations."""

from __future__ import annotations

import numpy as np
import pytest
from matching_builders import ON, east, mentee, mentor

from altjung.matching.domain import (
    Constraint,
    MenteeStatus,
    MentorIndex,
    Weights,
    build_problem,
    demo_profiles,
    greedy_batch,
    propose_batch,
    rules,
    scoring,
)


def pairs(proposal) -> set[tuple]:
    return {(t.mentee_id, t.mentor_id) for t in proposal.tandems}


def test_the_optimal_batch_beats_greedy_where_greedy_blocks_someone():
    # Given mentee A who fits both mentors (X a little better) and mentee B who only speaks
    # Arabic, like mentor X alone
    x = mentor(languages={"de": "native", "ar": "B2"}, availability=frozenset({(1, "afternoon"), (2, "morning")}))
    y = mentor(**east(3.0))
    a = mentee(availability=frozenset({(1, "afternoon"), (2, "morning")}))
    b = mentee(languages={"ar": "native"})
    index = MentorIndex.build([x, y], on=ON)
    # When the batch is proposed optimally and greedily
    optimal, greedy = propose_batch([a, b], index), greedy_batch([a, b], index)
    # Then greedy gives X to A and leaves B alone; the optimum places both, with a higher total
    assert pairs(greedy) == {(a.id, x.id)}
    assert pairs(optimal) == {(a.id, y.id), (b.id, x.id)}
    assert optimal.total_score > greedy.total_score
    [left] = greedy.unmatched
    assert left.mentee_id == b.id and left.possible_mentors == 1
    assert left.reason == ("Der einzige mögliche Pate ist einem anderen Mentee vorgeschlagen",
                           "The only possible mentor is proposed to another mentee")


def test_a_mentor_takes_as_many_mentees_as_free_places():
    # Given a mentor with three places, one taken, and three mentees who fit only them
    patin = mentor(capacity=3, active_tandems=1)
    young = [mentee(waited_days=days) for days in (10, 200, 100)]
    # When the batch is proposed
    proposal = propose_batch(young, MentorIndex.build([patin], on=ON))
    # Then the two who waited longest get the two free places; the third is told why not
    assert {t.mentee_id for t in proposal.tandems} == {young[1].id, young[2].id}
    [left] = proposal.unmatched
    assert left.mentee_id == young[0].id and left.possible_mentors == 1


def test_mentees_without_any_possible_mentor_are_explained():
    # Given a mentee wishing a male mentor, one not waiting, and only female mentors
    wishing, matched = mentee(wish="male"), mentee(status=MenteeStatus.MATCHED)
    index = MentorIndex.build([mentor(), mentor(**east(1.0))], on=ON)
    # When the batch is proposed
    proposal = propose_batch([wishing, matched], index)
    # Then nobody is matched and each gets the constraint that excluded both mentors
    assert proposal.tandems == ()
    why = {u.mentee_id: u for u in proposal.unmatched}
    assert why[wishing.id].possible_mentors == 0
    assert why[wishing.id].reason[0] == "Von 2 passen 0: Gewünschtes Geschlecht passt nicht (2)"
    assert why[wishing.id].reason[1] == "Of 2, 0 are possible: Preferred mentor gender not met (2)"
    [exclusion] = why[matched.id].exclusions.by_constraint
    assert exclusion.constraint is Constraint.MENTEE_NOT_WAITING and exclusion.decisive == 2


def test_tandems_carry_reasons_and_contributions():
    # Given one fitting pair
    patin, young = mentor(languages={"de": "native", "uk": "native"}), mentee(languages={"uk": "native"})
    # When the batch is proposed
    [tandem] = propose_batch([young], MentorIndex.build([patin], on=ON)).tandems
    # Then the Tandem says why, in German and English, and its score is the sum of the points
    assert "Spricht Ukrainisch (Muttersprache)" in [r.de for r in tandem.reasons]
    assert "Speaks Ukrainian (native)" in [r.en for r in tandem.reasons]
    assert tandem.score == pytest.approx(sum(c.points for c in tandem.contributions))


def test_empty_batches():
    # Given no mentees, or no mentors
    # When batches are proposed
    # Then nothing is proposed, and a mentee without mentors is explained by an empty pool
    assert propose_batch([], MentorIndex.build([mentor()], on=ON)).tandems == ()
    proposal = propose_batch([mentee()], MentorIndex.build([], on=ON))
    assert proposal.tandems == () and proposal.unmatched[0].exclusions.pool_size == 0


def test_the_fused_batch_matrix_equals_the_generic_rules_and_scores():
    # Given realistic profiles with mixed statuses and non-default weights
    mentors, mentees = demo_profiles(5, 400, 300)
    index = MentorIndex.build(mentors, on=ON)
    weights = Weights(needs=0.5, interests=0.3, distance=0.1, availability=0.05, waiting=0.4,
                      min_language_level="B1", max_distance_km=7.0)
    # When the batch problem is built
    problem = build_problem(mentees, index, weights=weights)
    # Then its rows, columns, feasibility and scores are what the generic functions give
    e, r = problem.arrays.as_rows(), index.arrays.as_columns()
    feasible = rules.feasible(rules.passes(e, r, weights))
    scores = scoring.total(scoring.fits(e, r, weights), weights)
    assert problem.rows.tolist() == np.flatnonzero(feasible.any(axis=1)).tolist()
    assert problem.columns.tolist() == np.flatnonzero(feasible.any(axis=0)).tolist()
    sub = np.ix_(problem.rows, problem.columns)
    assert (problem.feasible == feasible[sub]).all()
    assert np.allclose(problem.scores, np.where(feasible, scores, 0.0)[sub], rtol=0, atol=1e-12)
    # and every mentor gets no more columns than free places or possible mentees
    free = np.array([m.free_capacity for m in index.profiles])[problem.columns]
    assert (problem.capacity == np.minimum(free, feasible[sub].sum(axis=0))).all()
