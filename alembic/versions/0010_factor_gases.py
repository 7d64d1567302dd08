"""Each factor's breakdown by gas, and its sub-posts' (issue 14, emissions by gas).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

The ADEME export gives each factor's (and each sub-post's) kgCO2e per gas: CO2f, CH4f, CH4b,
N2O, five coded gases and "Autres GES". One row per factor, part and gas: ``part`` is "" for the
whole factor or the name of one of its sub-posts (carbon.accounting.gases.GAS_COLUMNS). Libraries
stored before have no rows: their results show everything as "not broken down", as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "factor_gas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("factor_pk", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=200), nullable=False),
        sa.Column("gas", sa.String(length=32), nullable=False),
        sa.Column("kgco2e", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["factor_pk"], ["factor.id"], name=op.f("fk_factor_gas_factor_pk_factor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_factor_gas")),
    )  # fmt: skip
    op.create_index(op.f("ix_factor_gas_factor_pk"), "factor_gas", ["factor_pk"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_factor_gas_factor_pk"), table_name="factor_gas")
    op.drop_table("factor_gas")
