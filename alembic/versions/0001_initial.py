"""Initial schema: programmes, companies, users, factor libraries, reporting, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-27

Written by hand from the models in src/carbon/db (checked against them by
tests/db/test_migrations.py on SQLite and PostgreSQL). Like every migration, it is frozen: it
imports nothing from carbon, and the CHECK lists are spelt out here, so a later change to the
models' vocabularies needs a migration of its own.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# carbon.db.base.UTCDateTime stores through this type.
TIMESTAMP = sa.DateTime(timezone=True)

SECTORS = (
    "'lift', 'resort', 'snow', 'hotel', 'engineering', 'equipment', 'industry', 'agrifood', "
    "'perfume', 'digital', 'services', 'other'"
)
POSTES = (
    "'1.1', '1.2', '1.3', '1.4', '1.5', '2.1', '2.2', '3.1', '3.2', '3.3', '3.4', '3.5', "
    "'4.1', '4.2', '4.3', '4.4', '4.5', '5.1', '5.2', '5.3', '5.4', '6.1'"
)
COUNTRY_CHECK = "length(country) = 2 AND country = upper(country)"


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def upgrade() -> None:
    # Organisations
    op.create_table(
        "programme",
        _id(),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name_fr", sa.String(length=200), nullable=False),
        sa.Column("name_it", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
        sa.UniqueConstraint("code", name=op.f("uq_programme_code")),
    )
    op.create_table(
        "company",
        _id(),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("legal_id", sa.String(length=32), nullable=True),
        sa.Column("sector_code", sa.String(length=16), nullable=True),
        sa.Column("sector", sa.String(length=16), nullable=False),
        sa.Column("fte", sa.Float(), nullable=True),
        sa.Column("revenue_keur", sa.Float(), nullable=True),
        sa.Column("sector_unit_label", sa.String(length=64), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint(f"sector IN ({SECTORS})", name=op.f("ck_company_sector")),
        sa.CheckConstraint(COUNTRY_CHECK, name=op.f("ck_company_country")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company")),
    )
    op.create_table(
        "user_account",
        _id(),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("locale", sa.String(length=2), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("last_login_at", TIMESTAMP, nullable=True),
        sa.CheckConstraint("locale IN ('fr', 'it', 'en')", name=op.f("ck_user_account_locale")),
        sa.CheckConstraint("email = lower(email)", name=op.f("ck_user_account_email_lower")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    op.create_table(
        "cohort",
        _id(),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_cohort_programme_id_programme")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort")),
        sa.UniqueConstraint("programme_id", "name", name=op.f("uq_cohort_programme_id_name")),
    )
    op.create_table(
        "cohort_coach",
        _id(),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
            name=op.f("fk_cohort_coach_cohort_id_cohort"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_cohort_coach_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_coach")),
        sa.UniqueConstraint("cohort_id", "user_id", name=op.f("uq_cohort_coach_cohort_id_user_id")),
    )
    op.create_index(op.f("ix_cohort_coach_user_id"), "cohort_coach", ["user_id"])
    op.create_table(
        "enrolment",
        _id(),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("enrolled_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
            name=op.f("fk_enrolment_cohort_id_cohort"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_enrolment_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment")),
        sa.UniqueConstraint(
            "company_id", "cohort_id", name=op.f("uq_enrolment_company_id_cohort_id")
        ),
    )
    op.create_index(op.f("ix_enrolment_cohort_id"), "enrolment", ["cohort_id"])
    op.create_table(
        "site",
        _id(),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("municipality", sa.String(length=200), nullable=True),
        sa.CheckConstraint(COUNTRY_CHECK, name=op.f("ck_site_country")),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_site_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site")),
        sa.UniqueConstraint("company_id", "name", name=op.f("uq_site_company_id_name")),
    )

    # Users
    op.create_table(
        "membership",
        _id(),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint("role IN ('member', 'owner')", name=op.f("ck_membership_role")),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_membership_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_membership_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
        sa.UniqueConstraint("user_id", "company_id", name=op.f("uq_membership_user_id_company_id")),
    )
    op.create_index(op.f("ix_membership_company_id"), "membership", ["company_id"])
    op.create_table(
        "invitation",
        _id(),
        sa.Column("token_hash", sa.String(length=128), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("cohort_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.Column("used_at", TIMESTAMP, nullable=True),
        sa.CheckConstraint("role IN ('member', 'owner', 'coach')", name=op.f("ck_invitation_role")),
        sa.CheckConstraint(
            "(company_id IS NULL) <> (cohort_id IS NULL)",
            name=op.f("ck_invitation_company_or_cohort"),
        ),
        sa.CheckConstraint(
            "(role = 'coach') = (cohort_id IS NOT NULL)",
            name=op.f("ck_invitation_coach_iff_cohort"),
        ),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
            name=op.f("fk_invitation_cohort_id_cohort"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_invitation_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_invitation_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitation_token_hash")),
    )
    op.create_index(op.f("ix_invitation_cohort_id"), "invitation", ["cohort_id"])
    op.create_index(op.f("ix_invitation_company_id"), "invitation", ["company_id"])

    # Factor libraries
    op.create_table(
        "library_version",
        _id(),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("content_digest", sa.String(length=64), nullable=False),
        sa.Column("imported_at", TIMESTAMP, nullable=False),
        sa.Column("factor_count", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "source IN ('bundled', 'ademe')", name=op.f("ck_library_version_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_version")),
        sa.UniqueConstraint("content_digest", name=op.f("uq_library_version_content_digest")),
        sa.UniqueConstraint("label", name=op.f("uq_library_version_label")),
    )
    op.create_index(
        "uq_library_version_is_default",
        "library_version",
        ["is_default"],
        unique=True,
        sqlite_where=sa.text("is_default"),
        postgresql_where=sa.text("is_default"),
    )
    op.create_table(
        "factor",
        _id(),
        sa.Column("library_version_id", sa.Integer(), nullable=False),
        sa.Column("factor_id", sa.String(length=128), nullable=False),
        sa.Column("name_fr", sa.Text(), nullable=True),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("name_it", sa.Text(), nullable=True),
        sa.Column("frontier", sa.Text(), nullable=True),
        sa.Column("category_path", sa.Text(), nullable=True),
        sa.Column("unit", sa.String(length=64), nullable=True),
        sa.Column("total_kgco2e", sa.Float(), nullable=False),
        sa.Column("co2b_kg", sa.Float(), nullable=True),
        sa.Column("uncertainty_pct", sa.Float(), nullable=True),
        sa.Column("uncertainty_is_default", sa.Boolean(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("valid_year", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("source_ref", sa.String(length=128), nullable=True),
        sa.Column("checked", sa.Boolean(), nullable=False),
        sa.Column("estimate", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["library_version_id"],
            ["library_version.id"],
            name=op.f("fk_factor_library_version_id_library_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_factor")),
        sa.UniqueConstraint(
            "library_version_id", "factor_id", name=op.f("uq_factor_library_version_id_factor_id")
        ),
    )
    op.create_index(op.f("ix_factor_factor_id"), "factor", ["factor_id"])
    op.create_table(
        "factor_subpost",
        _id(),
        sa.Column("factor_pk", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("kgco2e", sa.Float(), nullable=False),
        sa.CheckConstraint("kind IN ('combustion', 'other')", name=op.f("ck_factor_subpost_kind")),
        sa.ForeignKeyConstraint(
            ["factor_pk"],
            ["factor.id"],
            name=op.f("fk_factor_subpost_factor_pk_factor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_factor_subpost")),
    )
    op.create_index(op.f("ix_factor_subpost_factor_pk"), "factor_subpost", ["factor_pk"])

    # Reporting
    op.create_table(
        "reporting_period",
        _id(),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("is_base_year", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("library_version_id", sa.Integer(), nullable=False),
        sa.Column("sector_activity", sa.Float(), nullable=True),
        sa.Column("fte", sa.Float(), nullable=True),
        sa.Column("revenue_keur", sa.Float(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("submitted_at", TIMESTAMP, nullable=True),
        sa.Column("validated_at", TIMESTAMP, nullable=True),
        sa.Column("validated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'validated', 'locked')",
            name=op.f("ck_reporting_period_status"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_reporting_period_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["library_version_id"],
            ["library_version.id"],
            name=op.f("fk_reporting_period_library_version_id_library_version"),
        ),
        sa.ForeignKeyConstraint(
            ["validated_by_id"],
            ["user_account.id"],
            name=op.f("fk_reporting_period_validated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_period")),
        sa.UniqueConstraint("company_id", "year", name=op.f("uq_reporting_period_company_id_year")),
    )
    op.create_index(
        op.f("ix_reporting_period_library_version_id"), "reporting_period", ["library_version_id"]
    )
    op.create_index(
        "uq_reporting_period_base_year",
        "reporting_period",
        ["company_id"],
        unique=True,
        sqlite_where=sa.text("is_base_year"),
        postgresql_where=sa.text("is_base_year"),
    )
    op.create_table(
        "activity_line",
        _id(),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("activity_id", sa.String(length=100), nullable=True),
        sa.Column("poste", sa.String(length=3), nullable=False),
        sa.Column("factor_id", sa.String(length=128), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("data_quality", sa.String(length=16), nullable=False),
        sa.Column("supplier_factor_kgco2e", sa.Float(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("evidence_ref", sa.String(length=500), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", TIMESTAMP, nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(f"poste IN ({POSTES})", name=op.f("ck_activity_line_poste")),
        sa.CheckConstraint(
            "data_quality IN ('measured', 'estimated', 'extrapolated')",
            name=op.f("ck_activity_line_data_quality"),
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["reporting_period.id"],
            name=op.f("fk_activity_line_period_id_reporting_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.id"],
            name=op.f("fk_activity_line_site_id_site"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_activity_line_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_activity_line_updated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_line")),
    )
    op.create_index(op.f("ix_activity_line_period_id"), "activity_line", ["period_id"])
    op.create_table(
        "period_comment",
        _id(),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["reporting_period.id"],
            name=op.f("fk_period_comment_period_id_reporting_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["activity_line.id"],
            name=op.f("fk_period_comment_line_id_activity_line"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_period_comment_author_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_comment")),
    )
    op.create_index(op.f("ix_period_comment_period_id"), "period_comment", ["period_id"])
    op.create_table(
        "target",
        _id(),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("base_period_id", sa.Integer(), nullable=False),
        sa.Column("target_year", sa.Integer(), nullable=False),
        sa.Column("reduction_pct", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("intensity_unit", sa.String(length=16), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint("kind IN ('absolute', 'intensity')", name=op.f("ck_target_kind")),
        sa.CheckConstraint(
            "reduction_pct > 0 AND reduction_pct <= 100", name=op.f("ck_target_reduction_pct")
        ),
        sa.CheckConstraint(
            "(kind = 'absolute' AND intensity_unit IS NULL) OR (kind = 'intensity' AND "
            "intensity_unit IS NOT NULL AND "
            "intensity_unit IN ('fte', 'revenue_keur', 'sector_activity'))",
            name=op.f("ck_target_intensity_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_target_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["base_period_id"],
            ["reporting_period.id"],
            name=op.f("fk_target_base_period_id_reporting_period"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
    )
    op.create_index(op.f("ix_target_company_id"), "target", ["company_id"])
    op.create_table(
        "action",
        _id(),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("postes", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("cost_eur", sa.Float(), nullable=True),
        sa.Column("expected_avoided_tco2e_per_year", sa.Float(), nullable=True),
        sa.Column("achieved_avoided_tco2e", sa.Float(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint(
            "status IN ('identified', 'planned', 'in_progress', 'done', 'abandoned')",
            name=op.f("ck_action_status"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_action_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
    )
    op.create_index(op.f("ix_action_company_id"), "action", ["company_id"])

    # Audit log: no foreign keys, so it can outlive (and record the deletion of) what it names.
    op.create_table(
        "audit_log",
        _id(),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=128), nullable=False),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("after", sa.JSON(none_as_null=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_company_id_at", "audit_log", ["company_id", "at"])
    op.create_index("ix_audit_log_entity_entity_id", "audit_log", ["entity", "entity_id"])


def downgrade() -> None:
    # Children before parents; dropping a table drops its indexes on both backends.
    for table in (
        "audit_log",
        "action",
        "target",
        "period_comment",
        "activity_line",
        "reporting_period",
        "factor_subpost",
        "factor",
        "library_version",
        "invitation",
        "membership",
        "site",
        "enrolment",
        "cohort_coach",
        "cohort",
        "user_account",
        "company",
        "programme",
    ):
        op.drop_table(table)
