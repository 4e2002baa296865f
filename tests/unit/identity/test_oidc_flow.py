"""An independent OIDC client (Authlib's) completes code + PKCE; an independent JWT library verifies."""

from __future__ import annotations

import jwt as pyjwt
from authlib.integrations.requests_client import OAuth2Session

from .people import Browser, ensure_portal, make_person


def test_authlib_client_completes_code_with_pkce_and_pyjwt_verifies(api, platform, make_site):
    # Given a coordinator of a partner site and the portal registered as a public client
    site = make_site()
    person = make_person(platform, sites={site["id"]: "coordinator"})
    redirect_uri = ensure_portal(platform)
    discovery = api.get("/identity/.well-known/openid-configuration").json()
    client = OAuth2Session(client_id="portal", redirect_uri=redirect_uri, scope="openid profile email",
                           code_challenge_method="S256", token_endpoint_auth_method="none")
    verifier = "v" * 20 + "erifier-" + "x" * 30
    url, _state = client.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier,
                                                  nonce="n-0S6_WzA2Mj")
    # When the person signs in through identity's pages (password, then TOTP)
    callback = Browser(redirect_uri).sign_in(url, person)
    assert callback.status_code == 302, callback.text
    # And the client exchanges the code
    token = client.fetch_token(discovery["token_endpoint"], authorization_response=callback.url,
                               code_verifier=verifier)
    # Then PyJWT verifies the access token with our JWKS, as an RFC 9068 token for one site
    access = token["access_token"]
    assert pyjwt.get_unverified_header(access)["typ"] == "at+jwt"
    key = pyjwt.PyJWKClient(discovery["jwks_uri"]).get_signing_key_from_jwt(access)
    claims = pyjwt.decode(access, key.key, algorithms=["RS256"], audience="altjung-api", issuer=discovery["issuer"])
    assert claims["tenant"] == site["id"] and claims["roles"] == ["coordinator"]
    assert claims["client_id"] == "portal" and claims["sub"] == str(person.id)
    assert claims["exp"] - claims["iat"] == 600 and token["expires_in"] == 600
    assert {"jti", "scope"} <= set(claims)
    # And the token opens userinfo, and a refresh token was issued
    info = api.get("/identity/oauth/userinfo", token=access).json()
    assert info["sub"] == str(person.id) and info["email"] == person.email
    assert token.get("refresh_token")
    # And an OIDC ID token names the person for the portal, and no service takes it as an access token
    id_claims = pyjwt.decode(token["id_token"], key.key, algorithms=["RS256"], audience="portal",
                             issuer=discovery["issuer"])
    assert id_claims["sub"] == str(person.id) and id_claims["nonce"] == "n-0S6_WzA2Mj"
    assert id_claims["email"] == person.email and id_claims["amr"] == ["pwd", "otp"]
    assert api.get("/identity/api/v1/me", token=token["id_token"]).status_code == 401
