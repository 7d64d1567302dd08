"""Reading the action form, and the labels of the plan's statuses and evidence.

The action's rules live in its model, :class:`carbon.inputs.plan.ActionForm`, the target's in
:class:`carbon.inputs.target.TargetForm`; their messages come already worded in the reader's
language. The labels here are message ids marked with ``N_``, translated where they are shown.
"""

from __future__ import annotations

from collections.abc import Mapping

from carbon.inputs.messages import InputError
from carbon.inputs.plan import ActionForm
from carbon.inputs.validate import validated
from carbon.plan.services import ActionData


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
