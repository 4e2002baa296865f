"""SQLAlchemy 2 engine and sessions per service; on PostgreSQL each transaction carries its tenant."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import DateTime, TypeDecorator, create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from altjung.kit.tenancy import TRANSACTION_TENANT, tenant_or_none


def make_base() -> type[DeclarativeBase]:
    """A fresh declarative base, so each service has its own metadata and database."""

    class ServiceBase(DeclarativeBase):
        pass

    return ServiceBase


class Database:
    """One service's database: engine, sessions, and the per-transaction tenant setting."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10) -> None:
        self.url = url
        self.is_postgres = url.startswith("postgresql")
        kwargs: dict = {"echo": echo, "future": True}
        if url.startswith("sqlite"):
            path = url.removeprefix("sqlite:///")
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs.update(pool_size=pool_size, max_overflow=20, pool_pre_ping=True)
        self.engine: Engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.sessions, "after_begin", _set_pg_tenant if self.is_postgres else _note_tenant)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session for one unit of work; rolled back on error, closed at the end."""
        session = self.sessions()
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _note_tenant(session: Session, _transaction, _connection) -> None:
    # The tenant this transaction serves; tenancy refuses statements of another one in it.
    session.info[TRANSACTION_TENANT] = tenant_or_none()


def _set_pg_tenant(session: Session, transaction, connection) -> None:
    # Transaction-local (is_local = true): a pooled connection never carries a tenant onward, and
    # the policies read an empty setting as "no tenant".
    _note_tenant(session, transaction, connection)
    tenant = session.info[TRANSACTION_TENANT]
    connection.execute(text("SELECT set_config('app.tenant_id', :tid, true)"),
                       {"tid": str(tenant) if tenant else ""})


class UtcDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every database (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime refused: store UTC")
        return value.astimezone(dt.UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value
