"""The production shape as real processes on this machine (what docker-compose.yml describes).

PostgreSQL (one database per service, an owner role for migrations and an application role that owns
nothing and cannot bypass row-level security), a Redis of its own with AOF and noeviction, and under
supervisord (which restarts what dies): gunicorn per service and a dramatiq worker per consuming
service. Used by `make up` and by the integration tests.

    python -m infra.local.stack up      # start, print the URLs, stay in the foreground
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

SERVICES = ("identity", "tenants", "matching", "notifications", "federation", "portal")
WORKERS = ("identity", "tenants", "matching", "notifications", "federation")
OWNER_ROLE, APP_ROLE = "altjung_owner", "altjung_app"
PG_ADMIN = os.environ.get("ALTJUNG_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    """One running production-shaped platform. ``faults`` adds ALTJUNG_FAULTS to one program's env."""

    root: Path
    prefix: str = field(default_factory=lambda: f"aj_{uuid.uuid4().hex[:8]}")
    faults: dict[str, str] = field(default_factory=dict)
    env_extra: dict[str, str] = field(default_factory=dict)
    web_workers: int = 2
    worker_threads: int = 4
    ports: dict[str, int] = field(default_factory=dict)
    redis_port: int = 0
    proxy_port: int = 0

    # --- set-up -----------------------------------------------------------------------------------
    def database(self, service: str) -> str:
        return f"{self.prefix}_{service}"

    def url(self, service: str) -> str:
        """A service's own gunicorn, as the other services reach it."""
        return f"http://127.0.0.1:{self.ports[service]}"

    @property
    def proxy_url(self) -> str:
        """The one entry point (nginx, infra/proxy/nginx.conf): /identity, /tenants, …, and the portal at /."""
        return f"http://127.0.0.1:{self.proxy_port}"

    def db_url(self, service: str, role: str = APP_ROLE) -> str:
        return f"postgresql+psycopg://{role}@127.0.0.1:5432/{self.database(service)}"

    @property
    def broker_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def env(self, service: str) -> dict[str, str]:
        """The environment one service's processes get: the same settings compose would give."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ALTJUNG_", "DRAMATIQ"))}
        upper = service.upper()
        env.update({
            f"{upper}_DATABASE_URL": self.db_url(service),
            f"{upper}_MIGRATION_DATABASE_URL": self.db_url(service, OWNER_ROLE),
            "ALTJUNG_BROKER_URL": self.broker_url,
            "ALTJUNG_ISSUER": f"{self.proxy_url}/identity",
            "ALTJUNG_JWKS_URL": f"{self.url('identity')}/.well-known/jwks.json",
            "ALTJUNG_PUBLIC_BASE_URL": self.proxy_url,
            "ALTJUNG_BEHIND_PROXY": "true",
            "ALTJUNG_SERVICE_URLS": ",".join(f"{s}={self.url(s)}" for s in SERVICES),
            "ALTJUNG_VAR_DIR": str(self.root / "var"),
            "ALTJUNG_MAIL_URL": f"file://{self.root / 'mail'}",
            "ALTJUNG_DEVELOPMENT": "false",
            "ALTJUNG_SECRET_KEY": "stack-secret-" + self.prefix,
            "ALTJUNG_SERVICE_SECRET": "stack-service-secret-" + self.prefix,
            "ALTJUNG_APP_ROLE": APP_ROLE,
            "ALTJUNG_REDIS_HEARTBEAT_MS": "3000",
            "ALTJUNG_REDIS_MAINTENANCE_CHANCE": "300000",
            "ALTJUNG_RELAY_INTERVAL": "0.1",
            "dramatiq_queue_prefetch": "64",
            "dramatiq_worker_timeout": "100",
            "PYTHONUNBUFFERED": "1",
        })
        env.update(self.env_extra)
        return env

    def settings(self, service: str):
        """The Settings a test process uses to act as ``service`` (e.g. to mint a token)."""
        from altjung.kit.settings import Settings

        return Settings.from_env(service, self.env(service))

    def _prepare_postgres(self) -> None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            roles = {r[0] for r in conn.execute("SELECT rolname FROM pg_roles")}
            if OWNER_ROLE not in roles:
                conn.execute(f"CREATE ROLE {OWNER_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE")
            if APP_ROLE not in roles:
                conn.execute(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB")
            existing = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
            for service in SERVICES:
                if self.database(service) not in existing:
                    conn.execute(f'CREATE DATABASE "{self.database(service)}" OWNER {OWNER_ROLE}')
        for service in SERVICES:
            admin_db = PG_ADMIN.rsplit("/", 1)[0] + "/" + self.database(service)
            with psycopg.connect(admin_db, autocommit=True) as conn:
                conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
                conn.execute(f"ALTER SCHEMA public OWNER TO {OWNER_ROLE}")
                conn.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")

    def migrate(self) -> None:
        """What `altjung migrate` does in each service's container, as the owner role."""
        from altjung.kit.migrate import upgrade

        previous = os.environ.get("ALTJUNG_APP_ROLE")
        os.environ["ALTJUNG_APP_ROLE"] = APP_ROLE
        try:
            for service in SERVICES:
                upgrade(self.settings(service))
        finally:
            if previous is None:
                os.environ.pop("ALTJUNG_APP_ROLE", None)

    def _supervisor_conf(self) -> str:
        logs = self.root / "logs"
        lines = [
            "[unix_http_server]", f"file={self.root / 'supervisor.sock'}", "",
            "[supervisord]", f"logfile={logs / 'supervisord.log'}", f"pidfile={self.root / 'supervisord.pid'}",
            "nodaemon=true", "", "[rpcinterface:supervisor]",
            "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface", "",
            "[supervisorctl]", f"serverurl=unix://{self.root / 'supervisor.sock'}", "",
            "[program:redis]",
            f"command=redis-server --port {self.redis_port} --bind 127.0.0.1 --dir {self.root / 'redis'} "
            "--appendonly yes --appendfsync everysec --maxmemory-policy noeviction --save ''",
            "autorestart=true", "priority=1", f"stdout_logfile={logs / 'redis.log'}", "redirect_stderr=true", "",
        ]
        lines += ["[program:proxy]", f"command=nginx -c {self.root / 'nginx.conf'} -g 'daemon off;'",
                  "autorestart=true", "priority=20", f"stdout_logfile={logs / 'proxy.log'}", "redirect_stderr=true", ""]
        for service in SERVICES:
            lines += self._program(f"{service}-web", service,
                                   f"{BIN / 'gunicorn'} --bind 127.0.0.1:{self.ports[service]} "
                                   f"--workers {self.web_workers} --preload --access-logfile - --graceful-timeout 5 "
                                   f"altjung.{service}.app:create_app()")
        for service in WORKERS:
            lines += self._program(f"{service}-worker", service,
                                   f"{BIN / 'dramatiq'} altjung.{service}.worker --queues {service} "
                                   f"--processes 1 --threads {self.worker_threads} --worker-shutdown-timeout 5000")
        return "\n".join(lines) + "\n"

    def _program(self, name: str, service: str, command: str) -> list[str]:
        env = self.env(service)
        if name in self.faults:
            env["ALTJUNG_FAULTS"] = self.faults[name]
        keep = {k: v for k, v in env.items() if k.startswith(("ALTJUNG_", service.upper() + "_", "dramatiq_"))
                or k in ("PATH", "PYTHONUNBUFFERED", "HOME", "LANG")}
        env_line = ",".join(f'{k}="{v}"' for k, v in sorted(keep.items()))
        return [f"[program:{name}]", f"command={command}", f"directory={self.root}", f"environment={env_line}",
                "autorestart=true", "startsecs=1", "startretries=50", "stopasgroup=true", "killasgroup=true",
                "stopwaitsecs=10", f"stdout_logfile={self.root / 'logs' / (name + '.log')}",
                "redirect_stderr=true", "priority=10", ""]

    def _nginx_conf(self) -> str:
        """infra/proxy/nginx.conf itself, with this machine's ports and paths in place of compose's."""
        conf = (Path(__file__).resolve().parents[1] / "proxy" / "nginx.conf").read_text()
        logs = self.root / "logs"
        conf = re.sub(r"^user .*;$", "", conf, flags=re.M)
        conf = re.sub(r"^error_log .*;$", f"error_log {logs / 'nginx-error.log'} warn;", conf, flags=re.M)
        conf = re.sub(r"^pid .*;$", f"pid {self.root / 'nginx.pid'};", conf, flags=re.M)
        conf = conf.replace("access_log /var/log/nginx/access.log", f"access_log {logs / 'nginx-access.log'}")
        conf = re.sub(r"listen 80 default_server;", f"listen 127.0.0.1:{self.proxy_port} default_server;", conf)
        for service in SERVICES:
            conf = conf.replace(f"http://{service}:8000", self.url(service))
        temp = self.root / "nginx-temp"
        temp.mkdir(exist_ok=True)
        conf = conf.replace("http {", f"http {{\n    client_body_temp_path {temp}/body;\n"
                            f"    proxy_temp_path {temp}/proxy;\n    fastcgi_temp_path {temp}/fastcgi;\n"
                            f"    uwsgi_temp_path {temp}/uwsgi;\n    scgi_temp_path {temp}/scgi;", 1)
        return conf

    # --- life cycle -------------------------------------------------------------------------------
    def start(self, timeout: float = 90.0) -> Stack:
        for tool in ("nginx", "redis-server"):
            if shutil.which(tool) is None:
                raise RuntimeError(f"{tool} is not installed (apt-get install nginx-light redis-server)")
        for sub in ("logs", "redis", "mail", "var"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.ports = {s: free_port() for s in SERVICES}
        self.redis_port = free_port()
        self.proxy_port = self.proxy_port or free_port()
        self._prepare_postgres()
        self.migrate()
        (self.root / "nginx.conf").write_text(self._nginx_conf())
        (self.root / "supervisord.conf").write_text(self._supervisor_conf())
        self.supervisor = subprocess.Popen([str(BIN / "supervisord"), "-c", str(self.root / "supervisord.conf")],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                           start_new_session=True)
        self._wait_redis(timeout)
        self.wait_ready(timeout)
        return self

    def _wait_redis(self, timeout: float) -> None:
        import redis

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.redis_port).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError("redis did not come up")

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Every service answers /readyz through the proxy (so nginx, gunicorn and the app are up)."""
        deadline = time.monotonic() + timeout
        pending = set(SERVICES)
        while pending and time.monotonic() < deadline:
            for service in list(pending):
                prefix = "" if service == "portal" else f"/{service}"
                try:
                    if requests.get(f"{self.proxy_url}{prefix}/readyz", timeout=2).status_code == 200:
                        pending.discard(service)
                except requests.RequestException:
                    pass
            time.sleep(0.3)
        if pending:
            raise RuntimeError(f"not ready after {timeout}s: {sorted(pending)}; logs in {self.root / 'logs'}")

    def ctl(self, *args: str) -> str:
        result = subprocess.run([str(BIN / "supervisorctl"), "-c", str(self.root / "supervisord.conf"), *args],
                                capture_output=True, text=True, timeout=60)
        return result.stdout

    def pids(self, program: str) -> list[int]:
        """The process ids of a program and its children (gunicorn/dramatiq workers)."""
        out = self.ctl("pid", program).strip()
        if not out.isdigit():
            return []
        main = int(out)
        children = subprocess.run(["pgrep", "-P", str(main)], capture_output=True, text=True).stdout.split()
        return [main, *map(int, children)]

    def kill(self, program: str, *, children_only: bool = True) -> None:
        """SIGKILL a program's worker processes (or the whole program)."""
        pids = self.pids(program)
        for pid in (pids[1:] if children_only and len(pids) > 1 else pids):
            os.kill(pid, signal.SIGKILL)

    def stop(self, *, drop: bool = True, graceful: bool = False) -> None:
        """Stop everything; tests need no grace (every process of the stack is in one session)."""
        if getattr(self, "supervisor", None) is not None:
            if graceful:
                self.supervisor.send_signal(signal.SIGTERM)
                try:
                    self.supervisor.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    pass
            subprocess.run(["pkill", "-KILL", "-s", str(self.supervisor.pid)], check=False)
            self.supervisor.wait(timeout=10)
        if drop:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                for service in SERVICES:
                    conn.execute(f'DROP DATABASE IF EXISTS "{self.database(service)}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["up"])
    parser.add_argument("--dir", default="var/stack")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PROXY_PORT", "8080")),
                        help="the proxy's port (the one address people use)")
    args = parser.parse_args(argv)
    root = Path(args.dir).resolve()
    shutil.rmtree(root, ignore_errors=True)
    stack = Stack(root=root, prefix="altjung_local", proxy_port=args.port).start()
    print("Produktionsform läuft / production shape is up:")
    print(f"  proxy (nginx)  {stack.proxy_url}/  — /identity, /tenants, /matching, /notifications, /federation")
    for service in SERVICES:
        print(f"  {service:<14} {stack.url(service)}  (openapi: {stack.url(service)}/openapi.json)")
    print(f"  redis          {stack.broker_url}\n  logs           {root / 'logs'}\n  stop: Ctrl-C")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the stack on SIGTERM as on Ctrl-C
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop(drop=False, graceful=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
