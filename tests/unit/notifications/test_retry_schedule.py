"""The retry schedule: Svix's delays, bounded jitter, and when to give up."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from altjung.notifications.delivery import DEFAULT_SCHEDULE, RetrySchedule, next_attempt_delay

EXPECTED = [timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
            timedelta(hours=5), timedelta(hours=10), timedelta(hours=10)]


class Extreme:
    """A random source that answers far outside the range it is asked for."""

    def __init__(self, value: float) -> None:
        self.value = value

    def uniform(self, a: float, b: float) -> float:
        return self.value


def test_without_jitter_the_schedule_is_svix_s():
    # Given the default delays and no jitter
    schedule = RetrySchedule(jitter=0)
    rng = random.Random(1)
    # Then attempts 1 to 7 are followed after the expected delays, and attempt 8 is the last
    assert [schedule.delay_after(n, rng) for n in range(1, 8)] == EXPECTED
    assert schedule.delay_after(8, rng) is None
    assert schedule.max_attempts == 8 and schedule.delays[0] == timedelta(0)


def test_jitter_stays_within_ten_percent():
    rng = random.Random(42)
    for attempt, base in enumerate(EXPECTED, start=1):
        for _ in range(200):
            delay = next_attempt_delay(attempt, rng)
            assert delay is not None and base * 0.9 <= delay <= base * 1.1


def test_jitter_is_bounded_even_with_a_misbehaving_random_source():
    assert next_attempt_delay(1, Extreme(50.0)) == timedelta(seconds=5) * 1.1
    assert next_attempt_delay(1, Extreme(-50.0)) == timedelta(seconds=5) * 0.9


def test_the_same_seed_gives_the_same_delays():
    assert ([next_attempt_delay(3, random.Random(9)) for _ in range(3)]
            == [next_attempt_delay(3, random.Random(9))] * 3)


def test_a_fast_schedule_can_be_injected():
    fast = RetrySchedule(delays=(timedelta(0), timedelta(milliseconds=10)), jitter=0)
    assert next_attempt_delay(1, random.Random(), schedule=fast) == timedelta(milliseconds=10)
    assert next_attempt_delay(2, random.Random(), schedule=fast) is None
    assert DEFAULT_SCHEDULE.max_attempts == 8


@pytest.mark.parametrize("kwargs", [{"delays": ()}, {"delays": (timedelta(seconds=-1),)},
                                    {"jitter": 1.5}])
def test_nonsense_schedules_are_rejected(kwargs):
    with pytest.raises(ValueError):
        RetrySchedule(**kwargs)


def test_attempts_are_numbered_from_one():
    with pytest.raises(ValueError):
        next_attempt_delay(0, random.Random())
