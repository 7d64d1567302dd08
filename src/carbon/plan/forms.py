"""Reading the target and action forms: typed values, or one message per field.

Kept out of the route module so that the rules (a target year after the base year, an end date
after the start, bounded figures) can be read and tested on their own. The target's messages are
English message ids marked with ``N_`` (so pybabel extracts them), translated by the web layer
when it shows them; the action's come already worded in the reader's language from its model,
:class:`carbon.inputs.plan.ActionForm` (gettext leaves them as they are).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from carbon.db.models import IntensityUnit, ReportingPeriod, TargetKind
from carbon.imports.tabular import parse_decimal
from carbon.inputs.messages import InputError
from carbon.inputs.plan import ActionForm
from carbon.inputs.validate import validated
from carbon.plan.services import ActionData

LAST_TARGET_YEAR = 2100


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
    # ASCII digits only: "²".isdigit() is true and int("²") fails (a 500 before).
    if not (
        year.isascii()
        and year.isdigit()
        and len(year) <= 4
        and base is not None
        and base.year < int(year) <= LAST_TARGET_YEAR
    ):
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


def parse_action_form(form: Mapping[str, str]) -> tuple[ActionData | None, dict[str, str]]:
    """``form["postes"]`` is the comma-joined list of ticked postes; messages are translated
    (:class:`carbon.inputs.plan.ActionForm`)."""
    try:
        action = validated(ActionForm, form)
    except InputError as exc:
        return None, exc.errors
    return {
        "title": action.title,
        "description": action.description,
        "postes": action.postes_ticked(),
        "status": action.status.value,
        "owner": action.owner,
        "start_date": action.start_date,
        "end_date": action.end_date,
        "cost_eur": action.cost_eur,
        "expected_avoided_tco2e_per_year": action.expected_avoided_tco2e_per_year,
        "achieved_avoided_tco2e": action.achieved_avoided_tco2e,
    }, {}
