"""Login throttling: sliding windows per account and per address, growing lockouts, a hard cap."""

from __future__ import annotations

import hashlib
import ipaddress
import threading
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, kw_only=True)
class ThrottlePolicy:
    """Failures beyond `free_failures` in `window` wait base * 2^k (at most `max_lockout`)
    after the last failure; at `hard_cap` failures in the window, nothing more is allowed."""

    window: float = 3600.0
    free_failures: int = 5
    base_lockout: float = 1.0
    max_lockout: float = 900.0
    hard_cap: int = 100


#: The hard cap guarantees at most 100 failures per account in any hour; the lockouts keep a
#: greedy attacker far below it (17 in the worst hour, about 10 an hour sustained).
ACCOUNT_POLICY = ThrottlePolicy()
#: Laxer: a Seniorenbüro's whole office may share one address.
ADDRESS_POLICY = ThrottlePolicy(free_failures=20, hard_cap=1000)


class AttemptStore(Protocol):
    """Timestamped members per key (a Redis sorted set: ZREMRANGEBYSCORE, ZRANGE, ZADD, EXPIRE in MULTI)."""

    def add(self, key: str, member: str, *, at: float, window: float) -> list[float]:
        """Atomically drop members older than `at - window`, return the remaining timestamps,
        then add `member` at `at`."""
        ...

    def discard(self, key: str, member: str) -> None: ...


def retry_after(prior: Sequence[float], *, now: float, policy: ThrottlePolicy) -> float:
    """Seconds until one more attempt may start, given the failures already in the window."""
    recent = sorted(t for t in prior if t > now - policy.window)
    n = len(recent)
    if n >= policy.hard_cap:  # wait until enough failures have left the window
        return max(0.0, recent[n - policy.hard_cap] + policy.window - now)
    if n == 0 or n < policy.free_failures:
        return 0.0
    lockout = min(policy.base_lockout * 2.0 ** min(n - policy.free_failures, 64), policy.max_lockout)
    return max(0.0, recent[-1] + lockout - now)


def account_key(login: str) -> str:
    """The throttle key of a submitted login name, whether or not such an account exists."""
    normalized = unicodedata.normalize("NFKC", login).strip().casefold()
    return "login:account:" + hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def address_key(address: str) -> str:
    """IPv6 clients are throttled per /64: one subscriber usually holds a whole /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "login:address:" + address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return "login:address:" + str(ip.ipv4_mapped)
        return "login:address:" + str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return "login:address:" + str(ip)


@dataclass(frozen=True)
class LoginAttempt:
    allowed: bool
    retry_after: float
    entries: tuple[tuple[str, str], ...] = ()


class LoginThrottle:
    """Counts an attempt as a failure until it succeeds, so concurrent guesses cannot overshoot.

    Use: `attempt = begin(...)`; if not allowed, answer "try again later" without checking
    anything. Otherwise verify the password (`PasswordHashing.verify_or_dummy` for unknown
    accounts, so both cost the same) and call `succeeded` or `failed`.
    """

    def __init__(self, store: AttemptStore, *, account_policy: ThrottlePolicy = ACCOUNT_POLICY,
                 address_policy: ThrottlePolicy = ADDRESS_POLICY) -> None:
        self._store = store
        self._policies = (account_policy, address_policy)

    def begin(self, *, login: str, address: str, now: float) -> LoginAttempt:
        member = uuid.uuid4().hex
        entries = []
        wait = 0.0
        for key, policy in zip((account_key(login), address_key(address)), self._policies, strict=True):
            prior = self._store.add(key, member, at=now, window=policy.window)
            entries.append((key, member))
            wait = max(wait, retry_after(prior, now=now, policy=policy))
        if wait > 0:
            self._forget(entries)  # a refused attempt checked nothing: it is not a failure
            return LoginAttempt(allowed=False, retry_after=wait)
        return LoginAttempt(allowed=True, retry_after=0.0, entries=tuple(entries))

    def succeeded(self, attempt: LoginAttempt) -> None:
        self._forget(attempt.entries)

    def failed(self, attempt: LoginAttempt) -> None:
        """Nothing to do: the attempt was recorded as a failure when it began."""

    def _forget(self, entries: Sequence[tuple[str, str]]) -> None:
        for key, member in entries:
            self._store.discard(key, member)


class InMemoryAttemptStore:
    """The store protocol in a dict, for tests."""

    def __init__(self) -> None:
        self._entries: dict[str, dict[str, float]] = {}
        self._lock = threading.Lock()

    def add(self, key: str, member: str, *, at: float, window: float) -> list[float]:
        with self._lock:
            entries = self._entries.setdefault(key, {})
            for old in [m for m, t in entries.items() if t <= at - window]:
                del entries[old]
            prior = sorted(entries.values())
            entries[member] = at
            return prior

    def discard(self, key: str, member: str) -> None:
        with self._lock:
            self._entries.get(key, {}).pop(member, None)
