"""Alembic environment of the notifications service (the kit does the work)."""

from altjung.kit.migrate import run_env
from altjung.notifications.models import Base

run_env(Base.metadata)
