"""runs: checks and health on crawl runs; per-source scheduler state and run lock

Revision ID: 0003_runs
Revises: 0001
Create Date: 2026-11-28 13:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import storage.models

revision: str = '0003_runs'
down_revision: str | None = '0002_maindb'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('source_state',
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('last_fire_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lock_owner', sa.String(length=200), nullable=True),
    sa.Column('lock_acquired_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lock_expires_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('source', name=op.f('pk_source_state'))
    )
    with op.batch_alter_table('crawl_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checks', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True))
        batch_op.add_column(sa.Column('health', sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('crawl_runs', schema=None) as batch_op:
        batch_op.drop_column('health')
        batch_op.drop_column('checks')
    op.drop_table('source_state')
