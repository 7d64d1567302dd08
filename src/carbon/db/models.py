"""Every table of carbon, importable from one place: ``from carbon.db.models import Company``.

The models live in themed modules (organisations, users, factor libraries, reporting); this
module gathers them, so that importing it registers the whole schema on ``Base.metadata`` (what
Alembic compares the migrations with), and holds the audit log, which belongs to all of them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from carbon.db import line_stats  # noqa: F401 - registers the flush hook keeping line counts
from carbon.db.base import Base, utcnow
from carbon.db.models_factors import (
    Factor,
    FactorGas,
    FactorSubpost,
    LibrarySource,
    LibraryVersion,
    SubpostKind,
)
from carbon.db.models_org import Cohort, CohortCoach, Company, Enrolment, Programme, Sector, Site
from carbon.db.models_reporting import (
    Action,
    ActionStatus,
    ActivityLine,
    DataQuality,
    IntensityUnit,
    PeriodComment,
    PeriodStatus,
    ReportingPeriod,
    Target,
    TargetKind,
)
from carbon.db.models_rules import MappingRule
from carbon.db.models_users import (
    Invitation,
    InvitationRole,
    Locale,
    Membership,
    MembershipRole,
    User,
    normalise_email,
)


class AuditLog(Base):
    """Who changed what, when, with the row before and after (append-only; see carbon.db.audit).

    ``actor_user_id`` and ``company_id`` are plain integers, not foreign keys: the log must be
    able to outlive what it describes ("company 12 deleted") and must never be rewritten by an
    ``ON DELETE SET NULL``.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_company_id_at", "company_id", "at"),
        Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_user_id: Mapped[int | None]
    company_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(64))  # "create", "update", "validate"…
    entity: Mapped[str] = mapped_column(String(64))  # table name: "activity_line"
    entity_id: Mapped[str] = mapped_column(String(128))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]


@event.listens_for(AuditLog, "before_update")
@event.listens_for(AuditLog, "before_delete")
def _refuse_rewriting_history(_mapper: Mapper[AuditLog], _conn: Any, target: AuditLog) -> None:
    raise PermissionError(f"audit_log is append-only (entry {target.id})")


__all__ = [
    "Action",
    "ActionStatus",
    "ActivityLine",
    "AuditLog",
    "Base",
    "Cohort",
    "CohortCoach",
    "Company",
    "DataQuality",
    "Enrolment",
    "Factor",
    "FactorGas",
    "FactorSubpost",
    "IntensityUnit",
    "Invitation",
    "InvitationRole",
    "LibrarySource",
    "LibraryVersion",
    "Locale",
    "MappingRule",
    "Membership",
    "MembershipRole",
    "PeriodComment",
    "PeriodStatus",
    "Programme",
    "ReportingPeriod",
    "Sector",
    "Site",
    "SubpostKind",
    "Target",
    "TargetKind",
    "User",
    "normalise_email",
]
