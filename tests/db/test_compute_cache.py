"""The results an application keeps (carbon.db.compute.Computations): reused while a period's
lines are unchanged, never stale after a change, and nothing kept without an application."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from carbon.db import compute as db_compute
from carbon.db.activity_lines import add_line, delete_line, update_line
from carbon.db.compute import SESSION_KEY, Computations, compute_many, compute_period
from carbon.db.factor_store import save_library
from carbon.factors.bundled import load_bundled_library
from tests import factories as f


@pytest.fixture
def kept(db_session: Session) -> Computations:
    """What an application's request session carries (carbon.web.deps.get_session)."""
    computations = Computations()
    db_session.info[SESSION_KEY] = computations
    return computations


@pytest.fixture
def period(db_session: Session, kept: Computations):  # type: ignore[no-untyped-def]
    version = save_library(db_session, load_bundled_library(), source="bundled")
    p = f.make_period(db_session, library_version=version)
    # 10,000 kWh × 0.052 = 520 kg.
    f.make_line(db_session, p, factor_id="bundled:elec-fr-2022", quantity=10_000, unit="kWh")
    return p


def _line(**kw: object) -> dict[str, object]:
    return {"poste": "2.1", "factor_id": "bundled:elec-fr-2022", "unit": "kWh",
            "data_quality": "measured", **kw}  # fmt: skip


def test_unchanged_period_is_served_from_the_cache(
    db_session: Session, period, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    first = compute_period(db_session, period)
    assert first.total_kgco2e == pytest.approx(520.0)
    calls = 0
    original = db_compute.compute

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(db_compute, "compute", counting)
    assert compute_period(db_session, period) is first
    assert calls == 0


def test_a_session_without_an_application_keeps_nothing(
    db_session: Session, period, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    del db_session.info[SESSION_KEY]
    first = compute_period(db_session, period)
    assert compute_period(db_session, period) is not first
    assert compute_period(db_session, period).total_kgco2e == pytest.approx(520.0)


def test_every_kind_of_change_invalidates(db_session: Session, period) -> None:  # type: ignore[no-untyped-def]
    user = f.make_user(db_session)
    assert compute_period(db_session, period).total_kgco2e == pytest.approx(520.0)
    # Add 5,000 kWh: 520 + 260 = 780.
    line = add_line(db_session, user.id, period, _line(quantity=5_000))
    assert compute_period(db_session, period).total_kgco2e == pytest.approx(780.0)
    # Change it to 1,000 kWh: 520 + 52 = 572.
    update_line(db_session, user.id, line, _line(quantity=1_000), expected_version=line.version_id)
    assert compute_period(db_session, period).total_kgco2e == pytest.approx(572.0)
    # Delete it: back to 520.
    delete_line(db_session, user.id, line)
    assert compute_period(db_session, period).total_kgco2e == pytest.approx(520.0)


def test_edits_replace_the_cached_result_instead_of_piling_up(
    db_session: Session, period, kept: Computations
) -> None:  # type: ignore[no-untyped-def]
    user = f.make_user(db_session)
    line = add_line(db_session, user.id, period, _line(quantity=1_000))
    kept.results.clear()
    for quantity in (2_000, 3_000, 4_000):
        update_line(db_session, user.id, line, _line(quantity=quantity),
                    expected_version=line.version_id)  # fmt: skip
        compute_period(db_session, period)
        compute_many(db_session, [(period.id, period.library_version_id)])
    # Three revisions computed by both paths: one entry, the last one (520 + 4,000 × 0.052 = 728).
    assert len(kept.results) == 1
    [(_, (result, postes))] = kept.results.values()
    assert result is not None and result.total_kgco2e == pytest.approx(728.0)
    assert postes == frozenset({"2.1"})


def test_batch_and_single_agree(db_session: Session, period, kept: Computations) -> None:  # type: ignore[no-untyped-def]
    other = f.make_period(db_session, library_version=period.library_version, year=2025)
    # 100 L × 3.10 = 310 kg in 1.2.
    f.make_line(db_session, other, poste="1.2", factor_id="bundled:diesel-b7-fr", quantity=100,
                unit="litre")  # fmt: skip
    empty = f.make_period(db_session, library_version=period.library_version, year=2026)
    got = compute_many(
        db_session,
        [(p.id, p.library_version_id) for p in (period, other, empty)],
    )
    assert got[period.id][0].total_kgco2e == pytest.approx(520.0)  # type: ignore[union-attr]
    assert got[other.id][0].total_kgco2e == pytest.approx(310.0)  # type: ignore[union-attr]
    assert got[other.id][1] == frozenset({"1.2"})
    assert got[empty.id][0].total_kgco2e == 0.0  # type: ignore[union-attr]
    kept.clear()
    assert compute_period(db_session, other).by_poste == got[other.id][0].by_poste  # type: ignore[union-attr]


def test_a_bad_line_spoils_only_its_period(db_session: Session, period) -> None:  # type: ignore[no-untyped-def]
    bad = f.make_period(db_session, library_version=period.library_version, year=2025)
    f.make_line(db_session, bad, factor_id="no-such-factor", quantity=1, unit="kWh")
    got = compute_many(db_session, [(period.id, period.library_version_id),
                                    (bad.id, bad.library_version_id)])  # fmt: skip
    assert got[bad.id][0] is None
    assert got[period.id][0].total_kgco2e == pytest.approx(520.0)  # type: ignore[union-attr]
    with pytest.raises(db_compute.ComputationError, match="unknown factor 'no-such-factor'"):
        compute_period(db_session, bad)


@pytest.mark.parametrize("where", ["company", "site"])
def test_a_new_country_is_a_new_result(db_session: Session, kept: Computations, where: str) -> None:
    """A line's country is its site's, else its company's: moving either to Italy changes the
    factor the line takes, so the kept result must not be served again."""
    version = save_library(db_session, load_bundled_library(), source="bundled")
    company = f.make_company(db_session, country="FR")
    site = f.make_site(db_session, company, country="FR")
    p = f.make_period(db_session, company=company, library_version=version, year=2022)
    f.make_line(db_session, p, factor_id="bundled:elec-fr-2022", quantity=10_000, unit="kWh",
                site_id=site.id if where == "site" else None)  # fmt: skip
    # In France: 10,000 kWh × 0.052 = 520 kg.
    assert compute_period(db_session, p).total_kgco2e == pytest.approx(520.0)
    (site if where == "site" else company).country = "IT"
    db_session.flush()
    # In Italy the line takes ISPRA's 2022 factor: 10,000 kWh × 0.2655 = 2,655 kg.
    assert compute_period(db_session, p).total_kgco2e == pytest.approx(2655.0)
