"""Shared constants and a hand-made JWS builder for identity's security tests."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime

ISSUER = "https://identity.altjung.test"
AUDIENCE = "matching"
NOW = datetime(2025, 3, 1, 9, 0, 0, tzinfo=UTC)
TS = NOW.timestamp()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def forge(header: dict, claims: dict, *, sign: Callable[[bytes], bytes] | None = None) -> str:
    """A compact JWS built by hand, so no library refuses to make the bad tokens we test."""
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    signature = sign(signing_input.encode("ascii")) if sign else b""
    return f"{signing_input}.{b64url(signature)}"


def claims(**overrides) -> dict:
    """Valid RFC 9068 claims at NOW, with overrides."""
    base = {
        "iss": ISSUER, "aud": AUDIENCE, "sub": "account-1", "client_id": "portal",
        "iat": int(TS), "nbf": int(TS), "exp": int(TS) + 600, "jti": "j-1",
        "scope": "openid", "tenant": "tenant-1", "roles": ["coordinator"],
    }
    base.update(overrides)
    return base
