"""Properties of batch proposals: feasible, within capacity, and optimal (brute force, OR-tools)."""

from __future__ import annotations

from collections import Counter

import matching_reference as ref
import matching_strategies as gen
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings, target

from altjung.matching.domain import MentorIndex, greedy_batch, propose_batch

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_proposal(proposal, mentors, mentees, weights) -> None:
    """Every Tandem is possible and scored as the reference says; places and mentees respected."""
    by_id = {m.id: m for m in mentors} | {e.id: e for e in mentees}
    for tandem in proposal.tandems:
        mentor, mentee = by_id[tandem.mentor_id], by_id[tandem.mentee_id]
        assert not ref.failures(mentor, mentee, weights, gen.ON)
        assert tandem.score == pytest.approx(ref.score(mentor, mentee, weights, gen.ON), abs=1e-6)
    per_mentor = Counter(t.mentor_id for t in proposal.tandems)
    assert all(n <= by_id[mid].free_capacity for mid, n in per_mentor.items())
    matched = [t.mentee_id for t in proposal.tandems]
    assert len(matched) == len(set(matched))
    assert sorted(matched + [u.mentee_id for u in proposal.unmatched]) == sorted(e.id for e in mentees)
    for left in proposal.unmatched:
        possible = sum(not ref.failures(m, by_id[left.mentee_id], weights, gen.ON) for m in mentors)
        assert left.possible_mentors == possible and left.exclusions.possible == possible


def no_boundary_pairs(mentors, mentees, weights) -> bool:
    return not any(ref.near_boundary(m, e, weights) for m in mentors for e in mentees)


@SETTINGS
@given(site=gen.sites(mentors_between=(1, 4), mentees_between=(1, 5)), weights=gen.weights)
def test_the_batch_is_never_worse_than_any_other_assignment(site, weights):
    # Given a small site: up to 4 mentors and 5 mentees
    mentors, mentees = site
    assume(no_boundary_pairs(mentors, mentees, weights))
    best = ref.brute_force_best(mentors, mentees, weights, gen.ON)
    target(float(sum(not ref.failures(m, e, weights, gen.ON) for m in mentors for e in mentees)))
    # When the batch is proposed, optimally and greedily
    index = MentorIndex.build(mentors, on=gen.ON)
    optimal = propose_batch(mentees, index, weights=weights)
    greedy = greedy_batch(mentees, index, weights=weights)
    event(f"tandems: {optimal.matched}, greedy {greedy.matched}")
    # Then both are valid, the optimum reaches the brute-force best, greedy never exceeds it
    check_proposal(optimal, mentors, mentees, weights)
    check_proposal(greedy, mentors, mentees, weights)
    assert optimal.total_score == pytest.approx(best, abs=1e-6)
    assert greedy.total_score <= best + 1e-6


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(site=gen.sites(mentors_between=(5, 15), mentees_between=(5, 25)), weights=gen.weights)
def test_the_batch_equals_an_independent_min_cost_flow_optimum(site, weights):
    # Given a medium site, scored pair by pair by the slow reference
    mentors, mentees = site
    assume(no_boundary_pairs(mentors, mentees, weights))
    feasible = np.array([[not ref.failures(m, e, weights, gen.ON) for m in mentors] for e in mentees])
    scores = np.array([[ref.score(m, e, weights, gen.ON) for m in mentors] for e in mentees])
    capacity = np.array([m.free_capacity for m in mentors], dtype=np.int64)
    expected, _ = ref.min_cost_flow_best(scores, feasible, capacity)
    target(float(feasible.sum()))
    event(f"possible pairs: {min(int(feasible.sum()) // 10 * 10, 50)}+")
    # When the batch is proposed
    proposal = propose_batch(mentees, MentorIndex.build(mentors, on=gen.ON), weights=weights)
    # Then it is valid and its total equals OR-tools' min-cost-flow optimum
    check_proposal(proposal, mentors, mentees, weights)
    assert proposal.total_score == pytest.approx(expected, abs=1e-6)
