"""A company's footprint over the years: reporting periods, activity lines, targets, actions.

Periods, lines, actions and targets carry a ``version_id`` for optimistic locking: a coach
validating a period while the company edits a line, or two people editing the plan, must not
silently overwrite one another, so a stale write raises ``sqlalchemy.orm.exc.StaleDataError`` and
the web layer asks the user to reload.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carbon.accounting.postes import POSTE_CODES
from carbon.db.base import Base, check_in, utcnow

if TYPE_CHECKING:
    from carbon.db.models_factors import LibraryVersion
    from carbon.db.models_org import Company, Site
    from carbon.db.models_users import User


class PeriodStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"  # by the company
    validated = "validated"  # by its coach; read-only from here on
    locked = "locked"


class DataQuality(StrEnum):
    """Drives the activity uncertainty (Settings.data_quality_uncertainty)."""

    measured = "measured"
    estimated = "estimated"
    extrapolated = "extrapolated"


class TargetKind(StrEnum):
    absolute = "absolute"
    intensity = "intensity"


class IntensityUnit(StrEnum):
    """The denominator of an intensity target: the ReportingPeriod column of the same name."""

    fte = "fte"
    revenue_keur = "revenue_keur"
    sector_activity = "sector_activity"  # in the company's sector_unit_label (skier-days…)


class ActionStatus(StrEnum):
    identified = "identified"
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    abandoned = "abandoned"


class ReportingPeriod(Base):
    __tablename__ = "reporting_period"
    __table_args__ = (
        Unique("company_id", "year"),
        check_in("status", [s.value for s in PeriodStatus]),
        # One base year per company: progress is measured against it.
        Index(
            "uq_reporting_period_base_year",
            "company_id",
            unique=True,
            sqlite_where=text("is_base_year"),
            postgresql_where=text("is_base_year"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    # A fiscal year's first and last day; both null for the calendar year ``year``.
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    is_base_year: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=PeriodStatus.draft)
    # Pinned when the period is created; changing it is an explicit, audited recomputation.
    library_version_id: Mapped[int] = mapped_column(ForeignKey("library_version.id"), index=True)
    sector_activity: Mapped[float | None] = mapped_column(Float)
    fte: Mapped[float | None] = mapped_column(Float)
    revenue_keur: Mapped[float | None] = mapped_column(Float)
    version_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    validated_at: Mapped[datetime | None]
    validated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # Kept in step with the period's lines by carbon.db.line_stats after every flush: pages
    # read them instead of counting the lines, and the results cache keys on the revision (a
    # random number, new with every change to the lines).
    line_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lines_revision: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    lines_changed_at: Mapped[datetime | None]

    company: Mapped[Company] = relationship(back_populates="periods")
    library_version: Mapped[LibraryVersion] = relationship()
    validated_by: Mapped[User | None] = relationship()
    lines: Mapped[list[ActivityLine]] = relationship(
        back_populates="period",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ActivityLine.id",
    )
    comments: Mapped[list[PeriodComment]] = relationship(
        back_populates="period",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PeriodComment.created_at",
    )

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012 (read once, by the mapper)

    @property
    def is_read_only(self) -> bool:
        return self.status in (PeriodStatus.validated, PeriodStatus.locked)


class ActivityLine(Base):
    """One quantity of one activity; emissions = quantity (in the factor's unit) × factor."""

    __tablename__ = "activity_line"
    __table_args__ = (
        check_in("poste", POSTE_CODES),
        check_in("data_quality", [q.value for q in DataQuality]),
        # SQLite would otherwise give a deleted line's id to the next one, mixing the two
        # lines' audit trails (the audit log names lines by id).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True
    )
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id", ondelete="SET NULL"))
    activity_id: Mapped[str | None] = mapped_column(String(100))  # activity catalogue slug
    poste: Mapped[str] = mapped_column(String(3))  # BEGES "1.1" … "6.1"
    # A factor_id within the period's pinned library version (not a row key: the pair
    # (period.library_version_id, factor_id) names the factor).
    factor_id: Mapped[str] = mapped_column(String(128))
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(64))
    data_quality: Mapped[str] = mapped_column(String(16), default=DataQuality.measured)
    # Market-based scope 2: the supplier's kgCO2e per unit, when the contract gives one.
    supplier_factor_kgco2e: Mapped[float | None] = mapped_column(Float)
    comment: Mapped[str | None] = mapped_column(Text)
    evidence_ref: Mapped[str | None] = mapped_column(String(500))  # invoice number, file name
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime | None] = mapped_column(onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer)

    period: Mapped[ReportingPeriod] = relationship(back_populates="lines")
    site: Mapped[Site | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012 (read once, by the mapper)


class PeriodComment(Base):
    """The coach–company conversation about a period, or about one of its lines."""

    __tablename__ = "period_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True
    )
    # A deleted line leaves its comments: line_id becomes NULL, line_ref keeps which line it was.
    line_id: Mapped[int | None] = mapped_column(ForeignKey("activity_line.id", ondelete="SET NULL"))
    line_ref: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    period: Mapped[ReportingPeriod] = relationship(back_populates="comments")
    line: Mapped[ActivityLine | None] = relationship()
    author: Mapped[User] = relationship()


class Target(Base):
    __tablename__ = "target"
    __table_args__ = (
        check_in("kind", [k.value for k in TargetKind]),
        CheckConstraint("reduction_pct > 0 AND reduction_pct <= 100", name="reduction_pct"),
        # "IS NOT NULL" because "NULL IN (...)" is NULL, which a CHECK lets through.
        CheckConstraint(
            "(kind = 'absolute' AND intensity_unit IS NULL) OR (kind = 'intensity' AND "
            "intensity_unit IS NOT NULL AND "
            f"intensity_unit IN ({', '.join(repr(u.value) for u in IntensityUnit)}))",
            name="intensity_unit",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    base_period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id"))
    target_year: Mapped[int] = mapped_column(Integer)
    reduction_pct: Mapped[float] = mapped_column(Float)  # vs the base period, in %
    kind: Mapped[str] = mapped_column(String(16), default=TargetKind.absolute)
    intensity_unit: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optimistic locking (migration 0003): a member and their coach may edit the plan at once.
    version_id: Mapped[int] = mapped_column(Integer, server_default="1")

    company: Mapped[Company] = relationship(back_populates="targets")
    base_period: Mapped[ReportingPeriod] = relationship()

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012 (read once, by the mapper)


class Action(Base):
    """An entry of the transition plan; its KPIs feed the programme reports."""

    __tablename__ = "action"
    __table_args__ = (check_in("status", [s.value for s in ActionStatus]),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    postes: Mapped[str] = mapped_column(String(100), default="")  # "1.2,3.4"
    status: Mapped[str] = mapped_column(String(16), default=ActionStatus.identified)
    owner: Mapped[str | None] = mapped_column(String(200))  # a person, not always a user
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    cost_eur: Mapped[float | None] = mapped_column(Float)
    expected_avoided_tco2e_per_year: Mapped[float | None] = mapped_column(Float)
    achieved_avoided_tco2e: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic locking (migration 0003): a member and their coach may edit the plan at once.
    version_id: Mapped[int] = mapped_column(Integer, server_default="1")

    company: Mapped[Company] = relationship(back_populates="actions")

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012 (read once, by the mapper)

    @property
    def poste_list(self) -> list[str]:
        return [p for p in self.postes.split(",") if p]

    @poste_list.setter
    def poste_list(self, codes: list[str]) -> None:
        self.postes = ",".join(codes)
