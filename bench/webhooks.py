"""bench-webhooks: our signed, logged, retried delivery path against bare HTTP POSTs, and event-to-webhook latency.

1. Throughput, one run, one client: an aiohttp receiver in its own process answers 204. "bare" is T
   threads POSTing pre-signed bodies with the notifier's own pooled session; "ours" is the notifier's
   scheduler with the same session and T threads working N queued deliveries from PostgreSQL: lease
   from the schedule, load delivery and endpoint, decrypt the secret, sign, POST, log the attempt,
   mark the delivery, drop the job. Alternating rounds; medians and their ratio (goal >= 0.5).
2. Latency: a notifications worker (dramatiq, Redis) on the same database; PatenschaftStarted events
   committed to a producer's outbox one at a time (published right after commit, as the services
   do), timed until the receiver has the webhook. p50/p95/p99.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy import func, select

from altjung.kit.migrate import upgrade
from altjung.kit.settings import Settings
from altjung.kit.tenancy import tenant_context
from altjung.notifications.config import NotificationsConfig
from bench._support import BIN, FastReceiver, process, redis_server, scratch_database

THREADS = int(os.environ.get("BENCH_THREADS", "8"))


def _endpoint(runtime, site: uuid.UUID, url: str, config, **fields) -> tuple[uuid.UUID, str]:
    from altjung.notifications.delivery import encrypt_secret, generate_secret
    from altjung.notifications.models import Endpoint

    secret = generate_secret()
    with tenant_context(site), runtime.db.session() as session:
        endpoint = Endpoint(url=url, secret=encrypt_secret(secret, keys=config.secret_keys), **fields)
        session.add(endpoint)
        session.commit()
        return endpoint.id, secret


def _envelope(site: uuid.UUID) -> dict:
    from altjung.events import Envelope
    from altjung.events.catalogue import PatenschaftStarted

    event = PatenschaftStarted(patenschaft_id=uuid.uuid4(), mentor_id=uuid.uuid4(), mentee_id=uuid.uuid4(),
                               started_on=dt.date(2026, 4, 10), target_group="refugee")
    return Envelope.wrap(event, tenant_id=site).to_dict()


def throughput(db_url: str, n: int, rounds: int, *, batch: int, loops: int) -> tuple[float, float]:
    from altjung.kit.runtime import runtime_for
    from altjung.notifications import deliveries
    from altjung.notifications.config import load_config
    from altjung.notifications.delivery.webhooks import serialise_envelope, webhook_headers
    from altjung.notifications.models import Delivery, Endpoint
    from altjung.notifications.notifier import Notifier

    receiver = FastReceiver()
    try:
        url = receiver.start()
        settings = Settings.from_env("notifications", database_url=db_url, broker_url="stub://")
        runtime = runtime_for(settings)
        config = load_config(settings).replace(threads=THREADS, batch=batch, loops=loops)
        notifier = Notifier(runtime, config)
        site = uuid.uuid4()
        endpoint_id, secret = _endpoint(runtime, site, url, config)
        envelope = _envelope(site)
        body = serialise_envelope(envelope).encode()
        session = notifier.http
        pool = ThreadPoolExecutor(THREADS)

        def bare(_: int) -> None:
            headers = webhook_headers("msg_bench", dt.datetime.now(dt.UTC), body.decode(), [secret])
            response = session.post(url, data=body, headers=headers, timeout=(5, 10))
            response.close()
            assert response.status_code == 204

        def queue() -> None:
            with tenant_context(site), runtime.db.session() as db_session:
                endpoint = db_session.get(Endpoint, endpoint_id)
                for start in range(0, n, 500):
                    for _ in range(min(500, n - start)):
                        deliveries.queue(db_session, site, {**envelope, "id": str(uuid.uuid4())}, endpoints=[endpoint])
                    db_session.flush()
                db_session.commit()

        def ours() -> float:
            queue()
            notifier._pool = pool
            started = time.perf_counter()

            def loop() -> None:  # what each of the notifier's loops does while there is work
                while notifier.run_once():
                    pass

            loops = [threading.Thread(target=loop) for _ in range(config.loops)]
            for thread in loops:
                thread.start()
            for thread in loops:
                thread.join()
            elapsed = time.perf_counter() - started
            with tenant_context(site), runtime.db.session() as db_session:
                pending = db_session.scalar(select(func.count()).select_from(Delivery)
                                            .where(Delivery.status != "succeeded"))
            assert pending == 0, f"{pending} deliveries did not succeed"
            return n / elapsed

        def bare_rate() -> float:
            started = time.perf_counter()
            list(pool.map(bare, range(n)))
            return n / (time.perf_counter() - started)

        list(pool.map(bare, range(300)))  # warm the pool and the receiver
        rates: dict[str, list[float]] = {"bare": [], "ours": []}
        print(f"throughput: {n} deliveries per round, {rounds} rounds, {THREADS} threads, "
              f"body {len(body)} bytes, PostgreSQL")
        for number in range(1, rounds + 1):
            rates["bare"].append(bare_rate())
            rates["ours"].append(ours())
            print(f"  round {number}: bare session.post {rates['bare'][-1]:7.0f}/s   "
                  f"ours (lease, sign, POST, log, mark) {rates['ours'][-1]:7.0f}/s")
        pool.shutdown()
        runtime.db.dispose()
        return statistics.median(rates["bare"]), statistics.median(rates["ours"])
    finally:
        receiver.stop()


class _Clock(BaseHTTPRequestHandler):
    arrivals: dict[str, float] = {}
    lock = threading.Lock()

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        now = time.time()
        self.send_response(204)
        self.end_headers()
        with self.lock:
            self.arrivals[json.loads(body)["id"]] = now


def latency(db_url: str, redis_url: str, producer_url: str, count: int) -> list[float]:
    from altjung.events.catalogue import PatenschaftStarted
    from altjung.kit.bus import record
    from altjung.kit.bus.models import bus_metadata
    from altjung.kit.db import Database
    from altjung.kit.runtime import runtime_for
    from altjung.notifications.config import load_config

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Clock)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    settings = Settings.from_env("notifications", database_url=db_url, broker_url=redis_url)
    config = load_config(settings)
    site = uuid.uuid4()
    notifications_db = Database(db_url)
    _endpoint(type("R", (), {"db": notifications_db})(), site, url, config, event_types=["patenschaft.started"])
    notifications_db.dispose()
    producer_db = Database(producer_url)
    bus_metadata.create_all(producer_db.engine)
    producer_db.dispose()
    producer = runtime_for(Settings.from_env("matching", database_url=producer_url, broker_url=redis_url))
    env = {"NOTIFICATIONS_DATABASE_URL": db_url, "ALTJUNG_BROKER_URL": redis_url, "NOTIFICATIONS_POLL_SECONDS": "0.5",
           "dramatiq_queue_prefetch": "64", "dramatiq_worker_timeout": "100"}
    committed: dict[str, float] = {}
    with process([str(BIN / "dramatiq"), "altjung.notifications.worker", "--processes", "1", "--threads", "4",
                  "--queues", "notifications"], env) as worker:
        time.sleep(4)  # the worker boots
        for i in range(count + 20):
            with tenant_context(site), producer.unit_of_work() as session:
                envelope = record(session, PatenschaftStarted(
                    patenschaft_id=uuid.uuid4(), mentor_id=uuid.uuid4(), mentee_id=uuid.uuid4(),
                    started_on=dt.date(2026, 4, 10), target_group="refugee"))
                session.commit()
                if i >= 20:  # the first ones warm the path up
                    committed[str(envelope.id)] = time.time()
            time.sleep(0.02)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not set(committed) <= set(_Clock.arrivals):
            time.sleep(0.1)
        missing = set(committed) - set(_Clock.arrivals)
        if missing:
            raise RuntimeError(f"{len(missing)} webhooks never arrived; worker log: {worker.log_path}")
    producer.relay.stop()
    producer.db.dispose()
    server.shutdown()
    return sorted((_Clock.arrivals[k] - t) * 1000 for k, t in committed.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="deliveries per throughput round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--events", type=int, default=200, help="events for the latency part (0: skip)")
    parser.add_argument("--batch", type=int, default=None, help="jobs per scheduler pass (default: the service's)")
    parser.add_argument("--loops", type=int, default=None, help="scheduler loops (default: the service's)")
    args = parser.parse_args()
    with scratch_database() as db_url, scratch_database() as producer_url, redis_server() as redis_url:
        upgrade(Settings.from_env("notifications", database_url=db_url))
        defaults = NotificationsConfig(secret_keys=("-",))
        bare, ours = throughput(db_url, args.n, args.rounds, batch=args.batch or defaults.batch,
                                loops=args.loops or defaults.loops)
        times = latency(db_url, redis_url, producer_url, args.events) if args.events else []
    print(f"deliveries/s to a local receiver: ours {ours:.0f}/s, bare session.post {bare:.0f}/s (medians)")
    print(f"ratio ours/bare: {ours / bare:.2f} (goal >= 0.5)")
    if not times:
        return 0
    q = statistics.quantiles(times, n=100)
    print(f"PatenschaftStarted committed -> webhook received ({len(times)} events): "
          f"p50 {q[49]:.0f} ms, p95 {q[94]:.0f} ms, p99 {q[98]:.0f} ms, max {times[-1]:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
