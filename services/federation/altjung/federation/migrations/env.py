"""Alembic environment of the federation service (the kit does the work)."""

from altjung.federation.models import Base
from altjung.kit.migrate import run_env

run_env(Base.metadata)
