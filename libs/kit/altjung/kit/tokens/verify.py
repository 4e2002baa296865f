"""Standalone verifier for RFC 9068 access tokens against a cached JWKS (joserfc and stdlib only)."""

from __future__ import annotations

import base64
import binascii
import functools
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

# Relative on purpose: verify.py and jwks.py move into the kit together, unchanged.
from .jwks import CachingJwksProvider, JwksProvider, StaticJwksProvider

__all__ = ["CachingJwksProvider", "InvalidToken", "JwksProvider", "StaticJwksProvider", "VerifiedToken",
           "verify_access_token"]

#: Pinned: the one algorithm identity signs with. Never taken from the token or the JWK.
ALGORITHM = "RS256"
TOKEN_TYPES = frozenset({"at+jwt", "application/at+jwt"})
#: Headers that name a key or where to get one: an attacker would name their own.
#: x5t names no location but has no use here either; crit would name extensions we do not implement.
FORBIDDEN_HEADERS = frozenset({"jku", "x5u", "jwk", "x5c", "x5t", "x5t#S256", "crit"})
REQUIRED_CLAIMS = ("iss", "aud", "sub", "exp", "iat", "jti", "client_id")
DEFAULT_LEEWAY = 30
MAX_TOKEN_LENGTH = 8192
MIN_RSA_BITS = 2048


class InvalidToken(Exception):
    """The token must not be trusted; `reason` is a short code for logs, not for the client."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VerifiedToken:
    """The claims of a token that passed every check."""

    claims: Mapping[str, Any]

    @property
    def subject(self) -> str:
        return self.claims["sub"]

    @property
    def client_id(self) -> str:
        return self.claims["client_id"]

    @property
    def tenant(self) -> str | None:
        return self.claims.get("tenant")

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.claims.get("roles") or ())

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset((self.claims.get("scope") or "").split())


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate member")
    return result


def _header(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("malformed")
    try:
        raw = base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4))
        header = json.loads(raw, object_pairs_hook=_no_duplicates)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidToken("malformed") from None
    if not isinstance(header, dict):
        raise InvalidToken("malformed")
    return header


def _check_header(header: Mapping[str, Any]) -> str:
    if header.get("alg") != ALGORITHM:
        raise InvalidToken("alg_not_allowed")
    if str(header.get("typ", "")).lower() not in TOKEN_TYPES:
        raise InvalidToken("wrong_typ")
    if FORBIDDEN_HEADERS & set(header):
        raise InvalidToken("forbidden_header")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidToken("missing_kid")
    return kid


def _rsa_key(jwk: Mapping[str, Any]) -> RSAKey:
    if jwk.get("kty") != "RSA" or jwk.get("alg", ALGORITHM) != ALGORITHM:
        raise InvalidToken("key_not_usable")
    if "verify" not in jwk.get("key_ops", ["verify"]):
        raise InvalidToken("key_not_usable")
    key = _import_public(jwk.get("n"), jwk.get("e"))
    if key is None:
        raise InvalidToken("key_not_usable")
    return key


@functools.lru_cache(maxsize=32)
def _import_public(n: Any, e: Any) -> RSAKey | None:
    """The parsed public key, cached: parsing costs more than the RS256 check itself."""
    if not isinstance(n, str) or not isinstance(e, str):
        return None
    try:
        key = RSAKey.import_key({"kty": "RSA", "n": n, "e": e})
    except (JoseError, ValueError, TypeError):
        return None
    if key.public_key.key_size < MIN_RSA_BITS:
        return None
    return key


def _number(claims: Mapping[str, Any], name: str) -> float:
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidToken(f"invalid_{name}")
    return float(value)


def _check_claims(claims: Mapping[str, Any], *, issuer: str, audience: str, leeway: float, now: float) -> None:
    for name in REQUIRED_CLAIMS:
        if name not in claims:
            raise InvalidToken(f"missing_{name}")
    if claims["iss"] != issuer:
        raise InvalidToken("wrong_issuer")
    aud = claims["aud"]
    if not (aud == audience or (isinstance(aud, list) and audience in aud)):
        raise InvalidToken("wrong_audience")
    if _number(claims, "exp") <= now - leeway:
        raise InvalidToken("expired")
    if "nbf" in claims and _number(claims, "nbf") > now + leeway:
        raise InvalidToken("not_yet_valid")
    if _number(claims, "iat") > now + leeway:
        raise InvalidToken("issued_in_future")
    well_typed = (
        all(isinstance(claims[name], str) for name in ("sub", "client_id", "jti"))
        and isinstance(claims.get("scope", ""), str)
        and isinstance(claims.get("roles", []), list)
        and isinstance(claims.get("tenant"), str | None)
    )
    if not well_typed:
        raise InvalidToken("malformed_claims")


def verify_access_token(token: str | bytes, jwks_provider: JwksProvider, *, issuer: str, audience: str,
                        leeway: float = DEFAULT_LEEWAY, now: float | None = None) -> VerifiedToken:
    """Verify an RFC 9068 access token; raise InvalidToken(reason) on any doubt."""
    if isinstance(token, bytes):
        token = token.decode("ascii", "replace")
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken("malformed")
    kid = _check_header(_header(token))
    try:
        jwk = jwks_provider.get_key(kid)
    except Exception:  # noqa: BLE001 - a provider failure must fail closed
        raise InvalidToken("jwks_unavailable") from None
    if jwk is None:
        raise InvalidToken("unknown_kid")
    try:
        decoded = jwt.decode(token, _rsa_key(jwk), algorithms=[ALGORITHM])
    except (JoseError, ValueError, TypeError):
        raise InvalidToken("bad_signature") from None
    if not isinstance(decoded.claims, dict):
        raise InvalidToken("malformed_claims")
    _check_claims(decoded.claims, issuer=issuer, audience=audience, leeway=leeway,
                  now=time.time() if now is None else now)
    return VerifiedToken(decoded.claims)
