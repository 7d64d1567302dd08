"""A company as an administrator gives it: name, country, legal identifier, sector, figures.

The legal identifier is checked as it is typed (SIREN for France, Partita IVA for Italy, see
:mod:`carbon.identifiers`): funders match companies by it, and a typo found at reporting time is
much harder to fix. The country chooses the grid factors, so it is an ISO code from a short list.
FTE and revenue are bounded like every number a person gives (:mod:`carbon.inputs.numbers`).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from carbon.db.models_org import Sector
from carbon.i18n import N_
from carbon.identifiers import InvalidIdentifier, normalise_legal_id
from carbon.inputs.fields import FORM_NUMBER, blank_is_none, within
from carbon.inputs.numbers import FTE, TURNOVER_KEUR

# The programmes' territory (ALCOTRA: France and Italy) and the neighbours that share the Alps.
COUNTRIES: Final = ("FR", "IT", "CH", "AT", "DE", "SI", "MC")
IDENTIFIER_ERRORS: Final = {
    "siret": N_("This is a SIRET (14 digits): enter the SIREN, its first 9 digits."),
    "length": N_("A SIREN has 9 digits; a Partita IVA has 11."),
    "office": N_("This is not a valid Partita IVA: its office code (digits 8 to 10) is wrong."),
    "check_digit": N_("The check digit does not match: look for a typo."),
}

Fte = Annotated[float, *FORM_NUMBER, AfterValidator(within(FTE))]
TurnoverKeur = Annotated[float, *FORM_NUMBER, AfterValidator(within(TURNOVER_KEUR))]
Optional = BeforeValidator(blank_is_none)


class CompanyForm(BaseModel):
    """The administrator's company form (creation and edit); unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    # What each field's refusal says, when its rule is not a number's (see carbon.inputs.validate).
    MESSAGES: ClassVar[dict[str, str]] = {
        "name": N_("Give the company's name (200 characters at most)."),
        "country": N_("Choose the country."),
        "sector": N_("Choose a sector."),
    }

    name: str = Field(min_length=1, max_length=200)
    country: Literal["FR", "IT", "CH", "AT", "DE", "SI", "MC"]
    legal_id: str | None = None
    sector: Sector
    sector_code: Annotated[str | None, Optional] = Field(None, max_length=16)
    sector_unit_label: Annotated[str | None, Optional] = Field(None, max_length=64)
    fte: Annotated[Fte | None, Optional] = None
    revenue_keur: Annotated[TurnoverKeur | None, Optional] = None

    @field_validator("legal_id")
    @classmethod
    def _legal_id(cls, value: str | None, info: ValidationInfo) -> str | None:
        try:
            return normalise_legal_id(info.data.get("country", ""), value or "")
        except InvalidIdentifier as exc:
            text = IDENTIFIER_ERRORS[exc.code]
            raise PydanticCustomError("said", text, {"text": text}) from None

    def values(self) -> dict[str, Any]:
        return {**self.model_dump(), "sector": self.sector.value}
