"""Login throttling: growing lockouts, the hourly cap, and no difference for unknown accounts."""

from __future__ import annotations

import bisect

from hypothesis import given, settings
from hypothesis import strategies as st

from altjung.identity.security.throttle import (
    ACCOUNT_POLICY,
    InMemoryAttemptStore,
    LoginThrottle,
    ThrottlePolicy,
    account_key,
    address_key,
    retry_after,
)

HOUR = 3600.0


def greedy_attacker(throttle: LoginThrottle, *, login: str, hours: float, addresses: int = 1) -> list[float]:
    """Guesses whenever allowed, from rotating addresses; every guess fails. Returns failure times."""
    failures, now, i = [], 0.0, 0
    while now < hours * HOUR:
        attempt = throttle.begin(login=login, address=f"198.51.100.{i % addresses}", now=now)
        i += 1
        if attempt.allowed:
            throttle.failed(attempt)
            failures.append(now)
            now += 0.01
        else:
            now += attempt.retry_after
    return failures


def most_in_any_hour(times: list[float]) -> int:
    return max((bisect.bisect_left(times, t + HOUR) - i for i, t in enumerate(times)), default=0)


def test_a_greedy_attacker_gets_far_fewer_than_100_guesses_an_hour():
    # Given the default throttle and an attacker with 50 addresses
    throttle = LoginThrottle(InMemoryAttemptStore())
    # When they guess as fast as allowed for five hours
    failures = greedy_attacker(throttle, login="anna@example.org", hours=5, addresses=50)
    # Then no hour ever saw more than 100 failures (far fewer, in fact)
    assert most_in_any_hour(failures) <= 20


def test_the_hard_cap_holds_even_without_lockouts():
    # Given a policy that never locks out, only caps
    lax = ThrottlePolicy(free_failures=10_000, hard_cap=100)
    throttle = LoginThrottle(InMemoryAttemptStore(), account_policy=lax, address_policy=lax)
    # When an attacker guesses for three hours from many addresses
    failures = greedy_attacker(throttle, login="anna@example.org", hours=3, addresses=1000)
    # Then exactly 100 failures fit into any hour
    assert most_in_any_hour(failures) == 100


def test_concurrent_attempts_cannot_overshoot_the_cap():
    # Given 500 attempts that all begin before any of them finishes
    lax = ThrottlePolicy(free_failures=10_000, hard_cap=100)
    throttle = LoginThrottle(InMemoryAttemptStore(), account_policy=lax, address_policy=lax)
    attempts = [throttle.begin(login="anna", address=f"10.0.{i // 250}.{i % 250}", now=1.0) for i in range(500)]
    # Then only 100 were allowed to check a password
    assert sum(a.allowed for a in attempts) == 100


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=4 * HOUR), max_size=400),
       st.integers(min_value=0, max_value=200))
def test_retry_after_never_allows_more_than_the_cap(times, free):
    # Given any history of failures and any number of free failures
    policy = ThrottlePolicy(free_failures=free, hard_cap=100)
    failures: list[float] = []
    for t in sorted(times):
        # When an attempt is only recorded if retry_after allows it
        if retry_after(failures, now=t, policy=policy) == 0:
            failures.append(t)
    # Then no hour holds more than 100
    assert most_in_any_hour(failures) <= 100


def test_lockouts_grow_exponentially_up_to_the_maximum():
    prior = [0.0] * 5
    waits = []
    for _ in range(15):
        waits.append(retry_after(prior, now=prior[-1], policy=ACCOUNT_POLICY))
        prior.append(prior[-1])
    assert waits[:4] == [1, 2, 4, 8] and waits[-1] == ACCOUNT_POLICY.max_lockout


def test_a_success_does_not_count_as_a_failure():
    throttle = LoginThrottle(InMemoryAttemptStore())
    for i in range(20):
        attempt = throttle.begin(login="anna", address="192.0.2.1", now=float(i))
        assert attempt.allowed
        throttle.succeeded(attempt)


def test_unknown_and_existing_accounts_are_throttled_alike():
    # Given the same history of failures for a real and an invented login
    throttle = LoginThrottle(InMemoryAttemptStore())
    answers = {}
    for login in ("anna@example.org", "nobody@example.org"):
        results = []
        for i in range(8):
            attempt = throttle.begin(login=login, address=f"203.0.113.{i}", now=100.0 + i * 0.5)
            results.append((attempt.allowed, attempt.retry_after))
            throttle.failed(attempt)
        answers[login] = results
    # Then the answers are identical (the throttle never knows which accounts exist)
    assert answers["anna@example.org"] == answers["nobody@example.org"]


def test_keys_normalise_logins_and_group_ipv6_by_64():
    assert account_key(" Anna@Example.org ") == account_key("anna@example.org")
    assert "anna" not in account_key("anna@example.org")
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::9")
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("::ffff:192.0.2.7") == address_key("192.0.2.7")
