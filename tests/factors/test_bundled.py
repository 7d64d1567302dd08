"""The bundled factor library and activity catalogue: provenance, values, units, search."""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from carbon.accounting.engine import compute
from carbon.accounting.factors import FACTOR_COLUMNS, LibraryError
from carbon.accounting.postes import POSTES_BY_CODE
from carbon.accounting.uncertainty import UncertaintyScale
from carbon.accounting.units import conversion_factor, is_known
from carbon.factors.bundled import (
    BUNDLED_DIR,
    BUNDLED_VERSION,
    Activity,
    CatalogueError,
    activities,
    find_activity,
    load_activity_catalogue,
    load_bundled_library,
    search_activities,
)
from carbon.i18n import use_locale


@pytest.fixture(scope="module")
def factors() -> pd.DataFrame:
    return load_bundled_library().factors


@pytest.fixture(scope="module")
def by_id(factors: pd.DataFrame) -> pd.DataFrame:
    return factors.set_index("factor_id")


# --------------------------------------------------------------------------- the library


def test_library_is_versioned_and_cached() -> None:
    lib = load_bundled_library()
    assert lib.version == BUNDLED_VERSION
    assert load_bundled_library() is lib
    assert len(lib) >= 60


def test_file_header_is_the_factor_columns_in_order() -> None:
    with (BUNDLED_DIR / "factors.csv").open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == list(FACTOR_COLUMNS)


def test_dtypes_are_those_of_factor_columns(factors: pd.DataFrame) -> None:
    for col in ("total_kgco2e", "co2b_kg", "uncertainty_pct"):
        assert factors[col].dtype == "float64"
    for col in ("uncertainty_is_default", "checked", "estimate"):
        assert factors[col].dtype == bool
    assert str(factors["valid_year"].dtype) == "Int64"


def test_every_factor_has_its_provenance(factors: pd.DataFrame) -> None:
    for _, row in factors.iterrows():
        fid = row["factor_id"]
        assert fid.startswith("bundled:"), fid
        assert row["name_fr"] and row["name_en"] and row["name_it"], fid
        assert row["source"].strip(), f"{fid} has no source"
        assert pd.notna(row["valid_year"]) or row["note"].strip(), f"{fid}: no year nor note"
        assert is_known(row["unit"]), f"{fid}: unknown unit {row['unit']!r}"
        assert math.isfinite(row["total_kgco2e"]) and row["total_kgco2e"] > 0, fid
        assert 0 < row["uncertainty_pct"] <= 100, f"{fid}: no uncertainty"
        assert row["status"] in ("valid", "archived"), fid
        assert row["country"] == "" or (len(row["country"]) == 2 and row["country"].isupper())


def test_nothing_claims_to_be_checked_against_the_official_export(factors: pd.DataFrame) -> None:
    assert not factors["checked"].any()


def test_uncertainties_are_flagged_as_default_classes(factors: pd.DataFrame) -> None:
    # No source used here gives an uncertainty: every value is an ADEME default class.
    assert factors["uncertainty_is_default"].all()
    assert set(factors["uncertainty_pct"]) <= {5.0, 10.0, 20.0, 30.0, 50.0}


def test_estimates_are_labelled(factors: pd.DataFrame) -> None:
    est = factors.loc[factors["estimate"]]
    assert len(est) >= 15  # freight, waste recycling, monetary ratios, HVO…
    for _, row in est.iterrows():
        assert row["note"].startswith("ESTIMATE"), row["factor_id"]
        assert "replace" in row["note"].lower(), row["factor_id"]
        assert "estimate" in row["source"].lower(), row["factor_id"]
    # Published values never pretend to be estimates, nor the reverse.
    for _, row in factors.loc[~factors["estimate"]].iterrows():
        assert "ESTIMATE" not in row["note"], row["factor_id"]
        assert "estimate" not in row["source"].lower(), row["factor_id"]


def test_the_kinds_of_value_factors_md_leaves_out_are_estimates(by_id: pd.DataFrame) -> None:
    for prefix in ("bundled:freight-", "bundled:money-"):
        rows = by_id.loc[by_id.index.str.startswith(prefix)]
        assert len(rows) >= 3, prefix
        assert rows["estimate"].all(), prefix
    assert by_id.loc["bundled:waste-recycling", "estimate"]
    assert by_id.loc["bundled:hvo100", "estimate"]
    assert by_id.loc["bundled:car-electric-fr", "estimate"]


# Copied from the shared reference sheet factors.md: (factor_id, kgCO2e per unit, unit).
FACTORS_MD = [
    ("bundled:elec-fr-2022", 0.052, "kWh"),
    ("bundled:natural-gas-fr-2022", 0.221, "kWh PCS"),
    ("bundled:biomethane-grid-fr", 0.0395, "kWh PCS"),
    ("bundled:heating-oil-fr", 3.25, "litre"),
    ("bundled:diesel-b7-fr", 3.10, "litre"),
    ("bundled:diesel-b10-fr", 3.04, "litre"),
    ("bundled:petrol-e5-e10-fr", 2.70, "litre"),
    ("bundled:petrol-e85-fr", 1.11, "litre"),
    ("bundled:lpg-fuel-fr", 1.86, "litre"),
    ("bundled:lpg-heating-fr", 0.272, "kWh PCI"),
    ("bundled:propane-fr", 3.47, "kg"),
    ("bundled:butane-fr", 3.44, "kg"),
    ("bundled:wood-pellets-fr", 0.032, "kWh PCI"),
    ("bundled:wood-logs-fr", 0.046, "kWh PCI"),
    ("bundled:district-heating-fr-avg", 0.112, "kWh"),
    ("bundled:pv-rooftop-fr", 0.0291, "kWh"),
    ("bundled:car-thermal-avg", 0.216, "véhicule.km"),
    ("bundled:train-tgv-fr-2022", 0.00293, "passager.km"),
    ("bundled:train-ter-fr-2022", 0.0277, "passager.km"),
    ("bundled:train-intercites-fr-2022", 0.00898, "passager.km"),
    ("bundled:train-tgv-fr-2019", 0.00236, "passager.km"),
    ("bundled:train-ter-fr-2019", 0.0296, "passager.km"),
    ("bundled:coach-diesel", 0.0295, "passager.km"),
    ("bundled:bus-city-diesel", 0.113, "passager.km"),
    ("bundled:metro-tram-fr", 0.00503, "passager.km"),
    ("bundled:rer-transilien-2022", 0.00978, "passager.km"),
    ("bundled:plane-short-haul", 0.258, "passager.km"),
    ("bundled:plane-medium-haul", 0.187, "passager.km"),
    ("bundled:plane-long-haul", 0.152, "passager.km"),
    ("bundled:hotel-night-fr", 6.93, "nuitée"),
    ("bundled:holiday-rental-night-fr", 5.8, "nuitée"),
    ("bundled:campsite-night-fr", 1.4, "nuitée"),
    ("bundled:laptop", 182.6, "unité"),
    ("bundled:desktop", 261.5, "unité"),
    ("bundled:steel", 2.21, "kg"),
    ("bundled:furniture", 1.833, "kg"),
    ("bundled:refrigerant-r410a", 1924, "kg"),
    ("bundled:refrigerant-r134a", 1300, "kg"),
    ("bundled:refrigerant-r404a", 3943, "kg"),
    ("bundled:refrigerant-r32", 677, "kg"),
    ("bundled:refrigerant-r407c", 1624, "kg"),
]


@pytest.mark.parametrize(("factor_id", "value", "unit"), FACTORS_MD)
def test_values_of_factors_md_appear_exactly(
    by_id: pd.DataFrame, factor_id: str, value: float, unit: str
) -> None:
    row = by_id.loc[factor_id]
    assert row["total_kgco2e"] == value
    assert row["unit"] == unit
    assert not row["estimate"]
    assert row["source"].startswith(
        ("Nos Gestes Climat 3.4.0", "ADEME Base Carbone V22", "IPCC AR5")
    )


@pytest.mark.parametrize(
    ("factor_id", "ref"),
    [
        ("bundled:car-thermal-avg", "27970"),
        ("bundled:coach-diesel", "28006"),
        ("bundled:plane-medium-haul", "28132"),
        ("bundled:train-tgv-fr-2019", "28145"),
        ("bundled:train-ter-fr-2019", "28146"),
    ],
)
def test_ademe_identifiers_given_by_the_sources_are_kept(
    by_id: pd.DataFrame, factor_id: str, ref: str
) -> None:
    assert by_id.loc[factor_id, "source_ref"] == ref


def test_superseded_train_values_are_archived(by_id: pd.DataFrame) -> None:
    assert by_id.loc["bundled:train-tgv-fr-2019", "status"] == "archived"
    assert by_id.loc["bundled:train-tgv-fr-2022", "status"] == "valid"
    assert by_id.loc["bundled:train-tgv-fr-2022", "valid_year"] == 2022


def test_italian_grid_exists_and_exceeds_the_french_one(by_id: pd.DataFrame) -> None:
    it = by_id.loc["bundled:elec-it-2022"]
    fr = by_id.loc["bundled:elec-fr-2022"]
    assert it["country"] == "IT" and fr["country"] == "FR"
    assert it["unit"] == fr["unit"] == "kWh"
    assert it["total_kgco2e"] > 3 * fr["total_kgco2e"]  # "several times France's per kWh"


def test_every_member_country_has_its_own_grid_factor(by_id: pd.DataFrame) -> None:
    """Issue 14: Monaco, Switzerland, Austria and Slovenia mapped to an EU average (0.42)."""
    lifts = find_activity("electricity-lifts")
    assert lifts is not None
    for country in ("FR", "IT", "MC", "CH", "AT", "SI"):
        fid = lifts.factor_id_for(country)
        assert by_id.loc[fid, "country"] == country, country
        assert fid != "bundled:elec-eu-2022"
    # Monaco is on the French grid: the French mix, and its note says so.
    mc = by_id.loc["bundled:elec-mc-2022"]
    assert mc["total_kgco2e"] == by_id.loc["bundled:elec-fr-2022", "total_kgco2e"]
    assert "French grid" in mc["note"]
    # Switzerland's value could not be checked against a primary source: a labelled estimate.
    ch = by_id.loc["bundled:elec-ch-2022"]
    assert ch["estimate"] and ch["note"].startswith("ESTIMATE") and "Searched here" in ch["note"]


# The EEA's "GHG emission intensity of electricity generation", country level, data year 2023
# (final inventory): Austria 59, Slovenia 166, Germany 316, Spain 140 gCO2e/kWh, / 1,000.
EEA_2023 = {"AT": 0.059, "SI": 0.166, "DE": 0.316, "ES": 0.140}


def test_neighbouring_grids_are_the_eea_published_2023_values(by_id: pd.DataFrame) -> None:
    """Issue 14: Austria and Slovenia were estimates, Germany and Spain Electricity Maps values."""
    lifts = find_activity("electricity-lifts")
    assert lifts is not None
    for country, kg in EEA_2023.items():
        fid = f"bundled:elec-{country.lower()}-2023"
        row = by_id.loc[fid]
        assert lifts.factor_id_for(country) == fid
        assert (row["country"], row["valid_year"], row["total_kgco2e"]) == (country, 2023, kg)
        assert row["status"] == "valid" and not row["estimate"] and not row["checked"]
        assert row["source"].startswith("European Environment Agency (EEA)")
        assert "not from EEA's file itself here" in row["note"]
        # The value it replaces stays for lines stored with it, archived, so that no variant
        # choice picks it any more.
        old = by_id.loc[f"bundled:elec-{country.lower()}-2022"]
        assert old["status"] == "archived" and "SUPERSEDED (archived" in old["note"]
        assert old["category_path"] == row["category_path"] and old["unit"] == row["unit"]


def test_a_french_grid_line_in_austria_takes_the_eea_2023_mix() -> None:
    # 1,000 kWh of the French mix (2022) at an Austrian site: the only valid Austrian grid factor
    # is EEA 2023 (the 2022 estimate is archived): 1,000 × 0.059 = 59 kg, and the line says so.
    lines = pd.DataFrame(
        {"poste": ["2.1"], "factor_id": ["bundled:elec-fr-2022"], "quantity": [1000.0],
         "unit": ["kWh"], "country": ["AT"]}
    )  # fmt: skip
    with use_locale("en"):  # warnings are read in the reader's locale
        r = compute(lines, load_bundled_library(), UncertaintyScale())
        assert r.total_kgco2e == pytest.approx(59.0)
        assert any("variant bundled:elec-at-2023 was used" in w.message for w in r.warnings)


def test_italian_grid_is_ispra_consumption_factor_per_year(by_id: pd.DataFrame) -> None:
    """Issue 14: 0.409 was an Electricity Maps life-cycle value; ISPRA's is CO2 only."""
    for fid, year in (("bundled:elec-it-2022", 2022), ("bundled:elec-it-2023", 2023)):
        row = by_id.loc[fid]
        assert row["valid_year"] == year and "ISPRA" in row["source"]
        assert 0.24 <= row["total_kgco2e"] <= 0.27  # the published order of magnitude
        assert "CH4 and N2O are left out" in row["note"]


def test_sub_posts_add_up_to_their_factor() -> None:
    lib = load_bundled_library()
    totals = lib.factors.set_index("factor_id")["total_kgco2e"]
    sums = lib.subposts.groupby("factor_id")["kgco2e"].sum()
    assert len(sums) >= 1
    for fid, value in sums.items():
        assert value == pytest.approx(totals[fid], rel=0.005), fid


def test_fuels_are_split_where_a_source_publishes_the_split() -> None:
    # The arrêté of 26 April 2017 publishes GNR's two parts: 2.51 (combustion) + 0.66 (amont)
    # = 3.17 kgCO2e/L, the factor's total.
    share = load_bundled_library().combustion_share().set_index("factor_id")
    assert share.loc["bundled:diesel-offroad-fr", "has_split"]
    assert share.loc["bundled:diesel-offroad-fr", "combustion_kgco2e"] == pytest.approx(2.51)
    assert share.loc["bundled:laptop", "has_split"]


def test_fuels_without_a_published_split_stay_whole() -> None:
    # No source at hand splits these totals: their whole value stays in the line's poste, and
    # the results count such lines.
    lib = load_bundled_library()
    share = lib.combustion_share().set_index("factor_id")
    totals = lib.factors.set_index("factor_id")["total_kgco2e"]
    for fid in (
        "bundled:natural-gas-fr-2022", "bundled:heating-oil-fr", "bundled:diesel-b7-fr",
        "bundled:diesel-b10-fr", "bundled:petrol-e5-e10-fr", "bundled:petrol-e85-fr",
        "bundled:lpg-fuel-fr", "bundled:wood-logs-fr",
    ):  # fmt: skip
        assert not share.loc[fid, "has_split"], fid
        assert share.loc[fid, "combustion_kgco2e"] == totals[fid], fid


def test_every_sub_post_says_where_it_comes_from(tmp_path: Path) -> None:
    folder = _copy_bundle(tmp_path)
    path = folder / "subposts.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    assert header[-2:] == ["source", "note"]
    # Blank the source of the last row: the library refuses to load, naming the row.
    last = text[-1]
    cells = last.split(",")
    text[-1] = ",".join(cells[:4]) + ',,"a note"'
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(LibraryError, match=rf"subposts.csv row {len(text)}: source is empty"):
        load_bundled_library(folder)


# --------------------------------------------------------------------------- broken libraries


def _copy_bundle(tmp_path: Path) -> Path:
    for name in ("factors.csv", "subposts.csv", "activities.csv"):
        shutil.copy(BUNDLED_DIR / name, tmp_path / name)
    return tmp_path


def _edit_factor(folder: Path, target: str, **changes: str) -> None:
    path = folder / "factors.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["factor_id"] == target:
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_a_copy_of_the_bundle_loads(tmp_path: Path) -> None:
    folder = _copy_bundle(tmp_path)
    assert len(load_bundled_library(folder)) == len(load_bundled_library())
    assert len(load_activity_catalogue(folder)) == len(load_activity_catalogue())


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source": ""}, "source is empty"),
        ({"unit": "furlong"}, "unknown unit"),
        ({"uncertainty_pct": ""}, "uncertainty_pct must be given"),
        ({"note": ""}, "an estimate must say"),
        ({"checked": "maybe"}, "must be true or false"),
        ({"factor_id": "bundled:elec-fr-2022"}, "duplicate"),
        ({"country": "Italy"}, "ISO 3166"),
    ],
)
def test_broken_rows_are_refused(tmp_path: Path, changes: dict[str, str], message: str) -> None:
    folder = _copy_bundle(tmp_path)
    _edit_factor(folder, "bundled:hvo100", **changes)
    with pytest.raises(LibraryError, match=message):
        load_bundled_library(folder)


def test_sub_posts_that_do_not_add_up_are_refused(tmp_path: Path) -> None:
    folder = _copy_bundle(tmp_path)
    with (folder / "subposts.csv").open("a", encoding="utf-8") as fh:
        fh.write("bundled:laptop,Fin de vie,other,5.0\n")
    with pytest.raises(LibraryError, match="add up"):
        load_bundled_library(folder)


def test_catalogue_with_an_unconvertible_unit_is_refused(tmp_path: Path) -> None:
    folder = _copy_bundle(tmp_path)
    path = folder / "activities.csv"
    text = path.read_text(encoding="utf-8")
    # Diesel in kWh PCS cannot become litres without a stated ratio.
    path.write_text(text.replace("litre|m3|hl,litre", "litre|kWh PCS,litre", 1), "utf-8")
    with pytest.raises(CatalogueError, match="cannot convert"):
        load_activity_catalogue(folder)


def test_catalogue_pointing_at_an_unknown_factor_is_refused(tmp_path: Path) -> None:
    folder = _copy_bundle(tmp_path)
    path = folder / "activities.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("bundled:heating-oil-fr", "bundled:nope", 1), "utf-8")
    with pytest.raises(CatalogueError, match="unknown factor"):
        load_activity_catalogue(folder)


# --------------------------------------------------------------------------- activities


def test_about_a_hundred_activities_with_unique_ids() -> None:
    # 76 until December 2026, + 10 refrigerant and SF6 top-ups (1.4) + 10 category-5 entries
    # for manufacturers (5.1, 5.3): 96.
    acts = activities()
    ids = [a.activity_id for a in acts]
    assert 90 <= len(acts) <= 120
    assert len(set(ids)) == len(ids)
    assert all(isinstance(a, Activity) for a in acts)


def test_every_activity_points_at_a_usable_factor(by_id: pd.DataFrame) -> None:
    for act in activities():
        assert act.poste in POSTES_BY_CODE, act.activity_id
        factor_ids = [act.default_factor_id] + [fid for _, fid in act.country_factor_ids]
        for fid in factor_ids:
            assert fid in by_id.index, (act.activity_id, fid)
            factor = by_id.loc[fid]
            assert factor["status"] == "valid", (act.activity_id, fid)
            for unit in act.allowed_units:
                assert conversion_factor(unit, factor["unit"]) > 0, (act.activity_id, unit)
        assert act.default_unit in act.allowed_units, act.activity_id
        assert act.name_fr and act.name_it and act.name_en and act.keywords


def test_catalogue_covers_the_mountain_postes() -> None:
    postes = {a.poste for a in activities()}
    expected = {"1.1", "1.2", "1.4", "2.1", "2.2", "3.1", "3.2", "3.3", "3.4", "3.5", "4.1"}
    assert expected | {"4.2", "4.3", "4.5"} <= postes
    groomer = find_activity("groomer-diesel")
    assert groomer is not None
    assert groomer.poste == "1.2" and groomer.default_unit == "litre"
    refrigerants = [a for a in activities() if a.poste == "1.4"]
    assert {a.activity_id for a in refrigerants} >= {
        f"refrigerant-{g}" for g in ("r410a", "r134a", "r404a", "r32", "r407c")
    }


def test_catalogue_frame_has_normalised_postes() -> None:
    cat = load_activity_catalogue()
    assert cat["activity_id"].is_unique
    assert set(cat["poste"]) <= set(POSTES_BY_CODE)


def test_grid_electricity_follows_the_site_country() -> None:
    lifts = find_activity("electricity-lifts")
    assert lifts is not None
    assert lifts.factor_id_for("FR") == "bundled:elec-fr-2022"
    assert lifts.factor_id_for(None) == "bundled:elec-fr-2022"
    assert lifts.factor_id_for("it") == "bundled:elec-it-2022"
    assert lifts.factor_id_for("AT") == "bundled:elec-at-2023"  # EEA 2023, methodology §6
    groomer = find_activity("groomer-diesel")
    assert groomer is not None and groomer.factor_id_for("IT") == groomer.default_factor_id


def test_find_activity_unknown_is_none() -> None:
    assert find_activity("no-such-activity") is None


def test_names_by_locale() -> None:
    act = find_activity("groomer-diesel")
    assert act is not None
    assert act.name("it") == "Gasolio dei battipista"
    assert act.name("xx") == act.name_fr


# --------------------------------------------------------------------------- search


def _ids(text: str, locale: str) -> list[str]:
    return [a.activity_id for a in search_activities(text, locale)]


def test_gasolio_finds_groomer_and_vehicle_diesel_in_italian() -> None:
    ids = _ids("gasolio", "it")
    assert "groomer-diesel" in ids and "fleet-diesel" in ids
    assert "electricity-lifts" not in ids


def test_dameuse_finds_the_groomer_first_in_french() -> None:
    assert _ids("dameuse", "fr")[0] == "groomer-diesel"
    assert _ids("dameuse gazole", "fr")[0] == "groomer-diesel"
    assert _ids("dameuse GNR", "fr") == ["groomer-diesel"]


def test_search_in_english() -> None:
    assert _ids("snow groomer", "en")[0] == "groomer-diesel"
    assert "electricity-lifts" in _ids("chairlift", "en")


def test_search_is_accent_and_case_insensitive() -> None:
    assert _ids("ÉLECTRICITÉ remontées", "fr") == _ids("electricite remontees", "fr")
    assert _ids("electricite remontees", "fr")[0] == "electricity-lifts"
    assert _ids("boeuf", "fr") == _ids("bœuf", "fr") == ["meals-red-meat"]


def test_search_italian_names_and_keywords() -> None:
    assert _ids("innevamento", "it")[0] == "electricity-snowmaking"
    assert "waste-landfill" in _ids("discarica", "it")


def test_search_without_match_or_text() -> None:
    assert search_activities("zzzz", "fr") == []
    assert len(search_activities("", "fr")) == len(activities())
    assert len(search_activities("électricité", "fr", limit=2)) == 2


def test_bundled_text_fits_the_factor_table_columns() -> None:
    """A 228-character source passed SQLite and failed PostgreSQL's varchar(200) on save."""
    from sqlalchemy import String

    from carbon.db.models_factors import Factor

    factors = load_bundled_library().factors
    for column in Factor.__table__.columns:
        if isinstance(column.type, String) and column.type.length and column.name in factors:
            longest = int(factors[column.name].astype("string").fillna("").str.len().max())
            assert longest <= column.type.length, column.name


def test_biomass_fuels_carry_their_biogenic_co2_reported_apart() -> None:
    # Published values, not zero (methodology.md §4): wood 112,000 kg CO2/TJ (IPCC 2006 vol. 2
    # table 2.2) / 277,778 kWh per TJ = 0.4032 kg per kWh PCI; biomethane 54,600 kg/TJ
    # = 0.19656 per kWh PCI / 1.11 = 0.1771 per kWh PCS; E85 0.85 × 0.789 × 1.9116 = 1.28 per L.
    lib = load_bundled_library()
    co2b = lib.factors.set_index("factor_id")["co2b_kg"]
    assert co2b["bundled:wood-logs-fr"] == pytest.approx(112_000 / 277_777.8, rel=1e-3)
    assert co2b["bundled:wood-pellets-fr"] == pytest.approx(0.4032)
    assert co2b["bundled:wood-pellets-fr-tonne"] == pytest.approx(0.4032 * 4600, rel=1e-4)
    assert co2b["bundled:biomethane-grid-fr"] == pytest.approx(54_600 / 277_777.8 / 1.11, rel=1e-3)
    assert co2b["bundled:petrol-e85-fr"] == pytest.approx(0.85 * 0.789 * 1.9116, rel=1e-2)
    # 10,000 kWh PCI of logs in 1.1: 10,000 × 0.046 = 460 kg CO2e in the total; biogenic CO2
    # 10,000 × 0.4032 = 4,032 kg, apart.
    logs = {"poste": "1.1", "factor_id": "bundled:wood-logs-fr", "quantity": 10_000}
    r = compute(pd.DataFrame([{**logs, "unit": "kWh PCI"}]), lib)
    assert r.total_kgco2e == pytest.approx(460.0)
    assert r.biogenic_co2_kg == pytest.approx(4032.0)
