"""Login hardening: one answer for wrong and unknown, throttling, MFA where roles demand it."""

from __future__ import annotations

import re
import uuid

import pyotp
import pytest
from sqlalchemy import delete

from altjung.events import Envelope
from altjung.events.catalogue import SettingsChanged
from altjung.identity.handlers import when_settings_changed_apply_mfa_rule
from altjung.identity.models import LoginAttempt

from .people import Browser, _csrf, ensure_portal, make_person
from .test_oauth_hardening import authorize_url, code_of


@pytest.fixture
def fresh_throttle(platform):
    """Tests here fail logins on purpose from 127.0.0.1: forget those afterwards."""
    yield
    with platform.runtimes["identity"].db.session() as session:
        session.execute(delete(LoginAttempt))
        session.commit()


def post_login(browser: Browser, base: str, email: str, password: str):
    page = browser.go(f"{base}/identity/login")
    return browser.session.post(f"{base}/identity/login", allow_redirects=False, timeout=15,
                                data={"csrf": _csrf(page.text), "email": email, "password": password})


def test_a_wrong_password_and_an_unknown_account_look_the_same(api, platform, fresh_throttle):
    person = make_person(platform, platform_roles="federation_viewer")
    browser = Browser("http://nowhere")
    wrong = post_login(browser, api.base, person.email, "Falsches-Passwort-123")
    unknown = post_login(browser, api.base, f"nobody-{uuid.uuid4().hex}@example.org", "Falsches-Passwort-123")
    assert wrong.status_code == unknown.status_code == 401
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)
    assert strip(wrong.text) == strip(unknown.text)


def test_brute_force_on_one_account_is_throttled(api, platform, fresh_throttle):
    # Given an account that somebody attacks with wrong passwords, as fast as they can
    person = make_person(platform, platform_roles="federation_viewer")
    browser = Browser("http://nowhere")
    csrf = _csrf(browser.go(f"{api.base}/identity/login").text)

    def attempt(password: str) -> int:
        return browser.session.post(f"{api.base}/identity/login", allow_redirects=False, timeout=15,
                                    data={"csrf": csrf, "email": person.email, "password": password}).status_code

    answers = []
    while len(answers) < 10 and 429 not in answers:
        answers.append(attempt(f"Rate-mal-{len(answers)}-Passwort"))
    # Then after five free failures the lockout starts (1 s, doubling with every further failure)
    assert answers[:5] == [401] * 5 and answers[-1] == 429, answers


def test_during_a_lockout_even_the_right_password_is_refused_unchecked(api, platform, fresh_throttle):
    # Given an account with nine recent failures (a lockout of 16 s)
    import time

    from altjung.identity.security.throttle import account_key
    from altjung.identity.throttle_store import SqlAttemptStore

    person = make_person(platform, platform_roles="federation_viewer")
    store = SqlAttemptStore(platform.runtimes["identity"].db)
    for i in range(9):
        store.add(account_key(person.email), f"seeded-{i}", at=time.time(), window=3600)
    # When the owner comes with the right password
    browser = Browser("http://nowhere")
    blocked = post_login(browser, api.base, person.email, person.password)
    # Then it is refused like any other attempt, saying how long to wait
    assert blocked.status_code == 429
    assert "Sekunden" in blocked.text and "seconds" in blocked.text


def test_a_coordinator_without_mfa_must_enrol_before_getting_a_code(api, platform, make_site):
    # Given a coordinator who has no authenticator yet
    site = make_site()
    person = make_person(platform, sites={site["id"]: "coordinator"}, mfa=False)
    redirect_uri = ensure_portal(platform)
    browser = Browser(redirect_uri)
    page = browser.go(authorize_url(api, redirect_uri))
    page = browser.submit(page, page.url, email=person.email, password=person.password)
    # Then the password alone gives no code: the enrolment page shows a secret
    assert page.status_code == 200 and "/login/mfa/setup" in page.url
    secret = re.search(r'<code id="secret">([A-Z2-7]+)</code>', page.text).group(1)
    # When the person confirms with a code from the app
    page = browser.submit(page, page.url, code=pyotp.TOTP(secret).now())
    # Then ten recovery codes are shown once, and the login continues to the portal
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page.text)
    assert len(codes) == 10
    next_url = re.search(r'<a href="([^"]+)">Weiter', page.text).group(1).replace("&amp;", "&")
    assert code_of(browser.go(api.base + next_url))


def test_a_recovery_code_works_once(api, platform, make_site):
    site = make_site()
    person = make_person(platform, sites={site["id"]: "coordinator"}, mfa=False)
    redirect_uri = ensure_portal(platform)
    browser = Browser(redirect_uri)
    page = browser.go(authorize_url(api, redirect_uri))
    page = browser.submit(page, page.url, email=person.email, password=person.password)
    secret = re.search(r'<code id="secret">([A-Z2-7]+)</code>', page.text).group(1)
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", browser.submit(page, page.url,
                                                                          code=pyotp.TOTP(secret).now()).text)

    def sign_in_with(recovery: str):
        other = Browser(redirect_uri)
        page = other.go(authorize_url(api, redirect_uri))
        page = other.submit(page, page.url, email=person.email, password=person.password)
        return other.submit(page, page.url, code="", recovery_code=recovery)

    assert sign_in_with(codes[0]).status_code == 302
    assert sign_in_with(codes[0]).status_code == 401


def test_staff_need_mfa_only_when_their_site_says_so(api, platform, make_site):
    site = make_site()
    person = make_person(platform, sites={site["id"]: "staff"}, mfa=False)
    redirect_uri = ensure_portal(platform)
    # Staff without the site rule: password alone
    assert Browser(redirect_uri).sign_in(authorize_url(api, redirect_uri), person).status_code == 302
    # When the site's settings require MFA for staff
    runtime = platform.runtimes["identity"]
    event = SettingsChanged(tenant_id=uuid.UUID(site["id"]), version=2, settings={"mfa_required_for_staff": True})
    with runtime.db.session() as session:
        when_settings_changed_apply_mfa_rule(Envelope.wrap(event, tenant_id=uuid.UUID(site["id"])), session)
        session.commit()
    # Then the next login asks to set up an authenticator
    browser = Browser(redirect_uri)
    page = browser.go(authorize_url(api, redirect_uri))
    page = browser.submit(page, page.url, email=person.email, password=person.password)
    assert "/login/mfa/setup" in page.url


def test_a_suspended_site_cannot_log_in_or_get_tokens(api, platform, make_site, admin_token):
    site = make_site()
    person = make_person(platform, sites={site["id"]: "staff"}, mfa=False)
    redirect_uri = ensure_portal(platform)
    assert api.post(f"/tenants/api/v1/partner-sites/{site['id']}/suspension", token=admin_token,
                    json={"reason": "contract_paused"}).status_code == 200
    assert platform.join(timeout=20)
    browser = Browser(redirect_uri)
    page = browser.go(authorize_url(api, redirect_uri))
    page = browser.submit(page, page.url, email=person.email, password=person.password)
    assert page.status_code == 403 and "keinen Zugang" in page.text
    settings = platform.runtimes["notifications"].settings
    response = api.post("/identity/oauth/token", auth=("svc-notifications", settings.service_client_secret()),
                        data={"grant_type": "client_credentials", "scope": "invitations:deliver",
                              "tenant": site["id"]})
    assert response.status_code in (400, 401, 403) and "access_token" not in response.json()


def test_a_coordinator_resets_a_staff_members_lost_authenticator(api, platform, make_site, token_for):
    # Given a staff member with an authenticator, and one who also works for another site
    site, other = make_site(), make_site()
    person = make_person(platform, sites={site["id"]: "staff"})
    shared = make_person(platform, sites={site["id"]: "staff", other["id"]: "coordinator"})
    coordinator = token_for("coordinator", site["id"])
    # When the coordinator resets the first one's MFA
    assert api.delete(f"/identity/api/v1/members/{person.id}/mfa", token=coordinator).status_code == 204
    members = {m["email"]: m for m in api.get("/identity/api/v1/members", token=coordinator).json()}
    assert members[person.email]["mfa_enabled"] is False
    # Then the other one's second factor, which guards another site too, is left to the BaS
    assert api.delete(f"/identity/api/v1/members/{shared.id}/mfa", token=coordinator).status_code == 409
    # And the reset is in the site's audit log
    actions = [e["action"] for e in api.get("/identity/api/v1/audit-events", token=coordinator).json()]
    assert "mfa.reset" in actions
