"""The batch assignment problem: waiting mentees × mentors with free places, checked and scored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from altjung.matching.domain import geo
from altjung.matching.domain.encoding import MenteeArrays, MentorArrays
from altjung.matching.domain.index import MentorIndex
from altjung.matching.domain.profiles import MenteeProfile
from altjung.matching.domain.rules import limit_km
from altjung.matching.domain.weights import FULL_INTERESTS, FULL_SLOTS, Weights


@dataclass(frozen=True, eq=False)
class AssignmentProblem:
    """Rows are mentees with at least one possible mentor, columns mentors with at least one
    possible mentee and a free place; impossible pairs score 0 and are never proposed."""

    mentees: tuple[MenteeProfile, ...]
    index: MentorIndex
    weights: Weights
    arrays: MenteeArrays  # every mentee given, encoded against the index
    rows: np.ndarray  # (R,) positions in `mentees`
    columns: np.ndarray  # (C,) positions in `index`
    scores: np.ndarray  # (R, C) float64
    feasible: np.ndarray  # (R, C) bool
    capacity: np.ndarray  # (C,) free places, capped at the column's possible mentees

    def expanded(self) -> tuple[np.ndarray, np.ndarray]:
        """The matrix with one column per free place, and the column of `scores` each came from.

        A mentor with three free places needs three columns for linear_sum_assignment.
        """
        owner = np.repeat(np.arange(self.columns.size), self.capacity)
        if owner.size == self.columns.size:
            return self.scores, owner
        return self.scores[:, owner], owner


def _checked_scores(e: MenteeArrays, r: MentorArrays, weights: Weights,
                    ) -> tuple[np.ndarray, np.ndarray]:
    """`rules.passes` and `scoring.fits` for every row × column, fused into a few reused buffers.

    Fresh memory is what a 2,000 × 2,000 matrix costs most (page faults), so each temporary is
    written in place; the arithmetic is the same, so the result equals the generic functions'
    (up to the order of the final sum: tests hold them equal to 1e-12).
    """
    rows, cols = (slice(None), None), (None, slice(None))
    shape = (e.max_km.size, r.max_km.size)
    scores, scratch = np.empty(shape), np.empty(shape)
    c2 = scratch
    for axis in range(3):
        np.subtract(e.xyz[axis][rows], r.xyz[axis][cols], out=scores)
        np.multiply(scores, scores, out=scores)
        if axis == 0:
            c2, scores = scores, c2
        else:
            np.add(c2, scores, out=c2)
    reach_e = geo.km_to_chord2(limit_km(e.max_km, weights))
    reach_r = geo.km_to_chord2(limit_km(r.max_km, weights))
    ok = np.less_equal(c2, reach_e[rows])
    ok &= c2 <= reach_r[cols]
    rank = weights.min_rank
    shared = np.bitwise_and(e.lang[rank, 0][rows], r.lang[rank, 0][cols])
    for word in range(1, e.lang.shape[1]):
        shared |= np.bitwise_and(e.lang[rank, word][rows], r.lang[rank, word][cols])
    ok &= shared.astype(bool, copy=False)
    del shared
    # gender wish and police certificate: one lookup on (wish, minor) × (gender, certified)
    allowed = np.array([[wish in (0, gender) and (not minor or certified)
                         for gender in range(4) for certified in (False, True)]
                        for wish in range(4) for minor in (False, True)], dtype=bool)
    ok &= allowed[(e.wants_gender.astype(np.intp) * 2 + e.minor)[rows],
                  (r.gender.astype(np.intp) * 2 + r.certified)[cols]]
    common = np.bitwise_count(np.bitwise_and(e.slots[rows], r.slots[cols]))
    ok &= common.astype(bool, copy=False)
    # distance fit: 1 - km / allowed km, then the other criteria added on top
    np.sqrt(c2, out=c2)
    np.multiply(c2, 0.5, out=c2)
    np.minimum(c2, 1.0, out=c2)
    np.arcsin(c2, out=c2)
    np.multiply(c2, 2 * geo.EARTH_RADIUS_KM, out=c2)
    np.minimum(limit_km(e.max_km, weights)[rows], limit_km(r.max_km, weights)[cols], out=scores)
    np.maximum(scores, 1e-9, out=scores)
    np.divide(c2, scores, out=c2)
    np.subtract(1.0, c2, out=c2)
    np.maximum(c2, 0.0, out=c2)
    np.multiply(c2, weights.distance, out=scores)
    np.minimum(common, FULL_SLOTS, out=common)
    scores += np.multiply(common, weights.availability / FULL_SLOTS, out=c2)
    needs = np.maximum(np.bitwise_count(e.areas), 1)
    np.bitwise_count(np.bitwise_and(e.areas[rows], r.areas[cols]), out=common)
    scores += np.multiply(common, (weights.needs / needs)[rows], out=c2)
    interests = np.bitwise_count(np.bitwise_and(e.interests[0][rows], r.interests[0][cols]))
    for word in range(1, e.interests.shape[0]):
        interests += np.bitwise_count(np.bitwise_and(e.interests[word][rows],
                                                     r.interests[word][cols]))
    np.minimum(interests, FULL_INTERESTS, out=interests)
    scores += np.multiply(interests, weights.interests / FULL_INTERESTS, out=c2)
    waited = np.minimum(e.waiting_days / weights.full_waiting_days, 1.0)
    scores += (weights.waiting * waited)[rows]
    scores *= ok
    return ok, scores


def build_problem(mentees: Sequence[MenteeProfile], index: MentorIndex, *,
                  weights: Weights) -> AssignmentProblem:
    """Check and score every waiting mentee against every mentor with a free place, vectorised."""
    mentees = tuple(mentees)
    arrays = index.encode(mentees)
    mentors = index.arrays
    row_pool = np.flatnonzero(arrays.waiting)
    column_pool = np.flatnonzero(mentors.active & (mentors.free > 0))
    feasible, scores = _checked_scores(arrays.take(row_pool), mentors.take(column_pool), weights)
    keep_rows, keep_columns = feasible.any(axis=1), feasible.any(axis=0)
    if not keep_rows.all():
        scores, feasible = scores[keep_rows], feasible[keep_rows]
        row_pool = row_pool[keep_rows]
    if not keep_columns.all():
        scores, feasible = scores[:, keep_columns], feasible[:, keep_columns]
        column_pool = column_pool[keep_columns]
    capacity = np.minimum(mentors.free[column_pool], feasible.sum(axis=0))
    return AssignmentProblem(mentees=mentees, index=index, weights=weights, arrays=arrays,
                             rows=row_pool, columns=column_pool, scores=scores,
                             feasible=feasible, capacity=capacity)
