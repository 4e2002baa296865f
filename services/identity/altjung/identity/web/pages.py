"""The pages a person sees at identity (German first, English alongside; plain HTML, no script)."""

from __future__ import annotations

import time
import uuid
from urllib.parse import urlencode, urlsplit

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, redirect, request, session, url_for
from werkzeug.wrappers import Response

from altjung.identity import accounts, invitations, resets
from altjung.identity.accounts import PLATFORM, find_user, hashing, login_options, mfa_required
from altjung.identity.audit import audit
from altjung.identity.models import User
from altjung.identity.oauth.clients import query_client
from altjung.identity.oauth.server import oauth_server
from altjung.identity.security import totp
from altjung.identity.security.errors import CodeRejected, PasswordRejected
from altjung.identity.security.throttle import LoginThrottle
from altjung.identity.throttle_store import SqlAttemptStore
from altjung.identity.web.forms import check_csrf, finish_login, page, pending, signed_in
from altjung.kit.runtime import current_runtime
from altjung.kit.tenancy import tenant_context

blp = Blueprint("pages", __name__)

_WRONG = ("E-Mail-Adresse oder Passwort ist falsch.", "E-mail address or password is wrong.")


def _throttle() -> LoginThrottle:
    return LoginThrottle(SqlAttemptStore(current_runtime().db))


def _too_many(wait: float) -> tuple[str, str]:
    seconds = max(1, int(wait + 0.999))
    return (f"Zu viele Versuche. Bitte warten Sie {seconds} Sekunden.",
            f"Too many attempts. Please wait {seconds} seconds.")


def _load_user(uid: str) -> User | None:
    with current_runtime().db.session() as db_session:
        user = db_session.get(User, uuid.UUID(uid))
        if user is not None:
            db_session.expunge(user)
        return user


def _continue() -> Response:
    next_url = session.pop("next", None)
    return redirect(next_url or url_for("pages.done"))


@blp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return page("login.html")
    check_csrf()
    email, password = request.form.get("email", "").strip(), request.form.get("password", "")
    runtime, throttle = current_runtime(), _throttle()
    attempt = throttle.begin(login=email, address=request.remote_addr or "", now=time.time())
    if not attempt.allowed:
        return page("login.html", error=_too_many(attempt.retry_after), email=email, status=429)
    with runtime.db.session() as db_session:
        user = find_user(db_session, email) if email else None
        usable = user is not None and user.active
        ok = hashing().verify_or_dummy(user.password_hash if usable else None, password)
        if not ok:
            audit(db_session, "login.failed", actor=user.id if user else None, reason="password")
            db_session.commit()
            return page("login.html", error=_WRONG, email=email, status=401)
        if hashing().needs_rehash(user.password_hash):
            user.password_hash = hashing().hash(password)
            db_session.commit()
        uid = str(user.id)
    throttle.succeeded(attempt)
    next_url = session.get("next")
    session.clear()
    if next_url:
        session["next"] = next_url
    session["pending"] = {"uid": uid, "at": time.time(), "site": None}
    return redirect(url_for("pages.choose_site"))


@blp.route("/login/site", methods=["GET", "POST"])
def choose_site():
    state = pending()
    if state is None:
        return redirect(url_for("pages.login"))
    user = _load_user(state["uid"])
    options = login_options(current_runtime().db, user) if user else []
    if not options:
        session.pop("pending", None)
        return page("message.html", status=403,
                    message=("Ihr Konto hat derzeit keinen Zugang zu einem aktiven Partnerstandort.",
                             "Your account currently has no access to an active partner site."))
    chosen = request.form.get("site") if request.method == "POST" else None
    if request.method == "POST":
        check_csrf()
    if len(options) == 1:
        chosen = options[0].key
    option = next((o for o in options if o.key == chosen), None)
    if option is None:
        return page("site.html", options=options)
    state["site"] = option.key
    session["pending"] = state
    with current_runtime().db.session() as db_session:
        needs_mfa = mfa_required(db_session, user, option)
    if not needs_mfa:
        finish_login(uid=state["uid"], site=option.key, amr=["pwd"])
        _audit_login(state)
        return _continue()
    if user.totp_enabled_at is None:
        return redirect(url_for("pages.mfa_setup"))
    return redirect(url_for("pages.mfa"))


@blp.route("/login/mfa", methods=["GET", "POST"])
def mfa():
    state = pending()
    if state is None or not state.get("site"):
        return redirect(url_for("pages.login"))
    if request.method == "GET":
        return page("mfa.html")
    check_csrf()
    runtime, throttle = current_runtime(), _throttle()
    attempt = throttle.begin(login=f"mfa:{state['uid']}", address=request.remote_addr or "", now=time.time())
    if not attempt.allowed:
        return page("mfa.html", error=_too_many(attempt.retry_after), status=429)
    code, recovery = request.form.get("code", "").strip(), request.form.get("recovery_code", "").strip()
    with runtime.db.session() as db_session:
        user = db_session.get(User, uuid.UUID(state["uid"]))
        try:
            if recovery:
                accounts.use_recovery_code(db_session, runtime.settings, user, recovery)
            else:
                accounts.check_totp(runtime.settings, user, code)
        except CodeRejected:
            audit(db_session, "login.failed", actor=user.id, reason="mfa")
            db_session.commit()
            return page("mfa.html", status=401, error=("Der Code stimmt nicht oder wurde schon verwendet.",
                                                       "The code is wrong or was already used."))
        audit(db_session, "mfa.recovery_code_used" if recovery else "login.mfa_passed", actor=user.id)
        db_session.commit()
    throttle.succeeded(attempt)
    finish_login(uid=state["uid"], site=state["site"], amr=["pwd", "otp"])
    _audit_login(state)
    return _continue()


@blp.route("/login/mfa/setup", methods=["GET", "POST"])
def mfa_setup():
    state = pending()
    if state is None or not state.get("site"):
        return redirect(url_for("pages.login"))
    runtime = current_runtime()
    with runtime.db.session() as db_session:
        user = db_session.get(User, uuid.UUID(state["uid"]))
        if user.totp_enabled_at is not None:
            return redirect(url_for("pages.mfa"))
        if request.method == "GET" or not user.totp_secret:
            secret = accounts.begin_totp_enrolment(db_session, runtime.settings, user)
            db_session.commit()
            return page("mfa_setup.html", secret=secret,
                        uri=totp.provisioning_uri(secret, account_name=user.email))
        check_csrf()
        try:
            codes = accounts.confirm_totp(db_session, runtime.settings, user, request.form.get("code", ""))
        except CodeRejected:
            secret = accounts.pending_totp_secret(runtime.settings, user)
            return page("mfa_setup.html", secret=secret, uri=totp.provisioning_uri(secret, account_name=user.email),
                        status=401, error=("Der Code stimmt nicht.", "The code is wrong."))
        audit(db_session, "mfa.enrolled", actor=user.id)
        db_session.commit()
    finish_login(uid=state["uid"], site=state["site"], amr=["pwd", "otp"])
    _audit_login(state)
    return page("recovery_codes.html", codes=codes, next_url=session.get("next") or url_for("pages.done"))


def _audit_login(state: dict) -> None:
    with current_runtime().db.session() as db_session:
        site = None if state["site"] == PLATFORM else state["site"]
        audit(db_session, "login.succeeded", actor=state["uid"], site_id=site)
        db_session.commit()


@blp.get("/signed-in")
def done():
    state = signed_in()
    if state is None:
        return redirect(url_for("pages.login"))
    return page("message.html", message=("Sie sind angemeldet.", "You are signed in."), logout=True)


@blp.post("/logout")
def logout():
    check_csrf()
    session.clear()
    return page("message.html", message=("Sie sind abgemeldet.", "You are signed out."))


@blp.get("/oauth/logout")
def end_session():
    """OIDC RP-initiated logout: ends the login at identity, then back to the client if it asks for a
    URI on the same origin as one of its registered redirect URIs."""
    session.clear()
    target = request.args.get("post_logout_redirect_uri", "")
    client = query_client(request.args.get("client_id", "")) if target else None
    if client is not None and _same_origin_as_registered(client, target):
        state = request.args.get("state")
        return redirect(target + (("&" if "?" in target else "?") + urlencode({"state": state}) if state else ""))
    return page("message.html", message=("Sie sind abgemeldet.", "You are signed out."), login_link=True)


def _same_origin_as_registered(client, uri: str) -> bool:
    origin = urlsplit(uri)
    registered = getattr(getattr(client, "row", None), "redirect_uris", "").split()
    return origin.scheme in ("http", "https") and any(
        (urlsplit(r).scheme, urlsplit(r).netloc) == (origin.scheme, origin.netloc) for r in registered)


@blp.route("/oauth/authorize", methods=["GET", "POST"])
def authorize():
    """First-party approval without a consent screen: every client that may use this is our own."""
    server = oauth_server()
    try:
        grant = server.get_consent_grant(end_user=None)
    except OAuth2Error as error:
        if getattr(error, "redirect_uri", None):
            return server.handle_error_response(None, error)
        reason = error.description or error.error
        return page("message.html", status=400, message=(f"Ungültige Anmeldeanfrage: {reason}",
                                                         f"Invalid sign-in request: {reason}"))
    state = signed_in()
    grantee = None
    if state is not None:
        site = None if state["site"] == PLATFORM else uuid.UUID(state["site"])
        grantee = accounts.grantee_for(current_runtime().db, uuid.UUID(state["uid"]), site)
    if grantee is None:
        session.clear()
        session["next"] = request.script_root + request.full_path if request.method == "GET" else None
        return redirect(url_for("pages.login"))
    from flask import g

    g.auth_time, g.amr = state["auth_time"], state.get("amr", [])
    return server.create_authorization_response(grant_user=grantee, grant=grant)


@blp.route("/invitations/<uuid:invitation_id>", methods=["GET", "POST"])
def accept_invitation(invitation_id: uuid.UUID):
    secret = request.values.get("token", "")
    db = current_runtime().db
    try:
        site_id = uuid.UUID(request.values["site"]) if request.values.get("site") else None
        with tenant_context(site_id), db.session() as db_session:
            invitation = invitations.find_open(db_session, invitation_id, secret)
            existing = find_user(db_session, invitation.email)
            email, has_account = invitation.email, bool(existing and existing.active and existing.password_hash)
    except (ValueError, invitations.InvitationInvalid):
        return page("message.html", status=404, message=(
            "Dieser Einladungslink ist ungültig, abgelaufen oder wurde schon verwendet.",
            "This invitation link is invalid, expired or was already used."))
    context = {"email": email, "has_account": has_account, "token": secret, "site": site_id}
    if request.method == "GET":
        return page("invitation.html", **context)
    check_csrf()
    password = request.form.get("password", "")
    if not has_account and password != request.form.get("password_repeat", ""):
        return page("invitation.html", status=422, errors=[("Die Passwörter stimmen nicht überein.",
                                                            "The passwords do not match.")], **context)
    attempt = None
    if has_account:  # the current password is checked: throttled like a login
        attempt = _throttle().begin(login=email, address=request.remote_addr or "", now=time.time())
        if not attempt.allowed:
            return page("invitation.html", status=429, errors=[_too_many(attempt.retry_after)], **context)
    try:
        invitations.accept(db, invitation_id, secret, site_id=site_id, password=password,
                           display_name=request.form.get("display_name", ""), current_password=password)
    except PasswordRejected as err:
        return page("invitation.html", status=422, errors=[(v.de, v.en) for v in err.violations], **context)
    except invitations.CurrentPasswordWrong:
        return page("invitation.html", status=401, errors=[_WRONG], **context)
    except invitations.InvitationInvalid:
        return page("message.html", status=404, message=("Dieser Einladungslink ist nicht mehr gültig.",
                                                         "This invitation link is no longer valid."))
    if attempt is not None:
        _throttle().succeeded(attempt)
    return page("message.html", message=("Willkommen! Ihr Zugang ist eingerichtet. Sie können sich jetzt anmelden.",
                                         "Welcome! Your access is ready. You can sign in now."), login_link=True)


@blp.route("/password-reset", methods=["GET", "POST"])
def request_reset():
    if request.method == "GET":
        return page("reset_request.html")
    check_csrf()
    email = request.form.get("email", "").strip()
    throttle = _throttle()
    attempt = throttle.begin(login=f"reset:{email}", address=request.remote_addr or "", now=time.time())
    if attempt.allowed and email:
        resets.request_reset(current_runtime(), email)
    # The same answer whether or not the account exists (and a throttled request looks the same).
    return page("message.html", message=(
        "Wenn es ein Konto mit dieser Adresse gibt, haben wir einen Link zum Zurücksetzen geschickt.",
        "If an account with this address exists, we have sent a link to reset the password."))


@blp.route("/password-reset/<uuid:reset_id>", methods=["GET", "POST"])
def reset_password(reset_id: uuid.UUID):
    secret = request.values.get("token", "")
    runtime = current_runtime()
    with runtime.db.session() as db_session:
        valid = resets.find_open(db_session, reset_id, secret) is not None
    if not valid:
        return page("message.html", status=404, message=(
            "Dieser Link ist ungültig, abgelaufen oder wurde schon verwendet.",
            "This link is invalid, expired or was already used."))
    if request.method == "GET":
        return page("reset.html", token=secret)
    check_csrf()
    password = request.form.get("password", "")
    if password != request.form.get("password_repeat", ""):
        return page("reset.html", token=secret, status=422,
                    errors=[("Die Passwörter stimmen nicht überein.", "The passwords do not match.")])
    try:
        resets.reset_password(runtime.db, reset_id, secret, password)
    except PasswordRejected as err:
        return page("reset.html", token=secret, status=422, errors=[(v.de, v.en) for v in err.violations])
    except resets.ResetInvalid:
        return page("message.html", status=404, message=("Dieser Link ist nicht mehr gültig.",
                                                         "This link is no longer valid."))
    return page("message.html", message=("Ihr Passwort wurde geändert. Alle Anmeldungen wurden beendet.",
                                         "Your password was changed. All sessions were ended."), login_link=True)
