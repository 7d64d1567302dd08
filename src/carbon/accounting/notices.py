"""Warnings a computation returns beside its figures, one per activity line concerned.

A warning never stops a computation (an error does): it tells the user what the method did to a
line that they should know about — a spend converted from VAT-included to excluding VAT, a factor
of another country used for want of a better one, a market-based figure taken from the residual
mix. The message is an English gettext msgid with named parameters, translated when it is read
(web page, PDF, ``carbon compute --json``) in the reader's locale through :mod:`carbon.i18n`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from carbon.i18n import gettext

# A million lines of one Italian site can each earn a warning: keep a readable number of them and
# count the rest, so a result (and its JSON) stays small.
MAX_WARNINGS = 1000


@dataclass(frozen=True)
class LineWarning:
    line: int  # as the user numbered it (the file's line, or the stored line's id)
    template: str  # English msgid with %(name)s placeholders
    params: tuple[tuple[str, str], ...] = ()

    @property
    def message(self) -> str:
        return gettext(self.template) % dict(self.params)

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message}


def warn(lines: Iterable[int], template: str, **params: object) -> list[LineWarning]:
    """The same warning for each of ``lines``; parameters are shown as written (str)."""
    items = tuple(sorted((k, str(v)) for k, v in params.items()))
    return [LineWarning(int(n), template, items) for n in lines]


def capped(warnings: list[LineWarning]) -> tuple[tuple[LineWarning, ...], int]:
    """Warnings in line order, at most :data:`MAX_WARNINGS`, and how many were left out."""
    ordered = sorted(warnings, key=lambda w: w.line)
    return tuple(ordered[:MAX_WARNINGS]), max(len(ordered) - MAX_WARNINGS, 0)


@dataclass(frozen=True)
class WarningGroup:
    """One message and every line it concerns: a year with 17 lines on the residual mix reads
    one note naming 17 lines, not 17 notes."""

    template: str
    params: tuple[tuple[str, str], ...]
    lines: tuple[int, ...]

    @property
    def message(self) -> str:
        return gettext(self.template) % dict(self.params)

    def named_lines(self, most: int = 12) -> str:
        """``2, 4, 9`` — the first ``most`` lines, then ``…``: how a page and a PDF name them."""
        shown = ", ".join(str(n) for n in self.lines[:most])
        return shown + ("…" if len(self.lines) > most else "")


def grouped(warnings: Iterable[LineWarning]) -> list[WarningGroup]:
    """Identical warnings (same message, same parameters) gathered, in order of their first line."""
    lines: dict[tuple[str, tuple[tuple[str, str], ...]], list[int]] = {}
    for w in sorted(warnings, key=lambda w: w.line):
        lines.setdefault((w.template, w.params), []).append(w.line)
    return [WarningGroup(t, p, tuple(ns)) for (t, p), ns in lines.items()]
