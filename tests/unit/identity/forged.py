"""Bad access tokens of every kind the verifier must refuse, built by hand from identity's real key."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from joserfc.jwk import RSAKey

from altjung.identity.keys import signing_key

from .support import forge


def _rs256(private_key):
    return lambda data: private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def real_key(platform):
    runtime = platform.runtimes["identity"]
    with runtime.db.session() as session:
        return signing_key(session, runtime.settings)


def good_claims(platform, *, tenant: str | None, roles: list[str], **overrides) -> dict:
    settings = platform.runtimes["identity"].settings
    now = int(time.time())
    claims = {"iss": settings.issuer, "aud": settings.audience, "sub": str(uuid.uuid4()), "client_id": "portal",
              "iat": now, "nbf": now, "exp": now + 600, "jti": uuid.uuid4().hex, "scope": "openid",
              "tenant": tenant, "roles": roles}
    claims.update(overrides)
    return claims


def bad_tokens(platform, *, tenant: str | None, roles: list[str]) -> dict[str, str]:
    """name -> a token that must be refused by every protected endpoint."""
    key = real_key(platform)
    private = key.key.private_key
    public_pem = key.key.as_pem(private=False)
    claims = good_claims(platform, tenant=tenant, roles=roles)
    header = {"alg": "RS256", "typ": "at+jwt", "kid": key.kid}
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    attacker_jwk = RSAKey.import_key(attacker.public_key()).as_dict(private=False)
    return {
        "alg_none": forge({**header, "alg": "none"}, claims),
        "hs256_with_public_key": forge({**header, "alg": "HS256"}, claims,
                                       sign=lambda data: hmac.new(public_pem, data, hashlib.sha256).digest()),
        "wrong_key_same_kid": forge(header, claims, sign=_rs256(attacker)),
        "foreign_jku": forge({**header, "kid": "attacker-1", "jku": "http://127.0.0.1:9/jwks.json"}, claims,
                             sign=_rs256(attacker)),
        "embedded_jwk": forge({**header, "jwk": attacker_jwk}, claims, sign=_rs256(attacker)),
        "wrong_audience": forge(header, {**claims, "aud": "another-api"}, sign=_rs256(private)),
        "wrong_issuer": forge(header, {**claims, "iss": "http://evil.example/identity"}, sign=_rs256(private)),
        "wrong_type": forge({**header, "typ": "JWT"}, claims, sign=_rs256(private)),
        "expired": forge(header, {**claims, "iat": claims["iat"] - 900, "nbf": claims["iat"] - 900,
                                  "exp": claims["iat"] - 300}, sign=_rs256(private)),
        "not_yet_valid": forge(header, {**claims, "nbf": claims["iat"] + 600}, sign=_rs256(private)),
    }


def good_token(platform, *, tenant: str | None, roles: list[str]) -> str:
    key = real_key(platform)
    return forge({"alg": "RS256", "typ": "at+jwt", "kid": key.kid}, good_claims(platform, tenant=tenant, roles=roles),
                 sign=_rs256(key.key.private_key))
