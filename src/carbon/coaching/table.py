"""Filtering and sorting the cohort table, from the page's query string.

The query string is the table's whole state (``?stage=submitted&flag=stuck&sort=total&dir=desc``)
so that a filtered view can be reloaded, bookmarked and sent to a colleague. Unknown values are
ignored rather than refused: an old link still opens the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from operator import itemgetter
from typing import Any
from urllib.parse import urlencode

from carbon.coaching.dashboard import CompanyRow, Flag
from carbon.coaching.path import Stage

ANY_FLAG = "any"
# Rows per page of the table: a page of 300 rows took longer to render than everything else of
# the request together, and the default sort ("needs attention") puts who needs the coach first.
PAGE_SIZE = 50
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
    page: int = 1

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
            page=_page_number(params.get("page", "")),
        )

    def url_params(self, page: int) -> str:
        """The query string of this view at another page (what the pager links to)."""
        values = {
            "stage": self.stage, "flag": self.flag, "sector": self.sector,
            "country": self.country, "sort": self.sort, "dir": "desc" if self.desc else "",
        }  # fmt: skip
        kept = {k: v for k, v in values.items() if v and not (k == "sort" and v == "attention")}
        return urlencode({**kept, "page": page})

    def sorted_by(self, key: str) -> str:
        """The query string a column header links to: sorted by ``key`` from the first page,
        in the other direction when the table is already sorted by it (filters kept)."""
        desc = not self.desc if self.sort == key else False
        return replace(self, sort=key, desc=desc).url_params(1)

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
        keyed = [(key(r), r) for r in kept]  # each key worked out once
        valued = [(k, r) for k, r in keyed if k is not None]
        blank = [r for k, r in keyed if k is None]
        # sorted() is stable: equal keys keep the name order, in either direction.
        return [r for _, r in sorted(valued, key=itemgetter(0), reverse=self.desc)] + blank


def _page_number(raw: str) -> int:
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else 1


@dataclass(frozen=True)
class Page:
    """One page of the table's rows: ``first`` and ``last`` are 1-based positions in all rows."""

    rows: list[CompanyRow]
    number: int
    count: int  # pages
    first: int
    last: int


def paginate(rows: list[CompanyRow], number: int, size: int | None = None) -> Page:
    """Page ``number`` of ``rows`` (the last page when past it; never fewer than one page)."""
    size = size or PAGE_SIZE
    count = max(1, -(-len(rows) // size))
    number = min(max(number, 1), count)
    start = (number - 1) * size
    shown = rows[start : start + size]
    return Page(shown, number, count, start + 1 if shown else 0, start + len(shown))


@dataclass(frozen=True)
class Totals:
    """Sums over the rows matching the filters (every page): the footprint and its change."""

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
