"""The identity service."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Flask, Response

from altjung.identity.accounts import access_status
from altjung.identity.api import (
    account,
    audit,
    clients,
    coordinator_contacts,
    invitations,
    members,
    platform_members,
    resets,
    wellknown,
)
from altjung.identity.keys import jwks
from altjung.identity.oauth.server import init_oauth
from altjung.identity.web import pages
from altjung.kit.app import make_app
from altjung.kit.auth import install_providers
from altjung.kit.runtime import Runtime
from altjung.kit.settings import Settings
from altjung.kit.tokens import CachingAccessStatus, CachingJwksProvider

BLUEPRINTS = [invitations.blp, invitations.platform_blp, resets.blp, members.blp, platform_members.blp, clients.blp,
              audit.blp, account.blp, coordinator_contacts.blp]


def _setup(app: Flask, runtime: Runtime) -> None:
    settings = runtime.settings
    app.config.update(
        SESSION_COOKIE_NAME="altjung_identity",
        SESSION_COOKIE_PATH=urlparse(settings.issuer).path or "/",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Secure wherever identity is served over TLS (production is; a loopback test stack is not).
        SESSION_COOKIE_SECURE=settings.issuer.startswith("https://"),
    )
    init_oauth(app)

    def local_jwks() -> dict:
        with runtime.db.session() as session:
            return jwks(session, settings)

    def local_status() -> dict:
        with runtime.db.session() as session:
            return access_status(session)

    # identity verifies its own tokens from its own database, never over HTTP to itself.
    install_providers(app, jwks=CachingJwksProvider(local_jwks, ttl=60, min_refetch_interval=1),
                      status=CachingAccessStatus(local_status, ttl=1))

    @app.after_request
    def _no_referrer(response: Response) -> Response:
        # Invitation and reset links carry their secret in the query: never hand it on.
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if response.mimetype == "text/html":
            # No script anywhere; no form-action either: Chrome applies it to the redirect to the client.
            response.headers.setdefault("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
                                                                   "frame-ancestors 'none'; base-uri 'none'")
        return response


def create_app(settings: Settings | None = None) -> Flask:
    """Build the identity service. Tests pass their own Settings."""
    return make_app("identity", settings or Settings.from_env("identity"), blueprints=BLUEPRINTS,
                    plain_blueprints=[wellknown.blp, pages.blp], setup=_setup)

