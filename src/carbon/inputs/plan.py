"""An action of the company's plan as a person gives it: title, postes, status, dates, figures.

The figures are bounded like every number a person gives (:mod:`carbon.inputs.numbers`); the
other fields keep the plan's own messages ("Give the action a title…"). The target form's model
is :mod:`carbon.inputs.target` (its checks need the company's periods, given as context).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar

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

from carbon.accounting.postes import POSTE_CODES
from carbon.db.models_reporting import ActionStatus
from carbon.i18n import N_
from carbon.inputs.fields import FORM_NUMBER, blank_is_none, within
from carbon.inputs.numbers import AVOIDED_TCO2E, COST_EUR

CostEur = Annotated[float, *FORM_NUMBER, AfterValidator(within(COST_EUR))]
AvoidedTonnes = Annotated[float, *FORM_NUMBER, AfterValidator(within(AVOIDED_TCO2E))]
Optional = BeforeValidator(blank_is_none)
END_BEFORE_START = N_("The end date comes before the start date.")


class ActionForm(BaseModel):
    """The plan's action form (add and edit); ``postes`` is the comma-joined ticked postes."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    MESSAGES: ClassVar[dict[str, str]] = {
        "title": N_("Give the action a title (200 characters at most)."),
        "status": N_("Choose a status."),
        "start_date": N_("Enter a date."),
        "end_date": N_("Enter a date."),
    }

    title: str = Field(min_length=1, max_length=200)
    description: str = ""  # a Text column
    postes: str = Field("", max_length=500)
    status: ActionStatus
    owner: Annotated[str | None, Optional] = Field(None, max_length=200)
    start_date: Annotated[date | None, Optional] = None
    end_date: Annotated[date | None, Optional] = None
    cost_eur: Annotated[CostEur | None, Optional] = None
    expected_avoided_tco2e_per_year: Annotated[AvoidedTonnes | None, Optional] = None
    achieved_avoided_tco2e: Annotated[AvoidedTonnes | None, Optional] = None
    # The form's own fields: the page's library choice, which action, the version it was shown at.
    library: str | None = None
    action_id: str | None = None
    version_id: str | None = None

    @field_validator("end_date")
    @classmethod
    def _after_start(cls, end: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start_date")
        if start and end and end < start:
            raise PydanticCustomError("said", END_BEFORE_START, {"text": END_BEFORE_START})
        return end

    def postes_ticked(self) -> str:
        """The ticked postes that exist, in the BEGES order."""
        ticked = self.postes.split(",")
        return ",".join(p for p in POSTE_CODES if p in ticked)
