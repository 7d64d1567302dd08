"""Emission-factor libraries as stored: one row per imported version, its factors and sub-posts.

A reporting period pins a library version, so a new yearly ADEME import never changes the
figures of a validated year (methodology rule 6). The factor columns mirror
``carbon.accounting.factors.FACTOR_COLUMNS`` one for one, a factor's breakdown by gas
(``factor_gas``) ``carbon.accounting.gases.GAS_COLUMNS``; ``carbon.db.factor_store`` moves whole
libraries in and out.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column

from carbon.accounting.subposts import SubpostKind
from carbon.db.base import Base, check_in, utcnow


class LibrarySource(StrEnum):
    bundled = "bundled"  # the curated library shipped in emission_factors/
    ademe = "ademe"  # an official ADEME Base Empreinte export


class LibraryVersion(Base):
    __tablename__ = "library_version"
    __table_args__ = (
        check_in("source", [s.value for s in LibrarySource]),
        # At most one default version: the one new reporting periods pin.
        Index(
            "uq_library_version_is_default",
            "is_default",
            unique=True,
            sqlite_where=text("is_default"),
            postgresql_where=text("is_default"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(100), unique=True)
    source: Mapped[str] = mapped_column(String(16))
    # sha256 of the library's content (see factor_store.content_digest): the same export
    # imported twice is one version.
    content_digest: Mapped[str] = mapped_column(String(64), unique=True)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    factor_count: Mapped[int] = mapped_column(Integer)
    is_default: Mapped[bool] = mapped_column(default=False)


class Factor(Base):
    __tablename__ = "factor"
    __table_args__ = (Unique("library_version_id", "factor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    library_version_id: Mapped[int] = mapped_column(
        ForeignKey("library_version.id", ondelete="CASCADE")
    )
    factor_id: Mapped[str] = mapped_column(String(128), index=True)
    # Free text from the source: no length is safe to promise for it.
    name_fr: Mapped[str | None] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    name_it: Mapped[str | None] = mapped_column(Text)
    frontier: Mapped[str | None] = mapped_column(Text)
    category_path: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(64))
    total_kgco2e: Mapped[float] = mapped_column(Float)
    co2b_kg: Mapped[float | None] = mapped_column(Float)
    uncertainty_pct: Mapped[float | None] = mapped_column(Float)
    uncertainty_is_default: Mapped[bool] = mapped_column(default=False)
    country: Mapped[str | None] = mapped_column(String(2))
    location: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(16))
    valid_year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(200))
    source_ref: Mapped[str | None] = mapped_column(String(128))
    checked: Mapped[bool] = mapped_column(default=False)
    estimate: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)


class FactorSubpost(Base):
    __tablename__ = "factor_subpost"
    __table_args__ = (check_in("kind", [k.value for k in SubpostKind]),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The factor row's primary key, not its string ``factor_id``.
    factor_pk: Mapped[int] = mapped_column(ForeignKey("factor.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    kgco2e: Mapped[float] = mapped_column(Float)


class FactorGas(Base):
    """kgCO2e of one gas per unit of a factor (``part`` "") or of one of its sub-posts (the
    sub-post's name), as the source gives it (AR5); docs/methodology.md § 10."""

    __tablename__ = "factor_gas"

    id: Mapped[int] = mapped_column(primary_key=True)
    factor_pk: Mapped[int] = mapped_column(ForeignKey("factor.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(200), default="")
    gas: Mapped[str] = mapped_column(String(32))
    kgco2e: Mapped[float] = mapped_column(Float)
