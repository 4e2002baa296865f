"""Batch proposals for all waiting mentees: the optimal assignment and a greedy baseline."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from altjung.matching.domain import reasons, rules, scoring
from altjung.matching.domain.index import MentorIndex
from altjung.matching.domain.problem import AssignmentProblem, build_problem
from altjung.matching.domain.profiles import MenteeProfile
from altjung.matching.domain.results import BatchProposal, Suggestion, Unmatched
from altjung.matching.domain.suggest import DEFAULT_WEIGHTS
from altjung.matching.domain.weights import Weights


def solve_optimal(problem: AssignmentProblem) -> BatchProposal:
    """The assignment with the highest total score under the mentors' free places.

    Impossible pairs score 0, as much as leaving the mentee unmatched, and possible pairs score
    >= 0, so the best full assignment of the expanded matrix, with its impossible pairs dropped,
    is the best partial one. (With an availability weight > 0 every possible pair scores > 0.)
    """
    matrix, owner = problem.expanded()
    if matrix.size == 0:
        return proposal(problem, np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp))
    rows, places = linear_sum_assignment(matrix, maximize=True)
    columns = owner[places]
    keep = problem.feasible[rows, columns]
    return proposal(problem, rows[keep], columns[keep])


def solve_greedy(problem: AssignmentProblem) -> BatchProposal:
    """Baseline: take possible pairs best score first while mentee and mentor are both free."""
    rows, columns = np.nonzero(problem.feasible)
    order = np.argsort(-problem.scores[rows, columns], kind="stable")
    free = problem.capacity.copy()
    taken = np.zeros(problem.rows.size, dtype=bool)
    left = min(problem.rows.size, int(free.sum()))
    chosen: list[int] = []
    for pair in order.tolist():
        row, column = rows[pair], columns[pair]
        if taken[row] or not free[column]:
            continue
        taken[row] = True
        free[column] -= 1
        chosen.append(pair)
        left -= 1
        if not left:
            break
    return proposal(problem, rows[chosen], columns[chosen])


def proposal(problem: AssignmentProblem, rows: np.ndarray, columns: np.ndarray) -> BatchProposal:
    """Proposed Tandems with reasons and contributions, and every other mentee with why."""
    weights, index = problem.weights, problem.index
    mentee_at, mentor_at = problem.rows[rows], problem.columns[columns]
    fits = scoring.fits(problem.arrays.take(mentee_at), index.arrays.take(mentor_at), weights)
    scores = np.broadcast_to(scoring.total(fits, weights), mentee_at.shape)
    tandems = []
    for e, r, score, contributions in zip(mentee_at.tolist(), mentor_at.tolist(), scores.tolist(),
                                          reasons.contributions(fits, weights, scores.size),
                                          strict=True):
        mentee, mentor = problem.mentees[e], index.profiles[r]
        tandems.append(Suggestion(
            mentor_id=mentor.id, mentee_id=mentee.id, score=score, contributions=contributions,
            reasons=reasons.reasons(mentor, mentee, weights=weights, on=index.on, about="mentor")))
    return BatchProposal(tandems=tuple(tandems), unmatched=_unmatched(problem, mentee_at))


def _unmatched(problem: AssignmentProblem, matched: np.ndarray) -> tuple[Unmatched, ...]:
    left = np.setdiff1d(np.arange(len(problem.mentees)), matched)
    if left.size == 0:
        return ()
    possible_at = dict(zip(problem.rows.tolist(), problem.feasible.sum(axis=1).tolist(), strict=True))
    e, r = problem.arrays.take(left).as_rows(), problem.index.arrays.as_columns()
    masks = rules.passes(e, r, problem.weights)
    pool = reasons.exclusions(masks, (left.size, len(problem.index)))
    out = []
    for at, exclusions in zip(left.tolist(), pool, strict=True):
        possible = possible_at.get(at, 0)
        if possible == 1:
            reason = ("Der einzige mögliche Pate ist einem anderen Mentee vorgeschlagen",
                      "The only possible mentor is proposed to another mentee")
        elif possible:
            reason = (f"Alle {possible} möglichen Paten sind anderen Mentees vorgeschlagen",
                      f"All {possible} possible mentors are proposed to other mentees")
        else:
            reason = exclusions.summary
        out.append(Unmatched(mentee_id=problem.mentees[at].id, possible_mentors=possible,
                             reason=reason, exclusions=exclusions))
    return tuple(out)


def propose_batch(mentees: Sequence[MenteeProfile], index: MentorIndex, *,
                  weights: Weights = DEFAULT_WEIGHTS) -> BatchProposal:
    """Tandems for the given mentees (those waiting) that maximise the total score."""
    return solve_optimal(build_problem(mentees, index, weights=weights))


def greedy_batch(mentees: Sequence[MenteeProfile], index: MentorIndex, *,
                 weights: Weights = DEFAULT_WEIGHTS) -> BatchProposal:
    """The greedy baseline, for comparison only."""
    return solve_greedy(build_problem(mentees, index, weights=weights))
