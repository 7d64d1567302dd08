"""The mountain action library (emission_factors/actions.csv): complete, consistent, checked."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from carbon.accounting.postes import POSTE_CODES
from carbon.factors.bundled import BUNDLED_DIR, find_activity
from carbon.plan.library import (
    COLUMNS,
    ActionLibraryError,
    action_library,
    find_library_action,
    read_action_library,
)


def test_library_covers_the_mountain_actions_people_ask_for() -> None:
    ids = {a.action_id for a in action_library()}
    assert {
        "groomer-eco-driving", "groomer-hvo", "lift-drives-eco-driving",
        "snowmaking-optimisation", "heat-pump", "rail-offers-guests", "local-purchasing",
        "led-bms", "refrigerant-leaks", "waste-sorting", "employee-mobility-plan",
    } <= ids  # fmt: skip


def test_every_action_is_complete() -> None:
    for a in action_library():
        assert all(a.title(loc) and a.description(loc) for loc in ("fr", "it", "en")), a
        assert a.postes and set(a.postes) <= set(POSTE_CODES)
        assert 0 < a.saving_low_pct <= a.saving_high_pct <= 100
        assert a.rationale
        for activity_id in a.activities:
            activity = find_activity(activity_id)
            assert activity is not None and activity.poste in a.postes


def test_programme_ranges_are_the_programme_figures() -> None:
    # programmes.md: eco-driving saves 5-10 % of groomer diesel; lift eco-driving 10-20 %.
    groomer = find_library_action("groomer-eco-driving")
    lifts = find_library_action("lift-drives-eco-driving")
    assert groomer is not None and lifts is not None
    assert (groomer.saving_low_pct, groomer.saving_high_pct, groomer.saving_mid_pct) == (5, 10, 7.5)
    assert (lifts.saving_low_pct, lifts.saving_high_pct) == (10, 20)
    assert groomer.activities == ("groomer-diesel",) and groomer.evidence == "programme"
    assert find_library_action("nothing") is None


def _write(tmp_path: Path, **changes: str) -> Path:
    with (BUNDLED_DIR / "actions.csv").open(encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    row.update(changes)
    path = tmp_path / "actions.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerow(row)
    return path


@pytest.mark.parametrize(("changes", "words"), [
    ({"postes": "9.9"}, "unknown poste '9.9'"),
    ({"activities": "no-such-activity"}, "unknown activity"),
    ({"activities": "electricity-lifts"}, "activity electricity-lifts is in poste 2.1"),
    ({"saving_low_pct": "20", "saving_high_pct": "10"}, "0 < low <= high <= 100"),
    ({"saving_low_pct": "cinq"}, "two numbers"),
    ({"evidence": "hearsay"}, "evidence must be one of"),
    ({"title_it": ""}, "title_it is empty"),
])  # fmt: skip
def test_a_broken_file_is_refused(tmp_path: Path, changes: dict[str, str], words: str) -> None:
    with pytest.raises(ActionLibraryError, match=words):
        read_action_library(_write(tmp_path, **changes))


def test_the_file_as_shipped_reads(tmp_path: Path) -> None:
    assert len(read_action_library(_write(tmp_path))) == 1
