"""What the engine answers: suggestions with reasons, exclusions, batch proposals."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from altjung.matching.domain.rules import Constraint
from altjung.matching.domain.weights import Criterion


@dataclass(frozen=True)
class Reason:
    """One sentence on why a pair fits, in German and English; `topic` is a Criterion or a rule."""

    topic: str
    de: str
    en: str


@dataclass(frozen=True)
class Contribution:
    """How much one criterion added to a pair's score: fit in [0, 1] times the site's weight."""

    criterion: Criterion
    fit: float
    weight: float

    @property
    def points(self) -> float:
        return self.fit * self.weight


@dataclass(frozen=True)
class Suggestion:
    """A possible Tandem: it satisfies every constraint; the score is the sum of the points."""

    mentor_id: UUID
    mentee_id: UUID
    score: float
    contributions: tuple[Contribution, ...]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Exclusion:
    """How many candidates one constraint ruled out, and how many it alone ruled out."""

    constraint: Constraint
    excluded: int
    decisive: int  # candidates failing this constraint and no other: relaxing it would admit them

    @property
    def label(self) -> tuple[str, str]:
        return self.constraint.label


@dataclass(frozen=True)
class Exclusions:
    """Why candidates of a pool were not possible; a candidate may fail several constraints."""

    pool_size: int
    possible: int
    by_constraint: tuple[Exclusion, ...]  # only constraints that excluded someone, in rule order

    @property
    def summary(self) -> tuple[str, str]:
        """E.g. ("Von 40 passen 0: Keine gemeinsame Sprache (31), …", "Of 40, 0 are possible: …")."""
        parts_de = ", ".join(f"{e.label[0]} ({e.excluded})" for e in self.by_constraint)
        parts_en = ", ".join(f"{e.label[1]} ({e.excluded})" for e in self.by_constraint)
        head_de = f"Von {self.pool_size} passen {self.possible}"
        head_en = f"Of {self.pool_size}, {self.possible} are possible"
        if not parts_de:
            return head_de, head_en
        return f"{head_de}: {parts_de}", f"{head_en}: {parts_en}"


@dataclass(frozen=True)
class Suggestions:
    """The best k counterparts for one mentor or mentee, and why the others were not possible."""

    for_id: UUID
    items: tuple[Suggestion, ...]
    exclusions: Exclusions


@dataclass(frozen=True)
class Unmatched:
    """A mentee the batch proposes no Tandem for, and why."""

    mentee_id: UUID
    possible_mentors: int
    reason: tuple[str, str]
    exclusions: Exclusions  # over the whole mentor pool


@dataclass(frozen=True)
class BatchProposal:
    """Proposed Tandems for many mentees at once; every Tandem satisfies every constraint."""

    tandems: tuple[Suggestion, ...]
    unmatched: tuple[Unmatched, ...]

    @property
    def total_score(self) -> float:
        return sum(t.score for t in self.tandems)

    @property
    def matched(self) -> int:
        return len(self.tandems)
