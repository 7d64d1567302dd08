"""The cohort table's rows as HTML, kept per company and language while the row is unchanged.

Rendering a row (six category cells, a dozen numbers formatted for the reader's locale, flags
with their explanations) costs a third of a millisecond; fifty of them were half of the cohort
page's time. A line edit changes one company's row, so the others are served as they were
rendered. A kept row is used only when the row it was rendered from is equal (``==``) to the one
asked for, so it can never be stale: the key only says where to look.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from carbon.coaching.dashboard import CompanyRow
from carbon.i18n import get_locale
from carbon.lru import Lru

TEMPLATE = "_cohort_row.html"
# Rows of every cohort of the process, in every language.
_kept: Lru[tuple[str, int], tuple[CompanyRow, Markup]] = Lru(5_000)


def row_renderer(env: Environment, context: Mapping[str, Any]) -> Callable[[CompanyRow], Markup]:
    """``row_html(row)`` for the page's template: a row rendered with ``context`` (the label
    helpers, which depend on the language only), or the one kept for an equal row."""
    template = env.get_template(TEMPLATE)
    locale = get_locale()

    def row_html(row: CompanyRow) -> Markup:
        key = (locale, row.company.id)
        hit = _kept.get(key)
        if hit is not None and (hit[0] is row or hit[0] == row):
            return hit[1]
        html = Markup(template.render({**context, "r": row}))
        _kept.put(key, (row, html))
        return html

    return row_html


def clear_cache() -> None:
    _kept.clear()
