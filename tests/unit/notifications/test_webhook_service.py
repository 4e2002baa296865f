"""Webhooks end to end on the embedded platform: an event in, a signed POST to a real receiver out.

Every delivery the receiver gets is verified with the standardwebhooks library, not our code.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from tests.unit.notifications.conftest import wait_for

ENDPOINTS = "/notifications/api/v1/webhook-endpoints"


@pytest.fixture
def coordinator(token_for, site):
    return token_for("coordinator", site["id"])


@pytest.fixture
def register(api, coordinator):
    def make(url: str, token: str | None = None, **fields) -> dict:
        response = api.post(ENDPOINTS, token=token or coordinator, json={"url": url, **fields})
        assert response.status_code == 201, response.text
        return response.json()

    return make


def verified(received, secret: str) -> dict:
    """The body, after standardwebhooks accepted the request's signature."""
    return Webhook(secret).verify(received.body, received.headers)


def test_an_event_reaches_the_receiver_signed_in_standard_webhooks_format(
        notifier, receiver, register, emit, site, api, coordinator):
    # Given an endpoint of the site for mentor events
    endpoint = register(receiver.url("/hook"), event_types=["mentor.registered"], description="CleverReach")
    assert endpoint["secret"].startswith("whsec_")
    # When a mentor is registered at the site
    sent = emit("mentor.registered", site["id"], mentor_id=uuid.uuid4())
    # Then the receiver gets the envelope as JSON, and the signature verifies with the library
    request = wait_for(lambda: receiver.received and receiver.received[0])
    body = verified(request, endpoint["secret"])
    assert body == sent
    assert "contacts" not in body  # no opt-in, no personal data
    assert request.headers["content-type"] == "application/json"
    # And the delivery log shows one successful attempt with its status code and latency
    deliveries = wait_for(lambda: api.get(f"{ENDPOINTS}/{endpoint['id']}/deliveries", token=coordinator)
                          .json()["items"])
    detail = api.get(f"/notifications/api/v1/webhook-deliveries/{deliveries[0]['id']}", token=coordinator).json()
    assert detail["status"] == "succeeded"
    assert request.headers["webhook-id"] == detail["id"]
    assert detail["attempt_log"][0]["status_code"] == 200
    assert detail["attempt_log"][0]["response_head"] == '{"ok":true}'


def test_the_secret_is_shown_once_and_stored_encrypted(notifier, receiver, register, api, coordinator, platform):
    endpoint = register(receiver.url("/hook"))
    shown = api.get(f"{ENDPOINTS}/{endpoint['id']}", token=coordinator).json()
    assert "secret" not in shown
    assert all("secret" not in e for e in api.get(ENDPOINTS, token=coordinator).json())
    runtime = platform.runtimes["notifications"]
    with runtime.db.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT secret FROM webhook_endpoints WHERE id = ?",
                                      (uuid.UUID(endpoint["id"]).hex,)).scalar()
    assert stored and endpoint["secret"] not in stored and not stored.startswith("whsec_")


def test_a_receiver_failing_n_times_gets_the_event_once_in_effect_with_one_webhook_id(
        notifier, receiver, register, emit, site):
    # Given a receiver that answers 503 twice, then 200
    receiver.failures_before_success = 2
    endpoint = register(receiver.url("/flaky"), event_types=["mentee.applied"])
    # When one event is sent
    sent = emit("mentee.applied", site["id"], mentee_id=uuid.uuid4())
    # Then it arrives three times with the same webhook-id, each validly signed, and stops after the success
    wait_for(lambda: len(receiver.received) >= 3)
    ids = {r.headers["webhook-id"] for r in receiver.received}
    assert len(ids) == 1
    assert all(verified(r, endpoint["secret"]) == sent for r in receiver.received)
    time.sleep(0.6)
    assert len(receiver.received) == 3


def test_a_redirect_is_a_failure_and_410_disables_the_endpoint_at_once(
        notifier, receiver, register, emit, site, api, coordinator):
    redirecting = register(receiver.url("/redirect"), event_types=["mentor.applied"])
    gone = register(receiver.url("/gone"), event_types=["mentor.applied"])
    emit("mentor.applied", site["id"], mentor_id=uuid.uuid4())
    # The redirect is not followed: /ok is never asked, and every attempt is logged as a failure
    wait_for(lambda: api.get(f"{ENDPOINTS}/{redirecting['id']}/deliveries?status=failed",
                             token=coordinator).json()["items"], timeout=15)
    assert "/ok" not in receiver.paths()
    assert receiver.paths().count("/redirect") == len(notifier.config.schedule.delays)
    # 410 Gone: asked once, then the endpoint is disabled and the coordinators are told
    state = wait_for(lambda: (e := api.get(f"{ENDPOINTS}/{gone['id']}", token=coordinator).json())
                     and not e["enabled"] and e)
    assert state["disabled_reason"] == "gone"
    assert receiver.paths().count("/gone") == 1
    assert ("coordinators", uuid.UUID(site["id"])) in wait_for(lambda: notifier.directory.calls)


def test_rotation_sends_two_signatures_each_valid_with_the_library(
        notifier, receiver, register, emit, site, api, coordinator):
    endpoint = register(receiver.url("/hook"), event_types=["mentor.registered"])
    rotated = api.post(f"{ENDPOINTS}/{endpoint['id']}/secret-rotation", token=coordinator)
    assert rotated.status_code == 200
    new_secret = rotated.json()["secret"]
    assert new_secret != endpoint["secret"] and new_secret.startswith("whsec_")
    emit("mentor.registered", site["id"], mentor_id=uuid.uuid4())
    request = wait_for(lambda: receiver.received and receiver.received[0])
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert verified(request, endpoint["secret"]) == verified(request, new_secret)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "QUJD" * 8).verify(request.body, request.headers)


def test_send_test_event_and_replay_one_and_all_failed_since(
        notifier, receiver, register, api, coordinator, emit, site):
    endpoint = register(receiver.url("/error"), event_types=["mentor.registered"])
    started = dt.datetime.now(dt.UTC).isoformat()
    emit("mentor.registered", site["id"], mentor_id=uuid.uuid4())
    test = api.post(f"{ENDPOINTS}/{endpoint['id']}/test", token=coordinator)
    assert test.status_code == 202
    failed = wait_for(lambda: len(items := api.get(f"{ENDPOINTS}/{endpoint['id']}/deliveries?status=failed",
                                                   token=coordinator).json()["items"]) == 2 and items, timeout=15)
    assert {d["event_type"] for d in failed} == {"webhook.test", "mentor.registered"}
    # The receiver is fixed: replaying one sends it with the same webhook-id
    fixed = api.patch(f"{ENDPOINTS}/{endpoint['id']}", token=coordinator,
                      json={"url": receiver.url("/fixed"), "version": endpoint["version"]})
    assert fixed.status_code == 200, fixed.text
    one = api.post(f"/notifications/api/v1/webhook-deliveries/{failed[0]['id']}/replay", token=coordinator)
    assert one.status_code == 202
    wait_for(lambda: any(r.path == "/fixed" for r in receiver.received))
    assert [r.headers["webhook-id"] for r in receiver.received if r.path == "/fixed"] == [failed[0]["id"]]
    # and replaying all failed since the start sends the other one
    again = api.post(f"{ENDPOINTS}/{endpoint['id']}/replay", token=coordinator, json={"since": started})
    assert again.json() == {"replayed": 1}
    wait_for(lambda: sum(r.path == "/fixed" for r in receiver.received) == 2)
    test_body = next(json.loads(r.body) for r in receiver.received
                     if r.path == "/fixed" and json.loads(r.body)["type"] == "webhook.test")
    assert test_body["payload"]["endpoint_id"] == endpoint["id"]


def test_deliveries_pause_while_the_site_is_suspended_and_resume_after(
        notifier, receiver, register, emit, site, api, admin_token, platform):
    register(receiver.url("/hook"), event_types=["mentee.registered"])
    suspended = api.post(f"/tenants/api/v1/partner-sites/{site['id']}/suspension", token=admin_token,
                         json={"reason": "contract_paused"})
    assert suspended.status_code == 200, suspended.text
    assert platform.join(timeout=20)
    emit("mentee.registered", site["id"], mentee_id=uuid.uuid4())
    time.sleep(0.5)
    assert receiver.received == []  # kept, not sent
    version = api.get(f"/tenants/api/v1/partner-sites/{site['id']}", token=admin_token).json()["version"]
    resumed = api.post(f"/tenants/api/v1/partner-sites/{site['id']}/reactivation", token=admin_token,
                       json={"version": version})
    assert resumed.status_code == 200, resumed.text
    wait_for(lambda: receiver.received, timeout=15)


def test_endpoints_of_another_site_are_not_found(api, token_for, make_site, register, receiver, notifier):
    endpoint = register(receiver.url("/hook"))
    other = token_for("coordinator", make_site()["id"])
    assert api.get(f"{ENDPOINTS}/{endpoint['id']}", token=other).status_code == 404
    assert endpoint["id"] not in api.get(ENDPOINTS, token=other).text
    assert api.get(f"{ENDPOINTS}/{endpoint['id']}", token=token_for("staff", make_site()["id"])).status_code == 403


def test_a_stale_version_is_refused_and_unknown_event_types_too(api, coordinator, register, receiver, notifier):
    endpoint = register(receiver.url("/hook"))
    missing = api.patch(f"{ENDPOINTS}/{endpoint['id']}", token=coordinator, json={"description": "x"})
    assert missing.status_code == 428
    stale = api.patch(f"{ENDPOINTS}/{endpoint['id']}", token=coordinator, headers={"If-Match": '"99"'},
                      json={"description": "x"})
    assert stale.status_code == 412
    fresh = api.patch(f"{ENDPOINTS}/{endpoint['id']}", token=coordinator, headers={"If-Match": '"1"'},
                      json={"description": "Brevo"})
    assert fresh.status_code == 200 and fresh.json()["version"] == 2
    unknown = api.post(ENDPOINTS, token=coordinator, json={"url": receiver.url("/x"), "event_types": ["user.invited"]})
    assert unknown.status_code == 422
    assert api.delete(f"{ENDPOINTS}/{endpoint['id']}", token=coordinator).status_code == 204
    assert api.get(f"{ENDPOINTS}/{endpoint['id']}", token=coordinator).status_code == 404
