"""Delivering webhooks to a real receiver on loopback, verified with the standardwebhooks library."""

from __future__ import annotations

import random
import socket
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests
from standardwebhooks import Webhook

from altjung.notifications.delivery import (
    AddressPolicy,
    ErrorKind,
    RetrySchedule,
    SecretRing,
    Timeouts,
    deliver,
    generate_secret,
    make_session,
    next_attempt_delay,
)

DEV = AddressPolicy(allow_loopback=True)
FAST = Timeouts(connect=1.0, read=0.5, body=2.0)


def envelope() -> dict:
    return {
        "id": str(uuid.uuid4()),
        "type": "patenschaft.started",
        "version": 1,
        "occurred_at": "2025-05-01T10:00:00Z",
        "tenant_id": str(uuid.uuid4()),
        "payload": {"patenschaft_id": str(uuid.uuid4()), "target_group": "refugee", "note": "Grüße"},
    }


@pytest.fixture
def session():
    with make_session(policy=DEV) as session:
        yield session


def test_a_delivery_verifies_with_the_standardwebhooks_library(receiver, session):
    # Given an endpoint secret and an event envelope
    secret = generate_secret()
    event = envelope()
    delivery_id = uuid.uuid4()
    # When it is delivered to a receiver on loopback
    result = deliver(receiver.url("/ok"), event, delivery_id, [secret], session=session, policy=DEV)
    # Then the attempt succeeded and the receiver can verify it with the reference library
    assert result.succeeded and result.error_kind is None and result.status_code == 200
    assert result.response_head == b'{"ok":true}'
    (request,) = receiver.received
    assert Webhook(secret).verify(request.body, request.headers) == event
    assert request.headers["webhook-id"] == str(delivery_id)
    assert request.headers["content-type"] == "application/json"
    assert request.headers["host"] == f"127.0.0.1:{receiver.port}"


def test_during_a_rotation_each_secret_verifies_its_own_signature(receiver, session):
    # Given an endpoint rotated to a new secret an hour ago, with a day of overlap
    old, new = generate_secret(), generate_secret()
    now = datetime.now(UTC)
    ring = SecretRing(current=old).rotated(new, now=now - timedelta(hours=1))
    # When a webhook is delivered
    result = deliver(receiver.url("/ok"), envelope(), uuid.uuid4(), ring, session=session, policy=DEV)
    # Then it carries two signatures, the first made with the new secret, the second with the old
    assert result.succeeded
    (request,) = receiver.received
    signatures = request.headers["webhook-signature"].split(" ")
    assert len(signatures) == 2
    for signature, secret in zip(signatures, (new, old), strict=True):
        headers = {**request.headers, "webhook-signature": signature}
        Webhook(secret).verify(request.body, headers)
    # And after the overlap only the new secret signs
    later = deliver(receiver.url("/ok"), envelope(), uuid.uuid4(), ring, session=session,
                    policy=DEV, now=now + timedelta(days=1))
    assert later.succeeded
    assert len(receiver.received[-1].headers["webhook-signature"].split(" ")) == 1


def test_a_redirect_is_a_failure_and_is_not_followed(receiver, session):
    # Given a receiver that answers 302 to another path
    # When a webhook is delivered to it
    result = deliver(receiver.url("/redirect"), envelope(), uuid.uuid4(), [generate_secret()],
                     session=session, policy=DEV)
    # Then the attempt failed as a redirect and the target was never requested
    assert not result.succeeded and result.should_retry
    assert result.error_kind is ErrorKind.REDIRECT and result.status_code == 302
    assert receiver.paths() == ["/redirect"]


def test_a_redirect_with_a_huge_body_is_cut_off_too(receiver, session):
    # Given a receiver that answers 302 with 32 MiB of body
    result = deliver(receiver.url("/redirect-large"), envelope(), uuid.uuid4(),
                     [generate_secret()], session=session, policy=DEV, timeouts=FAST)
    # Then the body was not read to its end (requests' own redirect handling would read it all)
    assert result.error_kind is ErrorKind.REDIRECT and result.response_truncated
    assert receiver.write_failed.wait(5)
    assert receiver.paths() == ["/redirect-large"]


def test_proxy_settings_in_the_environment_are_ignored(receiver, session, monkeypatch):
    # Given proxy variables pointing at a port where nothing listens
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    # When a webhook is delivered
    result = deliver(receiver.url("/ok"), envelope(), uuid.uuid4(), [generate_secret()],
                     session=session, policy=DEV)
    # Then it went straight to the endpoint, whose address the policy checked
    assert result.succeeded and receiver.paths() == ["/ok"]


def test_410_marks_the_endpoint_gone(receiver, session):
    # Given a receiver that answers 410 Gone
    result = deliver(receiver.url("/gone"), envelope(), uuid.uuid4(), [generate_secret()],
                     session=session, policy=DEV)
    # Then the attempt is gone, not to be retried, and the answer is kept for the log
    assert result.gone and not result.succeeded and not result.should_retry
    assert result.error_kind is ErrorKind.HTTP_STATUS
    assert result.response_head == b"endpoint removed"


def test_a_server_error_is_retried(receiver, session):
    result = deliver(receiver.url("/error"), envelope(), uuid.uuid4(), [generate_secret()],
                     session=session, policy=DEV)
    # Then it is an http_status failure worth retrying
    assert result.status_code == 500 and result.error_kind is ErrorKind.HTTP_STATUS
    assert result.should_retry and result.response_head == b"boom"


def test_a_slow_receiver_times_out(receiver, session):
    # Given a receiver that takes two seconds and a read timeout of half a second
    started = time.monotonic()
    # When a webhook is delivered
    result = deliver(receiver.url("/slow"), envelope(), uuid.uuid4(), [generate_secret()],
                     session=session, policy=DEV, timeouts=FAST)
    # Then the attempt ends as a timeout, long before the receiver answers
    assert result.error_kind is ErrorKind.TIMEOUT and result.status_code is None
    assert time.monotonic() - started < 1.5


def test_a_connection_that_is_never_accepted_times_out(session):
    # Given a loopback port whose accept queue is full, so new connections are never accepted
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.1)
    try:
        # When a webhook is delivered there with a connect timeout of a quarter second
        result = deliver(f"http://127.0.0.1:{port}/", envelope(), uuid.uuid4(),
                         [generate_secret()], session=session, policy=DEV,
                         timeouts=Timeouts(connect=0.25, read=1.0))
    finally:
        for sock in (*fillers, listener):
            sock.close()
    # Then the attempt ends as a timeout
    assert result.error_kind is ErrorKind.TIMEOUT, result.error_detail


def test_a_large_response_is_cut_off(receiver, session):
    # Given a receiver that answers with 32 MiB
    # When a webhook is delivered
    result = deliver(receiver.url("/large"), envelope(), uuid.uuid4(), [generate_secret()],
                     session=session, policy=DEV, timeouts=FAST)
    # Then only the first 512 bytes are kept, reading stopped early, and the receiver was cut off
    assert result.succeeded
    assert result.response_head == b"x" * 512 and result.response_truncated
    assert receiver.write_failed.wait(5)


def test_nothing_listening_is_a_network_failure(session):
    # Given a loopback port nobody listens on
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    result = deliver(f"http://127.0.0.1:{port}/", envelope(), uuid.uuid4(), [generate_secret()],
                     session=session, policy=DEV)
    # Then it is a network failure, to be retried
    assert result.error_kind is ErrorKind.NETWORK and result.should_retry


def test_connections_are_reused_between_deliveries(receiver, session):
    # Given two deliveries through one session
    for _ in range(2):
        assert deliver(receiver.url("/ok"), envelope(), uuid.uuid4(), [generate_secret()],
                       session=session, policy=DEV).succeeded
    # Then both travelled over the same connection
    assert receiver.received[0].client_port == receiver.received[1].client_port


def test_retries_on_a_fast_schedule_keep_the_webhook_id(receiver, session):
    # Given a receiver failing twice, and a schedule of milliseconds
    schedule = RetrySchedule(delays=(timedelta(0), timedelta(milliseconds=10),
                                     timedelta(milliseconds=20), timedelta(milliseconds=30)))
    delivery_id, secret, event, rng = uuid.uuid4(), generate_secret(), envelope(), random.Random(7)
    attempts = []
    # When the delivery is retried on that schedule until it succeeds or gives up
    while True:
        attempts.append(deliver(receiver.url("/flaky"), event, delivery_id, [secret],
                                session=session, policy=DEV))
        if not attempts[-1].should_retry:
            break
        delay = next_attempt_delay(len(attempts), rng, schedule=schedule)
        assert delay is not None
        time.sleep(delay.total_seconds())
    # Then the third attempt succeeded and every attempt carried the same webhook-id
    assert [a.status_code for a in attempts] == [503, 503, 200]
    assert {r.headers["webhook-id"] for r in receiver.received} == {str(delivery_id)}
    for request in receiver.received:
        Webhook(secret).verify(request.body, request.headers)


def test_a_session_without_the_guard_is_rejected(receiver):
    # Given a plain requests session
    with requests.Session() as plain:
        # Then deliver refuses to use it
        with pytest.raises(ValueError, match="make_session"):
            deliver(receiver.url("/ok"), envelope(), uuid.uuid4(), [generate_secret()],
                    session=plain, policy=DEV)
    assert receiver.received == []
