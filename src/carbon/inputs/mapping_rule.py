"""An account-mapping rule as a coach gives it: prefix, treatment, poste, factor, overlaps.

One model for the rules page's form, ``carbon rules import`` (a CSV in the columns of the
shipped ``emission_factors/pcg_rules.csv``) and any API. Only the accounts the FEC mapping reads
can be mapped (carbon.imports.fec_mapping: class 6 charges, class 2 investments). A spend rule's
factor must be a monetary ratio of the library new periods use: the caller passes that library
as the validation context, ``{"factor_units": {factor_id: unit}, "library": label}``, so the
model stays free of the database.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from carbon.accounting.postes import POSTE_CODES
from carbon.accounting.units import is_money
from carbon.factors.bundled import activities
from carbon.inputs.fields import blank_is_none
from carbon.inputs.messages import english

# The account classes the FEC mapping reads: 2 (investments) and 6 (charges).
MAPPED_CLASSES: Final = ("2", "6")
MAX_PREFIX: Final = 8
Treatment = Literal["spend", "physical", "excluded", "not_purchase"]
Blank = BeforeValidator(blank_is_none)
# The CSV's and the form's column names; ``label_en`` is the shipped file's name for ``label``.
CSV_COLUMNS: Final = (
    "prefix", "treatment", "poste", "factor_id", "overlaps", "label_en", "physical_hint", "note",
)  # fmt: skip


def _refusal(code: str, info: ValidationInfo, **params: Any) -> PydanticCustomError:
    text = english(code, info.field_name or "", params).replace("{", "{{").replace("}", "}}")
    return PydanticCustomError(code, text, params)


class MappingRuleIn(BaseModel):
    """One rule of a cohort's or a company's set (``version_id``: the form's own field)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    prefix: str
    treatment: Treatment
    poste: Annotated[str | None, Blank] = Field(None, validate_default=True)
    factor_id: Annotated[str | None, Blank] = Field(None, max_length=128, validate_default=True)
    overlaps: str = Field("", max_length=500)
    label: str = Field("", max_length=200)
    physical_hint: str = Field("", max_length=200)
    note: str = Field("", max_length=2000)
    version_id: str | None = None

    @field_validator("prefix")
    @classmethod
    def _prefix(cls, value: str, info: ValidationInfo) -> str:
        # ASCII digits only: "²".isdigit() is true.
        if not (value.isascii() and value.isdigit() and 1 <= len(value) <= MAX_PREFIX):
            raise _refusal("prefix_invalid", info, max=MAX_PREFIX)
        if not value.startswith(MAPPED_CLASSES):
            raise _refusal("prefix_not_mapped", info, value=value)
        return value

    @field_validator("poste")
    @classmethod
    def _poste(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            if info.data.get("treatment") == "spend":
                raise _refusal("required", info)
            return None
        if value not in POSTE_CODES:
            raise _refusal("poste_unknown", info, value=value[:10])
        return value

    @field_validator("factor_id")
    @classmethod
    def _factor(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("treatment") != "spend":
            return None  # only a spend line has a factor; the others ask for physical data
        if value is None:
            raise _refusal("required", info)
        context = info.context or {}
        units: dict[str, str | None] = context.get("factor_units", {})
        if value not in units:
            raise _refusal("factor_unknown", info, value=value, library=context.get("library", ""))
        unit = units[value] or ""
        if not is_money(unit):
            raise _refusal("factor_not_money", info, value=value, factor_unit=unit)
        return value

    @field_validator("overlaps")
    @classmethod
    def _overlaps(cls, value: str, info: ValidationInfo) -> str:
        """Activity ids, or the start of some ending with '-', separated by '|'."""
        known = [a.activity_id for a in activities()]
        patterns = [p.strip() for p in value.split("|") if p.strip()]
        for pattern in patterns:
            if pattern.endswith("-"):
                found = any(a.startswith(pattern) for a in known)
            else:
                found = pattern in known
            if not found:
                raise _refusal("overlap_unknown", info, value=pattern[:100])
        return "|".join(patterns)

    def overlap_tuple(self) -> tuple[str, ...]:
        return tuple(p for p in self.overlaps.split("|") if p)
