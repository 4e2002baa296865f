"""Signing in through identity: authorization code + PKCE (S256) with Authlib's Flask client."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.flask_client import OAuth
from cryptography.fernet import Fernet
from flask import Blueprint, Flask, abort, current_app, g, redirect, request, session, url_for
from sqlalchemy import delete

from altjung.kit.auth import verify_token
from altjung.kit.bus.models import utcnow
from altjung.kit.runtime import Runtime, current_runtime
from altjung.kit.tokens import InvalidToken
from altjung.portal.models import PortalSession

bp = Blueprint("auth", __name__, url_prefix="/auth")

#: How long a portal sign-in lasts without activity before the person signs in again.
SESSION_HOURS = 8
CLIENT_ID = "portal"


@dataclass(frozen=True)
class Viewer:
    """The signed-in person as the portal shows them."""

    subject: str
    name: str
    site_id: str | None
    roles: tuple[str, ...]

    def has(self, *roles: str) -> bool:
        return bool(set(roles) & set(self.roles))


def init_auth(app: Flask, runtime: Runtime) -> None:
    settings = runtime.settings
    oauth = OAuth(app)
    identity = settings.url_of("identity")
    oauth.register(
        "identity",
        client_id=CLIENT_ID,
        authorize_url=f"{settings.issuer}/oauth/authorize",  # the browser goes there
        access_token_url=f"{identity}/oauth/token",  # the portal's server calls this one
        issuer=settings.issuer,
        jwks_uri=settings.jwks_url,
        id_token_signing_alg_values_supported=["RS256"],
        client_kwargs={"scope": "openid profile email", "code_challenge_method": "S256",
                       "token_endpoint_auth_method": "none"},
    )
    app.extensions["portal_oauth"] = oauth
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=not settings.development, SESSION_COOKIE_NAME="altjung_portal")
    app.register_blueprint(bp)
    app.before_request(_load_viewer)

    from altjung.portal.labels import german_date

    app.add_template_filter(german_date, "datum")

    @app.context_processor
    def _viewer() -> dict:
        return {"viewer": g.get("viewer"), "csrf_token": csrf_token}


def _fernet() -> Fernet:
    key = hashlib.sha256(("portal-tokens:" + current_runtime().settings.secret_key).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _load_viewer() -> None:
    sid = session.get("sid")
    if not sid:
        return
    with current_runtime().db.session() as db:
        row = db.get(PortalSession, _hash(sid))
    if row is None or row.expires_at < utcnow():
        session.clear()
        return
    g.portal_session = row
    g.viewer = Viewer(subject=row.subject, name=row.display_name, site_id=row.site_id, roles=tuple(row.roles))


@bp.get("/login")
def login():
    """Start the sign-in at identity (authorization code + PKCE)."""
    redirect_uri = f"{current_runtime().settings.public_base_url.rstrip('/')}/auth/callback"
    return current_app.extensions["portal_oauth"].identity.authorize_redirect(redirect_uri)


@bp.get("/callback")
def callback():
    """identity sends the browser back here with a code; exchange it and open a portal session."""
    client = current_app.extensions["portal_oauth"].identity
    if "error" in request.args:
        abort(400, description="Die Anmeldung wurde abgebrochen. / Sign-in was cancelled.")
    token = client.authorize_access_token()
    userinfo = token.get("userinfo") or {}
    try:
        claims = verify_token(token["access_token"])
    except InvalidToken:
        abort(401)
    sid = secrets.token_urlsafe(32)
    row = PortalSession(id_hash=_hash(sid), subject=str(claims.get("sub")),
                        display_name=str(userinfo.get("name") or userinfo.get("email") or ""),
                        site_id=claims.get("tenant"), roles=list(claims.get("roles") or []),
                        tokens=_fernet().encrypt(json.dumps(_keep(token)).encode()).decode(),
                        expires_at=utcnow() + dt.timedelta(hours=SESSION_HOURS))
    with current_runtime().db.session() as db:
        db.add(row)
        db.commit()
    session.clear()
    session["sid"] = sid
    return redirect(url_for("portal.start"))


@bp.post("/logout")
def logout():
    check_csrf()
    sid = session.pop("sid", None)
    if sid:
        with current_runtime().db.session() as db:
            db.execute(delete(PortalSession).where(PortalSession.id_hash == _hash(sid)))
            db.commit()
    settings = current_runtime().settings
    back = f"{settings.public_base_url.rstrip('/')}/"
    return redirect(f"{settings.issuer}/oauth/logout?client_id={CLIENT_ID}&post_logout_redirect_uri={back}")


def _keep(token: dict) -> dict:
    return {k: token[k] for k in ("access_token", "refresh_token", "expires_at") if k in token}


def _access_token() -> str:
    row: PortalSession = g.portal_session
    tokens = json.loads(_fernet().decrypt(row.tokens.encode()))
    if tokens.get("expires_at", 0) - 30 > time.time():
        return tokens["access_token"]
    settings = current_runtime().settings
    response = requests.post(f"{settings.url_of('identity')}/oauth/token", timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": tokens.get("refresh_token", ""), "client_id": CLIENT_ID})
    if response.status_code != 200:
        abort(401)
    fresh = response.json()
    fresh["expires_at"] = int(time.time()) + int(fresh.get("expires_in", 600))
    with current_runtime().db.session() as db:
        stored = db.get(PortalSession, row.id_hash)
        stored.tokens = _fernet().encrypt(json.dumps(_keep(fresh)).encode()).decode()
        db.commit()
    return fresh["access_token"]


def call(service: str, path: str, *, method: str = "GET", json_body: dict | None = None,
         **params: Any) -> requests.Response:
    """Call another service's API as the signed-in person (their token, their site)."""
    url = f"{current_runtime().settings.url_of(service)}{path}"
    return requests.request(method, url, params=params or None, json=json_body, timeout=10,
                            headers={"Authorization": f"Bearer {_access_token()}"})


def csrf_token() -> str:
    """The form token of this portal session (every POST form carries it)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def check_csrf() -> None:
    sent = request.form.get("csrf", "")
    if not sent or not secrets.compare_digest(sent, session.get("csrf", "")):
        abort(400, description="Das Formular ist abgelaufen. Bitte laden Sie die Seite neu. / Form expired.")
