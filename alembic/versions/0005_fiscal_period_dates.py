"""A reporting period may be a fiscal year: its first and last day, or neither (calendar year).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

Many mountain firms close their accounts after the winter season (e.g. 1 October to 30
September): their footprint follows the fiscal year the accounts give. Existing periods are
calendar years (both dates null). Frozen like every migration: it imports nothing from carbon.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reporting_period") as batch:
        batch.add_column(sa.Column("starts_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("ends_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reporting_period") as batch:
        batch.drop_column("ends_on")
        batch.drop_column("starts_on")
