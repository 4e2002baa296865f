"""rollup: index by metric and month for the time series

Revision ID: fed0003
Revises: fed0002
Create Date: 2026-11-26 08:15:00
"""
from alembic import op

revision = 'fed0003'
down_revision = 'fed0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_fed_rollup_metric_month', 'fed_rollup', ['metric', 'month'], unique=False,
                    postgresql_include=['site_id', 'value'])


def downgrade() -> None:
    op.drop_index('ix_fed_rollup_metric_month', table_name='fed_rollup')
