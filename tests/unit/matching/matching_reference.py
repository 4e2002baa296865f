"""Slow, independent per-pair reference of the matching rules, scores and optimal batch."""

from __future__ import annotations

import calendar
import math
from datetime import date

import numpy as np
from ortools.graph.python import min_cost_flow

from altjung.matching.domain import Constraint, Criterion, MenteeProfile, MentorProfile, Weights

LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2", "native"]
#: Distances closer than this to a limit are ambiguous between float formulas: tests skip them.
BOUNDARY_KM = 1e-6


def months_later(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    year, month = total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def certificate_valid(mentor: MentorProfile, on: date) -> bool:
    cert = mentor.police_certificate
    if cert is None or cert.has_relevant_entry:
        return False
    fresh_when_seen = cert.issued_on <= cert.seen_on <= months_later(cert.issued_on, 3)
    return fresh_when_seen and cert.seen_on <= on <= months_later(cert.issued_on, 5 * 12)


def km_between(a: MentorProfile | MenteeProfile, b: MentorProfile | MenteeProfile) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def allowed_km(mentor: MentorProfile, mentee: MenteeProfile, weights: Weights) -> float:
    limits = [p.max_distance_km for p in (mentor, mentee)]
    return min(weights.max_distance_km if km is None else km for km in limits)


def near_boundary(mentor: MentorProfile, mentee: MenteeProfile, weights: Weights) -> bool:
    return abs(km_between(mentor, mentee) - allowed_km(mentor, mentee, weights)) < BOUNDARY_KM


def failures(mentor: MentorProfile, mentee: MenteeProfile, weights: Weights, on: date,
             ) -> set[Constraint]:
    """Every hard constraint the pair breaks, checked one by one."""
    out = set()
    if mentee.status != "waiting":
        out.add(Constraint.MENTEE_NOT_WAITING)
    if mentor.status != "active":
        out.add(Constraint.MENTOR_NOT_ACTIVE)
    if mentor.capacity - mentor.active_tandems < 1:
        out.add(Constraint.NO_CAPACITY)
    floor = LEVELS.index(weights.min_language_level)
    if not any(LEVELS.index(mentor.languages[code]) >= floor
               and LEVELS.index(mentee.languages[code]) >= floor
               for code in set(mentor.languages) & set(mentee.languages)):
        out.add(Constraint.NO_SHARED_LANGUAGE)
    if not set(mentor.availability) & set(mentee.availability):
        out.add(Constraint.NO_SHARED_TIME)
    if km_between(mentor, mentee) > allowed_km(mentor, mentee, weights):
        out.add(Constraint.TOO_FAR)
    wish = mentee.preferences.mentor_gender
    if wish is not None and mentor.gender != wish:
        out.add(Constraint.GENDER_PREFERENCE)
    may_be_minor = on.year - mentee.birth_year < 19
    if may_be_minor and not certificate_valid(mentor, on):
        out.add(Constraint.NO_POLICE_CERTIFICATE)
    return out


def fits(mentor: MentorProfile, mentee: MenteeProfile, weights: Weights, on: date,
         ) -> dict[Criterion, float]:
    """Each criterion's fit as the Weights docstring defines it."""
    allowed = allowed_km(mentor, mentee, weights)
    distance = 1.0 if allowed == 0 else max(0.0, 1 - km_between(mentor, mentee) / allowed)
    needs = len(mentee.needs & mentor.areas) / len(mentee.needs) if mentee.needs else 0.0
    return {
        Criterion.NEEDS: needs,
        Criterion.INTERESTS: min(len(mentor.interests & mentee.interests), 3) / 3,
        Criterion.DISTANCE: distance,
        Criterion.AVAILABILITY: min(len(mentor.availability & mentee.availability), 3) / 3,
        Criterion.WAITING: min(max((on - mentee.waiting_since).days, 0) / weights.full_waiting_days,
                               1.0),
    }


def score(mentor: MentorProfile, mentee: MenteeProfile, weights: Weights, on: date) -> float:
    return sum(getattr(weights, c.value) * fit for c, fit in fits(mentor, mentee, weights, on).items())


def brute_force_best(mentors: list[MentorProfile], mentees: list[MenteeProfile], weights: Weights,
                     on: date) -> float:
    """The best total score over every assignment (each mentee to one mentor or none)."""
    free = [max(m.capacity - m.active_tandems, 0) for m in mentors]
    options = [[(j, score(m, e, weights, on)) for j, m in enumerate(mentors)
                if not failures(m, e, weights, on)] for e in mentees]

    def best(i: int) -> float:
        if i == len(mentees):
            return 0.0
        result = best(i + 1)
        for j, value in options[i]:
            if free[j]:
                free[j] -= 1
                result = max(result, value + best(i + 1))
                free[j] += 1
        return result

    return best(0)


def min_cost_flow_best(scores: np.ndarray, feasible: np.ndarray, capacity: np.ndarray,
                       scale: float = 1e9) -> tuple[float, list[tuple[int, int]]]:
    """OR-tools min-cost flow on mentee → mentor arcs with mentor capacities; unmatched allowed."""
    n_rows, n_cols = feasible.shape
    source, sink = n_rows + n_cols, n_rows + n_cols + 1
    rows, cols = np.nonzero(feasible)
    tails = np.concatenate([np.full(n_rows, source), rows, n_rows + np.arange(n_cols), [source]])
    heads = np.concatenate([np.arange(n_rows), n_rows + cols, np.full(n_cols, sink), [sink]])
    caps = np.concatenate([np.ones(n_rows + rows.size, dtype=np.int64), capacity, [n_rows]])
    costs = np.concatenate([np.zeros(n_rows, dtype=np.int64),
                            -np.rint(scores[rows, cols] * scale).astype(np.int64),
                            np.zeros(n_cols + 1, dtype=np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32),
                                              caps.astype(np.int64), costs)
    flow.set_node_supply(source, n_rows)
    flow.set_node_supply(sink, -n_rows)
    assert flow.solve() == flow.OPTIMAL
    used = flow.flows(np.arange(n_rows, n_rows + rows.size)) > 0
    pairs = list(zip(rows[used].tolist(), cols[used].tolist(), strict=True))
    return float(sum(scores[r, c] for r, c in pairs)), pairs
