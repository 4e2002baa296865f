"""Signing secrets at rest and Standard Webhooks signatures, checked with the reference library."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from altjung.notifications.delivery import (
    SecretRing,
    SecretUnreadable,
    decrypt_secret,
    encrypt_secret,
    generate_encryption_key,
    generate_secret,
    sign,
)
from altjung.notifications.delivery.webhooks import (
    reencrypt_secret,
    serialise_envelope,
    webhook_headers,
)


def test_a_new_secret_is_whsec_base64_of_random_bytes():
    # Given two freshly generated secrets
    first, second = generate_secret(), generate_secret()
    # Then they carry the prefix, decode to 32 bytes, differ, and the reference library takes them
    assert first.startswith("whsec_") and first != second
    assert len(base64.b64decode(first.removeprefix("whsec_"))) == 32
    Webhook(first)
    with pytest.raises(ValueError):
        generate_secret(16)


def test_secrets_are_encrypted_at_rest_and_readable_with_the_key():
    # Given a secret and a configured encryption key
    secret, key = generate_secret(), generate_encryption_key()
    # When it is encrypted for storage
    token = encrypt_secret(secret, keys=key)
    # Then the stored form does not contain it, and only the key reads it back
    assert secret not in token and secret.removeprefix("whsec_") not in token
    assert decrypt_secret(token, keys=key) == secret
    with pytest.raises(SecretUnreadable):
        decrypt_secret(token, keys=generate_encryption_key())


def test_the_encryption_key_can_be_rotated():
    # Given a secret stored under an old key
    old_key, new_key, secret = generate_encryption_key(), generate_encryption_key(), generate_secret()
    token = encrypt_secret(secret, keys=old_key)
    # When the configuration lists the new key first and the old one after it
    keys = [new_key, old_key]
    # Then the old token still reads, and re-encrypting moves it to the new key alone
    assert decrypt_secret(token, keys=keys) == secret
    assert decrypt_secret(reencrypt_secret(token, keys=keys), keys=new_key) == secret


def test_a_ring_signs_with_the_previous_secret_only_until_its_time():
    now = datetime(2025, 5, 1, 12, tzinfo=UTC)
    ring = SecretRing(current="whsec_old").rotated("whsec_new", now=now, overlap=timedelta(hours=24))
    assert ring.valid_at(now + timedelta(hours=23)) == ("whsec_new", "whsec_old")
    assert ring.valid_at(now + timedelta(hours=24)) == ("whsec_new",)
    with pytest.raises(ValueError):
        SecretRing(current="whsec_a", previous="whsec_b")


def test_a_ring_is_read_from_encrypted_columns():
    key, current, previous = generate_encryption_key(), generate_secret(), generate_secret()
    until = datetime.now(UTC) + timedelta(hours=1)
    ring = SecretRing.decrypt(current=encrypt_secret(current, keys=key),
                              previous=encrypt_secret(previous, keys=key),
                              previous_valid_until=until, keys=key)
    assert ring == SecretRing(current=current, previous=previous, previous_valid_until=until)


def test_a_timestamp_in_another_zone_signs_the_same_instant():
    # Given the same instant as a Berlin time and a UTC time
    secret, body, msg_id = generate_secret(), '{"a":1}', "msg_1"
    utc_now = datetime.now(UTC)
    berlin_now = utc_now.astimezone(ZoneInfo("Europe/Berlin"))
    # When headers are made with the Berlin time
    headers = webhook_headers(msg_id, berlin_now, body, [secret])
    # Then the timestamp is the UTC epoch and the reference library verifies the signature
    assert headers["webhook-timestamp"] == str(int(utc_now.timestamp()))
    assert headers["webhook-signature"] == sign(msg_id, utc_now, body, [secret])
    Webhook(secret).verify(body, headers)


def test_a_signature_does_not_verify_with_another_secret_or_body():
    secret, body = generate_secret(), '{"a":1}'
    headers = webhook_headers("msg_1", datetime.now(UTC), body, [secret])
    with pytest.raises(WebhookVerificationError):
        Webhook(generate_secret()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify('{"a":2}', headers)


def test_nothing_is_signed_without_a_secret_or_with_a_naive_time():
    with pytest.raises(ValueError):
        sign("msg_1", datetime.now(UTC), "{}", [])
    with pytest.raises(ValueError):
        sign("msg_1", datetime.now(), "{}", [generate_secret()])


def test_the_envelope_is_serialised_compactly_with_ids_and_times_as_text():
    event_id = uuid.uuid4()
    body = serialise_envelope({"id": event_id, "occurred_at": datetime(2025, 5, 1, 12, tzinfo=UTC),
                               "payload": {"started_on": date(2025, 5, 1), "note": "Grüße"}})
    assert body == (f'{{"id":"{event_id}","occurred_at":"2025-05-01T12:00:00Z",'
                    '"payload":{"started_on":"2025-05-01","note":"Grüße"}}')
    with pytest.raises(TypeError):
        serialise_envelope({"at": datetime(2025, 5, 1)})
    with pytest.raises(TypeError):
        serialise_envelope({"x": object()})
