"""Top-k suggestions: mentors for one mentee, mentees for one mentor."""

from __future__ import annotations

import numpy as np

from altjung.matching.domain import geo, reasons, rules, scoring
from altjung.matching.domain.encoding import MenteeArrays, MentorArrays
from altjung.matching.domain.index import MenteeIndex, MentorIndex
from altjung.matching.domain.profiles import MenteeProfile, MentorProfile
from altjung.matching.domain.results import Suggestion, Suggestions
from altjung.matching.domain.weights import Weights

#: Suggestions returned when the caller does not say.
DEFAULT_K = 10
#: Weights of a site that has configured none.
DEFAULT_WEIGHTS = Weights()


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest scores, best first; ties go to the lower position."""
    if k <= 0 or scores.size == 0:
        return np.zeros(0, dtype=np.intp)
    if k < scores.size:
        kth = np.partition(scores, scores.size - k)[scores.size - k]
        above = np.flatnonzero(scores > kth)
        chosen = np.concatenate([above, np.flatnonzero(scores == kth)[: k - above.size]])
    else:
        chosen = np.arange(scores.size)
    return chosen[np.lexsort((chosen, -scores[chosen]))]


def _rank(e: MenteeArrays, r: MentorArrays, k: int, weights: Weights, *, pool_on_mentors: bool):
    """Check every pair of a one-sided query, score the possible ones, keep the best k."""
    chord2 = geo.chord2(e.xyz, r.xyz)
    masks = rules.passes(e, r, weights, chord2=chord2)
    possible = np.flatnonzero(rules.feasible(masks))
    if pool_on_mentors:
        fits = scoring.fits(e, r.take(possible), weights, chord2=chord2[possible])
    else:
        fits = scoring.fits(e.take(possible), r, weights, chord2=chord2[possible])
    scores = np.broadcast_to(scoring.total(fits, weights), possible.shape)
    best = top_k(scores, k)
    exclusions = reasons.exclusions(masks, chord2.shape)[0]
    fits = {c: np.broadcast_to(f, possible.shape)[best] for c, f in fits.items()}
    return possible[best], fits, scores[best], exclusions


def suggest_mentors(mentee: MenteeProfile, index: MentorIndex, *, k: int = DEFAULT_K,
                    weights: Weights = DEFAULT_WEIGHTS) -> Suggestions:
    """The k best possible mentors for one mentee, with reasons; empty with exclusions if none."""
    best, fits, scores, exclusions = _rank(
        index.encode([mentee]), index.arrays, k, weights, pool_on_mentors=True)
    items = []
    for at, score, contributions in zip(best.tolist(), scores.tolist(),
                                        reasons.contributions(fits, weights, best.size), strict=True):
        mentor = index.profiles[at]
        items.append(Suggestion(
            mentor_id=mentor.id, mentee_id=mentee.id, score=score, contributions=contributions,
            reasons=reasons.reasons(mentor, mentee, weights=weights, on=index.on, about="mentor")))
    return Suggestions(for_id=mentee.id, items=tuple(items), exclusions=exclusions)


def suggest_mentees(mentor: MentorProfile, index: MenteeIndex, *, k: int = DEFAULT_K,
                    weights: Weights = DEFAULT_WEIGHTS) -> Suggestions:
    """The k best possible mentees for one mentor (longest waiting counts, see Weights)."""
    best, fits, scores, exclusions = _rank(
        index.arrays, index.encode([mentor]), k, weights, pool_on_mentors=False)
    items = []
    for at, score, contributions in zip(best.tolist(), scores.tolist(),
                                        reasons.contributions(fits, weights, best.size), strict=True):
        mentee = index.profiles[at]
        items.append(Suggestion(
            mentor_id=mentor.id, mentee_id=mentee.id, score=score, contributions=contributions,
            reasons=reasons.reasons(mentor, mentee, weights=weights, on=index.on, about="mentee")))
    return Suggestions(for_id=mentor.id, items=tuple(items), exclusions=exclusions)

