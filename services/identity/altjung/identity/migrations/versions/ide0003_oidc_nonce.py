"""oidc nonce and amr on authorization codes

Revision ID: ide0003
Revises: ide0002
"""
from alembic import op
import sqlalchemy as sa


revision = 'ide0003'
down_revision = 'ide0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('authorization_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nonce', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('amr', sa.String(length=40), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('authorization_codes', schema=None) as batch_op:
        batch_op.drop_column('amr')
        batch_op.drop_column('nonce')
