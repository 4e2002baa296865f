"""Alembic environment of the matching service (the kit does the work)."""

from altjung.kit.migrate import run_env
from altjung.matching.models import Base

run_env(Base.metadata)
