"""Alembic environment of the tenants service (the kit does the work)."""

from altjung.kit.migrate import run_env
from altjung.tenants.models import Base

run_env(Base.metadata)
