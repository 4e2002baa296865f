"""initial

Revision ID: por0001
Revises: 
Create Date: 2026-11-26 06:56:33.445603
"""
from alembic import op
import sqlalchemy as sa

from altjung.kit.migrate import create_bus_tables, drop_bus_tables


revision = 'por0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_bus_tables()


def downgrade() -> None:
    drop_bus_tables()
