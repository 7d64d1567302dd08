"""Creating, changing and deleting activity lines: checked, audited, optimistically locked.

Every path that writes activity data (forms, API, spreadsheet import) goes through here, so the
same checks apply everywhere and no change escapes the audit log. A line is checked with the
engine against the period's pinned library before anything is written.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from carbon.accounting.engine import ComputationError, encode_lines
from carbon.accounting.factors import FactorLibrary
from carbon.accounting.postes import normalise_poste
from carbon.db import audit
from carbon.db.compute import library_for, uncertainty_scale
from carbon.db.models import ActivityLine, ReportingPeriod, Site
from carbon.factors.reference import load_reference_data
from carbon.inputs.messages import InputError, message
from carbon.inputs.numbers import (
    FACTOR_KGCO2E,
    MAX_COMMENT,
    MAX_EVIDENCE_REF,
    MAX_ID,
    QUANTITY,
    number_issue,
)

EDITABLE_FIELDS = (
    "activity_id", "poste", "factor_id", "quantity", "unit", "data_quality", "site_id",
    "supplier_factor_kgco2e", "comment", "evidence_ref",
)  # fmt: skip
MAX_TEXT = {"comment": MAX_COMMENT, "evidence_ref": MAX_EVIDENCE_REF}
NUMBERS = {"quantity": QUANTITY, "supplier_factor_kgco2e": FACTOR_KGCO2E}

# Field -> message, already in the reader's language (one class for every input's refusal).
LineInputError = InputError


class PeriodReadOnly(PermissionError):
    pass


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def check_line(
    session: Session, period: ReportingPeriod, data: Mapping[str, Any]
) -> dict[str, Any]:
    """The line's values, cleaned; :class:`LineInputError` naming each bad field.

    The models of :mod:`carbon.inputs` check a line's shape before it gets here; this checks it
    again against what only the database knows (the period's library, the company's sites), and
    keeps the number ranges for any caller that did not go through a model.
    """
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {k: data.get(k) for k in EDITABLE_FIELDS}
    for key in ("comment", "evidence_ref", "activity_id"):
        value = (clean.get(key) or "").strip() if isinstance(clean.get(key), str) else clean[key]
        clean[key] = value or None
        limit = MAX_TEXT.get(key)
        if limit and value and len(value) > limit:
            errors[key] = message("text_limit", key, {"limit": limit})
    for key, bound in NUMBERS.items():
        if key == "supplier_factor_kgco2e" and clean.get(key) in (None, ""):
            continue
        number = _number(clean.get(key))
        issue = number_issue(number, bound) if not math.isnan(number) else ("number_invalid", {})
        if issue is not None:
            errors[key] = message(issue[0], key, {"value": clean.get(key), **issue[1]})
    try:
        clean["poste"] = normalise_poste(clean.get("poste") or "")
    except ValueError:
        errors["poste"] = message("poste_unknown", "poste", {"value": clean.get("poste") or ""})
    try:
        clean["data_quality"] = uncertainty_scale(session).normalise_quality(
            clean.get("data_quality")
        )
    except ValueError:
        errors["data_quality"] = message("choice_invalid", "data_quality")
    site_id = clean.get("site_id")
    if site_id in ("", None):
        clean["site_id"] = None
    else:
        site_number = int(site_id) if str(site_id).isascii() and str(site_id).isdigit() else 0
        site = session.get(Site, site_number) if 0 < site_number <= MAX_ID else None
        if site is None or site.company_id != period.company_id:
            errors["site_id"] = message("site_unknown", "site_id")
        clean["site_id"] = site_number
    if not errors:
        library = library_for(session, period.library_version_id)
        frame = pd.DataFrame([{k: clean.get(k) for k in EDITABLE_FIELDS}])
        # The country and year the computation will use: a VAT-included spend needs the rate.
        site = session.get(Site, clean["site_id"]) if clean.get("site_id") else None
        frame["country"] = site.country if site else period.company.country
        frame["year"] = period.year
        try:
            encode_lines(
                frame, library, uncertainty_scale(session), reference=load_reference_data()
            )
        except ComputationError as exc:
            for e in exc.errors:
                errors.setdefault(e.column, _engine_message(e.column, clean, library))
    if errors:
        raise LineInputError(errors)
    clean["quantity"] = float(clean["quantity"])
    supplier = clean.get("supplier_factor_kgco2e")
    clean["supplier_factor_kgco2e"] = None if supplier in (None, "") else float(supplier)
    return clean


def _engine_message(column: str, line: Mapping[str, Any], library: FactorLibrary) -> str:
    """The engine's refusal of a line whose numbers, poste and quality already passed."""
    if column == "factor_id":
        params = {"value": line.get("factor_id"), "library": library.version}
        return message("factor_unknown", column, params)
    if column == "unit":
        position = library.index.get_indexer(pd.Index([line.get("factor_id")]))[0]
        factor_unit = library.factors["unit"].iat[position] if position >= 0 else "?"
        params = {"value": line.get("unit"), "factor_unit": factor_unit}
        return message("unit_not_convertible", column, params)
    if column == "supplier_factor_kgco2e":
        return message("supplier_not_energy", column)
    return message("invalid", column, {"detail": column})


def _require_draft(period: ReportingPeriod) -> None:
    if period.status != "draft":
        raise PeriodReadOnly(f"period {period.year} is {period.status}: it is read-only")


def add_line(
    session: Session, actor_id: int, period: ReportingPeriod, data: Mapping[str, Any]
) -> ActivityLine:
    _require_draft(period)
    clean = check_line(session, period, data)
    line = ActivityLine(period_id=period.id, created_by_id=actor_id, **clean)
    session.add(line)
    session.flush()
    audit.record(
        session, actor_id, "create", "activity_line", line.id, None, audit.snapshot(line),
        company_id=period.company_id,
    )  # fmt: skip
    return line


def update_line(
    session: Session,
    actor_id: int,
    line: ActivityLine,
    data: Mapping[str, Any],
    expected_version: int,
) -> ActivityLine:
    period = line.period
    _require_draft(period)
    if line.version_id != expected_version:
        raise StaleDataError(f"activity line {line.id} was changed by someone else")
    clean = check_line(session, period, data)
    before = audit.snapshot(line)
    for key, value in clean.items():
        setattr(line, key, value)
    line.updated_by_id = actor_id
    session.flush()
    audit.record(
        session, actor_id, "update", "activity_line", line.id, before, audit.snapshot(line),
        company_id=period.company_id,
    )  # fmt: skip
    return line


def delete_line(
    session: Session, actor_id: int, line: ActivityLine, expected_version: int | None = None
) -> None:
    period = line.period
    _require_draft(period)
    if expected_version is not None and line.version_id != expected_version:
        raise StaleDataError(f"activity line {line.id} was changed by someone else")
    before = audit.snapshot(line)
    session.delete(line)
    session.flush()
    audit.record(
        session, actor_id, "delete", "activity_line", before["id"], before, None,
        company_id=period.company_id,
    )  # fmt: skip


def set_status(
    session: Session, actor_id: int, period: ReportingPeriod, status: str, reason: str | None = None
) -> ReportingPeriod:
    before = {"status": period.status}
    period.status = status
    now = datetime.now(UTC)
    if status == "submitted":
        period.submitted_at = now
    elif status == "validated":
        period.validated_at, period.validated_by_id = now, actor_id
    elif status == "draft":
        # Reopened or sent back: it is no longer validated (the audit log keeps who did what).
        period.validated_at, period.validated_by_id = None, None
    session.flush()
    after: dict[str, Any] = {"status": status}
    if reason:
        after["reason"] = reason
    audit.record(
        session, actor_id, "status", "reporting_period", period.id, before, after,
        company_id=period.company_id,
    )  # fmt: skip
    return period


def add_lines(
    session: Session,
    actor_id: int | None,
    period: ReportingPeriod,
    rows: Iterable[Mapping[str, Any]],
) -> list[ActivityLine]:
    """Store many already-validated lines at once (the spreadsheet import): all or none.

    The rows were checked by the caller (``carbon.imports.spreadsheet.validate_rows`` runs the
    engine on every row), so :func:`check_line` is not repeated per row, which would run the
    engine thousands of times; only what a stale preview could get wrong is checked again here:
    the period still a draft, the sites still the company's. Lines and their audit entries each
    go to the database in one flush (batched inserts); an error leaves nothing half-written once
    the caller rolls back. Keys other than :data:`EDITABLE_FIELDS` (a preview's row number or
    estimate) are ignored.
    """
    _require_draft(period)
    values = [{k: row.get(k) for k in EDITABLE_FIELDS} for row in rows]
    site_ids = {v["site_id"] for v in values if v["site_id"] is not None}
    if site_ids - {site.id for site in period.company.sites}:
        raise LineInputError({"site_id": message("site_unknown", "site_id")})
    return insert_audited(session, actor_id, period, values, "import")


def insert_audited(
    session: Session,
    actor_id: int | None,
    period: ReportingPeriod,
    values: Iterable[Mapping[str, Any]],
    action: str,
) -> list[ActivityLine]:
    """Insert checked line values into ``period`` in one flush, each audited as ``action``."""
    lines = [ActivityLine(period_id=period.id, created_by_id=actor_id, **v) for v in values]
    session.add_all(lines)
    session.flush()
    for line in lines:
        audit.record(
            session, actor_id, action, "activity_line", line.id, None, audit.snapshot(line),
            company_id=period.company_id,
        )  # fmt: skip
    session.flush()
    return lines


def site_country(session: Session, period: ReportingPeriod) -> Callable[[int | None], str]:
    """The country whose factors apply to a line of ``period`` at a site (methodology rule 5):
    the site's when it is the company's, else the company's own."""

    def country_of(site_id: int | None) -> str:
        site = session.get(Site, site_id) if site_id else None
        mine = site is not None and site.company_id == period.company_id
        return site.country if mine and site is not None else period.company.country

    return country_of
