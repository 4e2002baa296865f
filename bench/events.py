"""bench-events: our outbox → relay → Dramatiq → idempotent handler path against a bare Dramatiq actor.

Both run in the same run, on the same Redis, with the same worker processes (dramatiq -p 2 -t 8,
prefetch 64). Raw: N messages enqueued to a no-op actor, timed until the queue is drained. Ours: N
checkin.logged events written to the outbox (transactions of 100 events, as many concurrent requests
would), timed until the handler's effect of every one is committed in PostgreSQL.

Two measurements: end to end (one producer writing while the workers run: both sides include the
producer), and backlog drain (N already waiting — enqueued, or in the outbox — when a fresh worker set
starts; timed from its boot: raw Dramatiq's consume rate against our relay + consume rate).
"""

from __future__ import annotations

import argparse
import datetime
import time
import uuid

import dramatiq
from sqlalchemy import create_engine, func, select

from altjung.events.catalogue import CheckinLogged
from altjung.kit.bus import record
from altjung.kit.bus.broker import get_broker
from altjung.kit.bus.models import bus_metadata
from altjung.kit.db import Database
from altjung.kit.settings import Settings
from bench._support import BIN, process, redis_server, scratch_database


def enqueue_raw(broker, n: int) -> None:
    for i in range(n):
        broker.enqueue(dramatiq.Message(queue_name="bench_raw", actor_name="bench.noop", args=({"i": i},),
                                        kwargs={}, options={}))


def write_outbox(db: Database, n: int) -> None:
    """N checkin.logged events through the outbox, in transactions of 100 (many concurrent requests)."""
    tenant = uuid.uuid4()
    for start in range(0, n, 100):
        with db.session() as session:
            for _ in range(min(100, n - start)):
                record(session, CheckinLogged(patenschaft_id=uuid.uuid4(), checkin_id=uuid.uuid4(),
                                              on=datetime.date.today(), kind="quick"), tenant_id=tenant)
            session.commit()


def wait_for_effects(db: Database, effect: type, n: int) -> None:
    while True:
        with db.session() as session:
            if session.scalar(select(func.count()).select_from(effect)) >= n:
                return
        time.sleep(0.02)


def wait_booted(broker) -> float:
    broker.client.delete("bench:booted")
    while (mark := broker.client.get("bench:booted")) is None:
        time.sleep(0.01)
    return float(mark)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=20_000)
    args = parser.parse_args()
    n = args.n
    with redis_server() as redis_url, scratch_database() as db_url:
        from bench.events_models import BenchBase, Effect

        engine = create_engine(db_url)
        bus_metadata.create_all(engine)
        BenchBase.metadata.create_all(engine)
        engine.dispose()
        env = {"BENCH_DATABASE_URL": db_url, "BENCH_BROKER_URL": redis_url, "dramatiq_queue_prefetch": "64",
               "dramatiq_worker_timeout": "100"}
        broker = get_broker(Settings.from_env("bench", database_url=db_url, broker_url=redis_url))
        broker.declare_queue("bench_raw")
        db = Database(db_url)
        worker = [str(BIN / "dramatiq"), "bench.events_worker", "-p", "2", "-t", "8", "--queues"]
        # --- end to end: producer and workers at the same time --------------------------------------
        with process([*worker, "federation", "bench_raw"], env):
            time.sleep(3)  # workers boot
            started = time.perf_counter()
            enqueue_raw(broker, n)
            broker.join("bench_raw", interval=20)
            raw_seconds = time.perf_counter() - started
            started = time.perf_counter()
            write_outbox(db, n)
            written = time.perf_counter() - started
            wait_for_effects(db, Effect, n)
            ours_seconds = time.perf_counter() - started
        # --- backlog drain: N waiting, then one worker set starts; timed from its boot ---------------
        enqueue_raw(broker, n)
        broker.client.delete("bench:booted")
        with process([*worker, "bench_raw"], env):
            booted = wait_booted(broker)
            broker.join("bench_raw", interval=20)
            raw_drain = time.time() - booted
        write_outbox(db, n)
        broker.client.delete("bench:booted")
        with process([*worker, "federation"], env):
            booted = wait_booted(broker)
            wait_for_effects(db, Effect, 2 * n)
            ours_drain = time.time() - booted
        db.dispose()
    raw_rate, ours_rate = n / raw_seconds, n / ours_seconds
    print(f"events: {n}")
    print(f"raw dramatiq no-op actor:        {raw_rate:8.0f} msg/s  ({raw_seconds:.2f} s)")
    print(f"outbox→relay→dramatiq→handler:   {ours_rate:8.0f} events/s ({ours_seconds:.2f} s; "
          f"outbox writes done after {written:.2f} s)")
    print(f"backlog of {n} drained from worker boot: raw {n / raw_drain:8.0f} msg/s ({raw_drain:.2f} s), "
          f"ours (relay + consume) {n / ours_drain:8.0f} events/s ({ours_drain:.2f} s)")
    print(f"ratio ours/raw: end to end {ours_rate / raw_rate:.2f}, backlog drain {raw_drain / ours_drain:.2f}"
          f" (goal >= 0.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
