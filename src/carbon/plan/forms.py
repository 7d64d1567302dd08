"""Reading the target and action forms: typed values, or one message per field.

Kept out of the route module so that the rules (a target year after the base year, an end date
after the start, positive figures) can be read and tested on their own. Messages are English
message ids marked with ``N_`` (so pybabel extracts them); the web layer translates them with
``gettext`` when it shows them, since this package does not know the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from carbon.accounting.postes import POSTE_CODES
from carbon.db.models import ActionStatus, IntensityUnit, ReportingPeriod, TargetKind
from carbon.imports.tabular import parse_decimal
from carbon.inputs.numbers import AVOIDED_TCO2E, COST_EUR
from carbon.inputs.validate import form_numbers
from carbon.plan.services import ActionData

LAST_TARGET_YEAR = 2100
# An action's figures: checked like every number a person gives (carbon.inputs).
ACTION_NUMBERS = {
    "cost_eur": COST_EUR,
    "expected_avoided_tco2e_per_year": AVOIDED_TCO2E,
    "achieved_avoided_tco2e": AVOIDED_TCO2E,
}


def N_(message: str) -> str:
    """Marks a message for translation; it is translated where it is shown."""
    return message


STATUS_LABELS = {
    "identified": N_("identified"),
    "planned": N_("planned"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "abandoned": N_("abandoned"),
}
EVIDENCE_LABELS = {
    "programme": N_("figure from the programme's references"),
    "computed": N_("computed from the emission factors"),
    "estimate": N_("order of magnitude, to confirm with your own data"),
}


def parse_number(text: str) -> float | None:
    """A number as French, Italian or English people type it; None when it is not one."""
    value = parse_decimal(pd.Series([text])).iloc[0]
    return None if pd.isna(value) else float(value)


@dataclass(frozen=True)
class TargetValues:
    base_period: ReportingPeriod
    target_year: int
    reduction_pct: float
    kind: str
    intensity_unit: str | None


def parse_target_form(
    form: Mapping[str, str], periods: Sequence[ReportingPeriod]
) -> tuple[TargetValues | None, dict[str, str]]:
    errors: dict[str, str] = {}
    base = next((p for p in periods if str(p.id) == form.get("base_period_id")), None)
    if base is None:
        errors["base_period_id"] = N_("Choose the base year among the company's periods.")
    year = form.get("target_year", "").strip()
    if not (year.isdigit() and base is not None and base.year < int(year) <= LAST_TARGET_YEAR):
        errors["target_year"] = N_("Enter a year after the base year.")
    pct = parse_number(form.get("reduction_pct", ""))
    if pct is None or not 0 < pct <= 100:
        errors["reduction_pct"] = N_("Enter a percentage between 0 and 100.")
    kind = form.get("kind", "")
    unit = form.get("intensity_unit") or None
    if kind not in {k.value for k in TargetKind}:
        errors["kind"] = N_("Choose an absolute or an intensity target.")
    elif kind == TargetKind.intensity and unit not in {u.value for u in IntensityUnit}:
        errors["intensity_unit"] = N_("Choose what the intensity is measured per.")
    if errors or base is None or pct is None:
        return None, errors
    unit = unit if kind == TargetKind.intensity else None
    return TargetValues(base, int(year), pct, kind, unit), {}


def _dates(form: Mapping[str, str], errors: dict[str, str]) -> dict[str, date | None]:
    dates: dict[str, date | None] = {}
    for key in ("start_date", "end_date"):
        try:
            dates[key] = date.fromisoformat(form[key]) if form.get(key) else None
        except ValueError:
            errors[key] = N_("Enter a date.")
            dates[key] = None
    start, end = dates["start_date"], dates["end_date"]
    if start and end and end < start:
        errors["end_date"] = N_("The end date comes before the start date.")
    return dates


def parse_action_form(form: Mapping[str, str]) -> tuple[ActionData | None, dict[str, str]]:
    """``form["postes"]`` is the comma-joined list of ticked postes."""
    errors: dict[str, str] = {}
    title = form.get("title", "").strip()
    if not title or len(title) > 200:
        errors["title"] = N_("Give the action a title (200 characters at most).")
    ticked = form.get("postes", "").split(",")
    status = form.get("status", "")
    if status not in {s.value for s in ActionStatus}:
        errors["status"] = N_("Choose a status.")
    dates = _dates(form, errors)
    numbers, number_errors = form_numbers(form, ACTION_NUMBERS)
    errors.update(number_errors)
    if errors:
        return None, errors
    return {
        "title": title,
        "description": form.get("description", "").strip(),
        "postes": ",".join(p for p in POSTE_CODES if p in ticked),
        "status": status,
        "owner": form.get("owner", "").strip() or None,
        "start_date": dates["start_date"],
        "end_date": dates["end_date"],
        "cost_eur": numbers["cost_eur"],
        "expected_avoided_tco2e_per_year": numbers["expected_avoided_tco2e_per_year"],
        "achieved_avoided_tco2e": numbers["achieved_avoided_tco2e"],
    }, {}
