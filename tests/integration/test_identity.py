"""identity in the production shape: gunicorn, PostgreSQL with row-level security, Redis, workers.

A person signs in through the real pages (password + TOTP) with code + PKCE, reads their site's data
and never another's; an invitation is accepted once, read under the site's row-level security."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import uuid
from urllib.parse import parse_qs, urlencode, urlparse

import pyotp
import requests

from altjung.identity.accounts import hashing, set_membership
from altjung.identity.config import seal
from altjung.identity.demo import register_portal_client
from altjung.identity.models import SiteState, User
from altjung.identity.security.totp import new_totp_secret
from altjung.kit.bus.models import utcnow
from altjung.kit.db import Database
from altjung.kit.tenancy import tenant_context
from tests.integration.conftest import eventually, mint
from tests.unit.identity.people import Browser, Person

PASSWORD = "Lange-Sichere-Passphrase-2026"


def identity_db(stack) -> Database:
    return Database(stack.settings("identity").database_url, pool_size=1)


def new_site(stack) -> str:
    admin = mint(stack, "platform_admin")
    slug = f"it-id-{uuid.uuid4().hex[:6]}"
    response = requests.post(f"{stack.url('tenants')}/api/v1/partner-sites", timeout=10,
                             headers={"Authorization": f"Bearer {admin}"},
                             json={"slug": slug, "name": f"Standort {slug}", "bundesland": "DE-NW",
                                   "first_coordinator_email": f"erste@{slug}.example"})
    assert response.status_code == 201, response.text
    site_id = response.json()["id"]
    db = identity_db(stack)

    def known() -> bool:
        with db.session() as session:
            return session.get(SiteState, uuid.UUID(site_id)) is not None

    try:
        eventually(known)
    finally:
        db.dispose()
    return site_id


def person_at(stack, site_id: str, role: str) -> Person:
    settings, db = stack.settings("identity"), identity_db(stack)
    secret = new_totp_secret()
    try:
        with db.session() as session:
            user = User(email=f"it-{uuid.uuid4().hex[:8]}@example.org", display_name="IT", active=True,
                        password_hash=hashing().hash(PASSWORD), totp_secret=seal(settings, secret),
                        totp_enabled_at=utcnow())
            session.add(user)
            session.commit()
            person = Person(user.id, user.email, PASSWORD, secret)
        with tenant_context(uuid.UUID(site_id)), db.session() as session:
            set_membership(session, user_id=person.id, site_id=uuid.UUID(site_id), role=role)
            session.commit()
        with db.session() as session:
            redirect_uri = register_portal_client(session, settings).redirect_uris
            session.commit()
    finally:
        db.dispose()
    person.redirect_uri = redirect_uri  # type: ignore[attr-defined]
    return person


def sign_in(stack, person: Person) -> dict:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect_uri = person.redirect_uri  # type: ignore[attr-defined]
    # A browser reaches identity through the proxy, at the issuer's address, as in production
    url = f"{stack.proxy_url}/identity/oauth/authorize?" + urlencode({
        "response_type": "code", "client_id": "portal", "redirect_uri": redirect_uri, "scope": "openid email",
        "state": "it", "code_challenge": challenge, "code_challenge_method": "S256"})
    callback = Browser(redirect_uri).sign_in(url, person)
    code = parse_qs(urlparse(callback.url).query)["code"][0]
    response = requests.post(f"{stack.proxy_url}/identity/oauth/token", timeout=10, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, "client_id": "portal",
        "code_verifier": verifier})
    assert response.status_code == 200, response.text
    return response.json()


def get(stack, service: str, path: str, token: str) -> requests.Response:
    return requests.get(f"{stack.url(service)}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_a_coordinator_signs_in_with_pkce_and_mfa_and_sees_only_their_site(stack):
    # Given two sites and a coordinator of the first
    site_a, site_b = new_site(stack), new_site(stack)
    person = person_at(stack, site_a, "coordinator")
    other = person_at(stack, site_b, "staff")
    # When they sign in through identity's pages (password, TOTP) with code + PKCE
    tokens = sign_in(stack, person)
    # Then their token works in identity and tenants, for their site only
    members = get(stack, "identity", "/api/v1/members", tokens["access_token"])
    assert members.status_code == 200, members.text
    emails = {m["email"] for m in members.json()}
    assert person.email in emails and other.email not in emails
    assert get(stack, "tenants", "/api/v1/settings", tokens["access_token"]).status_code == 200
    assert get(stack, "identity", "/api/v1/me", tokens["access_token"]).json()["tenant_id"] == site_a
    assert pyotp.TOTP(person.totp_secret).now()


def test_an_invitation_is_accepted_once_under_row_level_security(stack):
    # Given a coordinator who invites a colleague
    site = new_site(stack)
    coordinator = mint(stack, "coordinator", site)
    created = requests.post(f"{stack.url('identity')}/api/v1/invitations", timeout=10,
                            headers={"Authorization": f"Bearer {coordinator}"},
                            json={"email": f"kollegin-{uuid.uuid4().hex[:6]}@example.org", "role": "staff"})
    assert created.status_code == 201, created.text
    # When notifications' service token fetches the link (as its worker does before mailing it)
    settings = stack.settings("notifications")
    service = requests.post(f"{stack.url('identity')}/oauth/token", timeout=10,
                            auth=("svc-notifications", settings.service_client_secret()),
                            data={"grant_type": "client_credentials", "scope": "invitations:deliver",
                                  "tenant": site}).json()["access_token"]
    delivery = requests.post(f"{stack.url('identity')}/api/v1/invitations/{created.json()['id']}/delivery",
                             headers={"Authorization": f"Bearer {service}"}, timeout=10)
    assert delivery.status_code == 200, delivery.text
    link = delivery.json()["accept_url"]

    def accept() -> requests.Response:
        browser = requests.Session()
        page = browser.get(link, timeout=10)
        if page.status_code != 200:
            return page
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        return browser.post(link, timeout=10, data={"csrf": csrf, "display_name": "Kollegin", "password": PASSWORD,
                                                    "password_repeat": PASSWORD})

    # Then the link works once
    assert accept().status_code == 200
    assert accept().status_code == 404
    members = get(stack, "identity", "/api/v1/members", coordinator).json()
    assert [m["role"] for m in members if m["email"] == created.json()["email"]] == ["staff"]
