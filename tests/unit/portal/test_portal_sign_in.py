"""The portal signs people in through identity (code + PKCE) and shows each role its own pages."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from tests.unit.identity.people import Browser, ensure_portal, make_person


def sign_in_through_portal(api, person, *, site: str | None = None) -> Browser:
    browser = Browser(stop_at=api.base + "/auth/callback")
    start = browser.session.get(api.base + "/auth/login", allow_redirects=False, timeout=15)
    # the portal sends the browser to identity with a PKCE S256 challenge
    query = parse_qs(urlparse(start.headers["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["client_id"] == ["portal"]
    callback = browser.sign_in(start.headers["Location"], person, site=site)
    assert callback.status_code == 302, callback.text
    back = browser.session.get(callback.url, allow_redirects=False, timeout=15)
    assert back.status_code == 302 and back.headers["Location"].endswith("/")
    return browser


def test_a_coordinator_signs_in_and_sees_their_site(api, platform, make_site):
    # Given a coordinator of a partner site
    site = make_site(name="Seniorenbüro Portalstadt")
    ensure_portal(platform)
    person = make_person(platform, sites={site["id"]: "coordinator"})
    # When they sign in through the portal (password, TOTP)
    browser = sign_in_through_portal(api, person)
    # Then the portal shows their name and the way to their site, and the site page answers
    home = browser.session.get(api.base + "/", timeout=15).text
    assert "Mein Standort" in home and "Abmelden" in home
    page = browser.session.get(api.base + "/standort", timeout=15)
    assert page.status_code == 200
    assert "Wartende Mentees" in page.text
    # with their own site's figures from federation (unsuppressed for them)
    assert "Zahlen dieses Jahres" in page.text and "Begonnene Patenschaften" in page.text
    # And the BaS overview is not for them
    assert browser.session.get(api.base + "/bas", timeout=15).status_code == 403
    # When they sign out (the form carries its token), the portal forgets them
    assert browser.session.post(api.base + "/auth/logout", allow_redirects=False, timeout=15).status_code == 400
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    browser.session.post(api.base + "/auth/logout", data={"csrf": token}, allow_redirects=False, timeout=15)
    assert browser.session.get(api.base + "/standort", allow_redirects=False, timeout=15).status_code == 302


def test_a_federation_viewer_sees_sites_and_never_a_site_page(api, platform, make_site):
    make_site(name="Freiwilligenagentur Übersichtsdorf")
    ensure_portal(platform)
    person = make_person(platform, platform_roles="federation_viewer")
    browser = sign_in_through_portal(api, person)
    page = browser.session.get(api.base + "/bas", timeout=15)
    assert page.status_code == 200 and "Freiwilligenagentur Übersichtsdorf" in page.text
    assert "Begonnene Patenschaften" in page.text
    assert browser.session.get(api.base + "/standort", timeout=15).status_code == 403
    # And the funder report comes through the portal as federation made it
    report = browser.session.get(api.base + "/bas/bericht.csv", timeout=15)
    assert report.status_code == 200 and report.headers["Content-Type"].startswith("text/csv")
    assert "Freiwilligenagentur Übersichtsdorf" in report.content.decode("utf-8-sig")


def test_without_sign_in_the_pages_send_you_to_the_login(api):
    response = api.get("/standort", allow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")


def test_a_coordinator_sees_suggestions_with_reasons_and_proposes_a_tandem(api, platform, make_site, token_for):
    from tests.unit.matching.matching_api import M, new_mentee, new_mentor, new_site

    # Given a partner site with an active Patin and a waiting mentee who fit each other
    site = new_site(api, make_site, token_for)
    mentor = new_mentor(site)
    mentee = new_mentee(site)
    ensure_portal(platform)
    person = make_person(platform, sites={site.id: "coordinator"})
    browser = sign_in_through_portal(api, person)
    # When the coordinator opens the mentee from the site page
    overview = browser.session.get(api.base + "/standort", timeout=15).text
    assert "Amal Haddad" in overview and "Ursula Becker" in overview
    page = browser.session.get(f"{api.base}/standort/mentees/{mentee['id']}", timeout=15)
    # Then the Patin is suggested with reasons in German
    assert page.status_code == 200 and "Ursula Becker" in page.text
    assert "Arabisch" in page.text
    # When they propose the Tandem (without the form's token it is refused)
    form = {"mentor_id": mentor["id"], "mentee_id": mentee["id"]}
    assert browser.session.post(api.base + "/standort/vorschlaege", data=form, timeout=15).status_code == 400
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    done = browser.session.post(api.base + "/standort/vorschlaege", data={**form, "csrf": token}, timeout=15)
    # Then it is proposed in matching, and the site page lists it
    assert "vorgeschlagen" in done.text
    proposed = api.get(M + "/patenschaften", token=site.token, params={"status": "proposed"}).json()["items"]
    assert [(p["mentor_id"], p["mentee_id"]) for p in proposed] == [(mentor["id"], mentee["id"])]


def test_another_sites_mentee_is_not_found_in_the_portal(api, platform, make_site, token_for):
    from tests.unit.matching.matching_api import new_mentee, new_site

    other = new_site(api, make_site, token_for)
    theirs = new_mentee(other)
    mine = make_site()
    ensure_portal(platform)
    browser = sign_in_through_portal(api, make_person(platform, sites={mine["id"]: "coordinator"}))
    assert browser.session.get(f"{api.base}/standort/mentees/{theirs['id']}", timeout=15).status_code == 404
