"""Fixtures for identity's security core: cheap password hashing and small, fast keys."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

try:
    import altjung.identity  # noqa: F401
except ImportError:  # not installed yet: use the source tree (altjung is a namespace package)
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "services" / "identity"))

from altjung.identity.security.keys import KeySet
from altjung.identity.security.passwords import PasswordHashing

from .support import NOW


@pytest.fixture(scope="session")
def fast_hashing() -> PasswordHashing:
    # Cheap parameters for speed; the defaults are checked in test_passwords.
    return PasswordHashing(memory_cost=1024, time_cost=1, parallelism=1)


@pytest.fixture
def keyset() -> KeySet:
    keys = KeySet(key_size=2048)
    keys.rotate(NOW)
    return keys
