"""Mentor and mentee profiles as the matching engine sees them: codes and facts, no names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID

from altjung.matching.domain.errors import InvalidProfile
from altjung.matching.domain.labels import AREAS, LEVELS, SLOTS

#: A weekly availability slot: (weekday 0 = Monday .. 6 = Sunday, "morning" | "afternoon" | "evening").
Slot = tuple[int, str]

#: Genders a mentor may state and a mentee may ask for.
GENDERS = ("female", "male", "diverse")

#: Age below which a mentee is a minor (§ 72a SGB VIII asks for a police certificate then).
AGE_OF_MAJORITY = 18


class MentorStatus(StrEnum):
    APPLICANT = "applicant"  # registered, not yet screened
    SCREENED = "screened"  # interview done, not yet released for matching
    ACTIVE = "active"  # available for matching (if capacity is free)
    PAUSED = "paused"
    LEFT = "left"


class MenteeStatus(StrEnum):
    APPLICANT = "applicant"  # registered, intake talk pending
    WAITING = "waiting"  # intake done, waiting for a Pate: the only status that is matched
    MATCHED = "matched"  # in a Tandem
    PAUSED = "paused"
    LEFT = "left"


class TargetGroup(StrEnum):
    REFUGEE = "refugee"
    LOW_FORMAL_EDUCATION = "low_formal_education"
    SINGLE_PARENT = "single_parent"
    MIGRATION_BACKGROUND = "migration_background"
    OTHER = "other"


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True, kw_only=True)
class PoliceCertificate:
    """An extended police certificate (erweitertes Führungszeugnis) as seen by the partner site."""

    issued_on: date
    seen_on: date
    has_relevant_entry: bool = False

    def is_valid_on(self, on: date) -> bool:
        """Seen within 3 months of issue, at most 5 years old on `on`, and without a relevant entry."""
        return (
            not self.has_relevant_entry
            and self.issued_on <= self.seen_on <= add_months(self.issued_on, 3)
            and self.seen_on <= on <= add_months(self.issued_on, 60)
        )


def _check_common(languages: dict[str, str], slots: frozenset[Slot], codes: frozenset[str],
                  max_distance_km: float | None, lat: float, lon: float) -> None:
    if any(level not in LEVELS for level in languages.values()):
        raise InvalidProfile(f"language levels must be one of {sorted(LEVELS)}")
    if any(day not in range(7) or part not in SLOTS for day, part in slots):
        raise InvalidProfile("availability slots are (weekday 0-6, morning|afternoon|evening)")
    if not codes <= AREAS:
        raise InvalidProfile(f"unknown support areas: {sorted(codes - AREAS)}")
    if max_distance_km is not None and max_distance_km < 0:
        raise InvalidProfile("max_distance_km must not be negative")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidProfile("coordinates out of range")


@dataclass(frozen=True, kw_only=True)
class MentorProfile:
    """A Pate or Patin: what they offer, when, where, and whether they may be matched."""

    id: UUID
    birth_year: int
    gender: str | None
    languages: dict[str, str]  # ISO 639 code -> "A1".."C2" | "native"
    interests: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()  # areas of support, see labels.AREAS
    availability: frozenset[Slot] = frozenset()
    lat: float
    lon: float
    max_distance_km: float | None = None  # None: the site's default
    capacity: int = 1  # Tandems at once
    active_tandems: int = 0
    status: MentorStatus = MentorStatus.APPLICANT
    police_certificate: PoliceCertificate | None = None

    def __post_init__(self) -> None:
        _check_common(self.languages, self.availability, self.areas, self.max_distance_km,
                      self.lat, self.lon)
        if self.gender is not None and self.gender not in GENDERS:
            raise InvalidProfile(f"gender must be one of {GENDERS} or None")
        if self.capacity < 0 or self.active_tandems < 0:
            raise InvalidProfile("capacity and active_tandems must not be negative")

    @property
    def free_capacity(self) -> int:
        return max(self.capacity - self.active_tandems, 0)

    def may_accompany_minors(self, on: date) -> bool:
        return self.police_certificate is not None and self.police_certificate.is_valid_on(on)


@dataclass(frozen=True, kw_only=True)
class MenteePreferences:
    """What a mentee asked for; each field None means "no preference"."""

    mentor_gender: str | None = None

    def __post_init__(self) -> None:
        if self.mentor_gender is not None and self.mentor_gender not in GENDERS:
            raise InvalidProfile(f"preferred mentor gender must be one of {GENDERS} or None")


@dataclass(frozen=True, kw_only=True)
class MenteeProfile:
    """A young person waiting for (or in) a Patenschaft."""

    id: UUID
    target_group: TargetGroup
    birth_year: int
    languages: dict[str, str]
    needs: frozenset[str] = frozenset()  # same codes as MentorProfile.areas
    interests: frozenset[str] = frozenset()
    availability: frozenset[Slot] = frozenset()
    lat: float
    lon: float
    max_distance_km: float | None = None
    preferences: MenteePreferences = field(default_factory=MenteePreferences)
    waiting_since: date
    status: MenteeStatus = MenteeStatus.APPLICANT

    def __post_init__(self) -> None:
        _check_common(self.languages, self.availability, self.needs, self.max_distance_km,
                      self.lat, self.lon)

    def is_minor(self, on: date) -> bool:
        """Whether the mentee may still be under 18 on `on`; with a birth year only, err towards minor."""
        return on.year - self.birth_year <= AGE_OF_MAJORITY
