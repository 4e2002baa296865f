"""Per-site settings: validated, versioned, announced; a coordinator sees and edits only their own."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from altjung.kit.bus.models import OutboxMessage
from tests.support import eventually

OWN = "/tenants/api/v1/settings"
SITES = "/tenants/api/v1/partner-sites"


def settings_events(platform, site_id: str) -> list[dict]:
    with platform.runtimes["tenants"].db.session() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.type == "settings.changed")
                               .order_by(OutboxMessage.created_at)).all()
        return [r.envelope for r in rows if r.envelope["tenant_id"] == site_id]


def test_a_coordinator_reads_and_changes_their_own_sites_settings(api, token_for, make_site, platform):
    # Given a coordinator of a new site
    site = make_site()
    coordinator = token_for("coordinator", site["id"])
    current = api.get(OWN, token=coordinator)
    assert current.status_code == 200 and current.headers["ETag"] == '"1"'
    assert current.json()["settings"]["interest_form"]["open"] is True
    # When they close the public form and shorten the check-in interval
    response = api.patch(OWN, token=coordinator, headers={"If-Match": '"1"'},
                         json={"settings": {"checkin_interval_days": 14,
                                            "interest_form": {"open": False, "intro_text": "Bald wieder!"}}})
    # Then version 2 holds the change and keeps every other setting
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == 2 and response.headers["ETag"] == '"2"'
    assert body["settings"]["checkin_interval_days"] == 14
    groups = current.json()["settings"]["interest_form"]["target_groups"]
    assert body["settings"]["interest_form"] == {"open": False, "intro_text": "Bald wieder!", "target_groups": groups}
    assert body["settings"]["matching"] == current.json()["settings"]["matching"]
    # And settings.changed carries the whole new document and its version
    event = settings_events(platform, site["id"])[-1]
    assert event["payload"]["version"] == 2
    assert event["payload"]["settings"] == body["settings"]


def test_every_setting_of_the_issue_is_there_with_its_default(api, token_for, make_site):
    site = make_site()
    settings = api.get(OWN, token=token_for("staff", site["id"])).json()["settings"]
    assert settings["checkin_interval_days"] == 28
    assert set(settings["matching"]["weights"]) == {"needs", "interests", "distance", "availability", "waiting"}
    assert settings["matching"]["max_distance_km"] > 0
    assert settings["retention_days_after_end"] >= 30
    assert settings["staff_mfa_required"] is False
    assert set(settings["interest_form"]) == {"open", "intro_text", "target_groups"}
    assert settings["display_name"] == site["name"]
    assert "contact_email" in settings


def test_invalid_settings_are_a_422_problem_and_change_nothing(api, token_for, make_site):
    site = make_site()
    coordinator = token_for("coordinator", site["id"])
    for bad in ({"checkin_interval_days": 2}, {"matching": {"weights": {"needs": -1}}},
                {"matching": {"weights": {k: 0 for k in ("needs", "interests", "distance", "availability",
                                                           "waiting")}}},
                {"interest_form": {"target_groups": ["aliens"]}},
                {"interest_form": {"open": True, "target_groups": []}},
                {"contact_email": "not an address"}, {"favourite_colour": "blue"}):
        response = api.patch(OWN, token=coordinator, json={"settings": bad, "version": 1})
        assert response.status_code == 422, (bad, response.text)
        assert response.headers["Content-Type"] == "application/problem+json"
    assert api.get(OWN, token=coordinator).json()["version"] == 1


def test_a_stale_settings_version_is_412_and_a_missing_one_428(api, token_for, make_site):
    site = make_site()
    coordinator = token_for("coordinator", site["id"])
    assert api.patch(OWN, token=coordinator, json={"settings": {"staff_mfa_required": True}}).status_code == 428
    assert api.patch(OWN, token=coordinator, json={"settings": {"staff_mfa_required": True},
                                                   "version": 1}).status_code == 200
    stale = api.patch(OWN, token=coordinator, json={"settings": {"staff_mfa_required": False}, "version": 1})
    assert stale.status_code == 412
    assert api.get(OWN, token=coordinator).json()["settings"]["staff_mfa_required"] is True


def test_staff_read_but_do_not_edit_settings(api, token_for, make_site):
    site = make_site()
    staff = token_for("staff", site["id"])
    assert api.get(OWN, token=staff).status_code == 200
    assert api.patch(OWN, token=staff, json={"settings": {}, "version": 1}).status_code == 403


def test_a_coordinator_never_sees_or_changes_another_sites_settings(api, token_for, make_site):
    # Given site A with a recognisable intro text
    site_a, site_b = make_site(), make_site()
    marker = f"Willkommen-{uuid.uuid4().hex}"
    coordinator_a = token_for("coordinator", site_a["id"])
    api.patch(OWN, token=coordinator_a, json={"settings": {"interest_form": {"intro_text": marker}}, "version": 1})
    coordinator_b = token_for("coordinator", site_b["id"])
    # Then B's own settings are B's, and A's admin route is closed to B
    assert marker not in api.get(OWN, token=coordinator_b).text
    assert api.get(f"{SITES}/{site_a['id']}/settings", token=coordinator_b).status_code == 403
    assert api.patch(f"{SITES}/{site_a['id']}/settings", token=coordinator_b,
                     json={"settings": {"staff_mfa_required": True}, "version": 2}).status_code == 403
    # And B's own change stays B's
    api.patch(OWN, token=coordinator_b, json={"settings": {"interest_form": {"intro_text": "B"}}, "version": 1})
    assert api.get(OWN, token=coordinator_a).json()["settings"]["interest_form"]["intro_text"] == marker


def test_a_platform_admin_changes_any_sites_settings(api, admin_token, token_for, make_site):
    site = make_site()
    response = api.patch(f"{SITES}/{site['id']}/settings", token=admin_token,
                         json={"settings": {"staff_mfa_required": True}}, headers={"If-Match": '"1"'})
    assert response.status_code == 200, response.text
    assert api.get(OWN, token=token_for("coordinator", site["id"])).json()["settings"]["staff_mfa_required"] is True
    # a platform token names no site, so the own-site route does not apply to it
    assert api.get(OWN, token=admin_token).status_code == 403


def test_a_suspended_sites_coordinator_is_shut_out_and_an_archived_ones_may_only_read(api, admin_token, token_for,
                                                                                      make_site):
    site = make_site()
    coordinator = token_for("coordinator", site["id"])
    api.post(f"{SITES}/{site['id']}/suspension", token=admin_token, json={})
    eventually(lambda: api.get(OWN, token=coordinator).status_code == 401)
    api.post(f"{SITES}/{site['id']}/reactivation", token=admin_token, json={})
    eventually(lambda: api.get(OWN, token=coordinator).status_code == 200)
    api.post(f"{SITES}/{site['id']}/archival", token=admin_token, json={})
    assert api.get(OWN, token=coordinator).status_code == 200

    def refused_read_only():
        response = api.patch(OWN, token=coordinator, json={"settings": {"staff_mfa_required": True}, "version": 1})
        assert response.status_code in (409, 423)  # the service's own check, then the kit's guard
        assert response.headers["Content-Type"] == "application/problem+json"
        return response.status_code == 423

    eventually(refused_read_only)
