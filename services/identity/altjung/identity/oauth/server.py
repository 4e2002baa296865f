"""One Authlib AuthorizationServer per identity app, and the tokens it hands out."""

from __future__ import annotations

import datetime as dt

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import AccessDeniedError
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from flask import Flask, current_app, g

from altjung.identity.accounts import Grantee, site_active
from altjung.identity.audit import audit
from altjung.identity.config import ACCESS_TOKEN_SECONDS
from altjung.identity.keys import signing_key
from altjung.identity.oauth.clients import query_client
from altjung.identity.oauth.grants import (
    AuthorizationCodeGrant,
    ClientCredentialsGrant,
    RefreshTokenGrant,
    RefreshTokenRevocation,
    S256Challenge,
)
from altjung.identity.oauth.oidc import OpenIDCode
from altjung.identity.oauth.store import SqlRefreshTokenStore
from altjung.identity.security.secrets import start_refresh_family
from altjung.identity.security.tokens import issue_access_token
from altjung.kit.bus.models import utcnow
from altjung.kit.runtime import current_runtime

_EXTENSION = "altjung_oauth_server"


def _access_token(client, grant_type: str, user: Grantee | None, scope: str) -> str:
    runtime = current_runtime()
    with runtime.db.session() as session:
        if user is None or not site_active(session, user.site_id):
            raise AccessDeniedError("Der Partnerstandort ist gesperrt. / The partner site is suspended.")
        key = signing_key(session, runtime.settings)
        subject = client.get_client_id() if grant_type == "client_credentials" else user.subject
        token = issue_access_token(
            key, issuer=runtime.settings.issuer, audience=runtime.settings.audience, subject=subject,
            client_id=client.get_client_id(), scope=scope or "", tenant=str(user.site_id) if user.site_id else None,
            roles=user.roles, now=utcnow(), lifetime=dt.timedelta(seconds=ACCESS_TOKEN_SECONDS),
            extra={"auth_time": g.auth_time} if g.get("auth_time") else None)
        if grant_type != "refresh_token":
            audit(session, "oauth.token_issued", actor=subject, site_id=user.site_id, target=client.get_client_id(),
                  grant=grant_type)
            session.commit()
        return token


def _refresh_token(client, grant_type: str, user: Grantee, scope: str) -> str:
    if grant_type == "refresh_token":
        return g.pop("rotated_refresh").token
    grant = start_refresh_family(SqlRefreshTokenStore(current_runtime().db), subject=user.subject,
                                 client_id=client.get_client_id(),
                                 tenant=str(user.site_id) if user.site_id else None, scope=scope or "", now=utcnow())
    g.started_family = grant.family.family_id
    return grant.token


def _expires_in(client, grant_type: str) -> int:
    return ACCESS_TOKEN_SECONDS


def _save_token(token: dict, request) -> None:
    """Nothing to store: access tokens are self-contained, refresh tokens are stored as they are made."""


def init_oauth(app: Flask) -> AuthorizationServer:
    server = AuthorizationServer(app, query_client=query_client, save_token=_save_token)
    server.register_token_generator("default", BearerTokenGenerator(_access_token, _refresh_token, _expires_in))
    server.register_grant(AuthorizationCodeGrant, [S256Challenge(required=True), OpenIDCode(require_nonce=False)])
    server.register_grant(RefreshTokenGrant)
    server.register_grant(ClientCredentialsGrant)
    server.register_endpoint(RefreshTokenRevocation)
    app.extensions[_EXTENSION] = server
    return server


def oauth_server() -> AuthorizationServer:
    return current_app.extensions[_EXTENSION]
