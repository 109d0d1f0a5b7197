"""Research: the review corpus, its coders, codings, memos, reconciliations and codebooks.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("meta", sa.JSON, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source_name", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
    )
    op.create_table(
        "review_coders",
        sa.Column("review_id", sa.String(64), sa.ForeignKey("reviews.id"), primary_key=True),
        sa.Column("coder", sa.String(120), primary_key=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_by", sa.String(120), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "codings",
        sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("review_id", sa.String(64), sa.ForeignKey("reviews.id"), nullable=False),
        sa.Column("passage_id", sa.String(16), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("coder", sa.String(120), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("codes", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("review_id", "passage_id", "coder", "version", name="uq_coding_version"),
    )
    op.create_index("ix_codings_review_coder", "codings", ["review_id", "coder"])
    op.create_table(
        "memos",
        sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("review_id", sa.String(64), sa.ForeignKey("reviews.id"), nullable=True),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(64), nullable=False),
        sa.Column("coder", sa.String(120), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("review_id", "target", "target_id", "coder", "version", name="uq_memo_version",
                            postgresql_nulls_not_distinct=True),
    )
    op.create_table(
        "reconciliations",
        sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("review_id", sa.String(64), sa.ForeignKey("reviews.id"), nullable=False),
        sa.Column("passage_id", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("codes", sa.JSON, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.UniqueConstraint("review_id", "passage_id", "version", name="uq_reconciliation_version"),
    )
    op.create_table(
        "codebooks",
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("codes", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
    )


def downgrade() -> None:
    for table in ("codebooks", "reconciliations", "memos"):
        op.drop_table(table)
    op.drop_index("ix_codings_review_coder", "codings")
    for table in ("codings", "review_coders", "reviews"):
        op.drop_table(table)
