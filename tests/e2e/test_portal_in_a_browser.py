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


def test_a_coordinator_proposes_a_tandem_from_the_suggestions(browser, api, platform, make_site, token_for, tmp_path):
    from tests.unit.matching.matching_api import M, new_mentee, new_mentor, new_site

    # Given a site with a waiting mentee and an active Patin who fit each other
    site = new_site(api, make_site, token_for)
    mentor, mentee = new_mentor(site), new_mentee(site)
    ensure_portal(platform)
    person = make_person(platform, sites={site.id: "coordinator"})
    page = browser.new_page(locale="de-DE")
    try:
        page.goto(api.base + "/auth/login")
        page.fill("#email", person.email)
        page.fill("#password", person.password)
        page.locator("form button[type=submit]").first.click()
        page.fill("#code", pyotp.TOTP(person.totp_secret).now())
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url(api.base + "/")
        # When they open the mentee's suggestions from their site page and propose the first one
        page.goto(api.base + "/standort")
        page.get_by_role("link", name="Vorschläge ansehen").first.click()
        assert "Ursula Becker" in page.content() and "Spricht Arabisch" in page.content()
        page.get_by_role("button", name="Tandem vorschlagen").first.click()
        # Then the site page confirms it and lists the proposal
        page.wait_for_url(api.base + "/standort")
        assert "Das Tandem wurde vorgeschlagen" in page.content()
        page.screenshot(path=str(tmp_path / "vorgeschlagen.png"), full_page=True)
    finally:
        page.close()
    proposed = api.get(M + "/patenschaften", token=site.token, params={"status": "proposed"}).json()["items"]
    assert [(p["mentor_id"], p["mentee_id"]) for p in proposed] == [(mentor["id"], mentee["id"])]
