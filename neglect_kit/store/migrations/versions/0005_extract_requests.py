"""Extracts on a team's database: an administrator's approvals, their cases, and researchers' requests.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "extract_approvals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("researcher", sa.String(63), nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("approved_by", sa.String(120), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("withdrawn_by", sa.String(120), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "extract_approval_cases",
        sa.Column("approval_id", sa.Integer, sa.ForeignKey("extract_approvals.id"), primary_key=True),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id"), primary_key=True),
    )
    op.create_table(
        "extract_requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("approval_id", sa.Integer, sa.ForeignKey("extract_approvals.id"), nullable=False),
        sa.Column("requested_by", sa.String(63), nullable=False),
        sa.Column("min_k", sa.Integer, nullable=True),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("status", sa.String(16), nullable=False, server_default="waiting"),
        sa.Column("message", sa.Text, nullable=False, server_default=""),
        sa.Column("taken_by", sa.String(63), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("residual", sa.Integer, nullable=True),
        sa.Column("archive", sa.LargeBinary, nullable=True),
        sa.CheckConstraint("status IN ('waiting', 'taking', 'done', 'refused', 'failed')", name="ck_request_status"),
    )
    op.create_index("ix_extract_requests_status", "extract_requests", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_extract_requests_status", "extract_requests")
    for table in ("extract_requests", "extract_approval_cases", "extract_approvals"):
        op.drop_table(table)
