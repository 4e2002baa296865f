"""Webhooks cannot be pointed at internal addresses: at save time, at connect time, after rebinding."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pytest
from standardwebhooks import Webhook

from altjung.notifications.delivery import (
    AddressPolicy,
    ErrorKind,
    InvalidEndpointUrl,
    deliver,
    generate_secret,
    make_session,
    validate_url,
)

PRODUCTION = AddressPolicy(allow_loopback=False)
DEV = AddressPolicy(allow_loopback=True)
PUBLIC = "93.184.215.14"
INTERNAL = ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::1"]
EVENT = {"id": "e1", "type": "patenschaft.started", "version": 1, "payload": {}}


class FakeDns:
    """A resolver hook: answers from a table, and counts the questions."""

    def __init__(self, *answers: Sequence[str]) -> None:
        self.answers = list(answers)
        self.questions: list[tuple[str, int]] = []

    def __call__(self, host: str, port: int) -> Sequence[str]:
        self.questions.append((host, port))
        return self.answers[min(len(self.questions), len(self.answers)) - 1]


@pytest.mark.parametrize("address", INTERNAL)
def test_a_name_resolving_internally_is_refused_when_saved(address):
    # Given a host name that resolves to an internal address
    dns = FakeDns([address])
    # When a partner saves it in production
    # Then it is refused
    with pytest.raises(InvalidEndpointUrl, match="resolves to"):
        validate_url("https://hooks.partner.example/webhook", False, resolve=dns)


@pytest.mark.parametrize("address", INTERNAL)
def test_a_name_resolving_internally_is_refused_at_connect_time(address, tls_receiver, tls_material):
    # Given a production session whose resolver answers an internal address
    dns = FakeDns([address])
    with make_session(policy=PRODUCTION, resolve=dns) as session:
        session.verify = str(tls_material.ca_path)
        # When a webhook is sent there
        result = deliver(f"https://hooks.example.test:{tls_receiver.port}/ok", EVENT, uuid.uuid4(),
                         [generate_secret()], session=session, policy=PRODUCTION)
    # Then no connection was made
    assert result.error_kind is ErrorKind.REFUSED_ADDRESS, result.error_detail
    assert dns.questions and tls_receiver.received == []


@pytest.mark.parametrize("url", [f"https://{a}/x" if ":" not in a else f"https://[{a}]/x"
                                 for a in INTERNAL])
def test_internal_ip_literals_are_refused_at_save_and_send(url):
    # Given a URL with an internal IP address written into it
    # Then saving it fails, and sending to it makes no connection
    with pytest.raises(InvalidEndpointUrl):
        validate_url(url, False)
    with make_session(policy=PRODUCTION) as session:
        result = deliver(url, EVENT, uuid.uuid4(), [generate_secret()], session=session,
                         policy=PRODUCTION)
    assert result.error_kind is ErrorKind.REFUSED_ADDRESS


def test_dns_rebinding_between_save_and_send_is_caught(tls_receiver, tls_material):
    # Given a name that resolves to a public address when saved and to loopback afterwards
    dns = FakeDns([PUBLIC], ["127.0.0.1"])
    url = f"https://hooks.example.test:{tls_receiver.port}/ok"
    assert validate_url(url, False, resolve=dns) == url
    # When a webhook is sent in production
    with make_session(policy=PRODUCTION, resolve=dns) as session:
        session.verify = str(tls_material.ca_path)
        result = deliver(url, EVENT, uuid.uuid4(), [generate_secret()], session=session,
                         policy=PRODUCTION)
    # Then the connect-time check refused the new address and the receiver saw nothing
    assert result.error_kind is ErrorKind.REFUSED_ADDRESS
    assert "127.0.0.1" in (result.error_detail or "")
    assert len(dns.questions) == 2 and tls_receiver.received == []


def test_one_internal_address_among_public_ones_is_enough_to_refuse(tls_receiver):
    dns = FakeDns([PUBLIC, "127.0.0.1"])
    with make_session(policy=PRODUCTION, resolve=dns) as session:
        result = deliver(f"https://hooks.example.test:{tls_receiver.port}/ok", EVENT,
                         uuid.uuid4(), [generate_secret()], session=session, policy=PRODUCTION)
    assert result.error_kind is ErrorKind.REFUSED_ADDRESS
    assert tls_receiver.received == []


def test_the_checked_address_is_dialled_while_tls_still_checks_the_name(tls_receiver, tls_material):
    # Given development mode, and a name our resolver maps to the https receiver on loopback
    dns = FakeDns(["127.0.0.1"])
    secret = generate_secret()
    with make_session(policy=DEV, resolve=dns) as session:
        session.verify = str(tls_material.ca_path)
        # When a webhook is sent to that name
        result = deliver(f"https://hooks.example.test:{tls_receiver.port}/ok", EVENT,
                         uuid.uuid4(), [secret], session=session, policy=DEV)
    # Then it arrived: the certificate matched the name (SNI), the Host header kept the name
    assert result.succeeded, result.error_detail
    (request,) = tls_receiver.received
    assert request.headers["host"] == f"hooks.example.test:{tls_receiver.port}"
    Webhook(secret).verify(request.body, request.headers)


def test_a_certificate_for_another_name_fails(tls_receiver, tls_material):
    # Given a name the receiver's certificate does not cover, resolving to that receiver
    with make_session(policy=DEV, resolve=FakeDns(["127.0.0.1"])) as session:
        session.verify = str(tls_material.ca_path)
        result = deliver(f"https://elsewhere.example.test:{tls_receiver.port}/ok", EVENT,
                         uuid.uuid4(), [generate_secret()], session=session, policy=DEV)
    # Then the TLS handshake fails as a network error and nothing is delivered
    assert result.error_kind is ErrorKind.NETWORK and "SSL" in (result.error_detail or "")
    assert tls_receiver.received == []


def test_plain_http_goes_only_to_loopback_even_in_development(receiver):
    # Given development mode and a public host over plain http
    dns = FakeDns([PUBLIC])
    with pytest.raises(InvalidEndpointUrl):
        validate_url("http://hooks.partner.example/x", True, resolve=dns)
    with make_session(policy=DEV, resolve=dns) as session:
        result = deliver("http://hooks.partner.example/x", EVENT, uuid.uuid4(),
                         [generate_secret()], session=session, policy=DEV)
    # Then it is refused before any connection; loopback over http is fine
    assert result.error_kind is ErrorKind.REFUSED_ADDRESS
    assert validate_url(receiver.url("/ok"), True) == receiver.url("/ok")


def test_production_refuses_plain_http_before_resolving():
    dns = FakeDns([PUBLIC])
    with pytest.raises(InvalidEndpointUrl, match="https"):
        validate_url("http://hooks.partner.example/x", False, resolve=dns)
    assert dns.questions == []


@pytest.mark.parametrize(("url", "reason"), [
    ("https://user:secret@hooks.partner.example/x", "credentials"),
    ("https://hooks.partner.example:22/x", "port 22"),
    ("https://hooks.partner.example:6667/x", "port 6667"),
    ("https://hooks.partner.example:99999/x", "valid URL"),
    ("ftp://hooks.partner.example/x", "https"),
    ("https://hooks.partner.example/x#frag", "fragment"),
    ("https:///x", "valid URL|host"),
    ("https://hooks.partner.example/a b", "spaces"),
    ("hooks.partner.example/x", "valid URL"),
])
def test_malformed_or_risky_urls_are_refused(url, reason):
    with pytest.raises(InvalidEndpointUrl, match=reason):
        validate_url(url, False, resolve=FakeDns([PUBLIC]))


def test_a_public_https_url_is_accepted_and_normalised():
    dns = FakeDns([PUBLIC])
    assert validate_url("https://Hooks.Partner.Example:8443/in?x=1", False, resolve=dns) == (
        "https://hooks.partner.example:8443/in?x=1")
    assert dns.questions == [("hooks.partner.example", 8443)]


def test_a_name_that_does_not_resolve_is_refused():
    def nxdomain(host: str, port: int) -> list[str]:
        raise OSError("no such host")

    with pytest.raises(InvalidEndpointUrl, match="does not resolve"):
        validate_url("https://nowhere.partner.example/", False, resolve=nxdomain)
