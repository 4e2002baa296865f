"""The current tenant, and tenant scoping that code cannot forget (ORM criteria + PostgreSQL RLS).

Three layers, each enough on its own for what it covers:
- reads, ORM UPDATE and ORM DELETE on a ``TenantScoped`` model get ``tenant_id = <current>`` added;
- writes (flush, ORM bulk INSERT) are stamped with the current tenant, and refused when the row
  names another tenant or when no tenant is set;
- on PostgreSQL, row-level security (``migrate.secure_tenant_tables``) repeats both for raw SQL.
With no tenant set, touching tenant data raises ``TenantUnset``: we fail closed.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import uuid
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from flask import Flask
from sqlalchemy import Uuid, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, with_loader_criteria
from sqlalchemy.sql.util import find_tables

log = logging.getLogger("altjung.tenancy")

_current: contextvars.ContextVar[UUID | None] = contextvars.ContextVar("altjung_tenant", default=None)
#: session.info key: the tenant the session's current transaction was begun with (db.Database sets it).
TRANSACTION_TENANT = "altjung_transaction_tenant"


class TenantUnset(RuntimeError):
    """Tenant data was touched with no tenant set: we fail closed."""


class TenantMismatch(RuntimeError):
    """An object of one tenant was about to be written under another."""


class TenantScoped:
    """Mixin for every tenant-owned model: a tenant_id column that queries and writes are bound to."""

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True, nullable=False)


def current_tenant_id() -> UUID:
    """The tenant of this request or message; raises when none is set."""
    tenant = _current.get()
    if tenant is None:
        raise TenantUnset("no tenant set for tenant-owned data")
    return tenant


def tenant_or_none() -> UUID | None:
    return _current.get()


@contextlib.contextmanager
def tenant_context(tenant_id: UUID | None) -> Iterator[None]:
    """Run a block as one tenant (None: platform level, tenant data then fails closed).

    Open the session inside the block: on PostgreSQL the tenant is bound when a transaction begins.
    """
    token = _current.set(tenant_id)
    try:
        yield
    finally:
        _current.reset(token)


def set_request_tenant(tenant_id: UUID | None) -> None:
    """Bind the tenant for the rest of this request context (the token is the only source)."""
    _current.set(tenant_id)


def init_app(app: Flask) -> None:
    """Clear the tenant before and after every request: a worker thread that serves many requests
    (gunicorn's sync workers) must never hand one request's tenant to the next."""

    @app.before_request
    def _no_tenant_yet() -> None:
        _current.set(None)

    @app.teardown_request
    def _forget_tenant(_exc: BaseException | None) -> None:
        _current.set(None)


@event.listens_for(Session, "do_orm_execute")
def _scope_to_tenant(state: ORMExecuteState) -> None:
    if state.is_column_load or state.is_relationship_load:
        return
    if not (state.is_select or state.is_update or state.is_delete or state.is_insert):
        return
    reason = state.execution_options.get("cross_tenant")
    if reason and not state.is_insert:
        log.info("cross-tenant statement", extra={"reason": reason})
        return
    tenant_id = _current.get()
    if not _touches_tenant_data(state):
        return
    _check_transaction(state.session, tenant_id)
    if tenant_id is None:
        raise TenantUnset("statement on tenant-owned data without a tenant")
    if state.is_insert:
        _stamp_insert(state, tenant_id)
        return
    state.statement = state.statement.options(
        with_loader_criteria(TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True)
    )


def _check_transaction(session: Session, tenant_id: UUID | None) -> None:
    """One transaction serves one tenant: PostgreSQL bound it when the transaction began."""
    if TRANSACTION_TENANT in session.info and session.info[TRANSACTION_TENANT] != tenant_id:
        raise TenantMismatch("this transaction began for another tenant; open a new session")


def _touches_tenant_data(state: ORMExecuteState) -> bool:
    """True when any entity, join target or table of the statement is tenant-owned.

    ``all_mappers`` names only the selected entities: ``select(User.email).join(Membership)`` would
    slip through, so the statement's tables are searched as well (a ``tenant_id`` column marks them).
    """
    if any(issubclass(mapper.class_, TenantScoped) for mapper in state.all_mappers):
        return True
    tables = find_tables(state.statement, check_columns=True, include_aliases=True, include_joins=True,
                         include_selects=True, include_crud=True)
    return any("tenant_id" in table.c for table in tables if hasattr(table, "c"))


def _stamp_insert(state: ORMExecuteState, tenant_id: UUID) -> None:
    """ORM bulk INSERT: rows without tenant_id get the current one; a row naming another is refused."""
    values = getattr(state.statement, "_values", None) or {}
    for column, bind in values.items():
        if getattr(column, "key", column) == "tenant_id":
            if getattr(bind, "value", tenant_id) != tenant_id:
                raise TenantMismatch("INSERT names another tenant")
            break
    else:
        if values:
            state.statement = state.statement.values(tenant_id=tenant_id)
    params = state.parameters
    if isinstance(params, dict) and params:
        state.parameters = _stamped(params, tenant_id)
    elif isinstance(params, list):
        state.parameters = [_stamped(p, tenant_id) for p in params]


def _stamped(params: dict[str, Any], tenant_id: UUID) -> dict[str, Any]:
    given = params.get("tenant_id")
    if given is not None and given != tenant_id:
        raise TenantMismatch("INSERT names another tenant")
    return {**params, "tenant_id": tenant_id}


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(TRANSACTION_TENANT, None)


@event.listens_for(Session, "before_flush")
def _stamp_tenant(session: Session, _ctx: object, _instances: object) -> None:
    tenant_id = _current.get()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if not isinstance(obj, TenantScoped):
            continue
        _check_transaction(session, tenant_id)
        if tenant_id is None:
            raise TenantUnset(f"cannot write {type(obj).__name__} without a tenant")
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id:
            raise TenantMismatch(f"{type(obj).__name__} belongs to another tenant")
