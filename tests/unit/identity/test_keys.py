"""Signing keys: kid, storage forms, and rotation of the published key set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from joserfc.jwk import RSAKey

from altjung.identity.security.keys import KeySet, SigningKey

from .support import NOW

PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi"}


def test_the_jwks_shows_public_parts_only(keyset):
    # Given a key set with an active key
    jwks = keyset.published(NOW)
    # Then each entry is a public RS256 signing key named by its thumbprint
    (jwk,) = jwks["keys"]
    assert not PRIVATE_MEMBERS & set(jwk)
    assert jwk["use"] == "sig" and jwk["alg"] == "RS256" and jwk["kty"] == "RSA"
    assert jwk["kid"] == RSAKey.import_key(jwk).thumbprint()


def test_a_key_survives_its_storage_record_encrypted():
    # Given a key stored with a passphrase
    key = SigningKey.generate(NOW, key_size=2048)
    record = key.to_record(password=b"kek-from-the-secret-store")
    assert "ENCRYPTED" in record["pem"]
    # When it is loaded again
    loaded = SigningKey.from_record(record, password=b"kek-from-the-secret-store")
    # Then it is the same key with the same dates
    assert loaded.kid == key.kid and loaded.can_sign
    assert loaded.active_from == key.active_from and loaded.retire_until is None
    assert SigningKey.from_jwk(key.private_jwk(), created_at=NOW).kid == key.kid


def test_a_record_whose_kid_does_not_match_is_refused():
    record = SigningKey.generate(NOW, key_size=2048).to_record()
    record["kid"] = "someone-elses"
    with pytest.raises(ValueError):
        SigningKey.from_record(record)


def test_small_keys_are_refused():
    with pytest.raises(ValueError):
        SigningKey.generate(NOW, key_size=1024)


def test_rotation_keeps_the_old_key_published_until_its_tokens_expire():
    # Given a key set whose replaced keys stay published for an hour
    keys = KeySet(key_size=2048, retain=timedelta(hours=1))
    old = keys.rotate(NOW)
    # When it rotates
    new = keys.rotate(NOW + timedelta(days=30))
    later = NOW + timedelta(days=30)
    # Then the new key signs, and both are published for the next hour
    assert keys.active(later).kid == new.kid
    kids = [k["kid"] for k in keys.published(later + timedelta(minutes=59))["keys"]]
    assert kids == [new.kid, old.kid]
    # And after that only the new one
    assert [k["kid"] for k in keys.published(later + timedelta(hours=1))["keys"]] == [new.kid]


def test_prune_forgets_retired_keys_and_private_parts_of_replaced_ones():
    # Given a key set rotated twice
    keys = KeySet(key_size=2048, retain=timedelta(hours=1))
    first = keys.rotate(NOW)
    second = keys.rotate(NOW + timedelta(days=1))
    third = keys.rotate(NOW + timedelta(days=1, minutes=30))
    # When it is pruned
    keys.prune(NOW + timedelta(days=1, minutes=70))
    # Then the first key is gone, the second is public only, the third signs
    by_kid = {k.kid: k for k in keys.keys}
    assert first.kid not in by_kid
    assert not by_kid[second.kid].can_sign and by_kid[third.kid].can_sign


def test_a_staged_key_is_published_before_it_signs():
    # Given a rotation that activates the new key after the verifiers' cache TTL
    keys = KeySet(key_size=2048)
    old = keys.rotate(NOW)
    new = keys.rotate(NOW, activate_after=timedelta(minutes=10))
    # Then the new key is published at once, but the old one keeps signing until then
    assert {k["kid"] for k in keys.published(NOW)["keys"]} == {old.kid, new.kid}
    assert keys.active(NOW + timedelta(minutes=9)).kid == old.kid
    assert keys.active(NOW + timedelta(minutes=10)).kid == new.kid


def test_an_empty_key_set_has_no_active_key():
    with pytest.raises(LookupError):
        KeySet().active(NOW)
