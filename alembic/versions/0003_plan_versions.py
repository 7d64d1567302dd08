"""Actions and targets carry a version for optimistic locking, like periods and lines.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

A company member and their coach may edit the same action, or the target, at once: the second
save now gets a conflict instead of silently undoing the first. Existing rows start at version 1.
Frozen like every migration: it imports nothing from carbon.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


TABLES = ("action", "target")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("version_id", sa.Integer(), nullable=False, server_default="1")
            )


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "version_id")
