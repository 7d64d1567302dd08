"""Identical method warnings read as one note naming its lines (carbon.accounting.notices)."""

from __future__ import annotations

from carbon.accounting.notices import grouped, warn
from carbon.i18n import use_locale

MIX = "No supplier contract: scope 2 market-based uses the %(country)s residual mix."
OTHER = "The factor %(factor)s is for FR, the line is in IT."


def test_the_same_message_is_one_group_in_line_order() -> None:
    warnings = [
        *warn([7, 2], MIX, country="FR"),
        *warn([5], OTHER, factor="bundled:coach-diesel"),
        *warn([3], MIX, country="IT"),  # another parameter: another note
        *warn([1], MIX, country="FR"),
    ]
    groups = grouped(warnings)
    assert [(g.template, dict(g.params), g.lines) for g in groups] == [
        (MIX, {"country": "FR"}, (1, 2, 7)),
        (MIX, {"country": "IT"}, (3,)),
        (OTHER, {"factor": "bundled:coach-diesel"}, (5,)),
    ]
    with use_locale("en"):
        assert groups[1].message == MIX % {"country": "IT"}


def test_no_warning_no_group() -> None:
    assert grouped([]) == []


def test_a_long_group_names_its_first_twelve_lines() -> None:
    (group,) = grouped(warn(range(1, 15), MIX, country="FR"))
    assert group.named_lines() == "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12…"
    assert group.named_lines(most=14) == ", ".join(str(n) for n in range(1, 15))
