"""Category 5 for manufacturers: use (5.1) and end of life (5.3) of sold products (issue 14).

A small lift maker's year, computed by hand:

- two chairlifts sold, each drawing 250,000 kWh a year for 25 years: 6,250,000 kWh each over its
  life. One is in France (0.052 kg/kWh): 325,000 kg; one in Italy (ISPRA 2022, 0.2655):
  1,659,375 kg;
- one snow groomer sold, burning 15,000 L of GNR a year for 8 years: 120,000 L × 3.17 =
  380,400 kg (the whole factor, combustion 2.51 and upstream 0.66, stays in 5.1: only the energy
  postes 1.1, 1.2, 2.1, 2.2 send upstream to 4.1);
- 5.1 = 325,000 + 1,659,375 + 380,400 = 2,364,775 kg;
- end of life of the two chairlifts: 120 t of steel × 30 = 3,600 kg; 4 t of aluminium × 873 =
  3,492 kg; 1 t of plastics incinerated × 2,139 = 2,139 kg; 0.6 t of electronics × 1,995 =
  1,197 kg; 5.3 = 3,600 + 3,492 + 2,139 + 1,197 = 10,428 kg;
- total = 2,364,775 + 10,428 = 2,375,203 kg, all scope 3 (category 5).
"""

from __future__ import annotations

import pandas as pd
import pytest

from carbon.accounting.engine import compute
from carbon.accounting.postes import POSTES_BY_CODE
from carbon.factors.bundled import (
    activities,
    find_activity,
    load_bundled_library,
    search_activities,
)
from carbon.i18n import use_locale

USE = 2_364_775.0
END_OF_LIFE = 10_428.0


def manufacturer_lines() -> pd.DataFrame:
    """The lift maker's lines, each factor chosen by its catalogue entry and country."""
    lifts = find_activity("sold-lifts-electricity")
    groomer = find_activity("sold-machines-offroad-diesel")
    assert lifts is not None and groomer is not None
    rows = [
        ("5.1", lifts.factor_id_for("FR"), 6_250_000.0, "kWh", "FR"),
        ("5.1", lifts.factor_id_for("IT"), 6_250.0, "MWh", "IT"),
        ("5.1", groomer.default_factor_id, 120.0, "m3", "FR"),
    ]
    for activity_id, tonnes in (
        ("eol-sold-steel", 120.0),
        ("eol-sold-aluminium", 4.0),
        ("eol-sold-plastics-incineration", 1.0),
        ("eol-sold-electronics", 600.0),  # in kg
    ):
        act = find_activity(activity_id)
        assert act is not None and act.poste == "5.3", activity_id
        unit = "kg" if activity_id == "eol-sold-electronics" else "tonne"
        rows.append(("5.3", act.default_factor_id, tonnes, unit, "FR"))
    return pd.DataFrame(rows, columns=["poste", "factor_id", "quantity", "unit", "country"])


def test_a_lift_makers_use_and_end_of_life_of_sold_products() -> None:
    lines = manufacturer_lines()
    assert list(lines["factor_id"][:3]) == [
        "bundled:elec-fr-2022", "bundled:elec-it-2022", "bundled:diesel-offroad-fr",
    ]  # fmt: skip
    r = compute(lines, load_bundled_library())
    assert r.by_poste["5.1"] == pytest.approx(USE)
    assert r.by_poste["5.3"] == pytest.approx(END_OF_LIFE)
    assert r.by_poste["4.1"] == 0.0  # no upstream moved out of 5.1
    assert r.total_kgco2e == pytest.approx(USE + END_OF_LIFE)
    assert r.by_category[5] == pytest.approx(2_375_203.0)
    assert r.by_scope[3] == pytest.approx(2_375_203.0) and r.by_scope[1] == 0.0
    # Electricity of sold products is not the company's scope 2, nor its energy consumption.
    assert r.scope2_location_kgco2e == 0.0
    assert not r.warnings  # each country has its own variant: nothing to flag


def test_the_postes_are_ghg_protocol_categories_11_and_12() -> None:
    use, end = POSTES_BY_CODE["5.1"], POSTES_BY_CODE["5.3"]
    assert (use.category, use.scope, use.scope3_category) == (5, 3, 11)
    assert (end.category, end.scope, end.scope3_category) == (5, 3, 12)
    assert not use.reported_apart and not end.reported_apart
    assert use.label("fr") == "Utilisation des produits vendus"
    assert end.label("it") == "Fine vita dei prodotti venduti"


def test_electricity_of_sold_products_follows_the_country_of_use() -> None:
    for activity_id in ("sold-products-electricity", "sold-lifts-electricity"):
        act = find_activity(activity_id)
        lifts = find_activity("electricity-lifts")
        assert act is not None and lifts is not None
        assert act.poste == "5.1" and act.default_unit == "kWh"
        assert act.country_factor_ids == lifts.country_factor_ids
        assert act.factor_id_for("AT") == "bundled:elec-at-2023"


def test_category_5_entries_cover_both_postes_for_manufacturers() -> None:
    cat5 = [a for a in activities() if a.poste.startswith("5.")]
    assert {a.poste for a in cat5} == {"5.1", "5.3"}
    assert len([a for a in cat5 if a.poste == "5.3"]) == 6
    assert {a.sector_hint for a in cat5} <= {"industry", "lift"}
    lib = load_bundled_library().factors.set_index("factor_id")
    for act in cat5:
        assert lib.loc[act.default_factor_id, "status"] == "valid", act.activity_id


def test_end_of_life_factors_say_what_they_are() -> None:
    lib = load_bundled_library().factors.set_index("factor_id")
    # Read from NGC 3.4.0 (Base Carbone elements), per kg × 1,000 = per tonne.
    published = {
        "bundled:eol-plastics-incineration": 2.139,
        "bundled:eol-plastics-landfill": 0.041,
        "bundled:eol-aluminium-recycling": 0.873,
        "bundled:eol-weee-average": 1.995,
    }
    for fid, per_kg in published.items():
        row = lib.loc[fid]
        assert row["total_kgco2e"] == pytest.approx(per_kg * 1000) and row["unit"] == "tonne"
        assert not row["estimate"] and row["source"].startswith("Nos Gestes Climat 3.4.0")
    steel = lib.loc["bundled:eol-steel-recycling"]
    assert steel["estimate"] and steel["note"].startswith("ESTIMATE")


def test_search_finds_the_manufacturer_entries() -> None:
    assert search_activities("fin de vie acier", "fr")[0].activity_id == "eol-sold-steel"
    assert "sold-lifts-electricity" in [
        a.activity_id for a in search_activities("impianti venduti", "it")
    ]
    assert search_activities("SF6", "en")[0].activity_id == "sf6-switchgear"


def test_the_site_country_does_not_swap_the_factor_of_products_used_abroad() -> None:
    # A French maker (its lines are in FR) sells a lift that runs in Italy: 10,000 kWh of the
    # Italian grid × 0.2655 = 2,655 kg in 5.1, kept Italian and not flagged. The same factor on
    # the company's own electricity (2.1) is swapped for the French mix: 10,000 × 0.052 = 520 kg,
    # and the line says so.
    lines = pd.DataFrame(
        {"poste": ["5.1", "2.1"], "factor_id": ["bundled:elec-it-2022"] * 2,
         "quantity": [10_000.0, 10_000.0], "unit": ["kWh", "kWh"], "country": ["FR", "FR"]}
    )  # fmt: skip
    with use_locale("en"):  # warnings are worded in the reader's locale, when read
        r = compute(lines, load_bundled_library(), line_numbers=[1, 2])
        assert any("FR variant bundled:elec-fr-2022 was used" in w.message for w in r.warnings)
    assert r.by_poste["5.1"] == pytest.approx(2655.0)
    assert r.by_poste["2.1"] == pytest.approx(520.0)
    assert {w.line for w in r.warnings} == {2}  # its variant (and its scope-2 market basis)
    # End of life abroad: a French factor at an Italian site is computed as named and flagged.
    eol = pd.DataFrame(
        {"poste": ["5.3"], "factor_id": ["bundled:eol-weee-average"], "quantity": [1.0],
         "unit": ["tonne"], "country": ["IT"]}
    )  # fmt: skip
    r = compute(eol, load_bundled_library())
    assert r.by_poste["5.3"] == pytest.approx(1995.0) and not r.warnings
