"""Service configuration from environment variables: ALTJUNG_* for all, <SERVICE>_* to override one."""

from __future__ import annotations

import dataclasses
import hmac
import os
from pathlib import Path
from typing import Any

#: Where embedded mode keeps its SQLite files, mail and keys.
DEFAULT_VAR_DIR = "var"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything a service reads from its environment. Tests build their own."""

    service: str
    #: SQLAlchemy URL the service works with (the application role on PostgreSQL).
    database_url: str
    #: URL that migrations use (the owner role on PostgreSQL); defaults to database_url.
    migration_database_url: str | None = None
    #: "stub://" runs the broker in the process (embedded); "redis://…" is production.
    broker_url: str = "stub://"
    #: The identity service's issuer URL; tokens must carry exactly this `iss`.
    issuer: str = "http://127.0.0.1:8000/identity"
    #: Where the JWKS is fetched from (never from a URL named inside a token).
    jwks_url: str = "http://127.0.0.1:8000/identity/.well-known/jwks.json"
    #: The audience every access token of the platform carries.
    audience: str = "altjung-api"
    #: Public base URL of the whole platform (links in e-mails).
    public_base_url: str = "http://127.0.0.1:8000"
    #: Where to reach other services' APIs: "identity=http://identity:8000,tenants=…"; a service not
    #: named here is reached at public_base_url/<service> (embedded mode, or behind the proxy).
    service_urls: str = ""
    var_dir: str = DEFAULT_VAR_DIR
    #: "smtp://host:port" sends mail; "file://dir" writes .eml files (embedded).
    mail_url: str = "file://var/mail"
    #: Trust one proxy hop's X-Forwarded-* headers (client address, scheme, host, path prefix).
    behind_proxy: bool = False
    #: Development conveniences (http webhooks to loopback, demo tokens). Never in production.
    development: bool = True
    secret_key: str = "dev-only-secret-change-me"
    #: Shared root from which each service's client-credentials secret is derived (identity checks it).
    service_secret: str = "dev-only-service-secret-change-me"
    #: Seconds between relay polls of the outbox.
    relay_interval: float = 0.2
    #: Retries of a failing consumer before its message goes to the dead-letter store.
    max_retries: int = 6
    min_backoff_ms: int = 500
    max_backoff_ms: int = 60_000
    #: Deliveries that killed their worker before a message is quarantined.
    max_crashed_attempts: int = 3
    #: Redis broker: a worker that stops heart-beating this long gives its messages back.
    redis_heartbeat_ms: int = 15_000
    #: Redis broker: per million fetches, how many also run maintenance (which gives a dead worker's
    #: unacknowledged messages back). Idle consumers fetch ~10 times a second: 10,000 means ~every 10 s.
    redis_maintenance_chance: int = 10_000
    #: Worker: how many messages each consumer thread prefetches; idle poll timeout in ms.
    prefetch: int = 64
    worker_timeout_ms: int = 100
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_env(cls, service: str, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Read ALTJUNG_<FIELD>, then <SERVICE>_<FIELD>; keyword overrides win."""
        env = dict(os.environ if env is None else env)
        var_dir = overrides.get("var_dir") or _lookup(env, service, "VAR_DIR") or DEFAULT_VAR_DIR
        values: dict[str, Any] = {
            "service": service,
            "database_url": f"sqlite:///{Path(var_dir).resolve() / (service + '.db')}",
            "mail_url": f"file://{Path(var_dir).resolve() / 'mail'}",
            "var_dir": var_dir,
        }
        for field in dataclasses.fields(cls):
            if field.name in ("service", "extra"):
                continue
            raw = _lookup(env, service, field.name.upper())
            if raw is None:
                continue
            values[field.name] = _convert(field.type, raw)
        values.update(overrides)
        return cls(**values)

    def url_of(self, service: str) -> str:
        """Base URL of another service's HTTP API (no trailing slash)."""
        for pair in filter(None, (p.strip() for p in self.service_urls.split(","))):
            name, _, url = pair.partition("=")
            if name.strip() == service:
                return url.strip().rstrip("/")
        return f"{self.public_base_url.rstrip('/')}/{service}"

    def service_client_secret(self, service: str | None = None) -> str:
        """The client secret of ``svc-<service>`` at identity, derived from the shared root."""
        digest = hmac.new(self.service_secret.encode(), f"svc-{service or self.service}".encode(), "sha256")
        return digest.hexdigest()

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def _lookup(env: dict[str, str], service: str, name: str) -> str | None:
    return env.get(f"{service.upper()}_{name}", env.get(f"ALTJUNG_{name}"))


def _convert(type_name: Any, raw: str) -> Any:
    text = str(type_name)
    if "bool" in text:
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if "float" in text:
        return float(raw)
    if "int" in text:
        return int(raw)
    return raw
