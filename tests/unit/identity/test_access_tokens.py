"""Issuing RFC 9068 access tokens and verifying them the way every other service will."""

from __future__ import annotations

import hashlib
import hmac

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from altjung.identity.security.keys import KeySet, SigningKey
from altjung.identity.security.tokens import issue_access_token
from altjung.kit.tokens.verify import (
    CachingJwksProvider,
    InvalidToken,
    StaticJwksProvider,
    verify_access_token,
)

from .support import AUDIENCE, ISSUER, NOW, TS, claims, forge


def issue(keyset: KeySet, **overrides) -> str:
    arguments = dict(issuer=ISSUER, audience=AUDIENCE, subject="account-1", client_id="portal",
                     scope=["openid", "matching"], tenant="tenant-1", roles=["coordinator"], now=NOW)
    arguments.update(overrides)
    return issue_access_token(keyset.active(NOW), **arguments)


def verify(token: str, keyset: KeySet, *, now: float = TS, audience: str = AUDIENCE):
    provider = StaticJwksProvider(keyset.published(NOW))
    return verify_access_token(token, provider, issuer=ISSUER, audience=audience, leeway=30, now=now)


def rsa_signer(key: SigningKey):
    private = key.key.private_key
    return lambda data: private.sign(data, padding.PKCS1v15(), hashes.SHA256())


def reason_of(token: str, keyset: KeySet, **kwargs) -> str:
    with pytest.raises(InvalidToken) as caught:
        verify(token, keyset, **kwargs)
    return caught.value.reason


def test_a_fresh_token_verifies_with_all_rfc_9068_claims(keyset):
    # Given a token for a coordinator of one partner site
    token = issue(keyset)
    # When another service verifies it
    verified = verify(token, keyset)
    # Then it carries the profile's header and claims
    header = pyjwt.get_unverified_header(token)
    assert header == {"typ": "at+jwt", "alg": "RS256", "kid": keyset.active(NOW).kid}
    assert verified.subject == "account-1" and verified.client_id == "portal"
    assert verified.tenant == "tenant-1" and verified.roles == {"coordinator"}
    assert verified.scopes == {"openid", "matching"}
    assert verified.claims["exp"] - verified.claims["iat"] == 600
    assert verified.claims["nbf"] == verified.claims["iat"] and verified.claims["jti"]


def test_a_platform_token_has_a_null_tenant(keyset):
    # Given a token of a BaS platform admin
    token = issue(keyset, tenant=None, roles=["platform_admin"])
    # Then it verifies with tenant null
    verified = verify(token, keyset)
    assert verified.tenant is None and "tenant" in verified.claims


def test_tenant_roles_without_a_tenant_are_not_issued(keyset):
    with pytest.raises(ValueError):
        issue(keyset, tenant=None, roles=["staff"])


def test_an_independent_library_verifies_our_token(keyset):
    # Given a token and our published JWKS
    token = issue(keyset)
    jwks = keyset.published(NOW)
    # When PyJWT verifies it with the key from the JWKS
    jwk = pyjwt.PyJWK(jwks["keys"][0])
    decoded = pyjwt.decode(token, jwk.key, algorithms=["RS256"], audience=AUDIENCE, issuer=ISSUER,
                           options={"verify_exp": False, "verify_iat": False, "verify_nbf": False})
    # Then it agrees on the claims
    assert decoded["sub"] == "account-1" and decoded["roles"] == ["coordinator"]


def test_alg_none_is_refused(keyset):
    # Given an unsigned token naming our kid
    token = forge({"alg": "none", "typ": "at+jwt", "kid": keyset.active(NOW).kid}, claims())
    # Then it is refused before any key is looked at
    assert reason_of(token, keyset) == "alg_not_allowed"


def test_hs256_signed_with_our_public_key_is_refused(keyset):
    # Given a token HMAC-signed with our public key's PEM as the secret (the classic confusion)
    key = keyset.active(NOW)
    secret = key.key.as_pem(private=False)
    header = {"alg": "HS256", "typ": "at+jwt", "kid": key.kid}
    token = forge(header, claims(), sign=lambda data: hmac.new(secret, data, hashlib.sha256).digest())
    # Then it is refused, even with the kid of our real key
    assert reason_of(token, keyset) == "alg_not_allowed"


def test_a_token_signed_by_another_key_is_refused(keyset):
    # Given a token signed by a key that is not ours but claims our kid
    intruder = SigningKey.generate(NOW, key_size=2048)
    header = {"alg": "RS256", "typ": "at+jwt", "kid": keyset.active(NOW).kid}
    token = forge(header, claims(), sign=rsa_signer(intruder))
    # Then its signature fails
    assert reason_of(token, keyset) == "bad_signature"


@pytest.mark.parametrize("name", ["jku", "x5u", "jwk", "x5c", "x5t"])
def test_a_key_location_in_the_header_is_refused(keyset, name):
    # Given a token signed by an intruder who names where to find their key
    intruder = SigningKey.generate(NOW, key_size=2048)
    values = {"jku": "https://evil.example/jwks.json", "x5u": "https://evil.example/cert.pem",
              "jwk": intruder.public_jwk(), "x5c": ["MIIB..."], "x5t": "c2hh"}
    header = {"alg": "RS256", "typ": "at+jwt", "kid": intruder.kid, name: values[name]}
    token = forge(header, claims(), sign=rsa_signer(intruder))
    # Then it is refused for the header alone
    assert reason_of(token, keyset) == "forbidden_header"


def test_a_jku_header_is_refused_even_on_our_own_signature(keyset):
    key = keyset.active(NOW)
    header = {"alg": "RS256", "typ": "at+jwt", "kid": key.kid, "jku": "https://evil.example/jwks.json"}
    assert reason_of(forge(header, claims(), sign=rsa_signer(key)), keyset) == "forbidden_header"


def test_a_token_for_another_audience_is_refused(keyset):
    # Given a token for the matching service; When the federation service verifies it
    # Then it is refused
    assert reason_of(issue(keyset), keyset, audience="federation") == "wrong_audience"


def test_a_token_of_another_issuer_is_refused(keyset):
    assert reason_of(issue(keyset, issuer="https://evil.example"), keyset) == "wrong_issuer"


@pytest.mark.parametrize("typ", [None, "JWT", "id_token+jwt"])
def test_a_token_without_the_at_jwt_type_is_refused(keyset, typ):
    # Given a token correctly signed by our key but typed as something else (say, an ID token)
    key = keyset.active(NOW)
    header = {"alg": "RS256", "kid": key.kid} | ({"typ": typ} if typ else {})
    token = forge(header, claims(), sign=rsa_signer(key))
    # Then it is refused
    assert reason_of(token, keyset) == "wrong_typ"


def test_an_expired_token_is_refused(keyset):
    # Given a ten-minute token; When it is verified eleven minutes later (leeway 30 s)
    token = issue(keyset)
    # Then it has expired
    assert reason_of(token, keyset, now=TS + 11 * 60) == "expired"
    assert verify(token, keyset, now=TS + 10 * 60 + 20).subject == "account-1"


def test_a_token_not_yet_valid_is_refused(keyset):
    # Given a token whose nbf lies five minutes ahead
    key = keyset.active(NOW)
    token = forge({"alg": "RS256", "typ": "at+jwt", "kid": key.kid}, claims(nbf=int(TS) + 300),
                  sign=rsa_signer(key))
    # Then it is refused now
    assert reason_of(token, keyset) == "not_yet_valid"


def test_a_token_issued_in_the_future_is_refused(keyset):
    key = keyset.active(NOW)
    body = claims(iat=int(TS) + 300)
    del body["nbf"]
    token = forge({"alg": "RS256", "typ": "at+jwt", "kid": key.kid}, body, sign=rsa_signer(key))
    assert reason_of(token, keyset) == "issued_in_future"


def test_required_claims_are_enforced(keyset):
    key = keyset.active(NOW)
    body = claims()
    del body["client_id"]
    token = forge({"alg": "RS256", "typ": "at+jwt", "kid": key.kid}, body, sign=rsa_signer(key))
    assert reason_of(token, keyset) == "missing_client_id"


def test_an_unknown_kid_is_refused(keyset):
    other = KeySet(key_size=2048)
    other.rotate(NOW)
    assert reason_of(issue(other), keyset) == "unknown_kid"


def test_an_unknown_kid_triggers_one_refetch_then_a_rotated_key_is_accepted(keyset):
    # Given a service that cached identity's JWKS a moment ago
    fetches = []

    def fetch():
        fetches.append(1)
        return keyset.published(NOW)

    clock = [100.0]
    provider = CachingJwksProvider(fetch, ttl=300, min_refetch_interval=10, clock=lambda: clock[0])
    verify_access_token(issue(keyset), provider, issuer=ISSUER, audience=AUDIENCE, now=TS)
    assert len(fetches) == 1
    # When identity rotates its key and, a minute later, the first token with the new kid arrives
    old_kid = keyset.active(NOW).kid
    keyset.rotate(NOW)
    token = issue(keyset)
    assert pyjwt.get_unverified_header(token)["kid"] != old_kid
    clock[0] += 60
    verified = verify_access_token(token, provider, issuer=ISSUER, audience=AUDIENCE, now=TS)
    # Then the provider fetched exactly once more and accepted it
    assert len(fetches) == 2 and verified.subject == "account-1"


def test_malformed_tokens_are_refused(keyset):
    for token in ["", "abc", "a.b", "a.b.c.d.e", "!!!.e30.", "W10.e30.", "x" * 9000]:
        assert reason_of(token, keyset) == "malformed"


def test_the_verifier_depends_only_on_joserfc_and_the_standard_library():
    # Given the two modules the kit will take over unchanged
    import ast
    import sys
    from pathlib import Path

    import altjung.kit.tokens.verify as verify_module

    folder = Path(verify_module.__file__).parent
    for name in ("verify.py", "jwks.py"):
        tree = ast.parse((folder / name).read_text())
        # Then every import is relative, joserfc's, or the standard library's
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = {node.module.split(".")[0]}
            elif isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            else:
                continue
            assert roots <= sys.stdlib_module_names | {"joserfc", "__future__"}, (name, roots)
