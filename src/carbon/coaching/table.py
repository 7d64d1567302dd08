"""Filtering and sorting the cohort table, from the page's query string.

The query string is the table's whole state (``?stage=submitted&flag=stuck&sort=total&dir=desc``)
so that a filtered view can be reloaded, bookmarked and sent to a colleague. Unknown values are
ignored rather than refused: an old link still opens the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from carbon.coaching.dashboard import CompanyRow, Flag
from carbon.coaching.path import Stage

ANY_FLAG = "any"
SORT_KEYS = (
    "attention", "name", "stage", "activity", "completeness", "total", "change", "intensity",
)  # fmt: skip
_OLDEST = datetime.min


def _attention(row: CompanyRow) -> Any:
    # Most flags first; among equals, a period waiting for validation, then the longest silent.
    last = row.last_activity.replace(tzinfo=None) if row.last_activity else _OLDEST
    return (-len(row.flags), Flag.to_validate not in row.flags, last)


_KEYS: dict[str, Callable[[CompanyRow], Any]] = {
    "attention": _attention,
    "name": lambda r: r.company.name.casefold(),
    "stage": lambda r: r.stage.rank,
    "activity": lambda r: r.last_activity,
    "completeness": lambda r: r.completeness.pct,
    "total": lambda r: r.total_kg,
    "change": lambda r: None if r.change is None else r.change.relative_pct,
    "intensity": lambda r: r.intensities["fte"].latest,
}


@dataclass(frozen=True)
class TableQuery:
    stage: str = ""
    flag: str = ""
    sector: str = ""
    country: str = ""
    sort: str = "attention"
    desc: bool = False

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> TableQuery:
        stage = params.get("stage", "")
        flag = params.get("flag", "")
        sort = params.get("sort", "")
        return cls(
            stage=stage if stage in Stage.__members__ else "",
            flag=flag if flag == ANY_FLAG or flag in Flag.__members__ else "",
            sector=params.get("sector", "").strip()[:16],
            country=params.get("country", "").strip().upper()[:2],
            sort=sort if sort in SORT_KEYS else "attention",
            desc=params.get("dir") == "desc",
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.stage or self.flag or self.sector or self.country)

    def matches(self, row: CompanyRow) -> bool:
        if self.stage and row.stage != self.stage:
            return False
        if self.flag == ANY_FLAG and not row.flags:
            return False
        if self.flag not in ("", ANY_FLAG) and self.flag not in row.flags:
            return False
        if self.sector and row.company.sector != self.sector:
            return False
        return not (self.country and row.company.country != self.country)

    def apply(self, rows: list[CompanyRow]) -> list[CompanyRow]:
        """The matching rows in the chosen order; rows without a value for the key come last."""
        key = _KEYS[self.sort]
        kept = sorted((r for r in rows if self.matches(r)), key=_KEYS["name"])
        valued = [r for r in kept if key(r) is not None]
        blank = [r for r in kept if key(r) is None]
        return sorted(valued, key=key, reverse=self.desc) + blank


@dataclass(frozen=True)
class Totals:
    """Sums over the rows shown: the cohort's footprint and, where comparable, its change."""

    companies: int
    footprint_kg: float  # latest footprints, companies with one
    with_footprint: int
    comparable_kg: float  # latest footprints of the companies that also have a base year
    base_kg: float
    comparable: int

    @property
    def change_pct(self) -> float | None:
        return 100.0 * (self.comparable_kg - self.base_kg) / self.base_kg if self.base_kg else None


def totals(rows: list[CompanyRow]) -> Totals:
    comparable = [r for r in rows if r.total_kg is not None and r.base_kg is not None]
    return Totals(
        companies=len(rows),
        footprint_kg=sum(r.total_kg for r in rows if r.total_kg is not None),
        with_footprint=sum(r.total_kg is not None for r in rows),
        comparable_kg=sum(r.total_kg or 0.0 for r in comparable),
        base_kg=sum(r.base_kg or 0.0 for r in comparable),
        comparable=len(comparable),
    )
