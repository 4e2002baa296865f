"""Suspension in the production shape also closes the public interest form and pauses webhooks;
reactivation reopens the form and the paused deliveries arrive."""

from __future__ import annotations

import json
import time
import uuid

import requests
from standardwebhooks.webhooks import Webhook

from infra.local.stack import free_port
from tests.integration.conftest import eventually, mint
from tests.integration.test_notifications_webhooks import FAST, Receiver, _publish

FORM = {"kind": "mentor", "first_name": "Renate", "last_name": "Vogel", "email": "renate.vogel@mail.example",
        "birth_year": 1955, "postcode": "50733", "languages": {"de": "native"},
        "consent": {"accepted": True, "text_version": "2026-01", "language": "de"}}


def form(stack, slug: str, method: str = "GET", **kwargs) -> requests.Response:
    path = f"/matching/api/v1/public/sites/{slug}/interest" + ("-form" if method == "GET" else "")
    return requests.request(method, stack.proxy_url + path, timeout=10, **kwargs)


def test_a_suspended_sites_form_closes_and_its_webhooks_wait_until_reactivation(fresh_stack):
    stack = fresh_stack(env_extra=FAST)
    receiver = Receiver(free_port())
    receiver.start()
    try:
        # Given an active site with a public form and a webhook endpoint for applications
        admin = mint(stack, "platform_admin")
        slug = f"it-eff-{uuid.uuid4().hex[:6]}"
        site = requests.post(f"{stack.proxy_url}/tenants/api/v1/partner-sites", timeout=10,
                             headers={"Authorization": f"Bearer {admin}"},
                             json={"slug": slug, "name": "Seniorenbüro Wirkung", "bundesland": "DE-RP",
                                   "first_coordinator_email": f"k@{slug}.example"}).json()
        coordinator = mint(stack, "coordinator", site["id"])
        endpoint = requests.post(f"{stack.proxy_url}/notifications/api/v1/webhook-endpoints", timeout=10,
                                 headers={"Authorization": f"Bearer {coordinator}"},
                                 json={"url": f"http://127.0.0.1:{receiver.port}/hook",
                                       "event_types": ["mentor.applied"], "description": "CleverReach via n8n"})
        assert endpoint.status_code == 201, endpoint.text
        secret = endpoint.json()["secret"]
        eventually(lambda: form(stack, slug).status_code == 200)

        def applications() -> list[dict]:
            with receiver.lock:
                bodies = [Webhook(secret).verify(body, headers) for headers, body in receiver.received]
            return [b for b in bodies if b["type"] == "mentor.applied"]

        assert form(stack, slug, "POST", json=FORM).status_code == 202
        eventually(lambda: len(applications()) == 1)

        # When the platform admin suspends the site
        started = time.monotonic()
        requests.post(f"{stack.proxy_url}/tenants/api/v1/partner-sites/{site['id']}/suspension", timeout=10,
                      headers={"Authorization": f"Bearer {admin}"}, json={"reason": "contract_paused"})
        # Then within seconds the public form answers as if the site did not exist
        eventually(lambda: form(stack, slug).status_code == 404, timeout=15)
        assert form(stack, slug, "POST", json={**FORM, "email": "zweite@mail.example"}).status_code == 404
        assert time.monotonic() - started < 15
        # And an event of the site that still arrives (sent before the suspension reached matching) waits
        late = {"id": str(uuid.uuid4()), "type": "mentor.applied", "version": 1,
                "occurred_at": "2026-11-26T08:00:00Z", "tenant_id": site["id"],
                "payload": {"mentor_id": str(uuid.uuid4()), "birth_year": 1950, "registered_on": "2026-11-26"}}
        _publish(stack, [late])
        time.sleep(4)
        assert len(applications()) == 1

        # When the site is reactivated
        requests.post(f"{stack.proxy_url}/tenants/api/v1/partner-sites/{site['id']}/reactivation", timeout=10,
                      headers={"Authorization": f"Bearer {admin}"}, json={})
        # Then the form opens again and the waiting delivery arrives, signed and once
        eventually(lambda: form(stack, slug).status_code == 200, timeout=15)
        eventually(lambda: len(applications()) == 2, timeout=20)
        assert [a["id"] for a in applications()][-1] == late["id"]
        assert json.dumps(applications()[-1]["payload"], sort_keys=True) == json.dumps(late["payload"],
                                                                                       sort_keys=True)
    finally:
        receiver.stop()
