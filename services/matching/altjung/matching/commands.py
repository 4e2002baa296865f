"""matching's commands for cron / compose: `altjung matching-jobs [--job …] [--on YYYY-MM-DD]`."""

from __future__ import annotations

import argparse
import datetime as dt

from altjung.kit.db import Database
from altjung.kit.settings import Settings
from altjung.matching.jobs import JOBS, run_all


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("matching-jobs", help="daily: overdue check-ins, applicants stuck in screening, deletion "
                                                  "of police certificate records, erasure after the retention period")
    parser.add_argument("--job", dest="jobs", action="append", choices=JOBS,
                        help="run only this job (repeatable); default: all")
    parser.add_argument("--on", type=dt.date.fromisoformat, default=None, help="the day to judge (default today)")
    parser.set_defaults(func=run_jobs)


def run_jobs(args: argparse.Namespace) -> int:
    settings = Settings.from_env("matching")
    db = Database(settings.database_url)
    try:
        results = run_all(db, on=args.on, jobs=args.jobs or JOBS)
    finally:
        db.dispose()
    for site_id, done in results.items():
        print(f"{site_id}\t" + " ".join(f"{job}={count}" for job, count in done.items()))
    return 0
