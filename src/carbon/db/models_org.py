"""Who is coached: programmes, their cohorts, the companies enrolled and their sites.

A company outlives cohorts (it can follow PZCM one year and MC0 the next), so enrolment is its
own table rather than a cohort column on the company.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carbon.db.base import Base, check_in, utcnow

if TYPE_CHECKING:
    from carbon.db.models_reporting import Action, ReportingPeriod, Target
    from carbon.db.models_users import Membership, User


class Sector(StrEnum):
    """Broad sector, for cohort reports and peer comparison (the NACE/ATECO code is apart)."""

    lift = "lift"  # ski-lift makers and operators
    resort = "resort"  # resort and ski-area operators
    snow = "snow"  # snowmaking and grooming
    hotel = "hotel"  # hotels, restaurants, accommodation
    engineering = "engineering"  # engineering and architecture
    equipment = "equipment"  # equipment makers
    industry = "industry"  # other manufacturing, mechatronics
    agrifood = "agrifood"
    perfume = "perfume"  # aromas and perfumes
    digital = "digital"
    services = "services"
    other = "other"


def _country_check() -> CheckConstraint:
    """ISO 3166 alpha-2 in capitals: the factor look-up by country compares it as is."""
    return CheckConstraint("length(country) = 2 AND country = upper(country)", name="country")


class Programme(Base):
    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # "PZCM", "MC0"
    name_fr: Mapped[str] = mapped_column(String(200))
    name_it: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")

    cohorts: Mapped[list[Cohort]] = relationship(back_populates="programme")


class Cohort(Base):
    __tablename__ = "cohort"
    __table_args__ = (Unique("programme_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    name: Mapped[str] = mapped_column(String(200))  # "Cohorte 2"
    edition: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)

    programme: Mapped[Programme] = relationship(back_populates="cohorts")
    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", passive_deletes=True
    )
    coaches: Mapped[list[CohortCoach]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", passive_deletes=True
    )


class CohortCoach(Base):
    """A coach follows every company of the cohorts they are attached to."""

    __tablename__ = "cohort_coach"
    __table_args__ = (Unique("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)

    cohort: Mapped[Cohort] = relationship(back_populates="coaches")
    user: Mapped[User] = relationship()


class Enrolment(Base):
    __tablename__ = "enrolment"
    __table_args__ = (Unique("company_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)

    company: Mapped[Company] = relationship(back_populates="enrolments")
    cohort: Mapped[Cohort] = relationship(back_populates="enrolments")


class Company(Base):
    __tablename__ = "company"
    __table_args__ = (
        check_in("sector", [s.value for s in Sector]),
        _country_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166 alpha-2: FR, IT
    legal_id: Mapped[str | None] = mapped_column(String(32))  # SIREN or Partita IVA
    sector_code: Mapped[str | None] = mapped_column(String(16))  # NAF / ATECO code
    sector: Mapped[str] = mapped_column(String(16), default=Sector.other)
    fte: Mapped[float | None] = mapped_column(Float)
    revenue_keur: Mapped[float | None] = mapped_column(Float)
    # The sector's own intensity unit ("skier-day", "overnight stay"), per period in
    # ReportingPeriod.sector_activity.
    sector_unit_label: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sites: Mapped[list[Site]] = relationship(
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True
    )
    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True
    )
    periods: Mapped[list[ReportingPeriod]] = relationship(
        back_populates="company",
        order_by="ReportingPeriod.year",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    targets: Mapped[list[Target]] = relationship(
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True
    )


class Site(Base):
    """A place the company operates; its country chooses the grid factor (methodology rule 5)."""

    __tablename__ = "site"
    __table_args__ = (
        Unique("company_id", "name"),
        _country_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    municipality: Mapped[str | None] = mapped_column(String(200))

    company: Mapped[Company] = relationship(back_populates="sites")
