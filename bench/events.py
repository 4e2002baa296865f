"""bench-events: our outbox → relay → Dramatiq → idempotent handler path against a bare Dramatiq actor.

Both run in the same run, on the same Redis, with the same worker processes (dramatiq -p 2 -t 8,
prefetch 64). Raw: N messages enqueued to a no-op actor, timed until the queue is drained. Ours: N
checkin.logged events written to the outbox (transactions of 100 events, as many concurrent requests
would), timed until the handler's effect of every one is committed in PostgreSQL.
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
        with process([str(BIN / "dramatiq"), "bench.events_worker", "-p", "2", "-t", "8",
                      "--queues", "federation", "bench_raw"], env):
            broker = get_broker(Settings.from_env("bench", database_url=db_url, broker_url=redis_url))
            broker.declare_queue("bench_raw")
            time.sleep(3)  # workers boot
            # --- raw Dramatiq ------------------------------------------------------------------------
            started = time.perf_counter()
            for i in range(n):
                broker.enqueue(dramatiq.Message(queue_name="bench_raw", actor_name="bench.noop", args=({"i": i},),
                                                kwargs={}, options={}))
            broker.join("bench_raw", interval=20)
            raw_seconds = time.perf_counter() - started
            # --- ours -------------------------------------------------------------------------------
            db = Database(db_url)
            tenant = uuid.uuid4()
            started = time.perf_counter()
            for start in range(0, n, 100):
                with db.session() as session:
                    for _ in range(min(100, n - start)):
                        record(session, CheckinLogged(patenschaft_id=uuid.uuid4(), checkin_id=uuid.uuid4(),
                                                      on=datetime.date.today(), kind="quick"), tenant_id=tenant)
                    session.commit()
            written = time.perf_counter() - started
            while True:
                with db.session() as session:
                    done = session.scalar(select(func.count()).select_from(Effect))
                if done >= n:
                    break
                time.sleep(0.02)
            ours_seconds = time.perf_counter() - started
    raw_rate, ours_rate = n / raw_seconds, n / ours_seconds
    print(f"events: {n}")
    print(f"raw dramatiq no-op actor:        {raw_rate:8.0f} msg/s  ({raw_seconds:.2f} s)")
    print(f"outbox→relay→dramatiq→handler:   {ours_rate:8.0f} events/s ({ours_seconds:.2f} s; "
          f"outbox writes done after {written:.2f} s)")
    print(f"ratio ours/raw: {ours_rate / raw_rate:.2f} (goal >= 0.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
