"""The programme and cohort forms' models: one test per rule, messages as the forms word them."""

from __future__ import annotations

from datetime import date

import pytest

from carbon.i18n import use_locale
from carbon.inputs.admin import CohortForm, ProgrammeForm
from carbon.inputs.messages import InputError
from carbon.inputs.validate import validated

PROGRAMME = {"code": " PZCM ", "name_fr": "Montagne", "csrf_token": "x"}
COHORT = {"programme_id": "3", "name": "Cohort 2", "edition": "", "start_date": "", "end_date": ""}


def refused(model: type[ProgrammeForm] | type[CohortForm], form: dict[str, str]) -> dict[str, str]:
    with pytest.raises(InputError) as error:
        validated(model, form)
    return error.value.errors


def test_a_programme() -> None:
    programme = validated(ProgrammeForm, {**PROGRAMME, "name_it": "x" * 300})
    assert (programme.code, programme.name_fr, programme.name_en) == ("PZCM", "Montagne", "")
    assert len(programme.name_it) == 200  # shortened to its column, as the form always did


@pytest.mark.parametrize("code", ["", "   ", "X" * 17])
def test_a_programme_code_is_1_to_16_characters(code: str) -> None:
    with use_locale("en"):
        assert refused(ProgrammeForm, {**PROGRAMME, "code": code}) == {
            "code": "Give a short code (16 characters at most), for example PZCM."
        }


def test_a_programme_has_a_french_name() -> None:
    assert set(refused(ProgrammeForm, {**PROGRAMME, "name_fr": "  "})) == {"name_fr"}
    assert set(refused(ProgrammeForm, {"code": "A"})) == {"name_fr"}


def test_a_cohort() -> None:
    cohort = validated(CohortForm, {**COHORT, "edition": "2", "start_date": "2026-01-01",
                                    "end_date": "2026-01-01"})  # fmt: skip
    assert (cohort.programme_id, cohort.edition, cohort.end_date) == (3, 2, date(2026, 1, 1))
    assert validated(CohortForm, COHORT).edition is None  # blank edition and dates are none


@pytest.mark.parametrize("raw", ["", "0", "²", "x", "9" * 11, str(2**31)])
def test_a_cohort_programme_is_a_plain_id(raw: str) -> None:
    assert set(refused(CohortForm, {**COHORT, "programme_id": raw})) == {"programme_id"}


@pytest.mark.parametrize("name", ["", "x" * 201])
def test_a_cohort_name_is_1_to_200_characters(name: str) -> None:
    assert set(refused(CohortForm, {**COHORT, "name": name})) == {"name"}


@pytest.mark.parametrize("edition", ["deux", "-1", "1.5", "٢"])
def test_an_edition_is_a_number(edition: str) -> None:
    assert set(refused(CohortForm, {**COHORT, "edition": edition})) == {"edition"}


def test_dates_are_iso_and_the_end_not_before_the_start() -> None:
    errors = refused(CohortForm, {**COHORT, "start_date": "01/02/2026", "end_date": "2026-02-30"})
    assert set(errors) == {"start_date", "end_date"}
    with use_locale("en"):
        errors = refused(CohortForm, {**COHORT, "start_date": "2026-02-01",
                                      "end_date": "2026-01-31"})  # fmt: skip
    assert errors == {"end_date": "The end date comes before the start date."}
    with use_locale("fr"):
        french = refused(CohortForm, {**COHORT, "name": ""})["name"]
    assert french and "Cohort 2”." not in french  # translated, not the English id
