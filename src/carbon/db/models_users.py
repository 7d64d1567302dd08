"""Accounts and who may see what: users, their company memberships, and invitations.

Coaches are users attached to cohorts (``CohortCoach``); administrators carry ``is_admin``.
Password hashing and token generation belong to the web layer; only their hashes live here.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from carbon.db.base import Base, check_in, utcnow

if TYPE_CHECKING:
    from carbon.db.models_org import Cohort, Company


def normalise_email(value: str) -> str:
    """One account per address, whatever the case people type it in (look-ups use this too)."""
    return value.strip().lower()


class Locale(StrEnum):
    fr = "fr"
    it = "it"
    en = "en"


class MembershipRole(StrEnum):
    member = "member"
    owner = "owner"  # may invite colleagues and submit the period


class InvitationRole(StrEnum):
    member = "member"
    owner = "owner"
    coach = "coach"  # an invitation to a cohort


class User(Base):
    # "user" is a reserved word in PostgreSQL; a different name spares raw SQL the quoting.
    __tablename__ = "user_account"
    __table_args__ = (
        check_in("locale", [loc.value for loc in Locale]),
        CheckConstraint("email = lower(email)", name="email_lower"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # None until the person sets a password (accounts created from an invitation or by an admin).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    locale: Mapped[str] = mapped_column(String(2), default=Locale.fr)
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    # A session cookie carries the generation it was issued at and is refused once this moves:
    # signing out, a password change and an administrator's "sign out everywhere" bump it.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return normalise_email(value)


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (
        Unique("user_id", "company_id"),
        check_in("role", [r.value for r in MembershipRole]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16), default=MembershipRole.member)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    company: Mapped[Company] = relationship(back_populates="memberships")


class Invitation(Base):
    """A single-use link: to a company (member or owner) or to a cohort (coach)."""

    __tablename__ = "invitation"
    __table_args__ = (
        check_in("role", [r.value for r in InvitationRole]),
        CheckConstraint("(company_id IS NULL) <> (cohort_id IS NULL)", name="company_or_cohort"),
        CheckConstraint("(role = 'coach') = (cohort_id IS NOT NULL)", name="coach_iff_cohort"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16))
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohort.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    company: Mapped[Company | None] = relationship()
    cohort: Mapped[Cohort | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return normalise_email(value)
