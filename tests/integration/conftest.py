"""Integration tier: the production shape as real processes (PostgreSQL, Redis, gunicorn, dramatiq)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from infra.local.stack import Stack
from tests.support import eventually

__all__ = ["eventually", "mint", "start_stack"]


def start_stack(tmp_path: Path, **kwargs) -> Stack:
    return Stack(root=tmp_path, **kwargs).start()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One shared production-shaped platform for the tests that do not crash it."""
    running = start_stack(tmp_path_factory.mktemp("stack"))
    yield running
    running.stop()


@pytest.fixture
def fresh_stack(tmp_path: Path) -> Iterator[Callable[..., Stack]]:
    """A platform of its own, e.g. with fault points armed: ``fresh_stack(faults={...})``."""
    started: list[Stack] = []

    def make(**kwargs) -> Stack:
        running = start_stack(tmp_path, **kwargs)
        started.append(running)
        return running

    yield make
    for running in started:
        running.stop()


def mint(stack: Stack, role: str, tenant_id: uuid.UUID | str | None = None, scope: str = "") -> str:
    """A token signed with identity's real key, read from identity's PostgreSQL database."""
    from altjung.identity.keys import mint_access_token
    from altjung.kit.db import Database

    settings = stack.settings("identity")
    db = Database(settings.database_url)
    try:
        with db.session() as session:
            return mint_access_token(session, settings, subject=f"it-{role}", client_id="tests",
                                     tenant_id=uuid.UUID(str(tenant_id)) if tenant_id else None,
                                     roles=[role], scope=scope)
    finally:
        db.dispose()
