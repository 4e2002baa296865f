"""Vectorised fit of each soft criterion in [0, 1] and the weighted total score."""

from __future__ import annotations

import numpy as np

from altjung.matching.domain import geo
from altjung.matching.domain.encoding import MenteeArrays, MentorArrays
from altjung.matching.domain.rules import limit_km
from altjung.matching.domain.weights import FULL_INTERESTS, FULL_SLOTS, Criterion, Weights

_count = np.bitwise_count


def fits(mentees: MenteeArrays, mentors: MentorArrays, weights: Weights, *,
         chord2: np.ndarray | None = None) -> dict[Criterion, np.ndarray]:
    """Each criterion's fit for the pairs of the (shaped) sides, as in `rules.passes`.

    A mentee who states no needs gets no needs fit: there is nothing to cover.
    """
    e, r = mentees, mentors
    shared_interests = _count(e.interests[0] & r.interests[0])
    for word in range(1, e.interests.shape[0]):
        shared_interests = shared_interests + _count(e.interests[word] & r.interests[word])
    c2 = geo.chord2(e.xyz, r.xyz) if chord2 is None else chord2
    allowed = np.minimum(limit_km(e.max_km, weights), limit_km(r.max_km, weights))
    distance = 1.0 - geo.chord2_to_km(c2) / np.maximum(allowed, 1e-9)
    return {
        Criterion.NEEDS: _count(e.areas & r.areas) / np.maximum(_count(e.areas), 1),
        Criterion.INTERESTS: np.minimum(shared_interests, FULL_INTERESTS) / FULL_INTERESTS,
        Criterion.DISTANCE: np.clip(distance, 0.0, 1.0),
        Criterion.AVAILABILITY: np.minimum(_count(e.slots & r.slots), FULL_SLOTS) / FULL_SLOTS,
        Criterion.WAITING: np.minimum(e.waiting_days / weights.full_waiting_days, 1.0),
    }


def total(criterion_fits: dict[Criterion, np.ndarray], weights: Weights) -> np.ndarray:
    """The score: the sum of fit × weight over the criteria, broadcast to the pair shape."""
    shape = np.broadcast_shapes(*(fit.shape for fit in criterion_fits.values()))
    out = np.zeros(shape, dtype=np.float64)
    for criterion, fit in criterion_fits.items():
        weight = weights.of(criterion)
        if weight:
            out += weight * fit
    return out
