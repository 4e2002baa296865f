"""A coordinator signs in to the portal in a real browser: password, TOTP, their partner site."""

from __future__ import annotations

import pyotp

from tests.unit.identity.people import ensure_portal, make_person


def test_a_coordinator_signs_in_with_password_and_totp(browser, api, platform, make_site, tmp_path):
    # Given a partner site, its coordinator with an authenticator, and the portal as a client
    site = make_site(name="Seniorenbüro Browserhausen")
    ensure_portal(platform)
    person = make_person(platform, sites={site["id"]: "coordinator"})
    page = browser.new_page(locale="de-DE")
    try:
        # When they open the portal and sign in
        page.goto(api.base + "/")
        assert "Seniorenbüro Browserhausen" in page.content()
        page.get_by_role("link", name="Anmelden").click()
        page.fill("#email", person.email)
        page.fill("#password", person.password)
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        page.fill("#code", pyotp.TOTP(person.totp_secret).now())
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        # Then they are back in the portal, signed in, and their site page opens
        page.wait_for_url(api.base + "/")
        assert "Abmelden" in page.content()
        page.get_by_role("link", name="Mein Standort").click()
        page.wait_for_url(api.base + "/standort")
        assert "Wartende Mentees" in page.content()
        page.screenshot(path=str(tmp_path / "standort.png"), full_page=True)
    finally:
        page.close()
