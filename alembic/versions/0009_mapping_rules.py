"""Account-mapping rules per cohort and per company (issue 17).

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-06

The FEC import maps account prefixes to monetary ratios with the rule set shipped in
emission_factors/pcg_rules.csv; a coach now keeps a cohort's set and a company's overrides here
(carbon.db.models_rules.MappingRule). A rule has one owner, a cohort or a company, and an owner
one rule per prefix. Frozen like every migration: the vocabularies are spelt out, nothing is
imported from carbon.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# carbon.db.base.UTCDateTime stores through this type.
TIMESTAMP = sa.DateTime(timezone=True)
TREATMENTS = "'spend', 'physical', 'excluded', 'not_purchase'"
POSTES = (
    "'1.1', '1.2', '1.3', '1.4', '1.5', '2.1', '2.2', '3.1', '3.2', '3.3', '3.4', '3.5', "
    "'4.1', '4.2', '4.3', '4.4', '4.5', '5.1', '5.2', '5.3', '5.4', '6.1'"
)


def upgrade() -> None:
    op.create_table(
        "mapping_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=True),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("prefix", sa.String(length=8), nullable=False),
        sa.Column("treatment", sa.String(length=16), nullable=False),
        sa.Column("poste", sa.String(length=3), nullable=True),
        sa.Column("factor_id", sa.String(length=128), nullable=True),
        sa.Column("overlaps", sa.String(length=500), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("physical_hint", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(cohort_id IS NULL) <> (company_id IS NULL)", name=op.f("ck_mapping_rule_one_owner")
        ),
        sa.CheckConstraint(f"treatment IN ({TREATMENTS})", name=op.f("ck_mapping_rule_treatment")),
        sa.CheckConstraint(f"poste IN ({POSTES})", name=op.f("ck_mapping_rule_poste")),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohort.id"], name=op.f("fk_mapping_rule_cohort_id_cohort"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_mapping_rule_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user_account.id"],
            name=op.f("fk_mapping_rule_updated_by_id_user_account"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mapping_rule")),
        sa.UniqueConstraint("cohort_id", "prefix", name=op.f("uq_mapping_rule_cohort_id_prefix")),
        sa.UniqueConstraint(
            "company_id", "prefix", name=op.f("uq_mapping_rule_company_id_prefix")
        ),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("mapping_rule")
