"""The coached path, as stages, and the BEGES categories each sector is expected to report.

The path follows the programmes' shape (programmes.md: Diag Décarbon'Action, PZCM): measure a
reference year, have it validated, co-build an action plan, start the actions, then measure a
follow-up year. A company's stage is the furthest step it has reached; it never goes back
because a later year is still being entered (the period's own status says that).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from carbon.accounting.postes import POSTES_BY_CODE

DONE_STATUSES = frozenset({"validated", "locked"})


class Stage(StrEnum):
    collecting = "collecting"  # no reference period yet, or no line in it
    computed = "computed"  # the reference period has lines: a footprint can be computed
    submitted = "submitted"  # the reference period was submitted to the coach
    validated = "validated"  # … and validated (or locked)
    plan = "plan"  # an action plan exists (at least one action not abandoned)
    under_way = "under_way"  # at least one action in progress or done
    follow_up = "follow_up"  # a year after the reference year has been validated

    @property
    def rank(self) -> int:
        return STAGE_ORDER.index(self)


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)


@dataclass(frozen=True)
class PeriodState:
    """What the path needs to know of one reporting period."""

    year: int
    status: str
    is_base_year: bool
    line_count: int


def reference_period(periods: Iterable[PeriodState]) -> PeriodState | None:
    """The base year if one is marked, otherwise the earliest year: progress is measured from it."""
    ordered = sorted(periods, key=lambda p: p.year)
    marked = [p for p in ordered if p.is_base_year]
    return marked[0] if marked else (ordered[0] if ordered else None)


def derive_stage(
    periods: Collection[PeriodState], actions_planned: int, actions_under_way: int
) -> Stage:
    """The furthest stage reached; see :class:`Stage` for what each one requires.

    ``actions_planned`` counts the actions not abandoned, ``actions_under_way`` those in progress
    or done. The plan stages count only once the reference footprint is validated: a plan built
    on unchecked figures is not the programme's "plan drafted" yet.
    """
    ref = reference_period(periods)
    if ref is None or ref.line_count == 0:
        return Stage.collecting
    if ref.status == "draft":
        return Stage.computed
    if ref.status == "submitted":
        return Stage.submitted
    if any(p.year > ref.year and p.status in DONE_STATUSES for p in periods):
        return Stage.follow_up
    if actions_under_way:
        return Stage.under_way
    if actions_planned:
        return Stage.plan
    return Stage.validated


# The BEGES categories (1 direct, 2 energy, 3 transport, 4 purchases, 5 sold products, 6 other)
# a company of each sector should have lines in. A small firm's simplified diagnosis covers 1 to 4;
# makers add the use of what they sell (5), which for groomers and lifts is large; office-based
# firms often burn nothing on site, so 1 is not expected of them.
EXPECTED_CATEGORIES: dict[str, frozenset[int]] = {
    "lift": frozenset({1, 2, 3, 4}),
    "resort": frozenset({1, 2, 3, 4}),
    "snow": frozenset({1, 2, 3, 4}),
    "hotel": frozenset({1, 2, 3, 4}),
    "engineering": frozenset({2, 3, 4}),
    "equipment": frozenset({1, 2, 3, 4, 5}),
    "industry": frozenset({1, 2, 3, 4, 5}),
    "agrifood": frozenset({1, 2, 3, 4}),
    "perfume": frozenset({1, 2, 3, 4}),
    "digital": frozenset({2, 3, 4}),
    "services": frozenset({2, 3, 4}),
    "other": frozenset({2, 3, 4}),
}
DEFAULT_EXPECTED = frozenset({2, 3, 4})


class CategoryState(StrEnum):
    present = "present"  # expected, and has lines
    missing = "missing"  # expected, no line yet
    extra = "extra"  # not expected of the sector, yet has lines (fine, shown as such)
    absent = "absent"  # neither expected nor reported


@dataclass(frozen=True)
class Completeness:
    by_category: dict[int, CategoryState]

    @property
    def expected(self) -> int:
        return sum(
            s in (CategoryState.present, CategoryState.missing) for s in self.by_category.values()
        )

    @property
    def present(self) -> int:
        return sum(s is CategoryState.present for s in self.by_category.values())

    @property
    def pct(self) -> float:
        """Share of the expected categories that have lines, in %."""
        return 100.0 * self.present / self.expected if self.expected else 100.0

    @property
    def missing(self) -> list[int]:
        return [c for c, s in self.by_category.items() if s is CategoryState.missing]


def categories_of(postes: Iterable[str]) -> frozenset[int]:
    return frozenset(POSTES_BY_CODE[p].category for p in postes if p in POSTES_BY_CODE)


def completeness(sector: str, postes_with_lines: Iterable[str]) -> Completeness:
    """Which categories have lines, against those :data:`EXPECTED_CATEGORIES` names."""
    expected = EXPECTED_CATEGORIES.get(sector, DEFAULT_EXPECTED)
    have = categories_of(postes_with_lines)
    states: dict[int, CategoryState] = {}
    for cat in range(1, 7):
        if cat in expected:
            states[cat] = CategoryState.present if cat in have else CategoryState.missing
        else:
            states[cat] = CategoryState.extra if cat in have else CategoryState.absent
    return Completeness(states)
