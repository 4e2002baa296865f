"""Profiles turned into column arrays of bitmasks and numbers, so rules run vectorised."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Self

import numpy as np

from altjung.matching.domain import geo
from altjung.matching.domain.labels import AREA_LABELS, LEVEL_ORDER, LEVEL_RANK, SLOTS
from altjung.matching.domain.profiles import (
    GENDERS,
    MenteeProfile,
    MenteeStatus,
    MentorProfile,
    MentorStatus,
)

_AREA_BIT = {code: bit for bit, code in enumerate(AREA_LABELS)}
_GENDER_CODE = {gender: code for code, gender in enumerate(GENDERS, start=1)}  # 0: none / unknown


@dataclass(frozen=True)
class Codebook:
    """Bit positions of the language and interest codes of one pool; other codes get no bit."""

    languages: dict[str, int]
    interests: dict[str, int]

    @classmethod
    def of(cls, profiles: Iterable[MentorProfile | MenteeProfile]) -> Codebook:
        languages: set[str] = set()
        interests: set[str] = set()
        for profile in profiles:
            languages.update(profile.languages)
            interests.update(profile.interests)
        return cls({c: i for i, c in enumerate(sorted(languages))},
                   {c: i for i, c in enumerate(sorted(interests))})


def _bitsets(pairs: list[tuple[int, int]] | np.ndarray, n: int, size: int) -> np.ndarray:
    """Sets of bit positions < `size` per person, as (words, n) of the smallest unsigned type."""
    dtype, width = next(((t, b) for t, b in ((np.uint8, 8), (np.uint16, 16), (np.uint32, 32))
                         if size <= b), (np.uint64, 64))
    out = np.zeros((max(1, -(-size // width)), n), dtype=dtype)
    if len(pairs):
        person, bits = np.asarray(pairs, dtype=np.int64).T
        values = np.left_shift(np.ones(bits.size, dtype=dtype), (bits % width).astype(dtype))
        np.bitwise_or.at(out, (bits // width, person), values)
    return out


def _masks(profiles: Sequence, codebook: Codebook) -> dict[str, np.ndarray]:
    """The arrays both sides share; language masks per minimum level rank (index 0 unused)."""
    n = len(profiles)
    lang: list[tuple[int, int, int]] = []
    interests: list[tuple[int, int]] = []
    areas: list[tuple[int, int]] = []
    slots: list[tuple[int, int]] = []
    for j, p in enumerate(profiles):
        lang.extend((j, codebook.languages[code], LEVEL_RANK[level])
                    for code, level in p.languages.items() if code in codebook.languages)
        interests.extend((j, codebook.interests[code]) for code in p.interests
                         if code in codebook.interests)
        areas.extend((j, _AREA_BIT[code]) for code in
                     (p.areas if isinstance(p, MentorProfile) else p.needs))
        slots.extend((j, day * len(SLOTS) + SLOTS.index(part)) for day, part in p.availability)
    person, bit, rank = np.asarray(lang, dtype=np.int64).reshape(-1, 3).T
    by_rank = [_bitsets(np.stack([person[rank >= r], bit[rank >= r]], axis=1), n,
                        len(codebook.languages)) for r in range(len(LEVEL_ORDER) + 1)]
    lat = np.array([p.lat for p in profiles], dtype=np.float64)
    lon = np.array([p.lon for p in profiles], dtype=np.float64)
    max_km = np.array([np.nan if p.max_distance_km is None else p.max_distance_km for p in profiles],
                      dtype=np.float64)
    return dict(lang=np.stack(by_rank), interests=_bitsets(interests, n, len(codebook.interests)),
                areas=_bitsets(areas, n, len(AREA_LABELS))[0],
                slots=_bitsets(slots, n, 7 * len(SLOTS))[0],
                xyz=geo.unit_vectors(lat, lon), max_km=max_km)


@dataclass(frozen=True, kw_only=True)
class _Arrays:
    lang: np.ndarray  # (ranks, words, n) unsigned: languages spoken at least at each rank
    interests: np.ndarray  # (words, n) unsigned
    areas: np.ndarray  # (n,) uint8: support areas of a mentor, needs of a mentee
    slots: np.ndarray  # (n,) uint32: bit day * 3 + part
    xyz: np.ndarray  # (3, n) unit vectors
    max_km: np.ndarray  # (n,) NaN: the site default

    def map(self, fn: Callable[[np.ndarray], np.ndarray]) -> Self:
        """Apply `fn` to every array; it must act on the last (person) axis only."""
        return replace(self, **{f.name: fn(getattr(self, f.name)) for f in fields(self)})

    def take(self, index: np.ndarray) -> Self:
        return self.map(lambda a: a[..., index])

    def as_rows(self) -> Self:
        return self.map(lambda a: a[..., :, None])

    def as_columns(self) -> Self:
        return self.map(lambda a: a[..., None, :])


@dataclass(frozen=True, kw_only=True)
class MentorArrays(_Arrays):
    active: np.ndarray  # (n,) bool
    free: np.ndarray  # (n,) int64 free capacity
    gender: np.ndarray  # (n,) int8, 0 unknown
    certified: np.ndarray  # (n,) bool: valid police certificate on the reference date

    @classmethod
    def of(cls, mentors: Sequence[MentorProfile], codebook: Codebook, on: date) -> MentorArrays:
        return cls(**_masks(mentors, codebook),
                   active=np.array([m.status == MentorStatus.ACTIVE for m in mentors], dtype=bool),
                   free=np.array([m.free_capacity for m in mentors], dtype=np.int64),
                   gender=np.array([_GENDER_CODE.get(m.gender, 0) for m in mentors], dtype=np.int8),
                   certified=np.array([m.may_accompany_minors(on) for m in mentors], dtype=bool))


@dataclass(frozen=True, kw_only=True)
class MenteeArrays(_Arrays):
    waiting: np.ndarray  # (n,) bool
    minor: np.ndarray  # (n,) bool
    wants_gender: np.ndarray  # (n,) int8, 0 no preference
    waiting_days: np.ndarray  # (n,) float64

    @classmethod
    def of(cls, mentees: Sequence[MenteeProfile], codebook: Codebook, on: date) -> MenteeArrays:
        return cls(**_masks(mentees, codebook),
                   waiting=np.array([m.status == MenteeStatus.WAITING for m in mentees], dtype=bool),
                   minor=np.array([m.is_minor(on) for m in mentees], dtype=bool),
                   wants_gender=np.array([_GENDER_CODE.get(m.preferences.mentor_gender, 0)
                                          for m in mentees], dtype=np.int8),
                   waiting_days=np.array([max((on - m.waiting_since).days, 0) for m in mentees],
                                         dtype=np.float64))
