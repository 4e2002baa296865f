"""Invitations and password resets: single-use, expiring links; removing a member ends access at once."""

from __future__ import annotations

import email
import email.policy
import re
import time
from urllib.parse import urlparse

from .people import PASSWORD, Browser, _csrf, ensure_portal, make_person
from .test_oauth_hardening import authorize_url, code_of, exchange, refresh


def mails_to(platform, address: str) -> list[str]:
    bodies = []
    for path in sorted((platform.var_dir / "mail").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            bodies.append(message.get_body(("plain",)).get_content())
    return bodies


def accept(api, link: str, **fields):
    browser = Browser("http://nowhere")
    page = browser.go(link)
    if page.status_code != 200:
        return page
    return browser.session.post(link, data={"csrf": _csrf(page.text), **fields}, timeout=15)


def test_a_coordinator_invites_staff_and_the_link_works_once(api, platform, make_site, token_for):
    # Given a coordinator of a partner site
    site = make_site()
    coordinator = token_for("coordinator", site["id"])
    # When they invite a colleague as staff
    response = api.post("/identity/api/v1/invitations", token=coordinator,
                        json={"email": "kollegin@site.example", "role": "staff"})
    assert response.status_code == 201, response.text
    assert platform.join(timeout=20)
    # Then notifications mailed a link (fetched from identity with its service token)
    (body,) = [b for b in mails_to(platform, "kollegin@site.example") if site["name"] in b]
    link = re.search(r"(http://\S+/identity/invitations/\S+)", body).group(1)
    # When the colleague accepts it with a good password
    accepted = accept(api, link, display_name="Kollegin", password=PASSWORD, password_repeat=PASSWORD)
    assert accepted.status_code == 200 and "Willkommen" in accepted.text
    # Then the link never works again
    assert accept(api, link, display_name="X", password=PASSWORD, password_repeat=PASSWORD).status_code == 404
    # And the colleague is a member with the staff role
    members = api.get("/identity/api/v1/members", token=coordinator).json()
    assert [m["role"] for m in members if m["email"] == "kollegin@site.example"] == ["staff"]


def test_a_weak_password_is_refused_on_acceptance(api, platform, make_site):
    make_site("weak-pw-site", first_coordinator_email="erste@weak.example")
    (body,) = mails_to(platform, "erste@weak.example")
    link = re.search(r"(http://\S+/identity/invitations/\S+)", body).group(1)
    refused = accept(api, link, display_name="Erste", password="passwort1234", password_repeat="passwort1234")
    assert refused.status_code == 422 and "role=\"alert\"" in refused.text
    # The link still works after a refused password
    assert accept(api, link, display_name="Erste", password=PASSWORD, password_repeat=PASSWORD).status_code == 200


def test_a_tampered_link_does_not_work(api, platform, make_site):
    make_site("tamper-site", first_coordinator_email="erste@tamper.example")
    (body,) = mails_to(platform, "erste@tamper.example")
    link = re.search(r"(http://\S+/identity/invitations/\S+)", body).group(1)
    assert accept(api, link[:-3] + "AAA", password=PASSWORD).status_code == 404


def service_token(api, platform, scope: str, tenant: str | None = None) -> str:
    secret = platform.runtimes["notifications"].settings.service_client_secret()
    data = {"grant_type": "client_credentials", "scope": scope, **({"tenant": tenant} if tenant else {})}
    response = api.post("/identity/oauth/token", auth=("svc-notifications", secret), data=data)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def test_a_platform_admin_invites_a_bas_colleague(api, platform, admin_token):
    # When a platform admin invites a colleague to a platform role
    response = api.post("/identity/api/v1/platform-invitations", token=admin_token,
                        json={"email": "kollege@bas.example", "role": "federation_viewer"})
    assert response.status_code == 201, response.text
    # Then notifications can fetch the link with a service token bound to no partner site
    token = service_token(api, platform, "invitations:deliver")
    delivery = api.post(f"/identity/api/v1/invitations/{response.json()['id']}/delivery", token=token)
    assert delivery.status_code == 200, delivery.text
    assert delivery.json()["role"] == "federation_viewer" and delivery.json()["email"] == "kollege@bas.example"
    # And the colleague can accept it once
    link = delivery.json()["accept_url"]
    assert accept(api, link, display_name="Kollege", password=PASSWORD, password_repeat=PASSWORD).status_code == 200
    assert accept(api, link, display_name="Kollege", password=PASSWORD, password_repeat=PASSWORD).status_code == 404


def test_a_sites_service_token_cannot_fetch_another_sites_invitation(api, platform, make_site, token_for):
    site_a, site_b = make_site(), make_site()
    invitation = api.post("/identity/api/v1/invitations", token=token_for("coordinator", site_a["id"]),
                          json={"email": "a@a.example", "role": "staff"}).json()
    token_b = service_token(api, platform, "invitations:deliver", tenant=site_b["id"])
    assert api.post(f"/identity/api/v1/invitations/{invitation['id']}/delivery", token=token_b).status_code == 404


def test_a_coordinator_cannot_invite_to_platform_roles(api, make_site, token_for):
    site = make_site()
    token = token_for("coordinator", site["id"])
    assert api.post("/identity/api/v1/platform-invitations", token=token,
                    json={"email": "x@bas.example", "role": "platform_admin"}).status_code == 403
    assert api.post("/identity/api/v1/invitations", token=token,
                    json={"email": "x@bas.example", "role": "platform_admin"}).status_code == 422


def test_removing_a_member_ends_their_access_at_once(api, platform, make_site, token_for):
    # Given a staff member signed in to the portal with access and refresh tokens
    site = make_site()
    person = make_person(platform, sites={site["id"]: "staff"}, mfa=False)
    redirect_uri = ensure_portal(platform)
    code = code_of(Browser(redirect_uri).sign_in(authorize_url(api, redirect_uri), person))
    tokens = exchange(api, code, redirect_uri).json()
    assert api.get("/tenants/api/v1/settings", token=tokens["access_token"]).status_code == 200
    # When their coordinator removes them
    coordinator = token_for("coordinator", site["id"])
    assert api.delete(f"/identity/api/v1/members/{person.id}", token=coordinator).status_code == 204
    # Then the refresh token is dead, and within seconds no service takes the access token
    assert refresh(api, tokens["refresh_token"]).json()["error"] == "invalid_grant"
    time.sleep(6)
    assert api.get("/tenants/api/v1/settings", token=tokens["access_token"]).status_code == 401
    assert api.get("/identity/api/v1/me", token=tokens["access_token"]).status_code == 401


def test_password_reset_by_link_works_once_and_ends_every_login(api, platform, make_site):
    # Given a person signed in with a refresh token
    site = make_site()
    person = make_person(platform, sites={site["id"]: "staff"}, mfa=False)
    redirect_uri = ensure_portal(platform)
    tokens = exchange(api, code_of(Browser(redirect_uri).sign_in(authorize_url(api, redirect_uri), person)),
                      redirect_uri).json()
    # When they ask for a reset (the answer is the same for any address)
    browser = Browser("http://nowhere")
    page = browser.go(f"{api.base}/identity/password-reset")
    answer = browser.submit(page, page.url, email=person.email)
    assert "Wenn es ein Konto" in answer.text
    unknown = browser.submit(browser.go(page.url), page.url, email="niemand@example.org")
    assert unknown.status_code == answer.status_code and unknown.text == answer.text
    # And notifications fetches the link with its service token (it sends it once it handles the event)
    runtime = platform.runtimes["identity"]
    from altjung.identity.models import PasswordReset

    with runtime.db.session() as session:
        reset = session.query(PasswordReset).filter(PasswordReset.user_id == person.id).one()
    token = service_token(api, platform, "password-resets:deliver")
    delivery = api.post(f"/identity/api/v1/password-resets/{reset.id}/delivery", token=token)
    assert delivery.status_code == 200 and delivery.json()["email"] == person.email
    link = delivery.json()["reset_url"]
    # Then the link sets a new password once
    new = "Ein-Ganz-Neues-Passwort-2026"
    assert accept(api, link, password=new, password_repeat=new).status_code == 200
    assert accept(api, link, password=new, password_repeat=new).status_code == 404
    # And the old login is over
    assert refresh(api, tokens["refresh_token"]).json()["error"] == "invalid_grant"
    assert urlparse(link).path.startswith("/identity/password-reset/")
