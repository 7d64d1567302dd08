"""One Jinja environment for every page, and ``render``: the full page or only its blocks.

htmx requests (``HX-Request: true``) get the named blocks of the same template (jinja2-fragments),
so a page and its fragments can never drift apart; any other request gets the whole page, which
keeps reloads, the back button and shared links working.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from jinja2_fragments.fastapi import Jinja2Blocks

from carbon.accounting.postes import CATEGORY_LABELS, POSTES, POSTES_BY_CODE
from carbon.factors.bundled import find_activity
from carbon.i18n import N_, get_locale, gettext
from carbon.resources import resource
from carbon.web.i18n import install_i18n
from carbon.web.security import install_csrf

TEMPLATES_DIR = resource("templates")

# Words stored in the database, shown in the reader's language.
STATUS_LABELS = {
    "draft": N_("draft"),
    "submitted": N_("submitted"),
    "validated": N_("validated"),
    "locked": N_("locked"),
}
QUALITY_LABELS = {
    "measured": N_("measured (invoice, meter)"),
    "estimated": N_("estimated"),
    "extrapolated": N_("extrapolated"),
}

SECTOR_LABELS = {
    "lift": N_("Ski lifts"), "resort": N_("Resorts and ski areas"),
    "snow": N_("Snowmaking and grooming"), "hotel": N_("Hotels and restaurants"),
    "engineering": N_("Engineering and architecture"), "equipment": N_("Equipment makers"),
    "industry": N_("Industry and mechatronics"), "agrifood": N_("Agrifood"),
    "perfume": N_("Aromas and perfumes"), "digital": N_("Digital"),
    "services": N_("Services"), "other": N_("Other"),
}  # fmt: skip


def status_label(status: str) -> str:
    return gettext(STATUS_LABELS.get(status, status))


def quality_label(quality: str) -> str:
    return gettext(QUALITY_LABELS.get(quality, quality))


# Activity units are stored as ADEME writes them, in French; a reader sees them in their language.
UNIT_WORDS = {
    "litre": N_("litre"), "tonne": N_("tonne"), "nuitée": N_("overnight stay"),
    "repas": N_("meal"), "unité": N_("unit"), "passager.km": N_("passenger-km"),
    "véhicule.km": N_("vehicle-km"), "t.km": N_("tonne-km"), "k€ HT": N_("k€ excl. VAT"),
    "€ HT": N_("€ excl. VAT"),
}  # fmt: skip
# Gross (PCS) and net (PCI) calorific value: the French abbreviations are the stored ones.
CALORIFIC_BASIS = {"PCS": N_("GCV"), "PCI": N_("NCV")}


def unit_text(unit: str | None) -> str:
    """A stored activity unit as the reader writes it: ``passager.km`` -> ``passeggero.km``."""
    if not unit:
        return ""
    if unit in UNIT_WORDS:
        return gettext(UNIT_WORDS[unit])
    amount, _, basis = unit.partition(" ")
    if basis in CALORIFIC_BASIS:
        return f"{amount} {gettext(CALORIFIC_BASIS[basis])}"
    return unit.replace("m3", "m³")


def poste_label(code: str) -> str:
    """``1.2`` -> ``1.2 Émissions directes…``: a poste is never shown as a bare number."""
    poste = POSTES_BY_CODE.get(code)
    return f"{code} {poste.label(get_locale())}" if poste else code


def sector_label(sector: str) -> str:
    return gettext(SECTOR_LABELS[sector]) if sector in SECTOR_LABELS else sector


def make_templates() -> Jinja2Blocks:
    templates = Jinja2Blocks(directory=TEMPLATES_DIR)
    env = templates.env
    env.autoescape = True
    install_i18n(env)
    install_csrf(env)
    env.globals.update(
        POSTES=POSTES,
        POSTES_BY_CODE=POSTES_BY_CODE,
        CATEGORIES=CATEGORY_LABELS,
        status_label=status_label,
        quality_label=quality_label,
        sector_label=sector_label,
        unit_text=unit_text,
        poste_label=poste_label,
        find_activity=find_activity,
    )
    return templates


def is_htmx(request: Request) -> bool:
    # A history restore wants the whole page even though htmx asks for it.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    *,
    blocks: Sequence[str] = (),
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The template ``name``; only ``blocks`` of it when htmx asks and blocks are named."""
    templates: Jinja2Blocks = request.app.state.templates
    ctx = {"user": getattr(request.state, "principal", None), **(context or {})}
    kwargs: dict[str, Any] = {"status_code": status_code, "headers": dict(headers or {})}
    if blocks and is_htmx(request):
        kwargs["block_names"] = list(blocks)
    response: Response = templates.TemplateResponse(request, name, ctx, **kwargs)
    # Pages show one company's data: keep them out of shared caches.
    response.headers.setdefault("Cache-Control", "private, no-store")
    # htmx and full-page responses differ for the same URL.
    response.headers["Vary"] = "HX-Request"
    return response
