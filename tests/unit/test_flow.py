"""The walking skeleton's flow through every service, embedded."""

from __future__ import annotations

from tests.support import eventually, mails_to


def test_a_new_partner_site_reaches_identity_notifications_and_federation(api, platform, admin_token,
                                                                          make_site, token_for):
    # Given a BaS platform admin
    # When they create a partner site with its first coordinator's e-mail
    site = make_site("flow-site", name="Seniorenbüro Flussdorf", first_coordinator_email="erste@flow.example")
    # Then the invitation e-mail was written, with a link to set a password
    mine = eventually(lambda: mails_to(platform.var_dir / "mail", "erste@flow.example"), timeout=20)
    assert len(mine) == 1
    body = mine[0].get_body(("plain",)).get_content()
    assert "Seniorenbüro Flussdorf" in body and "/identity/invitations/" in body
    # And federation lists the site for the BaS
    viewer = token_for("federation_viewer")
    listed = api.get("/federation/api/v1/partner-sites", token=viewer).json()
    assert any(s["site_id"] == site["id"] and s["name"] == "Seniorenbüro Flussdorf" for s in listed)
    # And the portal's start page names it
    assert "Seniorenbüro Flussdorf" in api.get("/").text


def test_a_duplicate_slug_is_a_conflict_and_sends_nothing_twice(api, platform, admin_token, make_site):
    make_site("dup-site")
    before = len(list((platform.var_dir / "mail").glob("*.eml")))
    response = api.post("/tenants/api/v1/partner-sites", token=admin_token,
                        json={"slug": "dup-site", "name": "Noch einmal", "bundesland": "DE-BY",
                              "first_coordinator_email": "x@dup.example"})
    assert response.status_code == 409
    assert platform.join(timeout=10)
    assert len(list((platform.var_dir / "mail").glob("*.eml"))) == before
