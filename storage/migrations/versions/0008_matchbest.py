"""Candidates keep their best main-database entry below the threshold too; thresholds tuned
on curators' decisions

Revision ID: 0008_matchbest
Revises: 0007_frontier
Create Date: 2026-11-28 16:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import storage.models

revision: str = "0008_matchbest"
down_revision: str | None = "0007_frontier"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("match_best_id", sa.Integer(), nullable=True))
    # what is known today: the best entry when it was above the threshold
    op.execute("UPDATE candidates SET match_best_id = match_id WHERE match_id IS NOT NULL")
    op.create_table(
        "match_thresholds",
        sa.Column("id", sa.Integer().with_variant(sa.BigInteger(), "postgresql"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("previous", sa.Float(), nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=False),
        sa.Column(
            "figures",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("set_by", sa.String(length=80), nullable=False),
        sa.Column("at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_thresholds")),
    )
    with op.batch_alter_table("match_thresholds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_thresholds_kind"), ["kind"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("match_thresholds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_thresholds_kind"))
    op.drop_table("match_thresholds")
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_column("match_best_id")
