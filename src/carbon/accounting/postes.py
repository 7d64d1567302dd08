"""The 22 BEGES v5 postes, their labels and their GHG Protocol scope, as data.

Every total the tool shows is keyed by these codes ("1.1" … "6.1"); the scope view is derived
from the same table so the two presentations can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Poste:
    code: str
    category: int
    scope: int
    # GHG Protocol scope-3 category number (None for scopes 1 and 2 and for 3.4).
    scope3_category: int | None
    label_fr: str
    label_it: str
    label_en: str
    # A poste kept out of the total. None is since poste 1.5 (land use, biomass) counts in
    # category 1 as BEGES v5's table and ISO 14064-1 put it (docs/methodology.md §4); biogenic
    # CO2, which is no poste, is what stays apart ("hors bilan").
    reported_apart: bool = False

    def label(self, locale: str) -> str:
        return {"fr": self.label_fr, "it": self.label_it, "en": self.label_en}.get(
            locale, self.label_fr
        )


CATEGORY_LABELS: dict[int, dict[str, str]] = {
    1: {"fr": "Émissions directes", "it": "Emissioni dirette", "en": "Direct emissions"},
    2: {
        "fr": "Émissions indirectes liées à l'énergie",
        "it": "Emissioni indirette da energia",
        "en": "Indirect emissions from energy",
    },
    3: {"fr": "Transport", "it": "Trasporti", "en": "Transport"},
    4: {"fr": "Produits achetés", "it": "Prodotti acquistati", "en": "Purchased products"},
    5: {"fr": "Produits vendus", "it": "Prodotti venduti", "en": "Sold products"},
    6: {"fr": "Autres émissions indirectes", "it": "Altre emissioni indirette", "en": "Other"},
}

_P = Poste
POSTES: tuple[Poste, ...] = (
    _P("1.1", 1, 1, None, "Émissions directes des sources fixes de combustion",
       "Emissioni dirette da combustione fissa", "Direct emissions from stationary combustion"),
    _P("1.2", 1, 1, None, "Émissions directes des sources mobiles de combustion",
       "Emissioni dirette da combustione mobile", "Direct emissions from mobile combustion"),
    _P("1.3", 1, 1, None, "Émissions directes des procédés hors énergie",
       "Emissioni dirette di processo non energetiche", "Direct process emissions (non-energy)"),
    _P("1.4", 1, 1, None, "Émissions directes fugitives",
       "Emissioni dirette fuggitive", "Direct fugitive emissions"),
    _P("1.5", 1, 1, None, "Émissions issues de la biomasse (sols et forêts)",
       "Emissioni da biomassa (suoli e foreste)", "Emissions from biomass (soils and forests)"),
    _P("2.1", 2, 2, None, "Consommation d'électricité",
       "Consumo di energia elettrica", "Electricity consumption"),
    _P("2.2", 2, 2, None, "Consommation d'énergie autre que l'électricité",
       "Consumo di energia diversa dall'elettricità (teleriscaldamento, vapore, freddo)",
       "Other energy consumption (district heating, steam, cooling)"),
    _P("3.1", 3, 3, 4, "Transport de marchandise amont",
       "Trasporto merci a monte", "Upstream freight transport"),
    _P("3.2", 3, 3, 9, "Transport de marchandise aval",
       "Trasporto merci a valle", "Downstream freight transport"),
    _P("3.3", 3, 3, 7, "Déplacements domicile-travail",
       "Spostamenti casa-lavoro", "Employee commuting"),
    _P("3.4", 3, 3, None, "Déplacements des visiteurs et des clients",
       "Spostamenti di visitatori e clienti", "Visitor and customer travel"),
    _P("3.5", 3, 3, 6, "Déplacements professionnels",
       "Viaggi di lavoro", "Business travel"),
    _P("4.1", 4, 3, 1, "Achats de biens",
       "Acquisto di beni", "Purchased goods"),
    _P("4.2", 4, 3, 2, "Immobilisations de biens",
       "Beni strumentali", "Capital goods"),
    _P("4.3", 4, 3, 5, "Gestion des déchets",
       "Gestione dei rifiuti", "Waste"),
    _P("4.4", 4, 3, 8, "Actifs en leasing amont",
       "Beni in leasing a monte", "Upstream leased assets"),
    _P("4.5", 4, 3, 1, "Achats de services",
       "Acquisto di servizi", "Purchased services"),
    _P("5.1", 5, 3, 11, "Utilisation des produits vendus",
       "Uso dei prodotti venduti", "Use of sold products"),
    _P("5.2", 5, 3, 13, "Actifs en leasing aval",
       "Beni in leasing a valle", "Downstream leased assets"),
    _P("5.3", 5, 3, 12, "Fin de vie des produits vendus",
       "Fine vita dei prodotti venduti", "End of life of sold products"),
    _P("5.4", 5, 3, 15, "Investissements",
       "Investimenti", "Investments"),
    _P("6.1", 6, 3, 14, "Autres émissions indirectes",
       "Altre emissioni indirette", "Other indirect emissions"),
)  # fmt: skip

POSTES_BY_CODE: dict[str, Poste] = {p.code: p for p in POSTES}
POSTE_CODES: tuple[str, ...] = tuple(p.code for p in POSTES)

# BEGES v5: for these postes only the combustion sub-post stays in the line's poste; every
# other sub-post (upstream, transport and distribution losses…) is moved to 4.1, which is
# GHG Protocol scope 3 category 3 ("fuel- and energy-related activities").
ENERGY_POSTES: frozenset[str] = frozenset({"1.1", "1.2", "2.1", "2.2"})
UPSTREAM_ENERGY_POSTE = "4.1"

# Use and end of life of sold products happen where the products are, not at the company's
# site: such a line's factor names the country of use (a lift sold to Italy runs on the Italian
# grid), so the site's country does not swap it for its own variant (docs/methodology.md §16).
SOLD_PRODUCT_POSTES: frozenset[str] = frozenset({"5.1", "5.3"})


def normalise_poste(text: object) -> str:
    """Accept ``1.2``, ``1,2`` or ``" 1.2 "``; raise ``ValueError`` for anything else."""
    raw = str(text).strip().replace(",", ".")
    try:
        major, minor = raw.split(".")
        code = f"{int(major)}.{int(minor)}"
    except ValueError:
        raise ValueError(f"unknown BEGES poste {text!r} (expected 1.1 … 6.1)") from None
    if code not in POSTES_BY_CODE:
        raise ValueError(f"unknown BEGES poste {text!r} (expected 1.1 … 6.1)")
    return code
