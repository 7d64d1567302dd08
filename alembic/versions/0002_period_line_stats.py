"""Each reporting period keeps its line count, a lines revision and when its lines last changed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

The cohort page and the results cache read these instead of aggregating every activity line of
a cohort; carbon.db.line_stats keeps them in step after every flush. Existing periods are
filled from their lines here. Frozen like every migration: it imports nothing from carbon.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("reporting_period") as batch:
        batch.add_column(sa.Column("line_count", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("lines_revision", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("lines_changed_at", TIMESTAMP, nullable=True))
    op.execute(
        """
        UPDATE reporting_period SET
            line_count = (SELECT count(*) FROM activity_line
                          WHERE activity_line.period_id = reporting_period.id),
            lines_changed_at = (SELECT max(coalesce(updated_at, created_at)) FROM activity_line
                                WHERE activity_line.period_id = reporting_period.id)
        """
    )


def downgrade() -> None:
    for column in ("lines_changed_at", "lines_revision", "line_count"):
        op.drop_column("reporting_period", column)
