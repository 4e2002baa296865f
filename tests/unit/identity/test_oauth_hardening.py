"""Where Authlib's defaults fall short of RFC 9700, ours do not."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from .people import Browser, ensure_portal, make_person

VERIFIER = secrets.token_urlsafe(48)


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def redirect_uri(platform):
    return ensure_portal(platform)


@pytest.fixture(scope="module")
def coordinator(platform, make_site, redirect_uri):
    """A coordinator signed in once at identity in one browser (a TOTP code works only once)."""
    site = make_site()
    return site, make_person(platform, sites={site["id"]: "coordinator"}), Browser(redirect_uri)


def authorize_url(api, registered_uri, **overrides) -> str:
    params = {"response_type": "code", "client_id": "portal", "redirect_uri": registered_uri, "scope": "openid",
              "state": "s-1", "code_challenge": s256(VERIFIER), "code_challenge_method": "S256", **overrides}
    return f"{api.base}/identity/oauth/authorize?" + urlencode({k: v for k, v in params.items() if v is not None})


def code_of(response) -> str:
    query = parse_qs(urlparse(response.url).query)
    assert "code" in query, response.url
    return query["code"][0]


def exchange(api, code, redirect_uri, verifier=VERIFIER):
    return api.post("/identity/oauth/token", data={"grant_type": "authorization_code", "code": code,
                                                   "redirect_uri": redirect_uri, "client_id": "portal",
                                                   "code_verifier": verifier})


def refresh(api, token):
    return api.post("/identity/oauth/token", data={"grant_type": "refresh_token", "refresh_token": token,
                                                   "client_id": "portal"})


def signed_in_code(api, redirect_uri, coordinator, **overrides):
    _site, person, browser = coordinator
    return code_of(browser.sign_in(authorize_url(api, redirect_uri, **overrides), person))


@pytest.mark.parametrize("overrides", [
    {"code_challenge_method": "plain", "code_challenge": VERIFIER},
    {"code_challenge_method": None},
    {"code_challenge": None, "code_challenge_method": None},
], ids=["plain", "method_missing_means_plain", "no_pkce"])
def test_pkce_plain_or_missing_is_refused(api, redirect_uri, overrides):
    # When the portal asks for a code without S256 PKCE
    response = api.get(authorize_url(api, redirect_uri, **overrides).removeprefix(api.base),
                       allow_redirects=False)
    # Then identity sends it back with an error and no code
    assert response.status_code == 302
    query = parse_qs(urlparse(response.headers["Location"]).query)
    assert query["error"] == ["invalid_request"] and "code" not in query


def test_a_redirect_uri_that_is_not_exactly_registered_is_refused(api, redirect_uri):
    for uri in (redirect_uri + "/x", redirect_uri + "?a=1", redirect_uri.replace("127.0.0.1", "localhost")):
        response = api.get(authorize_url(api, redirect_uri, redirect_uri=uri).removeprefix(api.base),
                           allow_redirects=False)
        # An unregistered URI is never redirected to: the person sees an error page
        assert response.status_code == 400, uri


def test_a_wrong_code_verifier_is_refused(api, redirect_uri, coordinator):
    code = signed_in_code(api, redirect_uri, coordinator)
    assert exchange(api, code, redirect_uri, verifier=secrets.token_urlsafe(48)).json()["error"] == "invalid_grant"


def test_a_replayed_code_is_refused_and_revokes_what_it_gave(api, redirect_uri, coordinator):
    # Given a code exchanged once
    code = signed_in_code(api, redirect_uri, coordinator)
    first = exchange(api, code, redirect_uri)
    assert first.status_code == 200, first.text
    # When the same code is presented again
    again = exchange(api, code, redirect_uri)
    # Then it is refused, and the refresh token the first exchange gave is revoked
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert refresh(api, first.json()["refresh_token"]).json()["error"] == "invalid_grant"


def test_refresh_tokens_rotate_and_a_reused_one_revokes_the_family(api, redirect_uri, coordinator):
    # Given a login with a refresh token
    tokens = exchange(api, signed_in_code(api, redirect_uri, coordinator), redirect_uri).json()
    first = tokens["refresh_token"]
    # When it is used, a new refresh token comes with the new access token
    rotated = refresh(api, first).json()
    second = rotated["refresh_token"]
    assert second != first and rotated["expires_in"] == 600
    # When the old one is replayed (a thief, or the victim after the thief)
    replay = refresh(api, first)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    # Then the whole family is revoked: the newest token fails too
    assert refresh(api, second).json()["error"] == "invalid_grant"


def test_revocation_ends_a_refresh_token(api, redirect_uri, coordinator):
    tokens = exchange(api, signed_in_code(api, redirect_uri, coordinator), redirect_uri).json()
    response = api.post("/identity/oauth/revoke", data={"token": tokens["refresh_token"], "client_id": "portal",
                                                        "token_type_hint": "refresh_token"})
    assert response.status_code == 200
    assert refresh(api, tokens["refresh_token"]).json()["error"] == "invalid_grant"


def test_discovery_names_only_what_we_allow(api):
    doc = api.get("/identity/.well-known/openid-configuration").json()
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["response_types_supported"] == ["code"]
    assert doc["issuer"].endswith("/identity") and doc["jwks_uri"].endswith("/.well-known/jwks.json")
    keys = api.get(doc["jwks_uri"].removeprefix(api.base)).json()["keys"]
    assert keys and all(k["kty"] == "RSA" and k["alg"] == "RS256" and k["kid"] and "d" not in k for k in keys)


def test_logout_ends_the_login_and_returns_only_to_the_clients_own_origin(api, platform, make_site, redirect_uri):
    site = make_site()
    person = make_person(platform, sites={site["id"]: "staff"}, mfa=False)
    browser = Browser(redirect_uri)
    assert browser.sign_in(authorize_url(api, redirect_uri), person).status_code == 302
    # A foreign post-logout URI is not followed; the login ends anyway
    page = browser.go(f"{api.base}/identity/oauth/logout?client_id=portal&post_logout_redirect_uri=http://evil.example/")
    assert page.status_code == 200 and "abgemeldet" in page.text
    assert "Anmelden" in browser.go(authorize_url(api, redirect_uri)).text
    # The portal's own origin is
    browser.sign_in(authorize_url(api, redirect_uri), person)
    home = redirect_uri.removesuffix("/auth/callback") + "/"
    response = browser.session.get(f"{api.base}/identity/oauth/logout", allow_redirects=False,
                                   params={"client_id": "portal", "post_logout_redirect_uri": home, "state": "x"})
    assert response.status_code == 302 and response.headers["Location"] == home + "?state=x"
