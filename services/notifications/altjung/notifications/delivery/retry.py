"""When to try a failed delivery again: Svix's schedule with bounded jitter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol


class Uniform(Protocol):
    """The part of `random.Random` the schedule needs."""

    def uniform(self, a: float, b: float) -> float: ...


#: Delay before each attempt: the first immediately, then as Svix does (8 attempts, ~28 h).
SVIX_DELAYS: tuple[timedelta, ...] = (
    timedelta(0),
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
#: Largest share by which a delay is moved earlier or later, so endpoints are not hit in waves.
DEFAULT_JITTER = 0.1


@dataclass(frozen=True, kw_only=True)
class RetrySchedule:
    """The delay before each attempt of a delivery, and how much it may jitter."""

    delays: Sequence[timedelta] = SVIX_DELAYS
    jitter: float = DEFAULT_JITTER

    def __post_init__(self) -> None:
        if not self.delays:
            raise ValueError("a schedule has at least one attempt")
        if any(delay < timedelta(0) for delay in self.delays):
            raise ValueError("delays cannot be negative")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter is a share between 0 and 1")

    @property
    def max_attempts(self) -> int:
        """How many attempts a delivery gets in all."""
        return len(self.delays)

    def delay_after(self, attempt_number: int, rng: Uniform) -> timedelta | None:
        """The delay before the attempt following attempt `attempt_number` (1-based), or None."""
        if attempt_number < 1:
            raise ValueError("attempts are numbered from 1")
        if attempt_number >= len(self.delays):
            return None
        base = self.delays[attempt_number]
        factor = 1 + min(max(rng.uniform(-self.jitter, self.jitter), -self.jitter), self.jitter)
        return base * factor


#: The production schedule.
DEFAULT_SCHEDULE = RetrySchedule()


def next_attempt_delay(attempt_number: int, rng: Uniform, *,
                       schedule: RetrySchedule = DEFAULT_SCHEDULE) -> timedelta | None:
    """How long to wait after failed attempt `attempt_number` (1-based); None means give up."""
    return schedule.delay_after(attempt_number, rng)
