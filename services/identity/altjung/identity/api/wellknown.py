"""OAuth 2 / OIDC endpoints: discovery, JWKS, token, revocation, userinfo."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, jsonify

from altjung.identity.config import ACCESS_TOKEN_SECONDS
from altjung.identity.keys import jwks
from altjung.identity.models import SiteState, User
from altjung.identity.oauth.clients import PARTNER_SCOPES, SERVICE_SCOPES, USER_SCOPES
from altjung.identity.oauth.server import oauth_server
from altjung.kit.auth import authenticate
from altjung.kit.problems import Unauthorized
from altjung.kit.runtime import current_runtime

__all__ = ["ACCESS_TOKEN_SECONDS", "SERVICE_SCOPES", "blp"]

blp = Blueprint("wellknown", __name__)


@blp.get("/.well-known/openid-configuration")
def discovery() -> Response:
    issuer = current_runtime().settings.issuer
    auth_methods = ["client_secret_basic", "client_secret_post", "none"]
    return jsonify({
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/oauth/authorize",
        "token_endpoint": f"{issuer}/oauth/token",
        "revocation_endpoint": f"{issuer}/oauth/revoke",
        "userinfo_endpoint": f"{issuer}/oauth/userinfo",
        "end_session_endpoint": f"{issuer}/oauth/logout",
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": auth_methods,
        "revocation_endpoint_auth_methods_supported": auth_methods,
        "scopes_supported": sorted(USER_SCOPES | PARTNER_SCOPES | set().union(*SERVICE_SCOPES.values())),
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "claims_supported": ["sub", "email", "email_verified", "name", "tenant", "roles", "auth_time", "amr",
                             "nonce"],
        "authorization_response_iss_parameter_supported": False,
    })


@blp.get("/.well-known/jwks.json")
def jwks_view() -> Response:
    runtime = current_runtime()
    with runtime.db.session() as session:
        response = jsonify(jwks(session, runtime.settings))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@blp.post("/oauth/token")
def token() -> Response:
    return oauth_server().create_token_response()


@blp.post("/oauth/revoke")
def revoke() -> Response:
    return oauth_server().create_endpoint_response("revocation")


@blp.route("/oauth/userinfo", methods=["GET", "POST"])
def userinfo() -> Response:
    """OIDC userinfo: who the access token's person is (a person's token only)."""
    principal = authenticate()
    try:
        user_id = uuid.UUID(principal.subject)
    except ValueError:
        raise Unauthorized("Kein persönlicher Zugang. / Not a person's token.") from None
    with current_runtime().db.session() as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise Unauthorized("Kein persönlicher Zugang. / Not a person's token.")
        site = session.get(SiteState, principal.tenant_id) if principal.tenant_id else None
        info = {"sub": str(user.id), "tenant": str(principal.tenant_id) if principal.tenant_id else None,
                "tenant_name": site.name if site else None, "roles": sorted(principal.roles)}
        if "email" in principal.scopes:
            info.update(email=user.email, email_verified=True)
        if "profile" in principal.scopes:
            info["name"] = user.display_name
    return jsonify(info)
