"""The partner-site registry over HTTP: create, edit with optimistic concurrency, status changes, lists."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from altjung.kit.bus.models import OutboxMessage

SITES = "/tenants/api/v1/partner-sites"


def events_of(platform, site_id: str) -> list[str]:
    """The event types tenants recorded for one site, oldest first."""
    with platform.runtimes["tenants"].db.session() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at)).all()
        return [r.type for r in rows if r.envelope["tenant_id"] == site_id]


def test_creating_a_site_gives_it_default_settings_and_announces_both(api, admin_token, make_site, platform):
    # When a platform admin creates a site with its first coordinator's e-mail
    site = make_site()
    # Then it is active, version 1, and tenant.created and settings.changed were recorded
    assert site["status"] == "active" and site["version"] == 1
    assert events_of(platform, site["id"]) == ["tenant.created", "settings.changed"]
    settings = api.get(f"{SITES}/{site['id']}/settings", token=admin_token).json()
    assert settings["version"] == 1
    assert settings["settings"]["checkin_interval_days"] == 28
    assert settings["settings"]["display_name"] == site["name"]


def test_a_taken_slug_is_a_conflict(api, admin_token, make_site):
    site = make_site()
    response = api.post(SITES, token=admin_token, json={"slug": site["slug"], "name": "Noch einer",
                                                         "bundesland": "DE-BY",
                                                         "first_coordinator_email": "k@x.example"})
    assert response.status_code == 409
    assert response.headers["Content-Type"] == "application/problem+json"


def test_an_edit_needs_the_current_version_and_a_stale_one_is_412(api, admin_token, make_site, platform):
    # Given a site at version 1
    site = make_site()
    url = f"{SITES}/{site['id']}"
    # When it is edited without a version
    assert api.patch(url, token=admin_token, json={"name": "Ohne Version"}).status_code == 428
    # And with the current one (If-Match)
    response = api.patch(url, token=admin_token, json={"name": "Neuer Name"}, headers={"If-Match": '"1"'})
    # Then it changes, the version and ETag move on, and tenant.updated is recorded
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Neuer Name" and response.json()["version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert events_of(platform, site["id"])[-1] == "tenant.updated"
    # And a second writer still holding version 1 is refused without changing anything
    stale = api.patch(url, token=admin_token, json={"name": "Verloren", "version": 1})
    assert stale.status_code == 412
    assert stale.headers["Content-Type"] == "application/problem+json"
    assert api.get(url, token=admin_token).json()["name"] == "Neuer Name"


def test_suspend_reactivate_archive_each_emit_their_event(api, admin_token, make_site, platform):
    site = make_site()
    url = f"{SITES}/{site['id']}"
    suspended = api.post(f"{url}/suspension", token=admin_token, json={"reason": "contract_paused"})
    assert suspended.status_code == 200, suspended.text
    assert suspended.json()["status"] == "suspended"
    assert suspended.json()["status_reason"] == "contract_paused"
    # suspending twice is not a transition
    assert api.post(f"{url}/suspension", token=admin_token, json={}).status_code == 409
    assert api.post(f"{url}/reactivation", token=admin_token, json={}).json()["status"] == "active"
    archived = api.post(f"{url}/archival", token=admin_token, json={"version": 3})
    assert archived.status_code == 200, archived.text
    assert archived.json()["status"] == "archived"
    assert events_of(platform, site["id"])[-3:] == ["tenant.suspended", "tenant.reactivated", "tenant.archived"]
    # an archived site is read-only: no edits, no settings changes, no way back
    assert api.patch(url, token=admin_token, json={"name": "Zu spät", "version": 4}).status_code == 409
    assert api.patch(f"{url}/settings", token=admin_token,
                     json={"settings": {"checkin_interval_days": 14}, "version": 1}).status_code == 409
    assert api.post(f"{url}/reactivation", token=admin_token, json={}).status_code == 409


def test_a_stale_version_on_a_status_change_is_412(api, admin_token, make_site):
    site = make_site()
    response = api.post(f"{SITES}/{site['id']}/suspension", token=admin_token, json={"version": 7})
    assert response.status_code == 412


def test_an_unknown_site_is_404_for_every_action(api, admin_token):
    url = f"{SITES}/{uuid.uuid4()}"
    assert api.get(url, token=admin_token).status_code == 404
    assert api.patch(url, token=admin_token, json={"name": "x y", "version": 1}).status_code == 404
    assert api.post(f"{url}/suspension", token=admin_token, json={}).status_code == 404
    assert api.get(f"{url}/settings", token=admin_token).status_code == 404


def test_the_list_filters_by_status_bundesland_and_name(api, admin_token, make_site):
    marker = uuid.uuid4().hex[:6]
    bavarian = make_site(name=f"Bayern {marker} eins", bundesland="DE-BY")
    make_site(name=f"Hessen {marker} zwei", bundesland="DE-HE")
    paused = make_site(name=f"Bayern {marker} drei", bundesland="DE-BY")
    api.post(f"{SITES}/{paused['id']}/suspension", token=admin_token, json={})

    def names(**query) -> list[str]:
        response = api.get(SITES, token=admin_token, params={"name": marker, **query})
        assert response.status_code == 200, response.text
        return [s["name"] for s in response.json()["items"]]

    assert names() == [f"Bayern {marker} drei", f"Bayern {marker} eins", f"Hessen {marker} zwei"]
    assert names(bundesland="DE-BY") == [f"Bayern {marker} drei", f"Bayern {marker} eins"]
    assert names(bundesland="DE-BY", status="active") == [bavarian["name"]]
    assert names(name=marker.upper()) == names()  # case does not matter
    assert api.get(SITES, token=admin_token, params={"status": "paused"}).status_code == 422


def test_the_list_pages_with_a_cursor_without_gaps_or_repeats(api, admin_token, make_site):
    marker = uuid.uuid4().hex[:6]
    created = sorted(make_site(name=f"Seite {marker} {i:02d}")["name"] for i in range(5))
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        params = {"name": marker, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get(SITES, token=admin_token, params=params).json()
        seen += [s["name"] for s in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == created
    assert api.get(SITES, token=admin_token, params={"cursor": "not-a-cursor"}).status_code == 422


def test_the_public_list_shows_active_sites_only(api, admin_token, make_site):
    site = make_site()
    api.post(f"{SITES}/{site['id']}/suspension", token=admin_token, json={})
    public = api.get("/tenants/api/v1/public/partner-sites").json()
    assert site["slug"] not in {s["slug"] for s in public}
    assert set(public[0]) == {"slug", "name", "bundesland"}
