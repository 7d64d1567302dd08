"""Words stored in the database (statuses, qualities, sectors…), in the reader's language.

The web layer has its own copies for the pages (web/templating.py); the reports cannot import it
(it brings FastAPI along), and the msgids are the same, so one translation serves both.
"""

from __future__ import annotations

from carbon.accounting.postes import CATEGORY_LABELS, POSTES_BY_CODE
from carbon.accounting.results import ComputationResult
from carbon.i18n import N_, fmt_number, get_locale, gettext, ngettext

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


GAS = {
    "co2_fossil": N_("CO₂ fossil"),
    "ch4_fossil": N_("CH₄ fossil"),
    "ch4_biogenic": N_("CH₄ biogenic"),
    "n2o": N_("N₂O"),
    "other": N_("Other gases"),
    "not_broken_down": N_("Not broken down by gas"),
}


def gas(group: str) -> str:
    """A gas group of the results (carbon.accounting.gases.ALL_GROUPS), in the reader's words."""
    return _label(GAS, group)


def gas_column(group: str) -> str:
    return gettext("%(gas)s, t CO₂e") % {"gas": gas(group)}


def gwp_set(name: str) -> str:
    """ "IPCC AR5, 100 years": the GWP set every CO₂e figure rests on (methodology § 10)."""
    return gettext("IPCC %(set)s, 100 years") % {"set": name}


def gas_notes(result: ComputationResult) -> list[str]:
    """What a table by gas must say: what is not broken down, what stayed AR5 under AR6."""
    notes = [
        gettext(
            "Emissions by gas are in CO₂e with the GWP set above, from the factors' breakdown "
            "by gas where the source gives one; emissions whose factor has none are in the "
            "column \u201cNot broken down by gas\u201d (%(t)s t CO₂e), not split by guess."
        )
        % {"t": fmt_number(result.by_gas["not_broken_down"] / 1000, digits=3)}
    ]
    if result.gwp_kept_ar5_lines:
        notes.append(
            ngettext(
                "%(n)s line stays at AR5: its factor gives no breakdown by gas to restate "
                "(%(factors)s).",
                "%(n)s lines stay at AR5: their factor gives no breakdown by gas to restate "
                "(%(factors)s).",
                result.gwp_kept_ar5_lines,
            )
            % {
                "n": result.gwp_kept_ar5_lines,
                "factors": ", ".join(result.gwp_kept_ar5_factors[:20])
                + ("…" if len(result.gwp_kept_ar5_factors) > 20 else ""),
            }
        )
    return notes
