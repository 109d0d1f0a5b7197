"""The first schema: cases, people, plans, versioned records and imports.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _who() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("created_by", sa.String(120), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("local_authority", sa.String(200), nullable=False, server_default=""),
        sa.Column("opened", sa.Date, nullable=True),
        sa.Column("summary", sa.Text, nullable=False, server_default=""),
        *_who(),
    )
    op.create_table(
        "people",
        sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("known_as", sa.JSON, nullable=False),
        sa.Column("sex", sa.String(32), nullable=False, server_default=""),
        sa.Column("date_of_birth", sa.Date, nullable=True),
        sa.Column("expected_date_of_birth", sa.Date, nullable=True),
        sa.Column("relationships", sa.JSON, nullable=False),
        sa.Column("address", sa.Text, nullable=False, server_default=""),
        *_who(),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("child_id", sa.String(64), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("category", sa.String(32), nullable=False, server_default=""),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("end", sa.Date, nullable=True),
        sa.Column("risk_factors", sa.JSON, nullable=False),
        sa.Column("needs", sa.JSON, nullable=False),
        *_who(),
    )
    op.create_table(
        "records",
        sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        *_who(),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.UniqueConstraint("record_id", "version", name="uq_record_version"),
    )
    op.create_table(
        "record_heads",
        sa.Column("record_id", sa.String(40), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
    )
    op.create_index("ix_heads_kind_case", "record_heads", ["kind", "case_id"])
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("agency", sa.String(64), nullable=False, server_default=""),
        sa.Column("rows_written", sa.Integer, nullable=False),
        *_who(),
    )


def downgrade() -> None:
    for table in ("imports", "record_heads", "records", "plans", "people", "cases"):
        op.drop_table(table)
