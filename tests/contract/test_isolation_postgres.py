"""Tenant isolation in the database itself, on real PostgreSQL, for every service's migrated schema.

A scratch role pair (owner for migrations, application role for the services) and one scratch
database per service are created, every service is migrated to head exactly as in production, and:

- the catalogue test fails if any tenant-owned table (a table with a ``tenant_id`` column) lacks row-level
  security ENABLED and FORCED with the kit's policy for reads and writes, if a unique constraint of a
  tenant-owned table leaves out tenant_id, or if the application role owns a table, is a superuser or
  may bypass row-level security;
- the data test puts rows of two sites into EVERY tenant-owned table (synthesised from the reflected
  schema) and shows that the application role, with raw SQL, sees and changes none of them without a
  tenant, only its own with one, and that a pooled connection carries no tenant into the next transaction.

Needs PostgreSQL at ALTJUNG_PG_ADMIN (default postgresql://postgres@127.0.0.1:5432/postgres, trust auth).
A table whose synthesised row breaks a CHECK constraint gets explicit values in ROW_OVERRIDES below.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
import uuid
from collections.abc import Iterator
from importlib.metadata import entry_points
from typing import Any

import psycopg
import pytest
from sqlalchemy import MetaData, Table, create_engine, text
from sqlalchemy.engine import Engine

from altjung.kit.db import Database
from altjung.kit.migrate import POLICY_NAME, upgrade
from altjung.kit.settings import Settings
from altjung.kit.tenancy import tenant_context

PG_ADMIN = os.environ.get("ALTJUNG_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
SERVICES = sorted(ep.name for ep in entry_points(group="altjung.services"))
#: table name -> column values a synthesised row must use (e.g. to satisfy a CHECK constraint).
ROW_OVERRIDES: dict[str, dict[str, Any]] = {}
#: (service, table, index) -> why a unique index of tenant data may leave out tenant_id. An escape hatch:
#: each entry needs a reason a partner's data-protection officer would accept, and an owner to remove it.
UNIQUE_WITHOUT_TENANT_WAIVED: dict[tuple[str, str, str], str] = {}


class Scratch:
    """Scratch roles and one database per service, dropped afterwards."""

    def __init__(self) -> None:
        self.prefix = f"aj_iso_{uuid.uuid4().hex[:8]}"
        self.owner, self.app = f"{self.prefix}_owner", f"{self.prefix}_app"
        self.engines: list[Engine] = []

    def database(self, service: str) -> str:
        return f"{self.prefix}_{service}"

    def url(self, service: str, role: str) -> str:
        return f"postgresql+psycopg://{role}@127.0.0.1:5432/{self.database(service)}"

    def admin_url(self, service: str) -> str:
        return PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + \
            "/" + self.database(service)

    def admin_engine(self, service: str) -> Engine:
        engine = create_engine(self.admin_url(service))
        self.engines.append(engine)
        return engine

    def create(self) -> None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {self.owner} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE")
            conn.execute(f"CREATE ROLE {self.app} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB")
            for service in SERVICES:
                conn.execute(f'CREATE DATABASE "{self.database(service)}" OWNER {self.owner}')
        for service in SERVICES:
            with psycopg.connect(PG_ADMIN.rsplit("/", 1)[0] + "/" + self.database(service), autocommit=True) as c:
                c.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
                c.execute(f"ALTER SCHEMA public OWNER TO {self.owner}")
                c.execute(f"GRANT USAGE ON SCHEMA public TO {self.app}")

    def migrate(self) -> None:
        for service in SERVICES:
            upgrade(Settings.from_env(service, {}, database_url=self.url(service, self.app),
                                      migration_database_url=self.url(service, self.owner)))

    def drop(self) -> None:
        for engine in self.engines:
            engine.dispose()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for service in SERVICES:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.database(service)}" WITH (FORCE)')
            for role in (self.app, self.owner):
                conn.execute(f"DROP ROLE IF EXISTS {role}")


@pytest.fixture(scope="module")
def scratch() -> Iterator[Scratch]:
    databases = Scratch()
    try:
        databases.create()
        databases.migrate()
        yield databases
    finally:
        databases.drop()


def tenant_tables(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND column_name = 'tenant_id' ORDER BY table_name")).scalars())


# --- (a) the catalogue ----------------------------------------------------------------------------


def test_every_tenant_owned_table_has_forced_rls_and_the_policy(scratch):
    missing: list[str] = []
    seen = 0
    for service in SERVICES:
        engine = scratch.admin_engine(service)
        with engine.connect() as conn:
            for table in tenant_tables(engine):
                seen += 1
                enabled, forced, owner = conn.execute(text(
                    "SELECT c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = :t"),
                    {"t": table}).one()
                policies = conn.execute(text(
                    "SELECT policyname, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'public' "
                    "AND tablename = :t"), {"t": table}).all()
                where = f"{service}.{table}"
                if not enabled:
                    missing.append(f"{where}: row-level security not enabled")
                if not forced:
                    missing.append(f"{where}: row-level security not forced")
                if owner == scratch.app:
                    missing.append(f"{where}: owned by the application role")
                ours = [p for p in policies if p.policyname == POLICY_NAME]
                if not ours or ours[0].cmd != "ALL" or "app.tenant_id" not in (ours[0].qual or "") \
                        or "app.tenant_id" not in (ours[0].with_check or ""):
                    missing.append(f"{where}: no tenant policy for reads and writes ({policies})")
                if any(p.policyname != POLICY_NAME for p in policies):
                    missing.append(f"{where}: an extra policy could widen access ({policies})")
    assert seen >= 2, "no tenant-owned tables found: the test would prove nothing"
    assert not missing, "\n".join(missing)


def test_unique_constraints_on_tenant_data_include_tenant_id(scratch):
    # A unique email across sites would tell site B that site A has that person. Primary keys are
    # generated surrogate ids and exempt.
    offending: list[str] = []
    for service in SERVICES:
        engine = scratch.admin_engine(service)
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT t.relname AS tbl, i.relname AS idx, "
                "  array_agg(a.attname::text) FILTER (WHERE a.attname IS NOT NULL) AS cols, "
                "  bool_or(x.indexprs IS NOT NULL) AS has_expr "
                "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                "JOIN pg_namespace n ON n.oid = t.relnamespace "
                "LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(x.indkey) "
                "WHERE n.nspname = 'public' AND x.indisunique AND NOT x.indisprimary "
                "GROUP BY t.relname, i.relname")).all()
            tenant_owned = set(tenant_tables(engine))
            for row in rows:
                if (service, row.tbl, row.idx) in UNIQUE_WITHOUT_TENANT_WAIVED:
                    continue
                if row.tbl in tenant_owned and "tenant_id" not in (row.cols or []):
                    offending.append(f"{service}.{row.tbl}: unique index {row.idx} on {row.cols} lacks tenant_id")
    assert not offending, "\n".join(offending)


def test_the_application_role_is_no_superuser_cannot_bypass_rls_and_owns_nothing(scratch):
    with psycopg.connect(PG_ADMIN) as conn:
        superuser, bypass, createrole = conn.execute(
            "SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = %s", (scratch.app,)).fetchone()
    assert (superuser, bypass, createrole) == (False, False, False)
    for service in SERVICES:
        with scratch.admin_engine(service).connect() as conn:
            owned = conn.execute(text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = :r"), {"r": scratch.app}).scalars().all()
            schema_owner = conn.execute(text(
                "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'")).scalar()
            alembic = conn.execute(text("SELECT has_table_privilege(:r, 'alembic_version', 'SELECT')"),
                                   {"r": scratch.app}).scalar()
        assert owned == [], (service, owned)
        assert schema_owner != scratch.app
        assert alembic is False, f"{service}: the app role may read alembic_version"


# --- (b) the data -----------------------------------------------------------------------------------


def synthesise(table: Table, site: uuid.UUID, parents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A row for ``table`` belonging to ``site``: every NOT NULL column filled from its type."""
    row: dict[str, Any] = {}
    tag = uuid.uuid4().hex
    for column in table.columns:
        if column.name in ROW_OVERRIDES.get(table.name, {}):
            row[column.name] = ROW_OVERRIDES[table.name][column.name]
            continue
        if column.name == "tenant_id":
            row[column.name] = site
            continue
        if column.foreign_keys:
            target = next(iter(column.foreign_keys)).column
            parent = parents.get(target.table.name)
            if parent is not None:
                row[column.name] = parent[target.name]
                continue
            if column.nullable:
                continue
        if column.nullable and not column.primary_key:
            continue
        if column.primary_key and column.autoincrement is True and _python_type(column) is int:
            continue
        row[column.name] = _value(column, tag)
    return row


def _python_type(column) -> type | None:
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


def _value(column, tag: str) -> Any:
    enums = getattr(column.type, "enums", None)
    if enums:
        return enums[0]
    kind = _python_type(column)
    length = getattr(column.type, "length", None) or 64
    values = {uuid.UUID: lambda: uuid.uuid4(), str: lambda: f"x{tag}"[:length], int: lambda: 1,
              bool: lambda: False, float: lambda: 1.0, decimal.Decimal: lambda: decimal.Decimal(1),
              dt.datetime: lambda: dt.datetime.now(dt.UTC), dt.date: lambda: dt.date.today(),
              dt.timedelta: lambda: dt.timedelta(days=1), dict: lambda: {}, list: lambda: [],
              bytes: lambda: b"x"}
    if kind in values:
        return values[kind]()
    return {}  # JSON and the like


@pytest.fixture(scope="module")
def populated(scratch) -> dict[str, dict[str, dict[uuid.UUID, int]]]:
    """Rows of two sites in every table of every service; returns service -> table -> site -> rows."""
    sites = (uuid.uuid4(), uuid.uuid4())
    counts: dict[str, dict[str, dict[uuid.UUID, int]]] = {}
    for service in SERVICES:
        engine = scratch.admin_engine(service)  # a superuser: RLS does not apply while we seed
        metadata = MetaData()
        metadata.reflect(engine)
        owned = set(tenant_tables(engine))
        counts[service] = {t: {} for t in owned}
        with engine.begin() as conn:
            for site in sites:
                parents: dict[str, dict[str, Any]] = {}
                for table in metadata.sorted_tables:
                    if table.name == "alembic_version":
                        continue
                    row = synthesise(table, site, parents)
                    try:
                        returned = conn.execute(table.insert().values(row).returning(*table.columns)).mappings().one()
                    except Exception as err:
                        raise AssertionError(f"{service}.{table.name}: could not synthesise a row ({err}); "
                                             "add explicit values to ROW_OVERRIDES") from err
                    parents[table.name] = dict(returned)
                    if table.name in owned:
                        counts[service][table.name][site] = counts[service][table.name].get(site, 0) + 1
    return counts


def app_db(scratch, service: str) -> Database:
    return Database(scratch.url(service, scratch.app), pool_size=1)


def test_without_a_tenant_the_app_role_sees_and_changes_no_tenant_row_even_with_raw_sql(scratch, populated):
    leaks: list[str] = []
    for service, tables in populated.items():
        db = app_db(scratch, service)
        try:
            with db.session() as session:  # no tenant set: app.tenant_id = ''
                for table in tables:
                    if (n := session.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()) != 0:
                        leaks.append(f"{service}.{table}: {n} rows visible without a tenant")
                    if (n := session.execute(text(f'UPDATE "{table}" SET tenant_id = tenant_id')).rowcount) != 0:
                        leaks.append(f"{service}.{table}: {n} rows updatable without a tenant")
                    if (n := session.execute(text(f'DELETE FROM "{table}"')).rowcount) != 0:
                        leaks.append(f"{service}.{table}: {n} rows deletable without a tenant")
                session.rollback()
            with db.engine.connect() as conn:  # not even a session: a bare pooled connection
                for table in tables:
                    if (n := conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()) != 0:
                        leaks.append(f"{service}.{table}: {n} rows visible on a bare connection")
        finally:
            db.dispose()
    assert not leaks, "\n".join(leaks)


def test_with_a_tenant_the_app_role_sees_exactly_its_own_rows_and_cannot_write_another_sites(scratch, populated):
    problems: list[str] = []
    for service, tables in populated.items():
        db = app_db(scratch, service)
        try:
            for table, per_site in tables.items():
                site, expected = next(iter(per_site.items()))
                other = next(s for s in per_site if s != site)
                with tenant_context(site), db.session() as session:
                    seen = session.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()
                    foreign = session.execute(text(f'SELECT count(*) FROM "{table}" WHERE tenant_id = :o'),
                                              {"o": other}).scalar()
                    moved = session.execute(text(f'UPDATE "{table}" SET tenant_id = tenant_id WHERE tenant_id = :o'),
                                            {"o": other}).rowcount
                    session.rollback()
                if seen != expected or foreign or moved:
                    problems.append(f"{service}.{table}: saw {seen} of {expected} own rows, {foreign} foreign, "
                                    f"updated {moved} foreign")
                with tenant_context(site), db.session() as session:
                    try:  # move an own row to the other site: WITH CHECK must refuse it
                        session.execute(text(f'UPDATE "{table}" SET tenant_id = :o'), {"o": other})
                        problems.append(f"{service}.{table}: a row could be handed to another site")
                    except Exception:
                        pass
                    session.rollback()
        finally:
            db.dispose()
    assert not problems, "\n".join(problems)


def test_a_pooled_connection_carries_no_tenant_into_the_next_transaction(scratch, populated):
    service, tables = next((s, t) for s, t in populated.items() if t)
    table, per_site = next(iter(tables.items()))
    site = next(iter(per_site))
    db = app_db(scratch, service)
    try:
        # Given a transaction that served a site and returned its connection to the pool
        with tenant_context(site), db.session() as session:
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
            assert session.execute(text(f'SELECT count(*) FROM "{table}"')).scalar() >= 1
            session.commit()
        # When the same connection serves the next transaction with no tenant
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar() == pid
            setting = conn.execute(text("SELECT current_setting('app.tenant_id', true)")).scalar()
            rows = conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()
        # Then the setting is empty (not the site) and the policies read it as no tenant
        assert setting == ""
        assert rows == 0
    finally:
        db.dispose()
