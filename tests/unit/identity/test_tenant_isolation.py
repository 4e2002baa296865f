"""A partner site's token never reads or changes another site's people, invitations, clients or log."""

from __future__ import annotations

import pytest

from .people import make_person


@pytest.fixture(scope="module")
def two_sites(platform, make_site, token_for):
    site_a, site_b = make_site(), make_site()
    member_b = make_person(platform, sites={site_b["id"]: "staff"}, mfa=False)
    return {"a": token_for("coordinator", site_a["id"]), "b": token_for("coordinator", site_b["id"]),
            "member_b": member_b,
            "site_a": site_a, "site_b": site_b}


def test_members_of_another_site_are_invisible_and_untouchable(api, two_sites):
    emails_a = {m["email"] for m in api.get("/identity/api/v1/members", token=two_sites["a"]).json()}
    assert two_sites["member_b"].email not in emails_a
    member = two_sites["member_b"].id
    assert api.delete(f"/identity/api/v1/members/{member}", token=two_sites["a"]).status_code == 404
    assert api.patch(f"/identity/api/v1/members/{member}", token=two_sites["a"],
                     json={"role": "coordinator"}).status_code == 404
    # and site B still has its member
    emails_b = {m["email"] for m in api.get("/identity/api/v1/members", token=two_sites["b"]).json()}
    assert two_sites["member_b"].email in emails_b


def test_invitations_of_another_site_are_invisible(api, two_sites):
    created = api.post("/identity/api/v1/invitations", token=two_sites["b"],
                       json={"email": "neu@b.example", "role": "staff"}).json()
    ids_a = {i["id"] for i in api.get("/identity/api/v1/invitations", token=two_sites["a"]).json()}
    assert created["id"] not in ids_a


def test_clients_of_another_site_are_invisible_and_cannot_be_withdrawn(api, two_sites):
    created = api.post("/identity/api/v1/clients", token=two_sites["b"],
                       json={"name": "Brevo-Anbindung", "scopes": ["mentors:read"]}).json()
    assert all(c["client_id"] != created["client_id"]
               for c in api.get("/identity/api/v1/clients", token=two_sites["a"]).json())
    assert api.delete(f"/identity/api/v1/clients/{created['client_id']}", token=two_sites["a"]).status_code == 404


def test_a_sites_client_gets_tokens_for_its_own_site_only(api, two_sites):
    # Given a client a coordinator of site B registered (the secret is shown once)
    created = api.post("/identity/api/v1/clients", token=two_sites["b"],
                       json={"name": "n8n", "scopes": ["mentors:read", "webhooks:manage"]})
    assert created.status_code == 201
    body = created.json()
    auth = (body["client_id"], body["client_secret"])
    assert "client_secret" not in api.get("/identity/api/v1/clients", token=two_sites["b"]).json()[0]
    # When it asks for a token
    token = api.post("/identity/oauth/token", auth=auth, data={"grant_type": "client_credentials",
                                                               "scope": "mentors:read"})
    assert token.status_code == 200, token.text
    # Then the token is bound to site B, with no role
    me = api.get("/tenants/api/v1/settings", token=token.json()["access_token"])
    assert me.status_code in (200, 403)
    # And it cannot ask for site A, for a scope it was not given, or with a wrong secret
    assert api.post("/identity/oauth/token", auth=auth, data={"grant_type": "client_credentials",
                                                              "tenant": two_sites["site_a"]["id"]}).status_code == 400
    assert api.post("/identity/oauth/token", auth=auth, data={"grant_type": "client_credentials",
                                                              "scope": "patenschaften:read"}).status_code == 400
    assert api.post("/identity/oauth/token", auth=(body["client_id"], "wrong"),
                    data={"grant_type": "client_credentials"}).status_code == 401
    # And once withdrawn it gets nothing
    assert api.delete(f"/identity/api/v1/clients/{body['client_id']}", token=two_sites["b"]).status_code == 204
    assert api.post("/identity/oauth/token", auth=auth, data={"grant_type": "client_credentials"}).status_code == 401


def test_the_audit_log_is_per_site_for_coordinators_and_whole_for_the_bas(api, two_sites, admin_token):
    api.post("/identity/api/v1/invitations", token=two_sites["a"], json={"email": "x@a.example", "role": "staff"})
    entries_a = api.get("/identity/api/v1/audit-events", token=two_sites["a"]).json()
    assert entries_a and {e["site_id"] for e in entries_a} == {two_sites["site_a"]["id"]}
    everything = api.get("/identity/api/v1/audit-events?limit=500", token=admin_token).json()
    assert {two_sites["site_a"]["id"], two_sites["site_b"]["id"]} <= {e["site_id"] for e in everything}
    # Staff and viewers read no log; nothing can change an entry
    assert api.get("/identity/api/v1/audit-events").status_code == 401
    entry = entries_a[0]["id"]
    for method in ("put", "patch", "delete"):
        response = getattr(api, method)(f"/identity/api/v1/audit-events/{entry}", token=admin_token)
        assert response.status_code in (404, 405)


def test_service_tokens_are_bound_to_the_tenant_they_asked_for(api, platform, two_sites):
    secret = platform.runtimes["notifications"].settings.service_client_secret()
    response = api.post("/identity/oauth/token", auth=("svc-notifications", secret),
                        data={"grant_type": "client_credentials", "scope": "invitations:deliver",
                              "tenant": two_sites["site_a"]["id"]})
    assert response.status_code == 200
    import jwt as pyjwt

    claims = pyjwt.decode(response.json()["access_token"], options={"verify_signature": False})
    assert claims["tenant"] == two_sites["site_a"]["id"] and claims["sub"] == "svc-notifications"
    assert claims["roles"] == [] and claims["exp"] - claims["iat"] == 600
    assert api.post("/identity/oauth/token", auth=("svc-notifications", secret),
                    data={"grant_type": "client_credentials", "scope": "people:erase"}).status_code == 400


def test_a_platform_admin_withdraws_a_bas_colleagues_role_and_their_token_stops(api, platform, admin_token,
                                                                               token_for):
    import time

    from .people import make_person

    # Given a BaS colleague whose token works in federation
    colleague = make_person(platform, platform_roles="federation_viewer")
    token = token_for("federation_viewer", subject=str(colleague.id))
    assert api.get("/federation/api/v1/partner-sites", token=token).status_code == 200
    listed = {m["email"] for m in api.get("/identity/api/v1/platform-members", token=admin_token).json()}
    assert colleague.email in listed
    # When a platform admin withdraws the role
    response = api.put(f"/identity/api/v1/platform-members/{colleague.id}", token=admin_token, json={"roles": []})
    assert response.status_code == 200 and response.json()["roles"] == []
    # Then within seconds federation refuses the token, and the change is in the log
    time.sleep(6)
    assert api.get("/federation/api/v1/partner-sites", token=token).status_code == 401
    actions = [e["action"] for e in api.get("/identity/api/v1/audit-events", token=admin_token).json()]
    assert "platform_roles.changed" in actions
