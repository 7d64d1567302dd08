"""What carbon says about a refused input, in the reader's language, whichever way it came.

One list of message codes for the line form, the JSON API and the spreadsheet import: a code
and its parameters travel with the refusal (a pydantic error's ``type`` and ``ctx``, an import
issue's ``code`` and ``params``), and :func:`message` turns them into the sentence shown, in the
current locale (:mod:`carbon.i18n`), starting with the field's name. Before this module, the
engine's English ("negative quantity", "unknown factor … in …") reached the French pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic_core import ErrorDetails

from carbon.i18n import N_, fmt_number, gettext, use_locale

# code -> message id; ``%(field)s`` is the field's label, the rest come from the parameters.
MESSAGES: Final[dict[str, str]] = {
    "required": N_("%(field)s: this field is required."),
    "number_required": N_("%(field)s: enter a number, for example 1 234,5."),
    "number_invalid": N_("%(field)s: '%(value)s' is not a number; write it like 1 234,5."),
    "number_not_finite": N_("%(field)s: enter a finite number (not NaN nor infinity)."),
    "number_negative": N_("%(field)s: the number cannot be negative."),
    "number_too_small": N_("%(field)s: at least %(min)s."),
    "number_too_large": N_("%(field)s: at most %(max)s."),
    "text_limit": N_("%(field)s: at most %(limit)s characters."),
    "text_expected": N_("%(field)s: enter text."),
    "choice_invalid": N_("%(field)s: choose one of the values offered."),
    "id_invalid": N_("%(field)s: choose a value from the list."),
    "field_unknown": N_("%(field)s: this field is not expected."),
    "activity_unknown": N_("%(field)s: unknown activity; choose one from the catalogue."),
    "activity_or_factor": N_(
        "%(field)s: choose an activity from the list, or give a poste and a factor."
    ),
    "activity_poste": N_("%(field)s: this activity belongs to poste %(code)s."),
    "poste_unknown": N_("%(field)s: unknown BEGES poste '%(value)s' (expected 1.1 … 6.1)."),
    "factor_unknown": N_(
        "%(field)s: unknown emission factor '%(value)s' in the library %(library)s."
    ),
    "unit_not_convertible": N_(
        "%(field)s: '%(value)s' cannot be converted to the factor's unit '%(factor_unit)s'."
    ),
    "site_unknown": N_("%(field)s: unknown site; choose one of the company's sites."),
    "supplier_not_energy": N_(
        "%(field)s: a supplier-specific factor only applies to energy bought (postes 2.1 and 2.2)."
    ),
    "prefix_invalid": N_("%(field)s: an account prefix is 1 to %(max)s digits, for example 6226."),
    "prefix_not_mapped": N_(
        "%(field)s: '%(value)s' is not a purchase (class 6) or investment (class 2) account."
    ),
    "prefix_taken": N_("%(field)s: there is already a rule for %(value)s here; edit it instead."),
    "factor_not_money": N_(
        "%(field)s: '%(value)s' is not a monetary ratio (its unit is '%(factor_unit)s'); a spend "
        "rule needs a factor per k€ excluding VAT."
    ),
    "overlap_unknown": N_(
        "%(field)s: '%(value)s' is not an activity of the catalogue (nor, ending with '-', the "
        "start of one)."
    ),
    "invalid": N_("%(field)s: %(detail)s"),
}

# The name of each field as the forms label it.
FIELD_LABELS: Final[dict[str, str]] = {
    "activity_id": N_("Activity"),
    "poste": N_("Poste"),
    "factor_id": N_("Factor identifier"),
    "quantity": N_("Quantity"),
    "unit": N_("Unit"),
    "data_quality": N_("Data quality"),
    "site_id": N_("Site"),
    "comment": N_("Comment"),
    "evidence_ref": N_("Evidence"),
    "supplier_factor_kgco2e": N_("Supplier-specific factor"),
    "version_id": N_("Version"),
    "name": N_("Name"),
    "country": N_("Country"),
    "sector": N_("Sector"),
    "sector_code": N_("NAF / ATECO code"),
    "sector_unit_label": N_("Sector activity unit (skier-day, overnight stay…)"),
    "fte": N_("Employees (FTE)"),
    "revenue_keur": N_("Revenue, k€"),
    "title": N_("Title"),
    "owner": N_("Owner"),
    "cost_eur": N_("Cost, €"),
    "expected_avoided_tco2e_per_year": N_("Expected avoided, t CO₂e a year"),
    "achieved_avoided_tco2e": N_("Achieved avoided, t CO₂e (measured)"),
    "prefix": N_("Account prefix"),
    "treatment": N_("Treatment"),
    "overlaps": N_("Physical data measuring the same need"),
    "label": N_("Label"),
    "physical_hint": N_("Physical data to ask for"),
    "note": N_("Note"),
}

# pydantic's own error types, as one of ours.
_PYDANTIC: Final[dict[str, str]] = {
    "missing": "required",
    "float_type": "number_invalid",
    "float_parsing": "number_invalid",
    "finite_number": "number_not_finite",
    "int_type": "id_invalid",
    "int_parsing": "id_invalid",
    "int_from_float": "id_invalid",
    "greater_than_equal": "id_invalid",
    "less_than_equal": "id_invalid",
    "string_too_long": "text_limit",
    "string_too_short": "required",
    "string_type": "text_expected",
    "literal_error": "choice_invalid",
    "enum": "choice_invalid",
    "extra_forbidden": "field_unknown",
}


def field_label(name: str) -> str:
    """The field's label in the current locale (an unknown field keeps its own name)."""
    label = FIELD_LABELS.get(name)
    return gettext(label) if label else name


def _shown(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    whole = float(value).is_integer()
    return fmt_number(value, digits=0 if whole else 3)


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:  # a parameter the caller did not give: no crash
        return ""


def message(code: str, field_name: str, params: Mapping[str, Any] | None = None) -> str:
    """The sentence for ``code`` about ``field_name``, in the current locale."""
    template = MESSAGES.get(code, MESSAGES["invalid"])
    shown = _Params({k: _shown(v) for k, v in (params or {}).items()})
    shown["field"] = field_label(field_name)
    return gettext(template) % shown


def english(code: str, field_name: str, params: Mapping[str, Any] | None = None) -> str:
    """:func:`message` in English: for logs, the CLI and pydantic's own ``msg``."""
    with use_locale("en"):
        return message(code, field_name, params)


def pydantic_code(error: ErrorDetails) -> tuple[str, dict[str, Any]]:
    """Our code and parameters for one pydantic error (ours pass through as they are)."""
    kind = error["type"]
    ctx = dict(error.get("ctx") or {})
    if kind in MESSAGES:
        return kind, ctx
    code = _PYDANTIC.get(kind, "invalid")
    if code == "text_limit":
        return code, {"limit": ctx.get("max_length", "")}
    if code == "number_invalid":
        return code, {"value": str(error.get("input", ""))[:40]}
    if code == "invalid":
        return code, {"detail": error.get("msg", "")}
    return code, {}


def error_field(error: ErrorDetails) -> str:
    """The field an error is about: the last name of its location (``body`` is not one)."""
    names = [str(p) for p in error.get("loc", ()) if isinstance(p, str) and p != "body"]
    return names[-1] if names else ""


def pydantic_message(error: ErrorDetails) -> str:
    if error["type"] == "said":  # a model's own sentence, a message id in ctx["text"]
        return gettext(str((error.get("ctx") or {}).get("text", "")))
    code, params = pydantic_code(error)
    field_name = error_field(error)
    if code == "required" and field_name in NUMBER_FIELDS:
        code = "number_required"
    return message(code, field_name, params)


NUMBER_FIELDS: Final = frozenset({"quantity", "supplier_factor_kgco2e"})


def field_errors(
    errors: list[ErrorDetails], own: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Field -> message of a pydantic ``ValidationError.errors()``: the first one per field.

    ``own`` maps a field to the message id its model words its refusal with (a name too long or
    missing: "Give the company's name…"); numbers keep the shared words, naming their bound.
    """
    out: dict[str, str] = {}
    for error in errors:
        name = error_field(error)
        kind = error["type"]
        if own and name in own and kind != "said" and not kind.startswith("number_"):
            out.setdefault(name, gettext(own[name]))
        else:
            out.setdefault(name, pydantic_message(error))
    return out


@dataclass
class InputError(ValueError):
    """Field -> message, already in the reader's language: shown next to each field."""

    errors: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(f"{k}: {v}" for k, v in self.errors.items())

    @classmethod
    def one(cls, code: str, field_name: str, **params: Any) -> InputError:
        return cls({field_name: message(code, field_name, params)})
