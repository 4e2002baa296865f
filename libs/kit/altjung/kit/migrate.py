"""Alembic per service, run programmatically; on PostgreSQL also row-level security and grants."""

from __future__ import annotations

import logging
import os

from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData, create_engine, inspect, pool, text
from sqlalchemy.engine import make_url

from altjung.kit.bus.models import bus_metadata
from altjung.kit.settings import Settings
from altjung.kit.site_status import site_status_metadata

log = logging.getLogger("altjung.migrate")

#: The role services connect as on PostgreSQL: owns no table, no superuser, no BYPASSRLS.
DEFAULT_APP_ROLE = "altjung_app"
#: The one policy on every tenant-owned table. An empty setting (what a pooled connection reports
#: once a transaction-local setting was used) and a missing one both mean: no tenant, no rows.
POLICY_NAME = "tenant_isolation"
TENANT_SETTING = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"
#: Tables the kit creates itself in every service database (not part of the services' revisions).
KIT_TABLES = frozenset(site_status_metadata.tables)


def alembic_config(service: str, url: str, *, app_role: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", f"altjung.{service}:migrations")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["service"] = service
    if app_role:
        config.attributes["app_role"] = app_role
    return config


def app_role_of(settings: Settings) -> str:
    """The role the service connects as: the user of database_url when migrations use another one."""
    if settings.migration_database_url and settings.database_url.startswith("postgresql"):
        user = make_url(settings.database_url).username
        if user and user != make_url(settings.migration_database_url).username:
            return user
    return os.environ.get("ALTJUNG_APP_ROLE", DEFAULT_APP_ROLE)


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring a service's database to ``revision`` (the owner's URL on PostgreSQL)."""
    url = settings.migration_database_url or settings.database_url
    if url.startswith("sqlite:///"):
        os.makedirs(os.path.dirname(url.removeprefix("sqlite:///")) or ".", exist_ok=True)
    command.upgrade(alembic_config(settings.service, url, app_role=app_role_of(settings)), revision)


def _include_object(obj, name, type_, reflected, compare_to) -> bool:
    # The kit's own tables are not the service's business: autogenerate neither adds nor drops them.
    return not (type_ == "table" and name in KIT_TABLES)


def create_bus_tables() -> None:
    """In a service's first migration: the outbox, processed-event and dead-letter tables."""
    bus_metadata.create_all(op.get_bind(), checkfirst=False)


def drop_bus_tables() -> None:
    bus_metadata.drop_all(op.get_bind())


def run_env(metadata: MetaData) -> None:
    """The body of every service's migrations/env.py."""
    targets = [metadata, bus_metadata]
    url = context.config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=targets, literal_binds=True,
                          include_object=_include_object)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=targets, include_object=_include_object,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            site_status_metadata.create_all(connection, checkfirst=True)
            context.run_migrations()
            if connection.dialect.name == "postgresql":
                role = context.config.attributes.get("app_role") or DEFAULT_APP_ROLE
                secure_tenant_tables(connection, role=role)


def tenant_tables(metadata: MetaData) -> list[str]:
    """Every table of ``metadata`` with a tenant_id column: tenant-owned by definition."""
    return sorted(t.name for t in metadata.sorted_tables if "tenant_id" in t.columns)


def tenant_tables_in(connection) -> list[str]:
    """Every table in the database with a tenant_id column, whether a model declares it or not."""
    inspector = inspect(connection)
    return sorted(t for t in inspector.get_table_names()
                  if any(c["name"] == "tenant_id" for c in inspector.get_columns(t)))


def secure_tenant_tables(connection, *, role: str = DEFAULT_APP_ROLE) -> list[str]:
    """FORCE row-level security and one policy per tenant-owned table; grants for the app role.

    Runs after every upgrade, so a table a revision adds is covered the moment it exists.
    """
    tables = tenant_tables_in(connection)
    for table in tables:
        connection.execute(text(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY'))
        connection.execute(text(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY'))
        connection.execute(text(f'DROP POLICY IF EXISTS {POLICY_NAME} ON "{table}"'))
        connection.execute(text(
            f'CREATE POLICY {POLICY_NAME} ON "{table}" FOR ALL '
            f"USING (tenant_id = {TENANT_SETTING}) WITH CHECK (tenant_id = {TENANT_SETTING})"))
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
    if exists:
        connection.execute(text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'))
        connection.execute(text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))
        connection.execute(text(f'REVOKE ALL ON TABLE alembic_version FROM "{role}"'))
    else:
        log.warning("application role %s does not exist; no grants given", role)
    return tables
