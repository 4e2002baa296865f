"""Alembic per service, run programmatically; on PostgreSQL also row-level security and grants."""

from __future__ import annotations

import logging
import os

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, create_engine, inspect, pool, text

from altjung.kit.bus.models import bus_metadata
from altjung.kit.settings import Settings

log = logging.getLogger("altjung.migrate")

#: The role services connect as on PostgreSQL: owns no table, no superuser, no BYPASSRLS.
DEFAULT_APP_ROLE = "altjung_app"


def alembic_config(service: str, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", f"altjung.{service}:migrations")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["service"] = service
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring a service's database to ``revision`` (the owner's URL on PostgreSQL)."""
    url = settings.migration_database_url or settings.database_url
    command.upgrade(alembic_config(settings.service, url), revision)


def run_env(metadata: MetaData) -> None:
    """The body of every service's migrations/env.py."""
    targets = [metadata, bus_metadata]
    url = context.config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=targets, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=targets,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
            if connection.dialect.name == "postgresql":
                secure_tenant_tables(connection, metadata)


def tenant_tables(metadata: MetaData) -> list[str]:
    """Every table with a tenant_id column: tenant-owned by definition."""
    return sorted(t.name for t in metadata.sorted_tables if "tenant_id" in t.columns)


def secure_tenant_tables(connection, metadata: MetaData) -> None:
    """FORCE row-level security and one policy per tenant-owned table; grants for the app role."""
    role = os.environ.get("ALTJUNG_APP_ROLE", DEFAULT_APP_ROLE)
    existing = set(inspect(connection).get_table_names())
    for table in tenant_tables(metadata):
        if table not in existing:
            continue
        connection.execute(text(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY'))
        connection.execute(text(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY'))
        connection.execute(text(f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"'))
        # An empty setting (a pooled connection after its transaction) means: no tenant, no rows.
        connection.execute(text(
            f'CREATE POLICY tenant_isolation ON "{table}" USING ('
            f"tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) "
            f"WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)"))
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
    if exists:
        connection.execute(text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'))
        connection.execute(text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))
        connection.execute(text(f'REVOKE ALL ON TABLE alembic_version FROM "{role}"'))
