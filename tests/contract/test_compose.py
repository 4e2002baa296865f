"""The production-shaped stack, read from its files: docker-compose.yml, the Dockerfile, nginx.conf, init.sql.

Docker is not needed: the files are parsed and checked against each other and against the repository
(the entry points they name exist, the image installs every package, the settings each container gets
resolve — through the kit's own Settings — to that service's PostgreSQL database as the application role).
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from altjung.kit.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "infra" / "docker" / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
NGINX = ROOT / "infra" / "proxy" / "nginx.conf"
INIT_SQL = ROOT / "infra" / "postgres" / "init.sql"

SERVICES = ("identity", "tenants", "matching", "notifications", "federation", "portal")
WITH_WORKER = tuple(s for s in SERVICES if s != "portal")
APP_ROLE = "altjung_app"
OWNER_ROLE = "altjung_owner"


# --- helpers ---------------------------------------------------------------------------------------------

_VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<default>[^}]*))?\}")


def interpolate(value: str) -> str:
    """Compose's ${VAR:-default} with an empty shell environment: the default the file declares."""
    def replace(match: re.Match[str]) -> str:
        assert match["op"] in (":-", "-"), f"{match[0]} has no default: `docker compose up` would need it set"
        return match["default"]

    return _VARIABLE.sub(replace, value)


def command_of(service: dict) -> list[str]:
    command = service.get("command")
    assert command, "no command"
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def option(argv: list[str], name: str) -> str | None:
    """The value after ``name`` (or of ``name=value``) in an argument vector."""
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def environment_of(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: interpolate(str(value)) for key, value in env.items()}


def healthcheck_text(service: dict) -> str:
    test = (service.get("healthcheck") or {}).get("test")
    assert test, "no healthcheck"
    return " ".join(test) if isinstance(test, list) else str(test)


def depends_on(service: dict) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def mounts(service: dict) -> list[tuple[str, str]]:
    """(source, target) of each volume entry, short or long syntax."""
    result = []
    for entry in service.get("volumes") or []:
        if isinstance(entry, dict):
            result.append((str(entry.get("source", "")), str(entry["target"])))
        else:
            source, target = str(entry).split(":")[:2]
            result.append((source, target))
    return result


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    logical, current = [], ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    assert not current, "the Dockerfile ends in a continuation line"
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in logical]


def package_folders() -> set[str]:
    """Every installable package of the repository: a folder under libs/ or services/ with a pyproject.toml."""
    found = set()
    for top in ("libs", "services"):
        for dirpath, dirnames, filenames in os.walk(ROOT / top):
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in ("__pycache__", "build")
                           and not d.endswith(".egg-info")]
            if "pyproject.toml" in filenames:
                found.add(Path(dirpath).relative_to(ROOT).as_posix())
    return found


def nginx_text() -> str:
    return "\n".join(line.split("#", 1)[0] for line in NGINX.read_text().splitlines())


def nginx_locations() -> dict[str, str]:
    """Prefix location -> its body (our locations hold no nested blocks)."""
    return {m["path"]: m["body"] for m in re.finditer(r"location\s+(?P<path>/\S*)\s*\{(?P<body>[^{}]*)\}",
                                                      nginx_text())}


def sql_text() -> str:
    return "\n".join(line.split("--", 1)[0] for line in INIT_SQL.read_text().splitlines())


# --- fixtures --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose: dict) -> dict[str, dict]:
    return compose["services"]


@pytest.fixture(scope="module")
def app_containers(services: dict[str, dict]) -> dict[str, dict]:
    """The containers of the platform itself: every web container, every worker and the migrate job."""
    names = [*SERVICES, *(f"{s}-worker" for s in WITH_WORKER), "migrate"]
    missing = [n for n in names if n not in services]
    assert not missing, f"docker-compose.yml lacks {missing}"
    return {name: services[name] for name in names}


# --- topology --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("svc", SERVICES)
def test_each_service_has_a_gunicorn_web_container(services: dict[str, dict], svc: str) -> None:
    # Given the compose file
    # When we read the container named after the service (the host name the proxy and SERVICE_URLS use)
    argv = command_of(services[svc])
    # Then it runs gunicorn on port 8000 with the service's app factory, and checks /healthz
    assert argv[0] == "gunicorn"
    assert f"altjung.{svc}.app:create_app()" in argv
    assert option(argv, "--bind") == "0.0.0.0:8000"
    assert option(argv, "--workers") == "2"
    assert option(argv, "--access-logfile") == "-"
    assert "/healthz" in healthcheck_text(services[svc])
    assert "8000" in [str(port) for port in services[svc].get("expose", [])]
    assert "ports" not in services[svc], "web containers are reached through the proxy only"


@pytest.mark.parametrize("svc", WITH_WORKER)
def test_each_service_but_the_portal_has_a_dramatiq_worker_on_its_own_queue(services: dict[str, dict],
                                                                             svc: str) -> None:
    # Given the compose file
    # When we read the service's worker container
    worker = services[f"{svc}-worker"]
    argv = command_of(worker)
    # Then it runs dramatiq on the service's worker module, consuming only the service's queue,
    # and compose restarts it when it dies
    assert argv[:2] == ["dramatiq", f"altjung.{svc}.worker"]
    assert option(argv, "--queues") == svc
    assert option(argv, "--processes") == "1"
    assert option(argv, "--threads") == "8"
    assert worker.get("restart") == "unless-stopped"


def test_the_portal_has_no_worker_and_nothing_else_runs_a_worker(services: dict[str, dict]) -> None:
    # Given the compose file
    # When we collect every container running dramatiq
    workers = {name for name, spec in services.items()
               if spec.get("command") and command_of(spec)[0] == "dramatiq"}
    # Then there is exactly one per service with events to consume, and none for the portal
    assert workers == {f"{s}-worker" for s in WITH_WORKER}
    assert "portal-worker" not in services


def test_every_entry_point_named_in_the_compose_file_exists(app_containers: dict[str, dict]) -> None:
    # Given every module:callable the web and worker commands name
    referenced = []
    for spec in app_containers.values():
        for arg in command_of(spec):
            match = re.fullmatch(r"altjung\.(?P<svc>\w+)\.(?P<mod>app|worker)(?::(?P<attr>\w+)\(\))?", arg)
            if match:
                referenced.append(match)
    assert len(referenced) == len(SERVICES) + len(WITH_WORKER)
    for match in referenced:
        # When we look for the module in the service's package folder
        source = ROOT / "services" / match["svc"] / "altjung" / match["svc"] / f"{match['mod']}.py"
        # Then the file exists, and the app factory is defined in it
        assert source.is_file(), f"{source.relative_to(ROOT)} is missing"
        if match["attr"]:
            assert re.search(rf"^def {match['attr']}\(", source.read_text(), re.M), f"no {match['attr']} in {source}"


def test_every_platform_container_is_built_from_the_one_dockerfile(app_containers: dict[str, dict]) -> None:
    # Given the web, worker and migrate containers
    images = set()
    for name, spec in app_containers.items():
        # When we read how each gets its image
        build = spec.get("build")
        assert isinstance(build, dict), f"{name} is not built"
        # Then it is built from infra/docker/Dockerfile with the repository root as context
        assert build.get("context") == "."
        assert build.get("dockerfile") == "infra/docker/Dockerfile"
        assert (ROOT / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE.resolve()
        images.add(spec.get("image"))
    # And they all share one image tag
    assert len(images) == 1


def test_the_one_shot_migrate_job_runs_every_migration_as_the_owner(services: dict[str, dict]) -> None:
    # Given the migrate container
    migrate = services["migrate"]
    # When we read its command, restart policy and environment
    argv = command_of(migrate)
    env = environment_of(migrate)
    # Then it runs `altjung migrate` once for all services (no names: every registered one), then
    # registers the portal as identity's PKCE client…
    assert argv[:2] == ["sh", "-c"]
    assert argv[2] == "altjung migrate && altjung identity-register-portal"
    assert migrate.get("restart", "no") == "no"
    assert depends_on(migrate) == {"postgres": "service_healthy"}
    for svc in SERVICES:
        # …connecting as the owner role to the service's own database, and granting to the app role
        settings = Settings.from_env(svc, env)
        url = urlsplit(settings.migration_database_url or "")
        assert url.username == OWNER_ROLE, svc
        assert (url.hostname, url.path) == ("postgres", f"/altjung_{svc}")
        assert urlsplit(settings.database_url).path == url.path
    assert env.get("ALTJUNG_APP_ROLE") == APP_ROLE


def test_web_and_workers_start_after_migrations_and_on_healthy_dependencies(services: dict[str, dict]) -> None:
    for name in [*SERVICES, *(f"{s}-worker" for s in WITH_WORKER)]:
        # Given a web or worker container
        # When we read what it waits for
        deps = depends_on(services[name])
        # Then the database and broker are healthy and the migrations have completed
        assert deps.get("postgres") == "service_healthy", name
        assert deps.get("redis") == "service_healthy", name
        assert deps.get("migrate") == "service_completed_successfully", name
    # And whoever sends mail waits for the mail catcher
    assert depends_on(services["notifications-worker"]).get("mailpit") == "service_healthy"


def test_every_platform_container_gets_the_shared_settings(compose: dict,
                                                          app_containers: dict[str, dict]) -> None:
    # Given the shared x-env block
    shared = {key: interpolate(str(value)) for key, value in compose["x-env"].items()}
    for name, spec in app_containers.items():
        # When we read a platform container's environment
        env = environment_of(spec)
        # Then it carries every shared setting unchanged
        assert {k: env.get(k) for k in shared} == shared, name
    # And the owner's credentials reach the migrate job only
    for name, spec in app_containers.items():
        if name != "migrate":
            assert not any("MIGRATION_DATABASE_URL" in key for key in environment_of(spec)), name


@pytest.mark.parametrize("svc", SERVICES)
def test_each_service_resolves_to_its_own_database_as_the_application_role(services: dict[str, dict],
                                                                           svc: str) -> None:
    containers = [svc] + ([f"{svc}-worker"] if svc in WITH_WORKER else [])
    for name in containers:
        # Given the environment compose gives the service's container
        env = environment_of(services[name])
        # When the kit reads its settings from it
        settings = Settings.from_env(svc, env)
        url = urlsplit(settings.database_url)
        # Then it talks to PostgreSQL as altjung_app, in the service's own database, over Redis, for real
        assert url.scheme == "postgresql+psycopg", name
        assert url.username == APP_ROLE, name
        assert (url.hostname, url.port, url.path) == ("postgres", 5432, f"/altjung_{svc}"), name
        assert settings.migration_database_url is None, name
        assert settings.broker_url == "redis://redis:6379/0", name
        assert settings.development is False, name
        assert settings.mail_url == "smtp://mailpit:1025", name
        assert settings.jwks_url.startswith("http://identity:8000/"), name
        assert settings.issuer == settings.public_base_url.rstrip("/") + "/identity", name


def test_one_database_per_service(services: dict[str, dict]) -> None:
    # Given every service's settings in its web container
    databases = {svc: urlsplit(Settings.from_env(svc, environment_of(services[svc])).database_url).path
                 for svc in SERVICES}
    # Then no two services share a database
    assert len(set(databases.values())) == len(SERVICES)


def test_service_urls_name_web_containers_that_exist(services: dict[str, dict]) -> None:
    # Given the identity container's settings
    settings = Settings.from_env("identity", environment_of(services["identity"]))
    for svc in WITH_WORKER:
        # When a service looks another one up
        url = urlsplit(settings.url_of(svc))
        # Then it reaches that service's web container directly on 8000
        assert (url.hostname, url.port) == (svc, 8000)
        assert url.hostname in services


def test_redis_persists_and_never_evicts(services: dict[str, dict]) -> None:
    # Given the redis container
    redis = services["redis"]
    argv = command_of(redis)
    # When we read its command line
    # Then it appends every write to its AOF, fsyncs every second, refuses to evict, and keeps /data
    assert redis["image"].startswith("redis:7")
    assert option(argv, "--appendonly") == "yes"
    assert option(argv, "--appendfsync") == "everysec"
    assert option(argv, "--maxmemory-policy") == "noeviction"
    assert any(target == "/data" for _, target in mounts(redis))
    assert "redis-cli" in healthcheck_text(redis) and "ping" in healthcheck_text(redis)


def test_postgres_mounts_init_sql_and_hands_it_the_role_passwords(services: dict[str, dict]) -> None:
    # Given the postgres container
    postgres = services["postgres"]
    # When we read its mounts, health check and environment
    init = [(source, target) for source, target in mounts(postgres)
            if target.startswith("/docker-entrypoint-initdb.d/")]
    # Then init.sql runs on the first start, readiness is pg_isready, and its data is kept
    assert postgres["image"] == "postgres:15"
    assert [(ROOT / source).resolve() for source, _ in init] == [INIT_SQL.resolve()]
    assert init[0][1].endswith(".sql")
    assert "pg_isready" in healthcheck_text(postgres)
    assert any(target == "/var/lib/postgresql/data" for _, target in mounts(postgres))
    # And every variable init.sql reads with \getenv is set, to the passwords the URLs carry
    env = environment_of(postgres)
    wanted = re.findall(r"^\\getenv\s+\w+\s+(\w+)", INIT_SQL.read_text(), re.M)
    assert wanted and all(env.get(name) for name in wanted)
    app_url = urlsplit(Settings.from_env("identity", environment_of(services["identity"])).database_url)
    owner_url = urlsplit(Settings.from_env("identity", environment_of(services["migrate"])).migration_database_url)
    assert app_url.password == env["ALTJUNG_DB_APP_PASSWORD"]
    assert owner_url.password == env["ALTJUNG_DB_OWNER_PASSWORD"]


def test_mailpit_and_the_proxy(services: dict[str, dict]) -> None:
    # Given the mail catcher and the proxy
    mailpit, proxy = services["mailpit"], services["proxy"]
    # Then mail goes to mailpit's SMTP port and its UI is published
    assert mailpit["image"].startswith("axllent/mailpit")
    assert any(str(port).endswith("8025:8025") for port in mailpit.get("ports", []))
    # And nginx publishes the platform on 8080, with our nginx.conf, once every web container is healthy
    assert proxy["image"].startswith("nginx:1.27")
    assert "8080:80" in [str(port) for port in proxy.get("ports", [])]
    assert [(ROOT / s).resolve() for s, t in mounts(proxy) if t == "/etc/nginx/nginx.conf"] == [NGINX.resolve()]
    assert depends_on(proxy) == dict.fromkeys(SERVICES, "service_healthy")


def test_long_running_containers_restart_unless_stopped(services: dict[str, dict]) -> None:
    # Given every container but the one-shot migrate job
    for name, spec in services.items():
        if name == "migrate":
            continue
        # Then compose brings it back when it dies
        assert spec.get("restart") == "unless-stopped", name


# --- proxy -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("svc", SERVICES)
def test_the_proxy_routes_each_prefix_to_its_service_and_strips_it(svc: str) -> None:
    # Given nginx.conf's locations
    locations = nginx_locations()
    if svc == "portal":
        # Then "/" goes to the portal unchanged
        assert re.search(r"proxy_pass\s+http://portal:8000/?;", locations["/"])
        return
    # When we read the location of the service's prefix
    body = locations[f"/{svc}/"]
    # Then it proxies to the service's web container with a trailing "/" (nginx strips the prefix)
    assert re.search(rf"proxy_pass\s+http://{svc}:8000/;", body)


def test_the_proxy_forwards_client_request_and_prefix_headers_everywhere() -> None:
    # Given nginx.conf
    text = nginx_text()
    # Then the server block sets the forwarded headers and a request id…
    for header, value in (("Host", r"\$http_host"), ("X-Forwarded-For", r"\$proxy_add_x_forwarded_for"),
                          ("X-Forwarded-Proto", r"\$scheme"), ("X-Forwarded-Prefix", r"\$\w+"),
                          ("X-Request-Id", r"\$request_id")):
        assert re.search(rf"proxy_set_header\s+{header}\s+{value};", text), header
    # …and no location sets its own header (it would then inherit none of the server's)
    assert all("proxy_set_header" not in body for body in nginx_locations().values())
    # And the prefix variable maps each service's path to its prefix
    prefix_var = re.search(r"proxy_set_header\s+X-Forwarded-Prefix\s+\$(\w+);", text)[1]
    mapping = re.search(rf"map\s+\$uri\s+\${prefix_var}\s*\{{(?P<body>[^}}]*)\}}", text)
    assert mapping, "no map for the prefix"
    for svc in WITH_WORKER:
        assert re.search(rf"~\^/{svc}\(/\|\$\)\s+/{svc};", mapping["body"]), svc
    # And bodies are capped like in the services, with timeouts set
    assert re.search(r"client_max_body_size\s+1m;", text)
    for directive in ("proxy_connect_timeout", "proxy_read_timeout", "proxy_send_timeout"):
        assert re.search(rf"{directive}\s+\d+s;", text), directive


# --- image -----------------------------------------------------------------------------------------------

def test_the_image_installs_every_package_of_the_repository_non_editable() -> None:
    # Given the Dockerfile and the packages found under libs/ and services/
    instructions = dockerfile_instructions()
    packages = package_folders()
    assert {"libs/events", "libs/kit", *(f"services/{s}" for s in SERVICES)} <= packages
    # When we read its pip install
    installs = [shlex.split(args.split("&&")[0]) for kind, args in instructions
                if kind == "RUN" and "pip install" in args]
    assert len(installs) == 1
    argv = installs[0]
    named = {arg.removeprefix("./").rstrip("/") for arg in argv if arg.startswith(("./libs/", "./services/",
                                                                                  "libs/", "services/"))}
    # Then it installs exactly those folders, pinned by constraints.txt, without a cache, not editable
    assert named == packages
    assert option(argv, "-c") == "constraints.txt"
    assert "--no-cache-dir" in argv
    assert "-e" not in argv and "--editable" not in argv
    assert "gunicorn" in argv
    # And everything it installs was copied in first
    copied = " ".join(args for kind, args in instructions if kind == "COPY")
    for source in ("constraints.txt", "libs/", "services/"):
        assert source in copied


def test_the_image_runs_as_a_non_root_user_on_python_3_11() -> None:
    # Given the Dockerfile
    instructions = dockerfile_instructions()
    kinds = [kind for kind, _ in instructions]
    # Then it starts from python:3.11-slim
    assert instructions[0] == ("FROM", "python:3.11-slim")
    # And its last USER, after every RUN, is not root
    assert "USER" in kinds
    last_user = len(kinds) - 1 - kinds[::-1].index("USER")
    user = instructions[last_user][1].split(":")[0].strip()
    assert user not in ("root", "0")
    assert "RUN" not in kinds[last_user:]
    # And it serves on 8000, by default identity under gunicorn
    assert ("EXPOSE", "8000") in instructions
    cmd = next(args for kind, args in instructions if kind == "CMD")
    assert "gunicorn" in cmd and "altjung.identity.app:create_app()" in cmd


def test_the_build_context_leaves_local_state_and_tests_out() -> None:
    # Given the .dockerignore of the build context (the repository root)
    patterns = {line.strip() for line in DOCKERIGNORE.read_text().splitlines()
                if line.strip() and not line.startswith("#")}
    # Then the virtualenv, local data, git, caches, tests and benchmarks stay out of the image
    for pattern in (".venv", "var", ".git", "tests", "bench"):
        assert pattern in patterns, pattern
    assert "**/__pycache__" in patterns


# --- database roles --------------------------------------------------------------------------------------

def test_the_application_role_is_no_superuser_and_cannot_bypass_row_level_security() -> None:
    # Given init.sql
    sql = sql_text()
    # When we read every statement that sets the app role's attributes
    statements = re.findall(rf"ALTER\s+ROLE\s+{APP_ROLE}\s+(?:WITH\s+)?([^;]*);", sql, re.I)
    assert statements, "init.sql never states the app role's attributes"
    attributes = " ".join(statements).upper().split()
    # Then it may log in, is no superuser, cannot bypass RLS or create roles and databases
    for wanted in ("LOGIN", "NOSUPERUSER", "NOBYPASSRLS", "NOCREATEROLE", "NOCREATEDB"):
        assert wanted in attributes, wanted
    assert "SUPERUSER" not in attributes and "BYPASSRLS" not in attributes
    # And it is created when missing and never made a member of the owner role
    assert re.search(rf"'CREATE ROLE {APP_ROLE}'", sql)
    assert not re.search(rf"GRANT\s+{OWNER_ROLE}\s+TO\s+{APP_ROLE}", sql, re.I)
    assert re.search(rf"REVOKE\s+{OWNER_ROLE}\s+FROM\s+{APP_ROLE}", sql, re.I)


def test_the_owner_role_owns_one_database_per_service() -> None:
    # Given init.sql
    sql = sql_text()
    owner = " ".join(re.findall(rf"ALTER\s+ROLE\s+{OWNER_ROLE}\s+(?:WITH\s+)?([^;]*);", sql, re.I)).upper().split()
    # Then the owner logs in without superuser powers
    assert {"LOGIN", "NOSUPERUSER", "NOBYPASSRLS"} <= set(owner)
    # And each service's database is created owned by it
    created = re.search(r"CREATE DATABASE %I OWNER (\w+)'.*?ARRAY\[(?P<names>[^\]]*)\]", sql, re.S)
    assert created and created[1] == OWNER_ROLE
    assert sorted(re.findall(r"'(\w+)'", created["names"])) == sorted(f"altjung_{s}" for s in SERVICES)


@pytest.mark.parametrize("svc", SERVICES)
def test_each_database_grants_the_app_role_dml_on_what_the_owner_creates(svc: str) -> None:
    # Given the part of init.sql run inside the service's database
    sections = re.split(r"^\\(?:connect|c)\s+", sql_text(), flags=re.M)
    section = next((s for s in sections[1:] if s.split()[0] == f"altjung_{svc}"), None)
    assert section, f"init.sql never connects to altjung_{svc}"
    flat = " ".join(section.split())
    # Then only the owner creates in schema public, the app role may connect and use it,
    # and it gets DML on the owner's future tables and sequences
    for statement in (
        f"ALTER DATABASE altjung_{svc} OWNER TO {OWNER_ROLE};",
        f"REVOKE ALL ON DATABASE altjung_{svc} FROM PUBLIC;",
        f"GRANT CONNECT ON DATABASE altjung_{svc} TO {APP_ROLE};",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
        f"GRANT USAGE ON SCHEMA public TO {APP_ROLE};",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER_ROLE} IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE};",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER_ROLE} IN SCHEMA public "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {APP_ROLE};",
    ):
        assert statement in flat, statement


def test_compose_databases_are_the_ones_init_sql_creates(services: dict[str, dict]) -> None:
    # Given the databases init.sql creates and the ones the services connect to
    created = set(re.findall(r"'(altjung_\w+)'", sql_text())) - {APP_ROLE, OWNER_ROLE}
    used = {urlsplit(Settings.from_env(s, environment_of(services[s])).database_url).path.lstrip("/")
            for s in SERVICES}
    # Then they are the same
    assert used == created


def test_the_scheduled_jobs_run_in_their_own_restarting_container(services: dict[str, dict]) -> None:
    jobs = services["jobs"]
    script = command_of(jobs)[-1]
    assert "altjung matching-jobs" in script and "altjung identity-purge" in script and "sleep 3600" in script
    assert jobs.get("restart") == "unless-stopped"
