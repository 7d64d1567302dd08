"""Validating a period: the coach's moves, who may make them, the comment thread, the history.

A period moves draft → submitted (by the company) → validated (by its coach) → locked (by an
administrator). The coach may send a submitted period back for corrections, and a validated or
locked one may be reopened; both need a written reason, which the audit log keeps with the
change. Every status change goes through ``carbon.db.activity_lines.set_status`` (audited) and
every comment is audited too, so the history a company sees is the audit log itself.

Who is who (member, coach, administrator) is decided by ``carbon.web.access``; here are only the
rules that follow from it. No one validates the figures of a company they belong to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from carbon.db import audit
from carbon.db.activity_lines import set_status
from carbon.db.models import (
    ActivityLine,
    AuditLog,
    Membership,
    PeriodComment,
    ReportingPeriod,
    User,
)

MAX_TEXT = 4000


class Transition(StrEnum):
    # In the order the buttons are shown: the usual move first.
    validate = "validate"
    request_corrections = "request-corrections"
    reopen = "reopen"
    lock = "lock"


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    target: str
    admin_only: bool = False
    needs_reason: bool = False
    # Statuses from which only an administrator makes this move: what an administrator locked,
    # only an administrator reopens.
    admin_only_from: frozenset[str] = frozenset()


RULES: dict[Transition, Rule] = {
    Transition.request_corrections: Rule(frozenset({"submitted"}), "draft", needs_reason=True),
    Transition.validate: Rule(frozenset({"submitted"}), "validated"),
    Transition.reopen: Rule(
        frozenset({"validated", "locked"}),
        "draft",
        needs_reason=True,
        admin_only_from=frozenset({"locked"}),
    ),
    Transition.lock: Rule(frozenset({"validated"}), "locked", admin_only=True),
}


@dataclass(frozen=True)
class Roles:
    """What the signed-in user is to the period's company."""

    member: bool
    coach: bool  # coaches a cohort the company is enrolled in
    admin: bool

    def may(self, transition: Transition, status: str | None = None) -> bool:
        """Whether this user may make ``transition`` (from ``status``, when known)."""
        # Judging one's own company's figures is not validation, whatever else one is.
        if self.member:
            return False
        rule = RULES[transition]
        admin_only = rule.admin_only or status in rule.admin_only_from
        return self.admin or (self.coach and not admin_only)

    @property
    def may_comment(self) -> bool:
        return self.member or self.coach or self.admin


def available(status: str, roles: Roles) -> list[Transition]:
    """The moves this user can make on a period in ``status`` (the buttons to show)."""
    return [t for t in Transition if roles.may(t, status) and status in RULES[t].sources]


class TransitionRefused(Exception):
    """The period's status does not allow this move (someone else moved it first, or a replay)."""

    def __init__(self, status: str, transition: Transition):
        super().__init__(f"cannot {transition.value} a {status} period")
        self.status, self.transition = status, transition


class InputError(ValueError):
    """A missing or bad field: ``field`` and a ``code`` the web layer turns into a message."""

    def __init__(self, field: str, code: str):
        super().__init__(f"{field}: {code}")
        self.field, self.code = field, code


def _text(value: str | None, field: str, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InputError(field, "required")
    if len(text) > MAX_TEXT:
        raise InputError(field, "too_long")
    return text


def apply_transition(
    session: Session,
    actor_id: int,
    period: ReportingPeriod,
    transition: Transition,
    reason: str | None = None,
) -> None:
    """Move the period (the caller has checked :meth:`Roles.may`); flushes, does not commit."""
    rule = RULES[transition]
    if period.status not in rule.sources:
        raise TransitionRefused(period.status, transition)
    text = _text(reason, "reason", rule.needs_reason)
    set_status(session, actor_id, period, rule.target, text or None)
    if transition is Transition.request_corrections:
        # The company acts on this message: it belongs in the thread, not only in the history.
        add_comment(session, actor_id, period, text)


def add_comment(
    session: Session,
    actor_id: int,
    period: ReportingPeriod,
    body: str | None,
    line_id: int | None = None,
) -> PeriodComment:
    text = _text(body, "body", required=True)
    if line_id is not None:
        line = session.get(ActivityLine, line_id)
        if line is None or line.period_id != period.id:
            raise InputError("line_id", "unknown_line")
    comment = PeriodComment(
        period_id=period.id, line_id=line_id, line_ref=line_id, author_id=actor_id, body=text
    )
    session.add(comment)
    session.flush()
    audit.record(
        session, actor_id, "comment", "period_comment", comment.id, None,
        {"period_id": period.id, "line_id": line_id, "body": text},
        company_id=period.company_id,
    )  # fmt: skip
    return comment


@dataclass(frozen=True)
class CommentView:
    id: int
    at: datetime
    author: str
    from_company: bool  # written by a member of the company (else by its coach or an admin)
    body: str
    line_id: int | None
    line_poste: str | None
    line_activity: str | None  # activity catalogue id, or the factor id without one
    deleted_line: int | None = None  # the id of the line it was about, since deleted


def thread(session: Session, period: ReportingPeriod) -> list[CommentView]:
    """The period's comments, oldest first, with their authors and lines (one query)."""
    c = PeriodComment
    rows = session.execute(
        select(c.id, c.created_at, User.display_name, User.email, Membership.id, c.body,
               c.line_id, ActivityLine.poste,
               ActivityLine.activity_id, ActivityLine.factor_id, c.line_ref)
        .join(User, User.id == c.author_id)
        .outerjoin(Membership, and_(Membership.user_id == c.author_id,
                                    Membership.company_id == period.company_id))
        .outerjoin(ActivityLine, ActivityLine.id == c.line_id)
        .where(c.period_id == period.id)
        .order_by(c.created_at, c.id)
    ).all()  # fmt: skip
    return [
        CommentView(
            r[0],
            r[1],
            r[2] or r[3],
            r[4] is not None,
            r[5],
            r[6],
            r[7],
            r[8] or r[9],
            r[10] if r[6] is None else None,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str | None  # None for a system act (import, demo)
    before: str | None
    after: str
    reason: str | None


def history(session: Session, period: ReportingPeriod) -> list[HistoryEntry]:
    """The period's status changes from the audit log, oldest first (one query)."""
    rows = session.execute(
        select(AuditLog.at, User.display_name, User.email, AuditLog.before, AuditLog.after)
        .outerjoin(User, User.id == AuditLog.actor_user_id)
        .where(
            AuditLog.entity == "reporting_period",
            AuditLog.entity_id == str(period.id),
            AuditLog.action == "status",
        )
        .order_by(AuditLog.at, AuditLog.id)
    ).all()
    return [
        HistoryEntry(
            at=at,
            actor=name or email,
            before=(before or {}).get("status"),
            after=(after or {}).get("status", ""),
            reason=(after or {}).get("reason"),
        )
        for at, name, email, before, after in rows
    ]
