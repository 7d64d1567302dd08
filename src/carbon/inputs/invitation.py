"""An invitation as an administrator or a coach gives it: an e-mail, a role, a company or cohort.

Who may be invited where depends on the inviter (a coach invites to the companies their cohorts
follow, only an administrator invites coaches): the route passes what the inviter may choose as
the validation context, ``{"own_email", "company_ids", "cohort_ids", "may_invite_coach"}``, so
the model stays free of the database. "Already has this access" is the route's (it queries).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Final

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from carbon.db.models_users import InvitationRole, normalise_email
from carbon.i18n import N_
from carbon.inputs.admin import plain_id

EMAIL: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
YOURSELF = N_("You cannot invite yourself: ask an administrator.")


def _normalised(value: Any) -> Any:
    return normalise_email(value) if isinstance(value, str) else value


def _chosen(value: str | None, info: ValidationInfo, key: str) -> int:
    """``value`` as an id among the context's ``key``; ValueError (the field's message) if not."""
    allowed = set((info.context or {}).get(key, ()))
    number = plain_id(value or "")
    if number not in allowed:
        raise ValueError("not one the inviter may choose")
    return int(number)


class InvitationForm(BaseModel):
    """The invitation form; only the chosen role's target (company or cohort) is kept."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    MESSAGES: ClassVar[dict[str, str]] = {
        "email": N_("Enter an e-mail address, for example name@company.fr."),
        "role": N_("Choose the role."),
        "cohort_id": N_("Choose the cohort."),
        "company_id": N_("Choose the company."),
    }

    email: Annotated[str, BeforeValidator(_normalised)] = Field(max_length=254)
    role: str
    # Checked even when left out: the chosen role needs its target.
    cohort_id: int | str | None = Field(None, validate_default=True)
    company_id: int | str | None = Field(None, validate_default=True)

    @field_validator("email")
    @classmethod
    def _an_address_not_ones_own(cls, value: str, info: ValidationInfo) -> str:
        if not EMAIL.match(value):
            raise ValueError("not an e-mail address")
        # A coach made owner of a company they coach would enter, submit and validate its
        # figures alone; nobody grants themself a role.
        if value == (info.context or {}).get("own_email"):
            raise PydanticCustomError("said", YOURSELF, {"text": YOURSELF})
        return value

    @field_validator("role")
    @classmethod
    def _a_role_the_inviter_may_give(cls, value: str, info: ValidationInfo) -> str:
        if value in (InvitationRole.member, InvitationRole.owner):
            return value
        if value == InvitationRole.coach and (info.context or {}).get("may_invite_coach"):
            return value
        raise ValueError("not a role the inviter may give")

    @field_validator("cohort_id", mode="before")
    @classmethod
    def _cohort(cls, value: Any, info: ValidationInfo) -> int | None:
        if info.data.get("role") != InvitationRole.coach:
            return None
        return _chosen(value, info, "cohort_ids")

    @field_validator("company_id", mode="before")
    @classmethod
    def _company(cls, value: Any, info: ValidationInfo) -> int | None:
        if info.data.get("role") not in (InvitationRole.member, InvitationRole.owner):
            return None
        return _chosen(value, info, "company_ids")

    def values(self) -> dict[str, Any]:
        """The invitation's columns: e-mail, role and the one target."""
        return self.model_dump(exclude_none=True)
