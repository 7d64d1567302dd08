"""Number and date phrases the reports repeat, in the reader's language (carbon.i18n).

Tables show tonnes without a unit (the column header carries it) and one decimal, like the pages;
sentences carry the unit (``fmt_tco2e``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from carbon.i18n import MISSING, fmt_date, fmt_number, fmt_pct, fmt_tco2e
from carbon.i18n import gettext as _


def t(kg: float | None, digits: int = 1) -> str:
    """Kilograms shown as tonnes, no unit: ``12345.6`` -> ``12,3`` (fr)."""
    return MISSING if kg is None else fmt_number(kg / 1000.0, digits=digits)


def tco2e(kg: float | None, digits: int = 1) -> str:
    return fmt_tco2e(kg, digits=digits)


def pct(value: float | None, digits: int = 1, signed: bool = False) -> str:
    text = fmt_pct(value, digits=digits)
    if signed and value is not None and text != MISSING and not text.startswith("-"):
        # A plus sign only for increases that survive the rounding ("+0,0 %" would mislead).
        return "+" + text if round(value, digits) > 0 else text
    return text


def num(value: float | None, digits: int = 1) -> str:
    return fmt_number(value, digits=digits)


def day(value: date | None) -> str:
    return fmt_date(value)


def date_range(start: date | None, end: date | None) -> str:
    if start and end:
        return _("%(start)s to %(end)s") % {"start": fmt_date(start), "end": fmt_date(end)}
    return fmt_date(start or end)


def slug(text: str, fallback: str = "report") -> str:
    """An ASCII file-name part: ``Hôtel Les Mélèzes`` -> ``hotel-les-melezes``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned[:60].strip("-") or fallback
