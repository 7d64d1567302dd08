"""Who is in the demo: programmes, cohorts, companies and what each kind of company consumes.

Fictional companies modelled on Cluster Montagne's members (programmes.md): lift and resort
operators whose footprint is dominated by visitors' transport, hotels, engineering firms,
equipment makers, and for Mission Carb 0 French and Italian agrifood, mechatronics and perfume
firms. Quantities are per year for a company of the profile's reference size (FTE).
"""

# The company tables read best one company a line, however long.
# ruff: noqa: E501
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoCompany:
    name: str
    sector: str
    country: str
    legal_id: str
    fte: float
    municipality: str
    yearly_reduction: float  # trend of its activity, per year (0.05 = -5 %)
    journey: str = "follow_up_draft"  # where it is in the programme: a key of JOURNEYS
    idle_days: int = 7  # days since it last did anything (a coach sees who is late)


@dataclass(frozen=True)
class Profile:
    ref_fte: float
    sector_unit: str | None
    sector_units_per_fte: float
    revenue_keur_per_fte: float
    # activity_id, yearly quantity at ref_fte (in the activity's default unit), data quality
    lines: tuple[tuple[str, float, str], ...]


PROFILES: dict[str, Profile] = {
    "lift": Profile(40, "skier-day", 7500, 150, (
        ("electricity-lifts", 3_000_000, "measured"),
        ("electricity-snowmaking", 1_500_000, "measured"),
        ("groomer-diesel", 120_000, "measured"),
        ("fleet-diesel", 15_000, "measured"),
        ("heating-oil", 20_000, "measured"),
        ("visitors-car", 25_000_000, "extrapolated"),
        ("visitors-coach", 2_000_000, "estimated"),
        ("commute-car", 300_000, "estimated"),
        ("purchases-machinery-parts", 400, "measured"),
        ("services-maintenance", 300, "measured"),
        ("waste-business-mixed", 40, "estimated"),
        ("refrigerant-r410a", 5, "measured"),
    )),
    "resort": Profile(60, "skier-day", 8000, 140, (
        ("electricity-lifts", 4_000_000, "measured"),
        ("electricity-snowmaking", 2_500_000, "measured"),
        ("groomer-diesel", 180_000, "measured"),
        ("natural-gas", 900_000, "measured"),
        ("visitors-car", 40_000_000, "extrapolated"),
        ("visitors-train-tgv", 8_000_000, "estimated"),
        ("visitors-coach", 3_000_000, "estimated"),
        ("commute-car", 450_000, "estimated"),
        ("purchases-food", 350, "measured"),
        ("capex-construction", 900, "measured"),
        ("waste-business-mixed", 90, "estimated"),
    )),
    "hotel": Profile(20, "overnight stay", 900, 80, (
        ("natural-gas", 600_000, "measured"),
        ("electricity-buildings", 250_000, "measured"),
        # Food once: the meals served (physical data). The food purchases in k€ counted the same
        # need a second time in 4.1 until December 2026 (a documented correction).
        ("meals-average", 30_000, "estimated"),
        ("visitors-car", 1_500_000, "extrapolated"),
        ("commute-car", 90_000, "estimated"),
        ("waste-business-mixed", 25, "estimated"),
        ("refrigerant-r404a", 3, "measured"),
    )),
    "engineering": Profile(15, None, 0, 110, (
        ("electricity-buildings", 60_000, "measured"),
        ("business-train", 120_000, "measured"),
        ("business-car", 80_000, "measured"),
        ("business-plane-medium", 30_000, "measured"),
        ("business-hotel", 300, "measured"),
        ("services-it", 40, "measured"),
        ("capex-laptop", 5, "measured"),
        ("commute-car", 150_000, "estimated"),
    )),
    "equipment": Profile(50, "unit produced", 4, 200, (
        ("electricity-buildings", 900_000, "measured"),
        ("natural-gas", 1_200_000, "measured"),
        ("purchases-steel", 400_000, "measured"),
        ("purchases-metal-products", 800, "measured"),
        ("freight-in-truck", 600_000, "estimated"),
        ("freight-out-truck", 900_000, "estimated"),
        ("waste-business-mixed", 60, "measured"),
        ("commute-car", 500_000, "estimated"),
        ("business-plane-medium", 60_000, "measured"),
    )),
    "snow": Profile(25, None, 0, 160, (
        ("machinery-diesel", 60_000, "measured"),
        ("fleet-diesel", 25_000, "measured"),
        ("electricity-buildings", 120_000, "measured"),
        ("purchases-machinery-parts", 900, "measured"),
        ("freight-out-truck", 300_000, "estimated"),
        ("business-car", 150_000, "measured"),
        ("commute-car", 200_000, "estimated"),
    )),
    "agrifood": Profile(30, None, 0, 180, (
        ("electricity-buildings", 400_000, "measured"),
        ("natural-gas", 800_000, "measured"),
        ("purchases-food", 1_500, "measured"),
        ("freight-in-truck", 500_000, "estimated"),
        ("freight-out-van", 120_000, "estimated"),
        ("waste-biowaste", 30, "estimated"),
        ("refrigerant-r404a", 8, "measured"),
        ("commute-car", 250_000, "estimated"),
    )),
    "industry": Profile(45, None, 0, 190, (
        ("electricity-buildings", 700_000, "measured"),
        ("natural-gas", 500_000, "measured"),
        ("purchases-metal-products", 1_200, "measured"),
        ("purchases-machinery-parts", 600, "measured"),
        ("freight-out-truck", 400_000, "estimated"),
        ("business-plane-short", 40_000, "measured"),
        ("commute-car", 420_000, "estimated"),
        ("waste-business-mixed", 35, "measured"),
    )),
    "perfume": Profile(25, None, 0, 220, (
        ("electricity-buildings", 300_000, "measured"),
        ("natural-gas", 350_000, "measured"),
        ("purchases-food", 900, "estimated"),
        ("freight-in-sea", 2_000_000, "estimated"),
        ("freight-out-truck", 250_000, "estimated"),
        ("business-plane-long", 90_000, "measured"),
        ("commute-car", 200_000, "estimated"),
    )),
    "services": Profile(10, None, 0, 90, (
        ("electricity-buildings", 40_000, "measured"),
        ("business-car", 60_000, "measured"),
        ("business-train", 30_000, "measured"),
        ("services-it", 25, "measured"),
        ("capex-laptop", 3, "measured"),
        ("commute-car", 90_000, "estimated"),
    )),
}  # fmt: skip

_C = DemoCompany
PZCM_COMPANIES: tuple[DemoCompany, ...] = (
    _C("Remontées du Vallon", "lift", "FR", "900100017", 38, "Orcières", 0.04, "follow_up_draft", 2),
    _C("Station de Pra-Lumière", "resort", "FR", "900100025", 65, "Pra-Loup", 0.03, "follow_up_submitted", 6),
    _C("Hôtel Les Mélèzes", "hotel", "FR", "900100033", 18, "Vars", 0.05, "locked", 25),
    _C("Altitude Ingénierie", "engineering", "FR", "900100041", 14, "Gap", 0.06, "new", 64),
    _C("Neige & Damage Services", "snow", "FR", "900100058", 22, "Briançon", 0.02, "started", 41),
    _C("Câbles et Pylônes du Queyras", "equipment", "FR", "900100066", 55, "Guillestre", 0.03, "partial", 12),
    _C("Chalet-Hôtel du Col", "hotel", "FR", "900100074", 12, "Montgenèvre", 0.00, "submitted", 9),
    _C("Téléskis de la Blanche", "lift", "FR", "900100082", 16, "Saint-Jean-Montclar", 0.05, "validated", 18),
    _C("Bureau Études Ubaye", "engineering", "FR", "900100090", 8, "Barcelonnette", 0.04, "partial", 75),
    _C("Alpes Numérique", "services", "FR", "900100108", 9, "Embrun", 0.07, "new", 4),
    _C("Domaine Skiable du Sauze", "resort", "FR", "900100116", 48, "Enchastrayes", 0.02, "under_way", 35),
    _C("Ateliers Mécaniques Durance", "equipment", "FR", "900100124", 30, "Sisteron", 0.01, "started", 1),
    _C("Refuge-Hôtel l'Edelweiss", "hotel", "FR", "900100132", 7, "Allos", 0.03, "validated_plan", 20),
    _C("Glisse & Montagne Conseil", "services", "FR", "900100140", 5, "Digne-les-Bains", 0.05, "follow_up_validated", 14),
)  # fmt: skip
MC0_COMPANIES: tuple[DemoCompany, ...] = (
    _C("Funivie Valle Stura", "lift", "IT", "01234560041", 28, "Vinadio", 0.03, "follow_up_validated", 10),
    _C("Albergo Le Marmotte", "hotel", "IT", "01234570040", 15, "Limone Piemonte", 0.04, "submitted", 3),
    _C("Meccatronica Alpina Srl", "industry", "IT", "01234580049", 42, "Cuneo", 0.02, "partial", 50),
    _C("Caseificio Valle Maira", "agrifood", "IT", "01234590048", 24, "Dronero", 0.03, "validated_plan", 22),
    _C("Fromagerie de la Tinée", "agrifood", "FR", "900100215", 19, "Saint-Étienne-de-Tinée", 0.02, "started", 33),
    _C("Essences du Haut-Pays", "perfume", "FR", "900100223", 26, "Grasse", 0.04, "locked", 40),
    _C("Services Montagne Maurienne", "services", "FR", "900100231", 11, "Modane", 0.05, "new", 90),
    _C("Aromi delle Alpi Srl", "perfume", "IT", "01234600011", 20, "Torino", 0.03, "under_way", 7),
)  # fmt: skip

# Activities that measure the same need: a company logs at most one of each group, or the need
# is counted twice (tests/demo: every demo profile is checked against this table).
SAME_NEED: dict[str, frozenset[str]] = {
    "food": frozenset({"meals-average", "meals-vegetarian", "meals-white-meat",
                       "meals-red-meat", "purchases-food"}),
    "company cars": frozenset({"fleet-diesel", "fleet-petrol", "fleet-car-km"}),
    "wood pellets": frozenset({"wood-pellets-kwh", "wood-pellets-tonne"}),
}  # fmt: skip

# (title, postes, sector hint, share of the poste's emissions avoided a year; None for the heat
# pump, whose saving depends on the site's grid: carbon.plan.savings.heat_pump_saving_kg)
ACTION_LIBRARY: tuple[tuple[str, str, str, float | None], ...] = (
    ("Éco-conduite des dameuses", "1.2", "groomer-diesel", 0.07),
    ("Passage des dameuses au HVO", "1.2", "groomer-diesel", 0.6),
    ("Variateurs de vitesse sur les remontées", "2.1", "electricity-lifts", 0.15),
    ("Optimisation de la production de neige", "2.1", "electricity-snowmaking", 0.1),
    ("Offre train + forfait pour les clients", "3.4", "visitors-car", 0.03),
    ("Pompe à chaleur en remplacement de la chaudière", "1.1", "natural-gas", None),
    ("Plan de mobilité employeur (covoiturage, navettes)", "3.3", "commute-car", 0.15),
    ("Achats locaux et de saison", "4.1", "purchases-food", 0.1),
    ("Train plutôt qu'avion pour les missions en Europe", "3.5", "business-plane-medium", 0.5),
    ("Relamping LED et GTB des bâtiments", "2.1", "electricity-buildings", 0.2),
    ("Suivi des fuites de fluides frigorigènes", "1.4", "refrigerant-r404a", 0.5),
    ("Tri et valorisation des déchets", "4.3", "waste-business-mixed", 0.3),
    ("Éco-conception et acier bas carbone", "4.1", "purchases-steel", 0.15),
    ("Mutualisation des livraisons", "3.2", "freight-out-truck", 0.1),
)

YEARS = (2023, 2024, 2025)

# How far each company has gone, year by year: (year, status, lines). "all" is the profile's
# lines, "few" its first two (a company that has just started), "no_purchases" all but those of
# BEGES category 4 (the purchases a small firm leaves for last). The first year is the base year.
# A coach's cohort has companies at every stage: some have not opened a year, some are typing,
# some wait for validation, some are done and follow their plan.
JOURNEYS: dict[str, tuple[tuple[int, str, str], ...]] = {
    "new": (),
    "started": ((2025, "draft", "few"),),
    "partial": ((2025, "draft", "no_purchases"),),
    "submitted": ((2025, "submitted", "all"),),
    "validated": ((2025, "validated", "all"),),
    "validated_plan": ((2025, "validated", "all"),),
    "under_way": ((2024, "validated", "all"), (2025, "draft", "all")),
    "follow_up_draft": ((2023, "validated", "all"), (2024, "validated", "all"),
                        (2025, "draft", "all")),
    "follow_up_submitted": ((2023, "validated", "all"), (2024, "validated", "all"),
                            (2025, "submitted", "all")),
    "follow_up_validated": ((2023, "validated", "all"), (2024, "validated", "all"),
                            (2025, "validated", "all")),
    "locked": ((2023, "locked", "all"), (2024, "locked", "all"), (2025, "validated", "all")),
}  # fmt: skip
# Whose action plan exists, and whose has actions started (the rest only identified or planned).
# A plan is built on a validated footprint, so a journey without one has no plan yet.
PLAN_STARTED = {"under_way", "follow_up_draft", "follow_up_submitted", "follow_up_validated",
                "locked"}  # fmt: skip
PLAN_NOT_STARTED = {"validated_plan"}

# The sector activity's unit as the company writes it (an administrator types it, free text).
SECTOR_UNIT_LABELS: dict[str, dict[str, str]] = {
    "skier-day": {"FR": "journée-skieur", "IT": "giornata-sciatore"},
    "overnight stay": {"FR": "nuitée", "IT": "pernottamento"},
    "unit produced": {"FR": "unité produite", "IT": "unità prodotta"},
}
