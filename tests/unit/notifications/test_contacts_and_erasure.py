"""Opt-in contact fields in webhooks, the erasure notice after person.erased, and switching off dead endpoints."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from sqlalchemy import select
from standardwebhooks import Webhook

from altjung.kit.tenancy import tenant_context
from altjung.notifications.delivery import RetrySchedule
from altjung.notifications.models import ContactDisclosure
from tests.unit.notifications.conftest import wait_for

ENDPOINTS = "/notifications/api/v1/webhook-endpoints"


def _register(api, token, url, **fields) -> dict:
    response = api.post(ENDPOINTS, token=token, json={"url": url, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def _disclosures(platform, site_id, person_id) -> list[ContactDisclosure]:
    with tenant_context(uuid.UUID(site_id)), platform.runtimes["notifications"].db.session() as session:
        return session.scalars(select(ContactDisclosure).where(ContactDisclosure.person_id == person_id)).all()


def test_without_opt_in_no_personal_data_leaves(notifier, receiver, emit, site, api, token_for):
    endpoint = _register(api, token_for("coordinator", site["id"]), receiver.url("/hook"),
                         event_types=["mentor.applied"])
    mentor = uuid.uuid4()
    notifier.directory.contacts[mentor] = {"email": "pate@example.org", "first_name": "Hans", "language": "de"}
    emit("mentor.applied", site["id"], mentor_id=mentor)
    request = wait_for(lambda: receiver.received and receiver.received[0])
    body = Webhook(endpoint["secret"]).verify(request.body, request.headers)
    assert "contacts" not in body and b"pate@example.org" not in request.body
    assert not [c for c in notifier.directory.calls if c[0] == "contact"]  # matching was not even asked


def test_opted_in_contacts_travel_and_an_erasure_sends_a_signed_notice_then_forgets_the_address(
        notifier, receiver, emit, site, api, token_for, platform):
    token = token_for("coordinator", site["id"])
    # Given an endpoint that opted in to contact fields, and one that did not
    opted = _register(api, token, receiver.url("/brevo"), include_contacts=True,
                      event_types=["patenschaft.started", "patenschaft.ended"])
    plain = _register(api, token, receiver.url("/plain"), event_types=["person.erased"])
    mentor, mentee, patenschaft = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    notifier.directory.contacts[mentor] = {"email": "pate@example.org", "first_name": "Hans", "language": "de"}
    notifier.directory.contacts[mentee] = {"email": "junge@example.org", "first_name": "Amir", "language": "en"}
    # When a Patenschaft starts, then ends
    emit("patenschaft.started", site["id"], patenschaft_id=patenschaft, mentor_id=mentor, mentee_id=mentee)
    emit("patenschaft.ended", site["id"], patenschaft_id=patenschaft)
    wait_for(lambda: len(receiver.received) == 2)
    # Then both carry both contacts, fetched at delivery time
    for request in receiver.received:
        body = Webhook(opted["secret"]).verify(request.body, request.headers)
        assert body["contacts"]["mentor"] == {"email": "pate@example.org", "first_name": "Hans", "language": "de"}
        assert body["contacts"]["mentee"]["first_name"] == "Amir"
    # and which address went where is recorded, encrypted
    recorded = _disclosures(platform, site["id"], mentor)
    assert len(recorded) == 1 and "pate@example.org" not in recorded[0].email
    # When the mentor is erased (matching no longer knows the contact)
    del notifier.directory.contacts[mentor]
    emit("person.erased", site["id"], person_kind="mentor", person_id=mentor)
    wait_for(lambda: len(receiver.received) == 4)
    by_path = {r.path: r for r in receiver.received[2:]}
    # Then the endpoint that received the address gets a signed notice naming it
    notice = Webhook(opted["secret"]).verify(by_path["/brevo"].body, by_path["/brevo"].headers)
    assert notice["type"] == "person.erased"
    assert notice["erased_contact"] == {"email": "pate@example.org"}
    # the other endpoint gets the plain event, without any address
    plain_body = Webhook(plain["secret"]).verify(by_path["/plain"].body, by_path["/plain"].headers)
    assert "erased_contact" not in plain_body and b"@" not in by_path["/plain"].body
    # and the address is forgotten once the notice was delivered
    wait_for(lambda: _disclosures(platform, site["id"], mentor) == [])
    assert len(_disclosures(platform, site["id"], mentee)) == 1


def test_an_erased_persons_later_events_carry_no_contact(notifier, receiver, emit, site, api, token_for):
    endpoint = _register(api, token_for("coordinator", site["id"]), receiver.url("/hook"), include_contacts=True,
                         event_types=["mentee.registered"])
    emit("mentee.registered", site["id"], mentee_id=uuid.uuid4())  # matching answers 404: erased or unknown
    request = wait_for(lambda: receiver.received and receiver.received[0])
    assert Webhook(endpoint["secret"]).verify(request.body, request.headers)["contacts"] == {"mentee": None}


def test_an_endpoint_failing_without_success_for_the_limit_is_disabled_and_coordinators_are_mailed(
        notifier, receiver, emit, site, api, token_for):
    notifier.configure(notifier.config.replace(
        disable_after=dt.timedelta(seconds=0.5),
        schedule=RetrySchedule(delays=(dt.timedelta(0),) + (dt.timedelta(seconds=0.2),) * 20, jitter=0.0)))
    token = token_for("coordinator", site["id"])
    endpoint = _register(api, token, receiver.url("/error"), event_types=["mentor.registered"])
    emit("mentor.registered", site["id"], mentor_id=uuid.uuid4())
    state = wait_for(lambda: (e := api.get(f"{ENDPOINTS}/{endpoint['id']}", token=token).json())
                     and not e["enabled"] and e)
    assert state["disabled_reason"] == "failing"
    attempts = len(receiver.received)
    assert 2 <= attempts < 20
    wait_for(lambda: ("coordinators", uuid.UUID(site["id"])) in notifier.directory.calls)
    # enabling it again starts the count afresh
    enabled = api.patch(f"{ENDPOINTS}/{endpoint['id']}", token=token,
                        json={"enabled": True, "version": state["version"]}).json()
    assert enabled["enabled"] and enabled["failing_since"] is None and enabled["disabled_reason"] is None
    assert json.loads(receiver.received[0].body)["type"] == "mentor.registered"


def test_a_mentor_registered_in_matching_reaches_an_opted_in_endpoint_with_the_contact_matching_holds(
        platform, receiver, api, token_for, site):
    # The real path: matching's event through the bus, contact fetched from matching with a service token
    token = token_for("coordinator", site["id"])
    endpoint = _register(api, token, receiver.url("/cleverreach"), include_contacts=True,
                         event_types=["mentor.registered"])
    created = api.post("/matching/api/v1/mentors", token=token,
                       json={"first_name": "Hildegard", "last_name": "Beispiel", "email": "hildegard@example.org",
                             "contact_language": "de", "birth_year": 1952})
    assert created.status_code == 201, created.text
    request = wait_for(lambda: receiver.received and receiver.received[0], timeout=20)
    body = Webhook(endpoint["secret"]).verify(request.body, request.headers)
    assert body["payload"]["mentor_id"] == created.json()["id"]
    assert body["contacts"] == {"mentor": {"email": "hildegard@example.org", "first_name": "Hildegard",
                                           "language": "de"}}
    assert b"Beispiel" not in request.body  # only the fields an e-mail tool needs
