"""The caching JWKS provider: TTL, refetch on unknown kid, rate limit, stale keys on outages."""

from __future__ import annotations

import pytest

from altjung.kit.tokens.jwks import CachingJwksProvider
from altjung.kit.tokens.verify import InvalidToken, StaticJwksProvider, verify_access_token

from .support import AUDIENCE, ISSUER, TS, claims, forge


class FakeIdentity:
    def __init__(self, *kids: str) -> None:
        self.kids = list(kids)
        self.calls = 0
        self.down = False

    def fetch(self) -> dict:
        self.calls += 1
        if self.down:
            raise ConnectionError("identity unreachable")
        return {"keys": [{"kty": "RSA", "kid": kid, "use": "sig", "n": "AQAB", "e": "AQAB"} for kid in self.kids]}


def provider_for(identity: FakeIdentity, clock: list[float]) -> CachingJwksProvider:
    return CachingJwksProvider(identity.fetch, ttl=300, min_refetch_interval=10, max_stale=3600,
                               clock=lambda: clock[0])


def test_keys_are_cached_for_the_ttl():
    # Given a provider that fetched once
    identity, clock = FakeIdentity("a"), [0.0]
    provider = provider_for(identity, clock)
    assert provider.get_key("a")["kid"] == "a"
    # When the key is asked for again within the TTL, Then nothing is fetched
    clock[0] = 299
    provider.get_key("a")
    assert identity.calls == 1
    # And after the TTL it is fetched again
    clock[0] = 301
    provider.get_key("a")
    assert identity.calls == 2


def test_a_flood_of_unknown_kids_fetches_at_most_once_per_interval():
    # Given a provider with a fresh JWKS
    identity, clock = FakeIdentity("a"), [0.0]
    provider = provider_for(identity, clock)
    provider.get_key("a")
    # When an attacker sends a thousand forged kids within ten seconds
    for i in range(1000):
        clock[0] = 11 + i / 100
        assert provider.get_key(f"forged-{i}") is None
    # Then identity was asked once more, not a thousand times
    assert identity.calls == 2


def test_a_failed_fetch_keeps_serving_the_last_good_keys_until_max_stale():
    # Given a provider that knows key "a", and identity goes down
    identity, clock = FakeIdentity("a"), [0.0]
    provider = provider_for(identity, clock)
    provider.get_key("a")
    identity.down = True
    # When the TTL has passed, Then the stale key still serves
    clock[0] = 400
    assert provider.get_key("a") is not None
    # But not beyond max_stale
    clock[0] = 3700
    with pytest.raises(LookupError):
        provider.get_key("a")


def test_an_unreachable_jwks_makes_the_token_invalid():
    # Given identity was never reachable
    identity = FakeIdentity("a")
    identity.down = True
    provider = provider_for(identity, [0.0])
    token = forge({"alg": "RS256", "typ": "at+jwt", "kid": "a"}, claims())
    # Then verification fails closed with its own reason
    with pytest.raises(InvalidToken) as caught:
        verify_access_token(token, provider, issuer=ISSUER, audience=AUDIENCE, now=TS)
    assert caught.value.reason == "jwks_unavailable"


@pytest.mark.parametrize("jwk", [
    {"kty": "EC", "kid": "k", "crv": "P-256", "x": "AA", "y": "AA"},
    {"kty": "RSA", "kid": "k", "alg": "HS256", "n": "AQAB", "e": "AQAB"},
    {"kty": "RSA", "kid": "k", "key_ops": ["encrypt"], "n": "AQAB", "e": "AQAB"},
    {"kty": "RSA", "kid": "k", "n": "AQAB", "e": "AQAB"},  # a toy modulus far below 2048 bits
])
def test_a_published_key_unfit_for_rs256_is_not_used(jwk):
    token = forge({"alg": "RS256", "typ": "at+jwt", "kid": "k"}, claims(), sign=lambda data: b"x" * 256)
    with pytest.raises(InvalidToken) as caught:
        verify_access_token(token, StaticJwksProvider({"keys": [jwk]}), issuer=ISSUER, audience=AUDIENCE, now=TS)
    assert caught.value.reason == "key_not_usable"
