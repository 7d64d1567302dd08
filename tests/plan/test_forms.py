"""Reading the target and action forms."""

from __future__ import annotations

from datetime import date

from carbon.db.models import ReportingPeriod
from carbon.plan.forms import parse_action_form, parse_number, parse_target_form

PERIODS = [ReportingPeriod(id=7, year=2023), ReportingPeriod(id=8, year=2024)]


def test_numbers_as_people_type_them() -> None:
    assert parse_number("1 234,5") == 1234.5
    assert parse_number("12.5") == 12.5
    assert parse_number("beaucoup") is None


def test_target_form() -> None:
    values, errors = parse_target_form({"base_period_id": "7", "target_year": "2030",
                                        "reduction_pct": "42,5", "kind": "intensity",
                                        "intensity_unit": "fte"}, PERIODS)  # fmt: skip
    assert errors == {} and values is not None
    assert (values.base_period.year, values.target_year, values.reduction_pct) == (2023, 2030, 42.5)
    assert values.intensity_unit == "fte"
    values, _ = parse_target_form({"base_period_id": "8", "target_year": "2030",
                                   "reduction_pct": "42", "kind": "absolute",
                                   "intensity_unit": "fte"}, PERIODS)  # fmt: skip
    assert values is not None and values.intensity_unit is None  # only intensity has a unit


def test_target_form_errors() -> None:
    form = {"base_period_id": "8", "target_year": "2024", "reduction_pct": "0", "kind": "intensity"}
    values, errors = parse_target_form(form, PERIODS)
    assert values is None
    assert set(errors) == {"target_year", "reduction_pct", "intensity_unit"}
    _, errors = parse_target_form({"base_period_id": "99", "kind": "relative"}, PERIODS)
    assert {"base_period_id", "kind"} <= set(errors)


def test_a_target_year_that_is_not_plain_digits_is_refused_not_a_crash() -> None:
    # "²".isdigit() is true and int("²") raises: the page answered 500; a year of a thousand
    # digits made int() work for nothing.
    for year in ("²", "2⁰3⁰", "٢٠٣٠", "9" * 1000):
        form = {"base_period_id": "7", "target_year": year, "reduction_pct": "40",
                "kind": "absolute"}  # fmt: skip
        values, errors = parse_target_form(form, PERIODS)
        assert values is None and set(errors) == {"target_year"}


def test_action_form() -> None:
    data, errors = parse_action_form({
        "title": " HVO ", "postes": "3.3,1.2,9.9", "status": "in_progress", "owner": "",
        "start_date": "2026-01-01", "cost_eur": "12 000", "expected_avoided_tco2e_per_year": "",
    })  # fmt: skip
    assert errors == {} and data is not None
    assert data["title"] == "HVO" and data["postes"] == "1.2,3.3"  # in poste order, known only
    assert data["owner"] is None and data["start_date"] == date(2026, 1, 1)
    assert data["cost_eur"] == 12000.0 and data["expected_avoided_tco2e_per_year"] is None


def test_action_form_errors() -> None:
    data, errors = parse_action_form({
        "title": "x" * 201, "status": "finished", "start_date": "2026-13-01",
        "achieved_avoided_tco2e": "-3",
    })  # fmt: skip
    assert data is None
    assert set(errors) == {"title", "status", "start_date", "achieved_avoided_tco2e"}
