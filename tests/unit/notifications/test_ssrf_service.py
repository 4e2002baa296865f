"""Outbound safety of the service in production configuration: private targets refused at save and at send."""

from __future__ import annotations

import uuid

import pytest

from tests.unit.notifications.conftest import wait_for

ENDPOINTS = "/notifications/api/v1/webhook-endpoints"
PUBLIC = "93.184.216.34"


class SwitchableDns:
    """A resolver the test controls: what a name resolves to can change between save and send."""

    def __init__(self) -> None:
        self.answers: dict[str, list[str]] = {}

    def __call__(self, host: str, port: int) -> list[str]:
        return list(self.answers.get(host, [PUBLIC]))


@pytest.fixture
def production(notifier):
    """The embedded notifier as in production: no loopback, and DNS under the test's control."""
    dns = SwitchableDns()
    notifier.resolve = dns
    notifier.configure(notifier.config.replace(allow_loopback=False))
    return dns


@pytest.mark.parametrize("address", ["127.0.0.1", "10.20.30.40", "169.254.169.254", "::1", "192.168.1.5"])
def test_a_name_resolving_to_a_private_address_cannot_be_registered(production, api, token_for, site, address):
    production.answers["hooks.partner.example"] = [address]
    response = api.post(ENDPOINTS, token=token_for("coordinator", site["id"]),
                        json={"url": "https://hooks.partner.example/alt-und-jung"})
    assert response.status_code == 422, response.text
    assert response.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("url", ["http://hooks.partner.example/x", "http://127.0.0.1:8080/x",
                                 "https://[::1]:8443/x", "https://10.0.0.1/x"])
def test_plain_http_and_literal_private_addresses_are_refused_in_production(production, api, token_for, site, url):
    response = api.post(ENDPOINTS, token=token_for("coordinator", site["id"]), json={"url": url})
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("later", ["127.0.0.1", "10.9.8.7", "169.254.169.254", "::1"])
def test_a_name_that_resolves_differently_at_send_time_is_refused_at_connect(
        production, api, token_for, site, receiver, later):
    token = token_for("coordinator", site["id"])
    # Given an endpoint saved while its name resolved to a public address (the receiver's port on loopback)
    production.answers["rebind.partner.example"] = [PUBLIC]
    saved = api.post(ENDPOINTS, token=token, json={"url": f"https://rebind.partner.example:{receiver.port}/x"})
    assert saved.status_code == 201, saved.text
    # When the name now points inside and a test event is sent
    production.answers["rebind.partner.example"] = [later]
    delivery = api.post(f"{ENDPOINTS}/{saved.json()['id']}/test", token=token).json()
    # Then the connection is refused before it is made, and the attempt says why
    detail = wait_for(lambda: (d := api.get(f"/notifications/api/v1/webhook-deliveries/{delivery['id']}",
                                            token=token).json())["attempt_log"] and d)
    assert detail["attempt_log"][0]["error_kind"] == "refused_address"
    assert detail["attempt_log"][0]["status_code"] is None
    assert receiver.received == []


def test_development_allows_http_to_loopback_only(notifier, api, token_for, site, receiver):
    token = token_for("coordinator", site["id"])
    assert notifier.config.allow_loopback  # the embedded platform is development
    notifier.resolve = SwitchableDns()  # every name is public
    notifier.configure(notifier.config)
    assert api.post(ENDPOINTS, token=token, json={"url": receiver.url("/x")}).status_code == 201
    refused = api.post(ENDPOINTS, token=token, json={"url": f"http://{uuid.uuid4().hex}.example/x"})
    assert refused.status_code == 422
    assert "plain http" in refused.json()["detail"]
