"""Per-site weights of the score criteria and the site defaults the engine applies."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from enum import StrEnum

from altjung.matching.domain.errors import InvalidWeights
from altjung.matching.domain.labels import LEVEL_RANK

#: Shared interests that earn the full interests criterion.
FULL_INTERESTS = 3
#: Shared weekly slots that earn the full availability criterion.
FULL_SLOTS = 3


class Criterion(StrEnum):
    """A scored (soft) criterion; each contributes fit in [0, 1] times its weight."""

    NEEDS = "needs"
    INTERESTS = "interests"
    DISTANCE = "distance"
    AVAILABILITY = "availability"
    WAITING = "waiting"

    @property
    def label(self) -> tuple[str, str]:
        return _LABELS[self]


_LABELS = {
    Criterion.NEEDS: ("Unterstützungsbedarf", "Needs covered"),
    Criterion.INTERESTS: ("Gemeinsame Interessen", "Shared interests"),
    Criterion.DISTANCE: ("Nähe", "Proximity"),
    Criterion.AVAILABILITY: ("Gemeinsame Zeitfenster", "Shared time slots"),
    Criterion.WAITING: ("Wartezeit", "Waiting time"),
}


@dataclass(frozen=True, kw_only=True)
class Weights:
    """How much each criterion counts on one partner site, and the site's defaults.

    Fits: needs = share of the mentee's needs among the mentor's areas; interests = shared
    interests / FULL_INTERESTS (capped); distance = 1 - distance / allowed distance; availability
    = shared slots / FULL_SLOTS (capped); waiting = days waiting / full_waiting_days (capped).
    """

    needs: float = 0.35
    interests: float = 0.15
    distance: float = 0.2
    availability: float = 0.15
    waiting: float = 0.15
    #: Maximum distance for a profile that states none.
    max_distance_km: float = 10.0
    #: Weakest level at which a language counts as shared (on both sides).
    min_language_level: str = "A2"
    #: Days of waiting that earn the full waiting criterion.
    full_waiting_days: int = 180

    def __post_init__(self) -> None:
        for criterion in Criterion:
            value = getattr(self, criterion.value)
            if not (math.isfinite(value) and value >= 0):
                raise InvalidWeights(f"weight {criterion.value} must be a finite number >= 0")
        if not (math.isfinite(self.max_distance_km) and self.max_distance_km >= 0):
            raise InvalidWeights("max_distance_km must be a finite number >= 0")
        if self.min_language_level not in LEVEL_RANK:
            raise InvalidWeights(f"min_language_level must be one of {sorted(LEVEL_RANK)}")
        if self.full_waiting_days < 1:
            raise InvalidWeights("full_waiting_days must be at least 1")

    def of(self, criterion: Criterion) -> float:
        return float(getattr(self, criterion.value))

    @property
    def total(self) -> float:
        """The highest score a pair can reach."""
        return sum(self.of(criterion) for criterion in Criterion)

    @property
    def min_rank(self) -> int:
        return LEVEL_RANK[self.min_language_level]

    @classmethod
    def from_dict(cls, data: dict) -> Weights:
        """Weights from a site's stored settings; unknown keys are ignored, missing ones defaulted."""
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})
