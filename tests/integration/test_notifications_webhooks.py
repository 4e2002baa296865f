"""Webhooks in the production shape: a receiver that is down while the notifications worker is SIGKILLed
and restarted by supervisord still gets every event, each verified with the standardwebhooks library."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import dramatiq
import requests
from dramatiq.brokers.redis import RedisBroker
from standardwebhooks import Webhook

from altjung.events import Envelope
from altjung.events.catalogue import MentorRegistered
from infra.local.stack import free_port
from tests.integration.conftest import eventually, mint

#: Settings of the notifications processes for this test: fast retries, short leases, loopback allowed.
FAST = {"NOTIFICATIONS_UNSAFE_ALLOW_LOOPBACK_WEBHOOKS": "true",
        "NOTIFICATIONS_RETRY_DELAYS": ",".join(["0"] + ["1"] * 30),
        "NOTIFICATIONS_LEASE_SECONDS": "5", "NOTIFICATIONS_POLL_SECONDS": "0.2"}


class Receiver:
    """A webhook receiver on a fixed loopback port, started when the test says so."""

    def __init__(self, port: int) -> None:
        self.port, self.received, self.lock = port, [], threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def _api(stack, method: str, path: str, token: str, **kwargs) -> requests.Response:
    return requests.request(method, f"{stack.url('notifications')}/api/v1{path}", timeout=10,
                            headers={"Authorization": f"Bearer {token}"}, **kwargs)


def _site(stack) -> str:
    admin = mint(stack, "platform_admin")
    slug = f"it-hooks-{uuid.uuid4().hex[:6]}"
    response = requests.post(f"{stack.url('tenants')}/api/v1/partner-sites", timeout=10,
                             headers={"Authorization": f"Bearer {admin}"},
                             json={"slug": slug, "name": "Seniorenbüro Hooks", "bundesland": "DE-HH",
                                   "first_coordinator_email": f"k@{slug}.example"})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _publish(stack, envelopes: list[dict]) -> None:
    """Put events on notifications' queue exactly as the relay does."""
    broker = RedisBroker(url=stack.broker_url)
    try:
        broker.declare_queue("notifications")
        for envelope in envelopes:
            broker.enqueue(dramatiq.Message(queue_name="notifications", actor_name="notifications.consume",
                                            args=(envelope,), kwargs={}, options={}))
    finally:
        broker.close()


def test_a_receiver_down_while_the_worker_is_killed_still_gets_every_event_once(fresh_stack):
    stack = fresh_stack(env_extra=FAST)
    site_id = _site(stack)
    coordinator = mint(stack, "coordinator", site_id)
    receiver = Receiver(free_port())
    # Given an endpoint whose receiver is down
    created = _api(stack, "POST", "/webhook-endpoints", coordinator,
                   json={"url": f"http://127.0.0.1:{receiver.port}/hook", "description": "n8n"})
    assert created.status_code == 201, created.text
    endpoint = created.json()
    # When ten mentors are registered
    envelopes = [Envelope.wrap(MentorRegistered(mentor_id=uuid.uuid4(), birth_year=1950,
                                                registered_on=dt.date(2026, 3, 1)),
                               tenant_id=uuid.UUID(site_id)).to_dict() for _ in range(10)]
    _publish(stack, envelopes)

    def all_tried():
        items = _api(stack, "GET", f"/webhook-endpoints/{endpoint['id']}/deliveries?limit=50", coordinator).json()
        return len(items["items"]) == 10 and all(d["attempts"] >= 1 for d in items["items"]) and items

    eventually(all_tried, timeout=60)
    # and the worker is SIGKILLed (supervisord restarts it) while the receiver is still down
    before = set(stack.pids("notifications-worker"))
    stack.kill("notifications-worker")
    eventually(lambda: (now := set(stack.pids("notifications-worker"))) and not now & before, timeout=60)
    receiver.start()
    try:
        # Then the receiver gets every event, each signature valid according to the standardwebhooks library
        def everything_arrived():
            with receiver.lock:
                ids = {Webhook(endpoint["secret"]).verify(body, headers)["id"] for headers, body in receiver.received}
            return ids == {e["id"] for e in envelopes}

        eventually(everything_arrived, timeout=90)
        with receiver.lock:
            by_webhook_id: dict[str, set[bytes]] = {}
            for headers, body in receiver.received:
                by_webhook_id.setdefault(headers["webhook-id"], set()).add(body)
        # one webhook-id per event (stable across retries and the restart), always the same body
        assert len(by_webhook_id) == 10 and all(len(bodies) == 1 for bodies in by_webhook_id.values())
        final = eventually(lambda: (items := _api(stack, "GET", f"/webhook-endpoints/{endpoint['id']}/deliveries",
                                                  coordinator).json()["items"])
                           and all(d["status"] == "succeeded" for d in items) and items, timeout=30)
        assert len(final) == 10
    finally:
        receiver.stop()
