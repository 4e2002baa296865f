"""federation's commands: `altjung federation-rebuild`."""

from __future__ import annotations

import argparse

from altjung.kit.db import Database
from altjung.kit.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("federation-rebuild", help="rebuild the BaS read model (sites, facts, monthly "
                                                       "figures) from scratch by replaying the stored events")
    parser.set_defaults(func=rebuild_command)


def rebuild_command(args: argparse.Namespace) -> int:
    from altjung.federation.rebuild import rebuild

    db = Database(Settings.from_env("federation").database_url)
    try:
        done = rebuild(db)
    finally:
        db.dispose()
    print(f"federation: {done.events} events replayed, {done.sites} partner sites, {done.seconds:.1f} s")
    return 0
