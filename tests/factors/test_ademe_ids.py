"""The bundled → ADEME mapping: every bundled factor is mapped, and each mapping resolves."""

from __future__ import annotations

from carbon.factors.ademe import read_ademe_export
from carbon.factors.ademe_ids import load_mapping, resolve
from carbon.factors.bundled import load_bundled_library
from tests.factors.ademe_fixture import element, render


def test_every_bundled_factor_is_mapped_once_and_says_how() -> None:
    mapping = load_mapping()
    bundled = set(load_bundled_library().factors["factor_id"])
    assert set(mapping["factor_id"]) == bundled
    assert len(mapping) == len(bundled)
    counts = mapping["match"].value_counts().to_dict()
    # Identifiers only where a source publishes them (the mobility project's five); names where
    # NGC cites the element; the rest (estimates, non-ADEME values) maps to nothing.
    assert counts["identifier"] == 5
    assert counts["identifier"] + counts["name"] + counts["none"] == len(bundled)
    car = mapping.set_index("factor_id").loc["bundled:car-thermal-avg"]
    assert (car["match"], car["ademe_id"]) == ("identifier", "27970")


def test_each_mapping_resolves_in_an_export_holding_its_element() -> None:
    # An export (the ADEME fixture layout) holding one element per mapped factor, by identifier
    # or by name; the identifiers of name matches are made up (90001…), as NGC gives none.
    mapping = load_mapping()
    # Two bundled factors may stand for one element (B7 and NGC's B7/B10 mean both cite
    # "Gazole B7"): the export holds it once and both resolve to it.
    rows, expected, by_name = [], {}, {}
    for n, row in enumerate(mapping.itertuples()):
        if row.match == "identifier":
            rows.append(element(int(row.ademe_id), total="1"))
            expected[row.factor_id] = row.ademe_id
        elif row.match == "name":
            if row.ademe_name not in by_name:
                by_name[row.ademe_name] = str(90001 + n)
                rows.append(element(90001 + n, name_fr=row.ademe_name, total="1"))
            expected[row.factor_id] = by_name[row.ademe_name]
    library = read_ademe_export(render(rows), "ADEME test")
    found = {r.factor_id: r.ademe_factor_id for r in resolve(mapping, library)}
    assert {k: v for k, v in found.items() if v is not None} == expected
    assert all(found[f] is None for f in mapping.loc[mapping["match"] == "none", "factor_id"])


def test_a_missing_element_does_not_resolve() -> None:
    mapping = load_mapping()
    library = read_ademe_export(render([element(27970, total="1")]), "ADEME small")
    found = {r.factor_id: r.ademe_factor_id for r in resolve(mapping, library)}
    assert found["bundled:car-thermal-avg"] == "27970"
    assert found["bundled:coach-diesel"] is None  # 28006 is not in this export
