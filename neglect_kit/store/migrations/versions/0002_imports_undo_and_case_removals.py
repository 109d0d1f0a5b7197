"""Imports keyed by case and file (and undoable); an audit table of removed cases.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("imports") as batch:
        batch.add_column(sa.Column("undone_id", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("undone_by", sa.String(120), nullable=False, server_default=""))
        batch.add_column(sa.Column("undo_reason", sa.Text, nullable=False, server_default=""))
    # a file imported twice before this key existed keeps its first record; the later ones are marked
    # undone by themselves so the key can hold (their entries are untouched)
    op.execute("UPDATE imports SET undone_id = id WHERE id NOT IN "
               "(SELECT MIN(id) FROM imports GROUP BY case_id, sha256)")
    with op.batch_alter_table("imports") as batch:
        batch.create_unique_constraint("uq_import_case_file", ["case_id", "sha256", "undone_id"])
    op.create_table(
        "case_removals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("case_removals")
    with op.batch_alter_table("imports") as batch:
        batch.drop_constraint("uq_import_case_file", type_="unique")
        for column in ("undo_reason", "undone_by", "undone_at", "undone_id"):
            batch.drop_column(column)
