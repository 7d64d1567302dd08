"""The target form's model: the refusals the old parser made, and one test per rule."""

from __future__ import annotations

import pytest

from carbon.i18n import use_locale
from carbon.inputs.messages import InputError
from carbon.inputs.target import LAST_TARGET_YEAR, TargetForm
from carbon.inputs.validate import validated

YEARS = {"period_years": {7: 2023, 8: 2024}}  # period id -> year, as the route passes them
GOOD = {"base_period_id": "7", "target_year": "2030", "reduction_pct": "42,5", "kind": "absolute"}


def errors(**changes: str) -> dict[str, str]:
    with pytest.raises(InputError) as refused:
        validated(TargetForm, {**GOOD, **changes}, YEARS)
    return refused.value.errors


def test_a_good_target() -> None:
    form = {**GOOD, "kind": "intensity", "intensity_unit": "fte", "version_id": "0"}
    target = validated(TargetForm, form, YEARS)
    assert (target.base_period_id, target.year, target.reduction_pct) == ("7", 2030, 42.5)
    assert target.intensity_unit == "fte"
    absolute = validated(
        TargetForm, {**GOOD, "base_period_id": "8", "intensity_unit": "fte"}, YEARS
    )
    assert absolute.intensity_unit is None  # only an intensity target has a unit


def test_the_old_parsers_refusals() -> None:
    refused = errors(base_period_id="8", target_year="2024", reduction_pct="0", kind="intensity")
    assert set(refused) == {"target_year", "reduction_pct", "intensity_unit"}
    assert {"base_period_id", "kind"} <= set(errors(base_period_id="99", kind="relative"))


def test_the_base_period_is_one_of_the_companys() -> None:
    assert set(errors(base_period_id="99")) == {"base_period_id", "target_year"}
    assert set(errors(base_period_id="")) == {"base_period_id", "target_year"}
    with pytest.raises(InputError):  # no periods given: none is the company's
        validated(TargetForm, GOOD, {})


@pytest.mark.parametrize(
    "year", ["2023", "2022", str(LAST_TARGET_YEAR + 1), "", "20x0", "²", "2⁰3⁰", "٢٠٣٠", "9" * 1000]
)
def test_the_target_year_is_plain_digits_after_the_base_and_at_most_the_last(year: str) -> None:
    # "²".isdigit() is true and int("²") raises: the page answered 500 before the ASCII check.
    assert set(errors(target_year=year)) == {"target_year"}


def test_the_last_target_year_is_allowed() -> None:
    assert validated(TargetForm, {**GOOD, "target_year": str(LAST_TARGET_YEAR)}, YEARS).year == 2100
    assert validated(TargetForm, {**GOOD, "target_year": "2024"}, YEARS).year == 2024  # base + 1


@pytest.mark.parametrize("pct", ["0", "-5", "100,01", "140", "beaucoup", "", "nan", "inf"])
def test_the_reduction_is_above_0_and_at_most_100(pct: str) -> None:
    assert set(errors(reduction_pct=pct)) == {"reduction_pct"}


def test_a_full_reduction_is_allowed() -> None:
    assert validated(TargetForm, {**GOOD, "reduction_pct": "100"}, YEARS).reduction_pct == 100.0


def test_the_kind_is_absolute_or_intensity() -> None:
    assert set(errors(kind="relative")) == {"kind"}  # the unit is not also refused


@pytest.mark.parametrize("unit", ["", "kg", "revenue"])
def test_an_intensity_target_needs_a_known_unit(unit: str) -> None:
    assert set(errors(kind="intensity", intensity_unit=unit)) == {"intensity_unit"}


def test_the_messages_are_in_the_readers_language() -> None:
    with use_locale("en"):
        assert errors(target_year="1999") == {"target_year": "Enter a year after the base year."}
    with use_locale("fr"):
        french = errors(target_year="1999")["target_year"]
    assert french != "Enter a year after the base year." and french
