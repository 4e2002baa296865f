"""Which IP addresses an outbound webhook may connect to, checked after resolution."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from altjung.notifications.delivery.errors import RefusedAddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: Turns a host name and port into IP address strings; tests inject their own.
Resolver = Callable[[str, int], Sequence[str]]

_METADATA = frozenset(ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254"))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_CATEGORIES: tuple[tuple[str, tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]], ...] = (
    ("loopback", (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))),
    ("unspecified", (ipaddress.ip_network("0.0.0.0/8"), ipaddress.ip_network("::/128"))),
    ("link-local", (ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fe80::/10"))),
    ("private", tuple(ipaddress.ip_network(n) for n in (
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fec0::/10"))),
    ("shared (CGNAT)", (ipaddress.ip_network("100.64.0.0/10"),)),
    ("multicast", (ipaddress.ip_network("224.0.0.0/4"), ipaddress.ip_network("ff00::/8"))),
)


def system_resolve(host: str, port: int) -> list[str]:
    """The host's addresses from the operating system's resolver."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _embedded(address: IPAddress) -> Iterator[IPAddress]:
    """Any IPv4 address tunnelled inside the address, then the address itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            yield address.ipv4_mapped
        if address.sixtofour is not None:
            yield address.sixtofour
        if address.teredo is not None:
            yield from address.teredo
        if address in _NAT64:
            yield ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    yield address


def classify(address: IPAddress) -> str | None:
    """The forbidden category an address belongs to, or None for a public address."""
    for candidate in _embedded(address):
        if candidate in _METADATA:
            return "cloud metadata"
        for category, networks in _CATEGORIES:
            if any(candidate in network for network in networks):
                return category
        if not candidate.is_global:
            return "reserved"
    return None


@dataclass(frozen=True, kw_only=True)
class AddressPolicy:
    """Public addresses only; loopback too in development, the only place plain http may go."""

    allow_loopback: bool = False

    def refusal(self, address: IPAddress, *, plaintext: bool = False) -> str | None:
        """Why the policy refuses `address`, or None when it may be reached."""
        category = classify(address)
        if category == "loopback" and self.allow_loopback:
            return None
        if category is None and plaintext:
            return "public (plain http)"
        return category

    def check(self, host: str, addresses: Sequence[str], *,
              plaintext: bool = False) -> list[IPAddress]:
        """The distinct resolved addresses, all allowed, or RefusedAddress for the first that is not."""
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, f"{host} has no address")
        checked: list[IPAddress] = []
        for text in addresses:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            category = self.refusal(address, plaintext=plaintext)
            if category is not None:
                raise RefusedAddress(host, str(address), category)
            if address not in checked:
                checked.append(address)
        return checked


def resolve_checked(host: str, port: int, *, policy: AddressPolicy, resolve: Resolver,
                    plaintext: bool = False) -> list[IPAddress]:
    """Resolve `host` (an IP literal resolves to itself) and check every address."""
    bare = host.strip("[]")
    try:
        literal = ipaddress.ip_address(bare.split("%", 1)[0])
    except ValueError:
        return policy.check(bare, resolve(bare, port), plaintext=plaintext)
    return policy.check(bare, [str(literal)], plaintext=plaintext)
