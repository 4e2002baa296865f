"""The current tenant, and tenant scoping that code cannot forget (ORM criteria + PostgreSQL RLS)."""

from __future__ import annotations

import contextlib
import contextvars
import logging
import uuid
from collections.abc import Iterator
from uuid import UUID

from sqlalchemy import Uuid, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, with_loader_criteria

log = logging.getLogger("altjung.tenancy")

_current: contextvars.ContextVar[UUID | None] = contextvars.ContextVar("altjung_tenant", default=None)


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
    """Run a block as one tenant (None: platform level, tenant data then fails closed)."""
    token = _current.set(tenant_id)
    try:
        yield
    finally:
        _current.reset(token)


def set_request_tenant(tenant_id: UUID | None) -> None:
    """Bind the tenant for the rest of this request context (the token is the only source)."""
    _current.set(tenant_id)


@event.listens_for(Session, "do_orm_execute")
def _scope_to_tenant(state: ORMExecuteState) -> None:
    if state.is_column_load or state.is_relationship_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    reason = state.execution_options.get("cross_tenant")
    if reason:
        log.info("cross-tenant statement", extra={"reason": reason})
        return
    tenant_id = _current.get()
    if tenant_id is None:
        if _touches_tenant_data(state):
            raise TenantUnset("query on tenant-owned data without a tenant")
        return
    state.statement = state.statement.options(
        with_loader_criteria(TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True)
    )


def _touches_tenant_data(state: ORMExecuteState) -> bool:
    for mapper in state.all_mappers:
        if issubclass(mapper.class_, TenantScoped):
            return True
    return False


@event.listens_for(Session, "before_flush")
def _stamp_tenant(session: Session, _ctx: object, _instances: object) -> None:
    tenant_id = _current.get()
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, TenantScoped):
            continue
        if obj.tenant_id is None:
            if tenant_id is None:
                raise TenantUnset(f"cannot write {type(obj).__name__} without a tenant")
            obj.tenant_id = tenant_id
        elif tenant_id is not None and obj.tenant_id != tenant_id:
            raise TenantMismatch(f"{type(obj).__name__} belongs to another tenant")
