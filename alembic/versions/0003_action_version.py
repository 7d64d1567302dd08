"""Actions carry a version for optimistic locking, like periods and lines.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

A company member and their coach may edit the same action of the plan at once: the second save
now gets a conflict instead of silently undoing the first. Existing actions start at version 1.
Frozen like every migration: it imports nothing from carbon.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("action") as batch:
        batch.add_column(sa.Column("version_id", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    op.drop_column("action", "version_id")
