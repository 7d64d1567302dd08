"""Words stored in the database (statuses, qualities, sectors…), in the reader's language.

The web layer has its own copies for the pages (web/templating.py); the reports cannot import it
(it brings FastAPI along), and the msgids are the same, so one translation serves both.
"""

from __future__ import annotations

from carbon.accounting.postes import CATEGORY_LABELS, POSTES_BY_CODE
from carbon.i18n import N_, get_locale, gettext

PERIOD_STATUS = {
    "draft": N_("draft"),
    "submitted": N_("submitted"),
    "validated": N_("validated"),
    "locked": N_("locked"),
}
QUALITY = {
    "measured": N_("measured (invoice, meter)"),
    "estimated": N_("estimated"),
    "extrapolated": N_("extrapolated"),
}
ACTION_STATUS = {
    "identified": N_("identified"),
    "planned": N_("planned"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "abandoned": N_("abandoned"),
}
STAGE = {
    "not_started": N_("not started"),
    "measuring": N_("measuring"),
    "submitted": N_("footprint submitted"),
    "validated": N_("footprint validated"),
    "planning": N_("action plan"),
    "acting": N_("actions under way"),
}
SECTOR = {
    "lift": N_("ski lifts"),
    "resort": N_("resort operation"),
    "snow": N_("snowmaking and grooming"),
    "hotel": N_("hotels and restaurants"),
    "engineering": N_("engineering and architecture"),
    "equipment": N_("equipment making"),
    "industry": N_("manufacturing"),
    "agrifood": N_("agrifood"),
    "perfume": N_("aromas and perfumes"),
    "digital": N_("digital"),
    "services": N_("services"),
    "other": N_("other"),
}


def _label(table: dict[str, str], key: str | None) -> str:
    if key is None:
        return "—"
    return gettext(table[key]) if key in table else key


def period_status(status: str | None) -> str:
    return _label(PERIOD_STATUS, status)


def quality(q: str | None) -> str:
    return _label(QUALITY, q)


def action_status(status: str | None) -> str:
    return _label(ACTION_STATUS, status)


def stage(value: str | None) -> str:
    return _label(STAGE, value)


def sector(value: str | None) -> str:
    return _label(SECTOR, value)


def category(number: int) -> str:
    return CATEGORY_LABELS[number].get(get_locale(), CATEGORY_LABELS[number]["fr"])


def poste(code: str) -> str:
    return POSTES_BY_CODE[code].label(get_locale())


def yes_no(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


# GHG Protocol scope 3 categories, for the scope view.
SCOPE3 = {
    1: N_("Purchased goods and services"),
    2: N_("Capital goods"),
    3: N_("Fuel- and energy-related activities"),
    4: N_("Upstream transportation and distribution"),
    5: N_("Waste generated in operations"),
    6: N_("Business travel"),
    7: N_("Employee commuting"),
    8: N_("Upstream leased assets"),
    9: N_("Downstream transportation and distribution"),
    10: N_("Processing of sold products"),
    11: N_("Use of sold products"),
    12: N_("End-of-life treatment of sold products"),
    13: N_("Downstream leased assets"),
    14: N_("Franchises"),
    15: N_("Investments"),
}


def scope3(number: int | None) -> str:
    if number is None:
        return gettext("Visitors' and customers' travel (no GHG Protocol category)")
    return gettext(SCOPE3[number])
