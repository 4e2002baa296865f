"""The matching engine: profiles, hard constraints, scores with reasons, suggestions and batches."""

from __future__ import annotations

from altjung.matching.domain.batch import greedy_batch, propose_batch, solve_greedy, solve_optimal
from altjung.matching.domain.demo import demo_profiles
from altjung.matching.domain.errors import DomainError, InvalidProfile, InvalidWeights
from altjung.matching.domain.index import MenteeIndex, MentorIndex
from altjung.matching.domain.problem import AssignmentProblem, build_problem
from altjung.matching.domain.profiles import (
    MenteePreferences,
    MenteeProfile,
    MenteeStatus,
    MentorProfile,
    MentorStatus,
    PoliceCertificate,
    TargetGroup,
)
from altjung.matching.domain.results import (
    BatchProposal,
    Contribution,
    Exclusion,
    Exclusions,
    Reason,
    Suggestion,
    Suggestions,
    Unmatched,
)
from altjung.matching.domain.rules import Constraint
from altjung.matching.domain.suggest import suggest_mentees, suggest_mentors
from altjung.matching.domain.weights import Criterion, Weights

__all__ = [
    "AssignmentProblem", "BatchProposal", "Constraint", "Contribution", "Criterion", "DomainError",
    "Exclusion", "Exclusions", "InvalidProfile", "InvalidWeights", "MenteeIndex",
    "MenteePreferences", "MenteeProfile", "MenteeStatus", "MentorIndex", "MentorProfile",
    "MentorStatus", "PoliceCertificate", "Reason", "Suggestion", "Suggestions", "TargetGroup",
    "Unmatched", "Weights", "build_problem", "demo_profiles", "greedy_batch", "propose_batch",
    "solve_greedy", "solve_optimal", "suggest_mentees", "suggest_mentors",
]
