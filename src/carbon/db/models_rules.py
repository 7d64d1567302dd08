"""Account-mapping rules kept in the database: a cohort's set and a company's overrides.

carbon ships a default rule set (``emission_factors/pcg_rules.csv``); a coach adapts it for a
cohort (a manufacturers' cohort maps 601 raw materials to metal, not food) and for one company.
A rule belongs to exactly one owner, a cohort or a company, and an owner has at most one rule
per account prefix; :mod:`carbon.db.mapping_rules` layers them (docs/imports.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Final

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carbon.accounting.postes import POSTE_CODES
from carbon.db.base import Base, check_in, utcnow

if TYPE_CHECKING:
    from carbon.db.models_users import User

# carbon.imports.fec_mapping.TREATMENTS, spelt out so that the schema does not import the imports.
RULE_TREATMENTS: Final = ("spend", "physical", "excluded", "not_purchase")


class MappingRule(Base):
    """What an account prefix means for one cohort or one company (columns of pcg_rules.csv)."""

    __tablename__ = "mapping_rule"
    __table_args__ = (
        # NULLs are distinct in a unique constraint: a company's rule never clashes with a
        # cohort's through the NULL owner column.
        Unique("cohort_id", "prefix"),
        Unique("company_id", "prefix"),
        CheckConstraint("(cohort_id IS NULL) <> (company_id IS NULL)", name="one_owner"),
        check_in("treatment", RULE_TREATMENTS),
        check_in("poste", POSTE_CODES),  # NULL passes: only a spend rule needs a poste
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"))
    prefix: Mapped[str] = mapped_column(String(8))
    treatment: Mapped[str] = mapped_column(String(16))
    poste: Mapped[str | None] = mapped_column(String(3))
    factor_id: Mapped[str | None] = mapped_column(String(128))
    overlaps: Mapped[str] = mapped_column(String(500), default="")  # "purchases-food|meals-"
    label: Mapped[str] = mapped_column(String(200), default="")
    physical_hint: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic locking: two coaches may edit a cohort's rules at once.
    version_id: Mapped[int] = mapped_column(Integer)

    updated_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012 (read once, by the mapper)
