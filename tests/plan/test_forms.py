"""Reading the action form (the target's model is tested in tests/inputs/test_target.py)."""

from __future__ import annotations

from datetime import date

from carbon.plan.forms import parse_action_form


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
