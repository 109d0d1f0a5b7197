"""A team's staff and case assignments, and the team a case belongs to.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("team", sa.String(120), nullable=False, server_default=""))
    op.create_table(
        "staff",
        sa.Column("username", sa.String(63), primary_key=True),
        sa.Column("display_name", sa.String(120), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("team", sa.String(120), nullable=False, server_default=""),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(120), nullable=False),
    )
    op.create_table(
        "case_assignments",
        sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("username", sa.String(63), sa.ForeignKey("staff.username"), primary_key=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_by", sa.String(120), nullable=False),
    )
    op.create_index("ix_assignments_username", "case_assignments", ["username"])


def downgrade() -> None:
    op.drop_index("ix_assignments_username", "case_assignments")
    op.drop_table("case_assignments")
    op.drop_table("staff")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("team")
