"""Access status from identity: suspended partner sites and withdrawn access, cached like the JWKS.

A signed access token stays valid until it expires (10 minutes). When a partner site is suspended
or a member removed, identity publishes that in a small status document; every service checks each
token against its cached copy, so access ends within seconds, not minutes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Seconds a fetched status document is used before it is fetched again.
DEFAULT_STATUS_TTL = 5.0
#: When identity cannot be reached, the last document serves this long; then tokens are refused.
DEFAULT_STATUS_MAX_STALE = 900.0


@dataclass(frozen=True)
class AccessStatus:
    """Suspended sites, and per (subject, site) the time up to which issued tokens no longer count.

    The site "*" stands for every site of the subject (after a password reset)."""

    suspended_sites: frozenset[str] = frozenset()
    revoked: Mapping[tuple[str, str], float] = field(default_factory=dict)

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> AccessStatus:
        revoked: dict[tuple[str, str], float] = {}
        for entry in doc.get("revoked", []):
            key = (str(entry["sub"]), str(entry.get("tenant") or ""))
            revoked[key] = max(revoked.get(key, 0.0), float(entry["before"]))
        return cls(frozenset(str(s) for s in doc.get("suspended_sites", [])), revoked)

    def refuses(self, claims: Mapping[str, Any]) -> str | None:
        """Why the token must no longer be trusted, or None."""
        tenant = claims.get("tenant")
        if tenant and str(tenant) in self.suspended_sites:
            return "site_suspended"
        subject = str(claims.get("sub"))
        befores = [b for b in (self.revoked.get((subject, str(tenant or ""))), self.revoked.get((subject, "*")))
                   if b is not None]
        if befores and float(claims.get("iat", 0)) <= max(befores):
            return "access_withdrawn"
        return None


class StatusUnavailable(Exception):
    """No status document younger than max_stale: fail closed."""


class CachingAccessStatus:
    """Fetches the status document at most every `ttl` seconds; one thread refreshes, others read."""

    def __init__(self, fetch: Callable[[], Mapping[str, Any]], *, ttl: float = DEFAULT_STATUS_TTL,
                 max_stale: float = DEFAULT_STATUS_MAX_STALE, clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch, self._ttl, self._max_stale, self._clock = fetch, ttl, max_stale, clock
        self._lock = threading.Lock()
        self._status: AccessStatus | None = None
        self._fetched_at = float("-inf")

    def current(self) -> AccessStatus:
        now = self._clock()
        if now - self._fetched_at >= self._ttl:
            # Without a usable document everybody waits for the fetch; otherwise one refreshes.
            blocking = self._status is None or now - self._fetched_at > self._max_stale
            if self._lock.acquire(blocking=blocking):
                try:
                    if self._clock() - self._fetched_at >= self._ttl:
                        self._refresh()
                finally:
                    self._lock.release()
        status = self._status
        if status is None or self._clock() - self._fetched_at > self._max_stale:
            raise StatusUnavailable("access status unavailable")
        return status

    def _refresh(self) -> None:
        try:
            self._status = AccessStatus.from_document(self._fetch())
            self._fetched_at = self._clock()
        except Exception:  # noqa: BLE001 - any failure: the last document serves until max_stale
            return
