"""JWKS providers for the token verifier: a fixed set, and a cache that refetches on unknown kids."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

DEFAULT_JWKS_TTL = 300.0
DEFAULT_MIN_REFETCH_INTERVAL = 10.0
DEFAULT_MAX_STALE = 86400.0


class JwksProvider(Protocol):
    def get_key(self, kid: str) -> Mapping[str, Any] | None:
        """The JWK published under `kid`, or None. May raise when the JWKS is unavailable."""


def _index(jwks: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    keys: dict[str, Mapping[str, Any]] = {}
    for jwk in jwks.get("keys", []):
        kid = jwk.get("kid")
        if isinstance(kid, str) and jwk.get("use", "sig") == "sig":
            keys.setdefault(kid, jwk)
    return keys


class StaticJwksProvider:
    """A fixed JWKS, for identity itself and for tests."""

    def __init__(self, jwks: Mapping[str, Any]) -> None:
        self._keys = _index(jwks)

    def get_key(self, kid: str) -> Mapping[str, Any] | None:
        return self._keys.get(kid)


class CachingJwksProvider:
    """Caches the JWKS for `ttl` seconds and refetches once on an unknown kid, rate limited.

    At most one fetch per `min_refetch_interval`, however many unknown kids arrive, so forged
    kids cannot make us hammer identity. When a fetch fails, the last good JWKS serves on for
    at most `max_stale` seconds.
    """

    def __init__(self, fetch: Callable[[], Mapping[str, Any]], *, ttl: float = DEFAULT_JWKS_TTL,
                 min_refetch_interval: float = DEFAULT_MIN_REFETCH_INTERVAL,
                 max_stale: float = DEFAULT_MAX_STALE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch = fetch
        self._ttl, self._min_interval, self._max_stale = ttl, min_refetch_interval, max_stale
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str, Mapping[str, Any]] | None = None
        self._fetched_at = float("-inf")
        self._attempted_at = float("-inf")

    def get_key(self, kid: str) -> Mapping[str, Any] | None:
        with self._lock:
            now = self._clock()
            if now - self._fetched_at >= self._ttl:
                self._refresh(now)
            if self._keys is not None and kid not in self._keys:
                self._refresh(now)
            if self._keys is None:
                raise LookupError("JWKS unavailable")
            return self._keys.get(kid)

    def _refresh(self, now: float) -> None:
        if now - self._attempted_at < self._min_interval:
            return
        self._attempted_at = now
        try:
            self._keys = _index(self._fetch())
            self._fetched_at = now
        except Exception:  # noqa: BLE001 - fetch may fail in any way; stale keys serve on
            if now - self._fetched_at > self._max_stale:
                self._keys = None
