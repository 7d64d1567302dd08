"""Factor libraries survive the database unchanged, are stored once per content, and scale."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from carbon.accounting.factors import FACTOR_COLUMNS, SUBPOST_COLUMNS, FactorLibrary
from carbon.db import factor_store
from carbon.db.models import Factor, FactorSubpost, LibraryVersion
from tests.factories import make_period


def small_library(version: str = "test 2026-03") -> FactorLibrary:
    """Three factors covering every dtype, missing values, accents and an empty string."""
    factors = pd.DataFrame(
        {
            "factor_id": ["elec-fr", "gazole", "elec-it"],
            "name_fr": ["Électricité - mix moyen", "Gazole routier", "Électricité - Italie"],
            "name_en": ["Electricity - average mix", "Road diesel", pd.NA],
            "name_it": [pd.NA, "Gasolio", "Elettricità - Italia"],
            "frontier": ["", "France continentale", pd.NA],
            "category_path": ["Électricité > France", "Combustibles > Fossiles", "Électricité"],
            "unit": ["kWh", "litre", "kWh"],
            "total_kgco2e": [0.052, 3.1, 0.2872],
            "co2b_kg": [0.0, 0.0, np.nan],
            "uncertainty_pct": [10.0, np.nan, 20.0],
            "uncertainty_is_default": [False, True, False],
            "country": ["FR", "FR", "IT"],
            "location": ["France continentale", "France", "Italia"],
            "status": ["valid", "valid", "archived"],
            "valid_year": pd.array([2022, pd.NA, 2021], dtype="Int64"),
            "source": ["ADEME Base Empreinte", "ADEME Base Empreinte", "ISPRA"],
            "source_ref": ["15591", "28143", pd.NA],
            "checked": [True, True, False],
            "estimate": [False, False, True],
            "note": [pd.NA, 'Dit "B7"; 7 % d\'EMAG', "ISPRA 2023, tabella 2.1"],
        }
    ).astype(FACTOR_COLUMNS)
    subposts = pd.DataFrame(
        {
            "factor_id": ["gazole", "gazole", "elec-fr"],
            "name": ["Combustion", "Amont", "Transport et distribution"],
            "kind": ["combustion", "other", "other"],
            "kgco2e": [2.51, 0.59, 0.006],
        }
    ).astype(SUBPOST_COLUMNS)
    return FactorLibrary(version=version, factors=factors, subposts=subposts)


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return frame.sort_values(by, kind="stable").reset_index(drop=True)


def assert_same_library(left: FactorLibrary, right: FactorLibrary) -> None:
    assert_frame_equal(_sorted(left.factors, ["factor_id"]), _sorted(right.factors, ["factor_id"]))
    by = list(SUBPOST_COLUMNS)
    assert_frame_equal(_sorted(left.subposts, by), _sorted(right.subposts, by))


def test_a_library_round_trips(db_session: Session) -> None:
    library = small_library()
    version = factor_store.save_library(db_session, library, source="ademe")
    assert (version.label, version.source, version.factor_count) == ("test 2026-03", "ademe", 3)
    assert version.content_digest == factor_store.content_digest(library)

    db_session.expire_all()
    loaded = factor_store.load_library(db_session, version.id)
    assert loaded.version == "test 2026-03"
    assert_same_library(loaded, library)
    assert_frame_equal(
        loaded.combustion_share(),
        library.combustion_share().sort_values("factor_id").reset_index(drop=True),
    )


def test_a_library_without_subposts_round_trips(db_session: Session) -> None:
    library = small_library()
    bare = FactorLibrary(version="bare", factors=library.factors)
    version = factor_store.save_library(db_session, bare, source="bundled")
    assert_same_library(factor_store.load_library(db_session, version), bare)


def test_the_same_content_is_stored_once(db_session: Session) -> None:
    library = small_library()
    first = factor_store.save_library(db_session, library, source="ademe")
    # Same rows in another order, under another label: still the same content.
    shuffled = FactorLibrary(
        version="ADEME again",
        factors=library.factors.iloc[::-1].reset_index(drop=True),
        subposts=library.subposts.iloc[::-1].reset_index(drop=True),
    )
    again = factor_store.save_library(db_session, shuffled, source="ademe")

    assert again.id == first.id
    assert again.label == "test 2026-03"
    assert db_session.scalar(select(func.count()).select_from(LibraryVersion)) == 1
    assert db_session.scalar(select(func.count()).select_from(Factor)) == 3
    assert db_session.scalar(select(func.count()).select_from(FactorSubpost)) == 3


def test_one_changed_value_is_a_new_version(db_session: Session) -> None:
    library = small_library()
    first = factor_store.save_library(db_session, library, source="ademe")
    changed = library.factors.copy()
    changed.loc[0, "total_kgco2e"] = 0.0521
    second = factor_store.save_library(
        db_session, FactorLibrary("test 2026-04", changed, library.subposts), source="ademe"
    )
    assert second.id != first.id
    assert second.content_digest != first.content_digest


def test_a_label_cannot_name_two_contents(db_session: Session) -> None:
    library = small_library()
    factor_store.save_library(db_session, library, source="ademe")
    changed = library.factors.copy()
    changed.loc[1, "unit"] = "L"
    with pytest.raises(factor_store.FactorStoreError, match="already used"):
        factor_store.save_library(
            db_session, FactorLibrary(library.version, changed, library.subposts), source="ademe"
        )


def test_subposts_must_belong_to_a_factor(db_session: Session) -> None:
    library = small_library()
    orphan = pd.DataFrame(
        {"factor_id": ["nowhere"], "name": ["Amont"], "kind": ["other"], "kgco2e": [1.0]}
    ).astype(SUBPOST_COLUMNS)
    with pytest.raises(factor_store.FactorStoreError, match="nowhere"):
        factor_store.save_library(
            db_session, FactorLibrary("orphan", library.factors, orphan), source="bundled"
        )


def test_default_version(db_session: Session) -> None:
    with pytest.raises(LookupError):
        factor_store.load_library(db_session)
    library = small_library()
    old = factor_store.save_library(db_session, library, source="bundled", make_default=True)
    changed = library.factors.copy()
    changed.loc[2, "status"] = "valid"
    new = factor_store.save_library(
        db_session, FactorLibrary("test 2026-04", changed, library.subposts), source="ademe"
    )
    assert factor_store.default_version(db_session) == old

    factor_store.set_default_version(db_session, new.id)
    db_session.flush()
    assert (old.is_default, new.is_default) == (False, True)
    assert factor_store.default_version(db_session) == new
    assert factor_store.load_library(db_session).version == "test 2026-04"
    assert [v.id for v in factor_store.list_versions(db_session)][:2] == [new.id, old.id]


def test_a_pinned_version_cannot_be_deleted(db_session: Session) -> None:
    version = factor_store.save_library(db_session, small_library(), source="bundled")
    make_period(db_session, library_version=version)
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.execute(LibraryVersion.__table__.delete().where(LibraryVersion.id == version.id))


def big_library(n: int) -> FactorLibrary:
    ids = [f"ademe:{i:06d}" for i in range(n)]
    rng = np.random.default_rng(2026)
    factors = pd.DataFrame(
        {
            "factor_id": ids,
            "name_fr": [f"Facteur n° {i}" for i in range(n)],
            "name_en": [f"Factor {i}" for i in range(n)],
            "name_it": [f"Fattore {i}" for i in range(n)],
            "frontier": "France continentale",
            "category_path": "Combustibles > Fossiles > Liquides",
            "unit": "kWh PCI",
            "total_kgco2e": rng.uniform(0.01, 5.0, n),
            "co2b_kg": 0.0,
            "uncertainty_pct": rng.choice([5.0, 10.0, 20.0, np.nan], n),
            "uncertainty_is_default": rng.choice([True, False], n),
            "country": "FR",
            "location": "France",
            "status": "valid",
            "valid_year": 2024,
            "source": "ADEME Base Empreinte",
            "source_ref": [str(i) for i in range(n)],
            "checked": True,
            "estimate": False,
            "note": pd.NA,
        }
    ).astype(FACTOR_COLUMNS)
    half = factors["factor_id"].iloc[: n // 2].tolist()
    subposts = pd.DataFrame(
        {
            "factor_id": half + half,
            "name": ["Combustion"] * len(half) + ["Amont"] * len(half),
            "kind": ["combustion"] * len(half) + ["other"] * len(half),
            "kgco2e": rng.uniform(0.0, 1.0, 2 * len(half)),
        }
    ).astype(SUBPOST_COLUMNS)
    return FactorLibrary(version=f"ADEME {n}", factors=factors, subposts=subposts)


def test_a_full_ademe_sized_library_saves_and_loads(
    db_session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    library = big_library(20_000)
    started = time.perf_counter()
    version = factor_store.save_library(db_session, library, source="ademe")
    saved = time.perf_counter()
    loaded = factor_store.load_library(db_session, version)
    loaded_at = time.perf_counter()

    assert version.factor_count == 20_000
    assert_same_library(loaded, library)
    # Not an assertion (machines differ); shown with -s to keep an eye on it.
    with capsys.disabled():
        print(f"\n  20,000 factors: save {saved - started:.2f} s, load {loaded_at - saved:.2f} s")


def test_a_breakdown_by_gas_round_trips_and_counts_in_the_digest(db_session: Session) -> None:
    from carbon.factors.bundled import load_bundled_library

    library = load_bundled_library()
    assert len(library.gases)  # the refrigerants
    version = factor_store.save_library(db_session, library, source="bundled")
    db_session.expire_all()
    loaded = factor_store.load_library(db_session, version.id)
    by = ["factor_id", "part", "gas"]
    assert_frame_equal(_sorted(loaded.gases, by), _sorted(library.gases, by))
    # The same factors without their gases are another content; with no gases the digest is
    # what it was before gases were stored (the factors and sub-posts only).
    bare = FactorLibrary(library.version, library.factors, library.subposts)
    assert factor_store.content_digest(bare) != version.content_digest


def test_an_imported_breakdown_with_sub_post_parts_round_trips(db_session: Session) -> None:
    from carbon.factors.ademe import read_ademe_export
    from tests.factors.ademe_fixture import render
    from tests.factors.test_ademe_gases import rows

    library = read_ademe_export(render(rows()), "ADEME gases round trip")
    version = factor_store.save_library(db_session, library, source="ademe")
    db_session.expire_all()
    loaded = factor_store.load_library(db_session, version.id)
    by = ["factor_id", "part", "gas"]
    assert_frame_equal(_sorted(loaded.gases, by), _sorted(library.gases, by))
    assert set(loaded.gases["part"]) == {"", "Combustion", "Amont"}
