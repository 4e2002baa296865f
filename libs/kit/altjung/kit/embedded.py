"""Embedded mode: every service in one process on one port, with the broker and workers inside."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points

import dramatiq
from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import BaseWSGIServer, make_server

from altjung.kit.migrate import upgrade
from altjung.kit.runtime import Runtime, runtime_for
from altjung.kit.settings import Settings

log = logging.getLogger("altjung.embedded")

#: Services mounted under /<name>; the portal answers at /.
SERVICES = ("identity", "tenants", "matching", "notifications", "federation", "portal")


def _load(group: str, name: str) -> Callable:
    (ep,) = [ep for ep in entry_points(group=group) if ep.name == name]
    return ep.load()


@dataclass
class Platform:
    """The running embedded platform: its apps, runtimes, worker and (when serving) its server."""

    apps: dict[str, Flask]
    runtimes: dict[str, Runtime]
    worker: dramatiq.Worker
    wsgi: DispatcherMiddleware
    server: BaseWSGIServer | None = None

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
        for runtime in self.runtimes.values():
            runtime.relay.stop()
        self.worker.stop(timeout=5000)

    def join(self, timeout: float = 10.0) -> bool:
        """Drain the outboxes and wait until the in-process queues are empty (tests, demo)."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            moved = sum(r.relay.drain() for r in self.runtimes.values())
            broker = next(iter(self.runtimes.values())).broker
            busy = any(q.unfinished_tasks for q in getattr(broker, "queues", {}).values())
            busy = busy or any(check() for r in self.runtimes.values() for check in r.busy_checks)
            if not moved and not busy:
                return True
            time.sleep(0.05)
        return False


def settings_for(service: str, *, port: int, var_dir: str, env: dict[str, str] | None = None) -> Settings:
    base = f"http://127.0.0.1:{port}"
    return Settings.from_env(service, env, var_dir=var_dir,
                             database_url=_sqlite(var_dir, service, env),
                             issuer=f"{base}/identity", jwks_url=f"{base}/identity/.well-known/jwks.json",
                             public_base_url=base)


def _sqlite(var_dir: str, service: str, env: dict[str, str] | None) -> str:
    override = (env or os.environ).get(f"{service.upper()}_DATABASE_URL")
    return override or f"sqlite:///{os.path.abspath(os.path.join(var_dir, service + '.db'))}"


def build(*, port: int, var_dir: str = "var", env: dict[str, str] | None = None,
          worker_threads: int = 4) -> Platform:
    """Migrate, build every app, attach every consumer and start the in-process worker."""
    os.makedirs(var_dir, exist_ok=True)
    apps: dict[str, Flask] = {}
    runtimes: dict[str, Runtime] = {}
    for service in SERVICES:
        settings = settings_for(service, port=port, var_dir=var_dir, env=env)
        upgrade(settings)
        apps[service] = _load("altjung.services", service)(settings)
        runtime = runtimes[service] = runtime_for(settings)
        runtime.attach_consumer(_load("altjung.handlers", service))
    broker = next(iter(runtimes.values())).broker
    worker = dramatiq.Worker(broker, worker_threads=worker_threads, worker_timeout=100)
    worker.start()
    for runtime in runtimes.values():
        runtime.relay.start()
    mounts = {f"/{name}": app.wsgi_app for name, app in apps.items() if name != "portal"}
    wsgi = DispatcherMiddleware(apps["portal"].wsgi_app, mounts)
    return Platform(apps=apps, runtimes=runtimes, worker=worker, wsgi=wsgi)


def serve(platform: Platform, *, host: str = "127.0.0.1", port: int) -> BaseWSGIServer:
    """Start the threaded HTTP server in a background thread."""
    server = make_server(host, port, platform.wsgi, threaded=True)
    platform.server = server
    threading.Thread(target=server.serve_forever, name="embedded-http", daemon=True).start()
    return server
