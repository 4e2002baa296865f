"""Pools of mentors or mentees encoded once, to match many queries against quickly."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from altjung.matching.domain.encoding import Codebook, MenteeArrays, MentorArrays
from altjung.matching.domain.profiles import MenteeProfile, MentorProfile


@dataclass(frozen=True, eq=False)
class MentorIndex:
    """The mentors of one partner site as arrays, valid for one reference date.

    Police certificates and minority depend on the date: build a new index each day (or
    whenever a profile changes); building 10,000 mentors takes well under a second.
    """

    profiles: tuple[MentorProfile, ...]
    codebook: Codebook
    arrays: MentorArrays
    on: date
    positions: dict[UUID, int] = field(repr=False)

    @classmethod
    def build(cls, mentors: Iterable[MentorProfile], *, on: date) -> MentorIndex:
        profiles = tuple(mentors)
        codebook = Codebook.of(profiles)
        return cls(profiles, codebook, MentorArrays.of(profiles, codebook, on), on,
                   {p.id: i for i, p in enumerate(profiles)})

    def __len__(self) -> int:
        return len(self.profiles)

    def encode(self, mentees: Sequence[MenteeProfile]) -> MenteeArrays:
        """Mentees encoded against this pool's codes (codes no mentor has get no bit)."""
        return MenteeArrays.of(mentees, self.codebook, self.on)


@dataclass(frozen=True, eq=False)
class MenteeIndex:
    """The mentees of one partner site as arrays, valid for one reference date."""

    profiles: tuple[MenteeProfile, ...]
    codebook: Codebook
    arrays: MenteeArrays
    on: date
    positions: dict[UUID, int] = field(repr=False)

    @classmethod
    def build(cls, mentees: Iterable[MenteeProfile], *, on: date) -> MenteeIndex:
        profiles = tuple(mentees)
        codebook = Codebook.of(profiles)
        return cls(profiles, codebook, MenteeArrays.of(profiles, codebook, on), on,
                   {p.id: i for i, p in enumerate(profiles)})

    def __len__(self) -> int:
        return len(self.profiles)

    def encode(self, mentors: Sequence[MentorProfile]) -> MentorArrays:
        """Mentors encoded against this pool's codes (codes no mentee has get no bit)."""
        return MentorArrays.of(mentors, self.codebook, self.on)
