"""Alembic environment of the identity service (the kit does the work)."""

from altjung.identity.models import Base
from altjung.kit.migrate import run_env

run_env(Base.metadata)
