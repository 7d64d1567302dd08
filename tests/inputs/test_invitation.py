"""The invitation form's model: who may be invited where, with the form's messages."""

from __future__ import annotations

from typing import Any

import pytest

from carbon.i18n import use_locale
from carbon.inputs.invitation import InvitationForm
from carbon.inputs.messages import InputError
from carbon.inputs.validate import validated

ADMIN = {"own_email": "admin@x.fr", "company_ids": {4}, "cohort_ids": {9}, "may_invite_coach": True}
COACH = {**ADMIN, "cohort_ids": set(), "may_invite_coach": False}
MEMBER = {"email": " Ana@Firm.FR ", "role": "member", "company_id": "4", "cohort_id": "9"}


def refused(form: dict[str, str], context: dict[str, Any] = ADMIN) -> dict[str, str]:
    with pytest.raises(InputError) as error:
        validated(InvitationForm, form, context)
    return error.value.errors


def test_a_member_invitation_keeps_only_the_company() -> None:
    values = validated(InvitationForm, MEMBER, ADMIN).values()
    assert values == {"email": "ana@firm.fr", "role": "member", "company_id": 4}


def test_an_administrator_invites_a_coach_to_a_cohort() -> None:
    form = {**MEMBER, "role": "coach"}
    assert validated(InvitationForm, form, ADMIN).values()["cohort_id"] == 9
    assert set(refused({**form, "cohort_id": "8"})) == {"cohort_id"}


def test_a_coach_cannot_invite_a_coach() -> None:
    assert set(refused({**MEMBER, "role": "coach"}, COACH)) == {"role"}


@pytest.mark.parametrize("email", ["", "ana", "ana@firm", "a b@firm.fr", "a@" + "x" * 250 + ".fr"])
def test_an_email_address_is_needed(email: str) -> None:
    with use_locale("en"):
        assert refused({**MEMBER, "email": email}) == {
            "email": "Enter an e-mail address, for example name@company.fr."
        }


def test_nobody_invites_themself_whatever_the_case() -> None:
    with use_locale("en"):
        errors = refused({**MEMBER, "email": "ADMIN@x.fr"})
    assert errors == {"email": "You cannot invite yourself: ask an administrator."}


@pytest.mark.parametrize("company", ["", "5", "²", "x"])
def test_the_company_is_one_the_inviter_may_choose(company: str) -> None:
    assert set(refused({**MEMBER, "company_id": company})) == {"company_id"}


def test_an_unknown_role_is_refused_alone() -> None:
    assert set(refused({**MEMBER, "role": "king", "company_id": ""})) == {"role"}
