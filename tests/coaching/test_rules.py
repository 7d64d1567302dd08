"""Coaching rules that need no database: stages, completeness, outlier fences, who may do what."""

from __future__ import annotations

import pytest

from carbon.coaching.outliers import fences, outlier_postes
from carbon.coaching.path import PeriodState, Stage, completeness, derive_stage, reference_period
from carbon.coaching.table import TableQuery
from carbon.coaching.validation import Roles, Transition, available


def p(year: int, status: str = "draft", lines: int = 3, base: bool = False) -> PeriodState:
    return PeriodState(year, status, base, lines)


@pytest.mark.parametrize(
    ("periods", "planned", "under_way", "stage"),
    [
        ([], 0, 0, Stage.collecting),
        ([p(2025, lines=0)], 0, 0, Stage.collecting),
        ([p(2025)], 5, 5, Stage.computed),  # actions before a validated footprint do not count
        ([p(2025, "submitted")], 0, 0, Stage.submitted),
        ([p(2025, "validated")], 0, 0, Stage.validated),
        ([p(2025, "locked")], 2, 0, Stage.plan),
        ([p(2025, "validated")], 2, 1, Stage.under_way),
        # A later year still in draft does not move the path back, nor forward.
        ([p(2024, "validated", base=True), p(2025)], 2, 1, Stage.under_way),
        ([p(2024, "validated", base=True), p(2025, "validated")], 0, 0, Stage.follow_up),
        # The base year is the reference even when an earlier year exists.
        ([p(2023, "validated"), p(2024, "submitted", base=True)], 0, 0, Stage.submitted),
    ],
)
def test_stage(periods: list[PeriodState], planned: int, under_way: int, stage: Stage) -> None:
    assert derive_stage(periods, planned, under_way) is stage


def test_reference_is_the_base_year_else_the_earliest() -> None:
    assert reference_period([p(2025), p(2024, base=True)]) == p(2024, base=True)
    assert reference_period([p(2025), p(2023)]) == p(2023)
    assert reference_period([]) is None


def test_completeness_against_the_sector() -> None:
    # A hotel is expected in 1, 2, 3, 4; it has 2.1 and 3.4 (and 6.1, not expected): 2 of 4.
    c = completeness("hotel", ["2.1", "3.4", "6.1"])
    assert [c.by_category[k].value for k in range(1, 7)] == [
        "missing", "present", "present", "missing", "absent", "extra",
    ]  # fmt: skip
    assert (c.present, c.expected, c.pct, c.missing) == (2, 4, 50.0, [1, 4])
    # An office firm is not expected to burn anything on site: 2.1 alone is 1 of 3.
    assert completeness("services", ["2.1"]).pct == pytest.approx(100 / 3)


def test_fences_flag_a_unit_slip() -> None:
    # [1, 2, 3, 4, 100]: Q1 = 2, median = 3, Q3 = 4 (linear), IQR = 2; fences [2 − 6, 4 + 6].
    f = fences([1, 2, 3, 4, 100])
    assert f is not None
    assert (f.q1, f.median, f.q3, f.low, f.high) == (2, 3, 4, -4, 10)
    assert f.is_outlier(100) and f.is_outlier(10.5) and not f.is_outlier(10)
    assert fences([1, 2, 3]) is None  # three companies are too few to draw fences


def test_ten_times_the_median_is_flagged_even_inside_the_fences() -> None:
    # [500, 600, 1,000, 70,000]: Q1 = 575, Q3 = 1,000 + 0.25 × 69,000 = 18,250, IQR = 17,675,
    # upper fence 18,250 + 53,025 = 71,275: 70,000 is inside, but above 10 × median (8,000).
    f = fences([500, 600, 1000, 70000])
    assert f is not None and f.high == pytest.approx(71_275) and f.median == 800
    found = outlier_postes(
        {1: {"2.1": 500}, 2: {"2.1": 600}, 3: {"2.1": 1000}, 4: {"2.1": 70000, "1.2": 5}}
    )
    assert list(found) == [4]
    assert (found[4][0].poste, found[4][0].value, found[4][0].median) == ("2.1", 70000, 800)


def test_roles() -> None:
    coach = Roles(member=False, coach=True, admin=False)
    admin = Roles(member=False, coach=False, admin=True)
    member = Roles(member=True, coach=False, admin=False)
    coaching_own_company = Roles(member=True, coach=True, admin=True)
    assert available("submitted", coach) == [Transition.validate, Transition.request_corrections]
    assert available("validated", coach) == [Transition.reopen]  # locking is the admin's
    assert available("validated", admin) == [Transition.reopen, Transition.lock]
    assert available("locked", coach) == []  # what an administrator locked, they reopen
    assert available("locked", admin) == [Transition.reopen]
    assert available("draft", admin) == []
    assert available("submitted", member) == [] and member.may_comment
    # No one validates the figures of their own company.
    assert available("submitted", coaching_own_company) == []
    assert not Roles(member=False, coach=False, admin=False).may_comment


def test_table_query_ignores_unknown_values() -> None:
    q = TableQuery.parse({"stage": "nope", "flag": "stuck", "sort": "drop table", "dir": "desc",
                          "country": "it"})  # fmt: skip
    assert (q.stage, q.flag, q.sort, q.desc, q.country) == ("", "stuck", "attention", True, "IT")
    assert q.is_filtered and not TableQuery.parse({}).is_filtered
