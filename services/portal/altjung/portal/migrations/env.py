"""Alembic environment of the portal service (the kit does the work)."""

from altjung.kit.migrate import run_env
from altjung.portal.models import Base

run_env(Base.metadata)
