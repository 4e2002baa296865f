"""Which webhook URLs a partner may register, checked when the endpoint is saved."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import SplitResult, urlsplit

import requests

from altjung.notifications.delivery.errors import InvalidEndpointUrl, RefusedAddress
from altjung.notifications.delivery.webhooks.addresses import (
    AddressPolicy,
    Resolver,
    resolve_checked,
    system_resolve,
)

#: Longest URL accepted.
MAX_URL_LENGTH = 2048
#: Ports of 1024 and above that browsers refuse (Fetch standard "bad ports"); below 1024
#: only 80 and 443 are allowed.
BAD_HIGH_PORTS = frozenset({1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
                            6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080})


def _port_refusal(port: int) -> str | None:
    if port in (80, 443):
        return None
    if port < 1024 or port in BAD_HIGH_PORTS:
        return f"port {port} is not allowed"
    return None


@lru_cache(maxsize=4096)  # called on every attempt; a refusal raises and is not cached
def check_url_shape(url: str, *, allow_http: bool) -> SplitResult:
    """The URL normalised and split, when its form is acceptable; no name is resolved."""
    if len(url) > MAX_URL_LENGTH:
        raise InvalidEndpointUrl("the URL is too long")
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        raise InvalidEndpointUrl("the URL contains spaces or control characters")
    try:
        normalised = requests.Request("POST", url).prepare().url or ""
        parts = urlsplit(normalised)
        port = parts.port
    except (requests.exceptions.RequestException, ValueError, UnicodeError):
        raise InvalidEndpointUrl("not a valid URL") from None
    if parts.scheme == "http" and not allow_http:
        raise InvalidEndpointUrl("the URL must use https")
    if parts.scheme not in ("http", "https"):
        raise InvalidEndpointUrl("the URL must use https")
    if parts.username is not None or parts.password is not None:
        raise InvalidEndpointUrl("the URL may not contain credentials")
    if parts.fragment:
        raise InvalidEndpointUrl("the URL may not contain a fragment")
    if not parts.hostname:
        raise InvalidEndpointUrl("the URL has no host")
    refusal = _port_refusal(port if port is not None else (443 if parts.scheme == "https" else 80))
    if refusal is not None:
        raise InvalidEndpointUrl(refusal)
    return parts


def validate_url(url: str, allow_http_loopback: bool, *,
                 resolve: Resolver = system_resolve) -> str:
    """The normalised URL if a partner may register it; otherwise InvalidEndpointUrl.

    Production passes `allow_http_loopback=False`: https to public addresses only.
    Development passes True: loopback is reachable too, and plain http goes only there.
    """
    parts = check_url_shape(url, allow_http=allow_http_loopback)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    policy = AddressPolicy(allow_loopback=allow_http_loopback)
    try:
        resolve_checked(parts.hostname or "", port, policy=policy, resolve=resolve,
                        plaintext=parts.scheme == "http")
    except RefusedAddress as exc:
        raise InvalidEndpointUrl(f"the host resolves to a {exc.category} address") from None
    except (OSError, UnicodeError):
        raise InvalidEndpointUrl("the host name does not resolve") from None
    return parts.geturl()
