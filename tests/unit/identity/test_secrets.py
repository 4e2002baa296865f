"""Opaque tokens stored as hashes, and refresh token families with reuse detection."""

from __future__ import annotations

from datetime import timedelta

import pytest

from altjung.identity.security.errors import RefreshTokenRejected
from altjung.identity.security.secrets import (
    InMemoryRefreshTokenStore,
    hash_token,
    new_token,
    rotate_refresh_token,
    start_refresh_family,
    token_matches,
)

from .support import NOW


def start(store):
    return start_refresh_family(store, subject="account-1", client_id="portal", tenant="tenant-1",
                                scope="openid offline_access", now=NOW)


def reason(store, token, *, client_id="portal", now=NOW):
    with pytest.raises(RefreshTokenRejected) as caught:
        rotate_refresh_token(store, token, client_id=client_id, now=now)
    return caught.value.reason


def test_tokens_are_random_and_stored_as_hashes():
    token = new_token()
    assert len(token) == 43 and token != new_token()
    assert len(hash_token(token)) == 64 and token not in hash_token(token)
    assert token_matches(token, hash_token(token)) and not token_matches(new_token(), hash_token(token))


def test_each_use_returns_a_new_token_of_the_same_family():
    # Given a login's first refresh token
    store = InMemoryRefreshTokenStore()
    first = start(store)
    # When it is used
    second = rotate_refresh_token(store, first.token, client_id="portal", now=NOW + timedelta(minutes=10))
    # Then a new token of the same family comes back, and only hashes are stored
    assert second.token != first.token and second.family.family_id == first.family.family_id
    assert first.token not in store.tokens and hash_token(second.token) in store.tokens


def test_reusing_a_spent_token_revokes_the_family():
    # Given a token that was already rotated (a thief kept a copy)
    store = InMemoryRefreshTokenStore()
    stolen = start(store)
    successor = rotate_refresh_token(store, stolen.token, client_id="portal", now=NOW)
    # When the spent token is presented again
    assert reason(store, stolen.token, now=NOW + timedelta(minutes=1)) == "reused"
    # Then the whole family is revoked: the legitimate successor fails too
    assert store.families[stolen.family.family_id].revoked_at is not None
    assert reason(store, successor.token, now=NOW + timedelta(minutes=2)) == "revoked"


class RacedStore(InMemoryRefreshTokenStore):
    """Another request spends the token between our read and our atomic update."""

    def mark_used(self, token_hash, *, at):
        super().mark_used(token_hash, at=at)  # the other request wins
        return super().mark_used(token_hash, at=at)


def test_losing_a_race_counts_as_reuse():
    # Given two requests read the same unused token, and the other one spends it first
    store = RacedStore()
    grant = start(store)
    # Then this request is refused and the family revoked
    assert reason(store, grant.token) == "reused"
    assert store.families[grant.family.family_id].revoked_at is not None


def test_another_client_cannot_use_the_token():
    store = InMemoryRefreshTokenStore()
    grant = start(store)
    assert reason(store, grant.token, client_id="someone-else") == "wrong_client"
    assert reason(store, grant.token) == "revoked"


def test_expiry_idle_and_absolute():
    store = InMemoryRefreshTokenStore()
    grant = start(store)
    assert reason(store, grant.token, now=NOW + timedelta(days=15)) == "expired"
    assert reason(store, new_token()) == "unknown"
    # A family never outlives its absolute lifetime, however often it rotates
    token, now = grant.token, NOW
    for _ in range(4):
        now += timedelta(days=7)
        token = rotate_refresh_token(store, token, client_id="portal", now=now).token
    assert reason(store, token, now=now + timedelta(days=3)) == "expired"
