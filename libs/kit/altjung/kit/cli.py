"""The `altjung` command: run embedded, migrate, dead letters, demo tokens."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from importlib.metadata import entry_points

from altjung.kit.settings import Settings


def _services() -> list[str]:
    return sorted(ep.name for ep in entry_points(group="altjung.services"))


def cmd_run(args: argparse.Namespace) -> int:
    from altjung.kit.embedded import build, serve

    port = int(os.environ.get("PORT", args.port))
    platform = build(port=port, var_dir=args.var_dir)
    serve(platform, port=port)
    for ep in sorted(entry_points(group="altjung.demo"), key=lambda e: _DEMO_ORDER.index(e.name)
                     if e.name in _DEMO_ORDER else 99):
        ep.load()(platform.runtimes[ep.name], platform)
        platform.join(timeout=30)  # each service's demo builds on what the ones before it announced
    print(_banner(port, args.var_dir), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    print("\nAlt & Jung wird beendet … / shutting down …", flush=True)
    platform.stop()
    return 0


_DEMO_ORDER = ["tenants", "identity", "matching", "notifications", "federation", "portal"]


def _banner(port: int, var_dir: str) -> str:
    base = f"http://127.0.0.1:{port}"
    lines = [
        "",
        "Alt & Jung – Chancenpatenschaften läuft / is running",
        f"  Portal:            {base}/",
        *(f"  {s:<18} {base}/{s}/openapi.json" for s in _services() if s != "portal"),
        f"  E-Mails (Dateien): {os.path.abspath(var_dir)}/mail/",
        "  Anmeldedaten der Demo / demo accounts: see the lines above and README.md",
        "  Beenden / stop: Ctrl-C",
    ]
    return "\n".join(lines)


def cmd_migrate(args: argparse.Namespace) -> int:
    from altjung.kit.migrate import upgrade

    for service in args.services or _services():
        upgrade(Settings.from_env(service))
        print(f"{service}: migrated")
    return 0


def cmd_deadletters(args: argparse.Namespace) -> int:
    import uuid

    from altjung.kit.bus.deadletters import list_dead_letters, replay
    from altjung.kit.db import Database

    for service in args.services or _services():
        db = Database(Settings.from_env(service).database_url)
        if args.action == "list":
            for letter in list_dead_letters(db, include_replayed=args.all):
                state = "replayed" if letter.replayed_at else "dead"
                print(f"{service}\t{letter.id}\t{letter.event_type}\t{letter.failed_at:%Y-%m-%d %H:%M:%S}"
                      f"\t{state}\t{letter.reason[:100]}")
        else:
            ids = [uuid.UUID(i) for i in args.ids] if args.ids else None
            print(f"{service}: {replay(db, ids=ids)} replayed")
        db.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="altjung", description="Alt & Jung platform")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start every service embedded on one port")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--var-dir", default=os.environ.get("ALTJUNG_VAR_DIR", "var"))
    run.set_defaults(func=cmd_run)
    migrate = sub.add_parser("migrate", help="migrate services' databases to head")
    migrate.add_argument("services", nargs="*")
    migrate.set_defaults(func=cmd_migrate)
    dead = sub.add_parser("deadletters", help="list or replay dead letters")
    dead.add_argument("action", choices=["list", "replay"])
    dead.add_argument("--service", dest="services", action="append")
    dead.add_argument("--id", dest="ids", action="append")
    dead.add_argument("--all", action="store_true", help="list replayed ones too")
    dead.set_defaults(func=cmd_deadletters)
    for ep in entry_points(group="altjung.commands"):
        ep.load()(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
