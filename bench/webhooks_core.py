"""Deliveries per second of `deliver` against a bare `session.post`, same pooled session, same run.

Usage: .venv/bin/python -m bench.webhooks_core [requests per round] [rounds]
The receiver is aiohttp in its own process on loopback, answering 204 at once. The last line
prints deliver's rate as a share of the bare rate (1.0 = no overhead).
"""

from __future__ import annotations

import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import requests

from altjung.notifications.delivery import AddressPolicy, deliver, generate_secret, make_session
from altjung.notifications.delivery.webhooks import serialise_envelope, webhook_headers
from bench._support import FastReceiver


def _envelope() -> dict:
    return {"id": str(uuid.uuid4()), "type": "patenschaft.started", "version": 1,
            "occurred_at": "2025-05-01T10:00:00Z", "tenant_id": str(uuid.uuid4()),
            "payload": {"patenschaft_id": str(uuid.uuid4()), "target_group": "refugee",
                        "padding": "x" * 800}}


def _rate(label: str, count: int, send: Callable[[], None]) -> float:
    started = time.perf_counter()
    for _ in range(count):
        send()
    rate = count / (time.perf_counter() - started)
    print(f"  {label:<34} {rate:8.0f}/s")
    return rate


def main(count: int = 2000, rounds: int = 5) -> None:
    receiver = FastReceiver()
    try:
        url = receiver.start()
        policy = AddressPolicy(allow_loopback=True)
        secrets = [generate_secret()]
        event = _envelope()
        body = serialise_envelope(event)
        session = make_session(policy=policy)
        plain = requests.Session()
        print(f"body {len(body.encode())} bytes, {count} requests per round, {rounds} rounds")

        def bare() -> None:  # the same session, pre-signed headers, nothing else
            headers = webhook_headers("msg_bench", datetime.now(UTC), body, secrets)
            session.post(url, data=body.encode(), headers=headers, timeout=(5, 10)).close()

        def unguarded() -> None:
            headers = webhook_headers("msg_bench", datetime.now(UTC), body, secrets)
            plain.post(url, data=body.encode(), headers=headers, timeout=(5, 10)).close()

        def ours() -> None:
            result = deliver(url, event, "msg_bench", secrets, session=session, policy=policy)
            assert result.succeeded, result

        for warm in (bare, unguarded, ours):
            for _ in range(200):
                warm()
        rates: dict[str, list[float]] = {"bare": [], "unguarded": [], "deliver": []}
        for number in range(1, rounds + 1):
            print(f"round {number}")
            rates["bare"].append(_rate("session.post (guarded session)", count, bare))
            rates["unguarded"].append(_rate("session.post (plain Session)", count, unguarded))
            rates["deliver"].append(_rate("deliver()", count, ours))
        medians = {name: statistics.median(values) for name, values in rates.items()}
        print("medians: " + ", ".join(f"{name} {rate:.0f}/s" for name, rate in medians.items()))
        print(f"guarded/plain session.post ratio: {medians['bare'] / medians['unguarded']:.2f}")
        print(f"deliver/bare session.post ratio: {medians['deliver'] / medians['bare']:.2f}")
    finally:
        receiver.stop()


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
