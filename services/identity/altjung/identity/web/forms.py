"""Small helpers the pages share: CSRF tokens, rendering, the login state kept in the session."""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Any

from flask import abort, render_template, request, session

from altjung.identity.config import LOGIN_SESSION_HOURS, PENDING_LOGIN_SECONDS


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf() -> None:
    sent = request.form.get("csrf", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        abort(400, "Das Formular ist abgelaufen. Bitte laden Sie die Seite neu. / The form expired; please reload.")


def page(template: str, *, status: int = 200, **context: Any):
    return render_template(f"identity/{template}", csrf=csrf_token(), **context), status


def pending() -> dict | None:
    """A login whose password was right and whose next steps (site, MFA) are not done yet."""
    state = session.get("pending")
    if not state or time.time() - state.get("at", 0) > PENDING_LOGIN_SECONDS:
        return None
    return state


def signed_in() -> dict | None:
    """The finished login of this browser at identity: user, site (or platform) and auth time."""
    state = session.get("login")
    if not state or time.time() - state.get("auth_time", 0) > LOGIN_SESSION_HOURS * 3600:
        return None
    return state


def finish_login(*, uid: str, site: str, amr: list[str]) -> None:
    next_url = session.get("next")
    session.clear()
    session["login"] = {"uid": uid, "site": site, "auth_time": int(time.time()), "amr": amr}
    if next_url:
        session["next"] = next_url
