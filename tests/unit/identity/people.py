"""Accounts made directly in identity's database, and a browser that signs in through the real pages."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from urllib.parse import urljoin

import pyotp
import requests

from altjung.identity.accounts import hashing, set_membership
from altjung.identity.config import seal
from altjung.identity.demo import register_portal_client
from altjung.identity.models import User
from altjung.identity.security.totp import new_totp_secret
from altjung.kit.bus.models import utcnow
from altjung.kit.tenancy import tenant_context

PASSWORD = "Lange-Sichere-Passphrase-2026"


@dataclass
class Person:
    id: uuid.UUID
    email: str
    password: str
    totp_secret: str | None

    def code(self) -> str:
        return pyotp.TOTP(self.totp_secret).now()


def make_person(platform, *, platform_roles: str = "", sites: dict | None = None, mfa: bool = True) -> Person:
    runtime = platform.runtimes["identity"]
    email = f"p-{uuid.uuid4().hex[:10]}@example.org"
    secret = new_totp_secret() if mfa else None
    with runtime.db.session() as session:
        user = User(email=email, display_name="Test Person", password_hash=hashing().hash(PASSWORD),
                    platform_roles=platform_roles, active=True,
                    totp_secret=seal(runtime.settings, secret) if secret else None,
                    totp_enabled_at=utcnow() if secret else None)
        session.add(user)
        session.commit()
        user_id = user.id
    for site_id, role in (sites or {}).items():
        with tenant_context(uuid.UUID(str(site_id))), runtime.db.session() as session:
            set_membership(session, user_id=user_id, site_id=uuid.UUID(str(site_id)), role=role)
            session.commit()
    return Person(user_id, email, PASSWORD, secret)


def ensure_portal(platform) -> str:
    runtime = platform.runtimes["identity"]
    with runtime.db.session() as session:
        client = register_portal_client(session, runtime.settings)
        session.commit()
        return client.redirect_uris


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


class Browser:
    """Follows identity's pages like a person would; stops at the client's redirect URI."""

    def __init__(self, stop_at: str) -> None:
        self.session = requests.Session()
        self.stop_at = stop_at

    def go(self, url: str, *, data: dict | None = None) -> requests.Response:
        method = "POST" if data is not None else "GET"
        while True:
            response = self.session.request(method, url, data=data, allow_redirects=False, timeout=15)
            if response.status_code not in (301, 302, 303) or "Location" not in response.headers:
                return response
            url = urljoin(url, response.headers["Location"])
            if url.startswith(self.stop_at):
                response.url = url
                return response
            method, data = "GET", None

    def submit(self, response: requests.Response, url: str, **fields) -> requests.Response:
        return self.go(url, data={"csrf": _csrf(response.text), **fields})

    def sign_in(self, authorize_url: str, person: Person, *, site: str | None = None) -> requests.Response:
        """From the authorization request to the redirect back to the client (Location holds the code)."""
        page = self.go(authorize_url)
        if page.status_code == 302:  # this browser is signed in at identity already
            return page
        assert "Anmelden" in page.text, page.text
        login_url = page.url
        page = self.submit(page, login_url, email=person.email, password=person.password)
        if page.status_code == 200 and 'name="site"' in page.text:
            page = self.submit(page, page.url, site=site)
        if page.status_code == 200 and 'name="code"' in page.text:
            page = self.submit(page, page.url, code=person.code())
        return page
