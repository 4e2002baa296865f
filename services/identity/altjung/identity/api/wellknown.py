"""OIDC discovery, JWKS and the token endpoint."""

from __future__ import annotations

import hmac
import uuid

from flask import Blueprint, Response, jsonify, request

from altjung.identity.keys import ACCESS_TOKEN_SECONDS, jwks, mint_access_token
from altjung.kit.problems import problem_response
from altjung.kit.runtime import current_runtime

blp = Blueprint("wellknown", __name__)

#: Services that may ask for client-credentials tokens, and the scopes each may have.
SERVICE_SCOPES = {
    "svc-notifications": {"invitations:deliver", "people:contact"},
    "svc-portal": set(),
}


@blp.get("/.well-known/openid-configuration")
def discovery() -> Response:
    issuer = current_runtime().settings.issuer
    return jsonify({
        "issuer": issuer,
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "token_endpoint": f"{issuer}/oauth/token",
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "id_token_signing_alg_values_supported": ["RS256"],
    })


@blp.get("/.well-known/jwks.json")
def jwks_view() -> Response:
    with current_runtime().db.session() as session:
        response = jsonify(jwks(session))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@blp.post("/oauth/token")
def token() -> Response:
    runtime = current_runtime()
    auth = request.authorization
    if request.form.get("grant_type") != "client_credentials":
        return problem_response(400, "grant_type not supported", error="unsupported_grant_type")
    if auth is None or auth.username not in SERVICE_SCOPES:
        return problem_response(401, "unknown client", error="invalid_client")
    expected = runtime.settings.service_client_secret(auth.username.removeprefix("svc-"))
    if not hmac.compare_digest(expected, auth.password or ""):
        return problem_response(401, "unknown client", error="invalid_client")
    wanted = set(request.form.get("scope", "").split())
    if not wanted <= SERVICE_SCOPES[auth.username]:
        return problem_response(400, "scope not allowed", error="invalid_scope")
    tenant = request.form.get("tenant")  # a service acts for one partner site at a time
    try:
        tenant_id = uuid.UUID(tenant) if tenant else None
    except ValueError:
        return problem_response(400, "tenant is not a UUID", error="invalid_request")
    with runtime.db.session() as session:
        access = mint_access_token(session, runtime.settings, subject=auth.username, client_id=auth.username,
                                   tenant_id=tenant_id, roles=["service"], scope=" ".join(sorted(wanted)))
    return jsonify(access_token=access, token_type="Bearer", expires_in=ACCESS_TOKEN_SECONDS,
                   scope=" ".join(sorted(wanted)))
