"""Changing a company's target and action plan, every change kept in the audit trail.

The programme KPIs (actions identified, quantified, tCO2e avoided) are read from these rows by
coaches and funders, so a coach must be able to see who changed an action's figures and when:
each write records the row before and after with :func:`carbon.db.audit.record`. Callers have
already checked the user's right to the company and validated the values; they commit.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from carbon.db.audit import record, snapshot
from carbon.db.models import Action, Company, ReportingPeriod, Target


class ActionData(TypedDict):
    title: str
    description: str
    postes: str  # "1.2,3.4"
    status: str
    owner: str | None
    start_date: date | None
    end_date: date | None
    cost_eur: float | None
    expected_avoided_tco2e_per_year: float | None
    achieved_avoided_tco2e: float | None


def _check_version(row: Action | Target | None, expected_version: int | None) -> None:
    """A form shows an action or the target at one version (0: there was no target yet); saving
    it after someone else's change would undo theirs without a word (the web layer answers 409,
    "reload to see their version"). A form that does not say (an old page) is not checked."""
    actual = 0 if row is None else row.version_id
    if expected_version is not None and expected_version != actual:
        what = "the action" if isinstance(row, Action) else "the target"
        raise StaleDataError(f"{what} was changed by someone else")


def current_target(company: Company) -> Target | None:
    """The target the plan page shows and edits: the most recently set one."""
    return max(company.targets, key=lambda t: t.id, default=None)


def save_target(
    session: Session,
    actor_id: int,
    company: Company,
    *,
    base_period: ReportingPeriod,
    target_year: int,
    reduction_pct: float,
    kind: str,
    intensity_unit: str | None,
    expected_version: int | None = None,
) -> Target:
    """Set the company's target (replacing the current one in place).

    ``expected_version`` is the target's version when the form was shown, 0 when there was none.
    """
    target = current_target(company)
    _check_version(target, expected_version)
    before = None if target is None else snapshot(target)
    if target is None:
        target = Target(company=company)
        session.add(target)
    target.base_period = base_period
    target.target_year = target_year
    target.reduction_pct = reduction_pct
    target.kind = kind
    target.intensity_unit = intensity_unit if kind == "intensity" else None
    session.flush()
    action = "create" if before is None else "update"
    record(session, actor_id, action, "target", target.id, before, snapshot(target),
           company_id=company.id)  # fmt: skip
    return target


def delete_target(
    session: Session, actor_id: int, target: Target, expected_version: int | None = None
) -> None:
    _check_version(target, expected_version)
    record(session, actor_id, "delete", "target", target.id, snapshot(target), None,
           company_id=target.company_id)  # fmt: skip
    session.delete(target)
    session.flush()


def _apply(action: Action, data: ActionData) -> None:
    values: dict[str, Any] = dict(data)
    for key, value in values.items():
        setattr(action, key, value)


def create_action(session: Session, actor_id: int, company: Company, data: ActionData) -> Action:
    action = Action(company=company)
    _apply(action, data)
    session.add(action)
    session.flush()
    record(session, actor_id, "create", "action", action.id, None, snapshot(action),
           company_id=company.id)  # fmt: skip
    return action


def update_action(
    session: Session,
    actor_id: int,
    action: Action,
    data: ActionData,
    expected_version: int | None = None,
) -> Action:
    _check_version(action, expected_version)
    before = snapshot(action)
    _apply(action, data)
    session.flush()
    record(session, actor_id, "update", "action", action.id, before, snapshot(action),
           company_id=action.company_id)  # fmt: skip
    return action


def delete_action(
    session: Session, actor_id: int, action: Action, expected_version: int | None = None
) -> None:
    _check_version(action, expected_version)
    record(session, actor_id, "delete", "action", action.id, snapshot(action), None,
           company_id=action.company_id)  # fmt: skip
    session.delete(action)
    session.flush()
