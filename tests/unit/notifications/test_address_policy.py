"""The address policy: which resolved addresses an outbound webhook may reach."""

from __future__ import annotations

import ipaddress

import pytest

from altjung.notifications.delivery import AddressPolicy, RefusedAddress
from altjung.notifications.delivery.webhooks import classify


@pytest.mark.parametrize(("address", "category"), [
    ("127.0.0.1", "loopback"),
    ("127.8.9.10", "loopback"),
    ("::1", "loopback"),
    ("::ffff:127.0.0.1", "loopback"),
    ("10.0.0.1", "private"),
    ("172.16.5.4", "private"),
    ("172.31.255.255", "private"),
    ("192.168.1.1", "private"),
    ("fc00::1", "private"),
    ("fd12:3456::1", "private"),
    ("169.254.169.254", "cloud metadata"),
    ("fd00:ec2::254", "cloud metadata"),
    ("169.254.10.10", "link-local"),
    ("fe80::1", "link-local"),
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("100.64.0.1", "shared (CGNAT)"),
    ("100.127.255.254", "shared (CGNAT)"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("ff02::1", "multicast"),
    ("255.255.255.255", "reserved"),
    ("192.0.2.10", "reserved"),
    ("64:ff9b::a00:1", "private"),        # NAT64 of 10.0.0.1
    ("2002:a9fe:a9fe::1", "cloud metadata"),  # 6to4 of 169.254.169.254
])
def test_internal_addresses_are_classified(address, category):
    # Given an address that is not on the public internet
    # Then it falls in the expected category and production refuses it
    ip = ipaddress.ip_address(address)
    assert classify(ip) == category
    assert AddressPolicy(allow_loopback=False).refusal(ip) == category


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111",
                                     "172.32.0.1", "100.128.0.1", "11.0.0.1"])
def test_public_addresses_pass(address):
    ip = ipaddress.ip_address(address)
    assert classify(ip) is None
    assert AddressPolicy().refusal(ip) is None


def test_development_allows_loopback_but_nothing_else_internal():
    # Given the development policy
    dev = AddressPolicy(allow_loopback=True)
    # Then loopback passes, over http too, while private and metadata addresses stay refused
    assert dev.refusal(ipaddress.ip_address("127.0.0.1"), plaintext=True) is None
    assert dev.refusal(ipaddress.ip_address("::1")) is None
    assert dev.refusal(ipaddress.ip_address("10.0.0.1")) == "private"
    assert dev.refusal(ipaddress.ip_address("169.254.169.254")) == "cloud metadata"


def test_plain_http_to_a_public_address_is_refused_in_both_modes():
    public = ipaddress.ip_address("93.184.215.14")
    for policy in (AddressPolicy(), AddressPolicy(allow_loopback=True)):
        assert policy.refusal(public, plaintext=True) is not None
        assert policy.refusal(public, plaintext=False) is None


def test_check_refuses_when_any_resolved_address_is_internal():
    with pytest.raises(RefusedAddress) as refused:
        AddressPolicy().check("mixed.example", ["93.184.215.14", "10.1.2.3"])
    assert refused.value.address == "10.1.2.3" and refused.value.category == "private"


def test_check_returns_distinct_addresses_in_order():
    checked = AddressPolicy().check("multi.example", ["93.184.215.14", "1.1.1.1", "93.184.215.14"])
    assert [str(a) for a in checked] == ["93.184.215.14", "1.1.1.1"]
