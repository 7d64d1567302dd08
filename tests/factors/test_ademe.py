"""The ADEME export importer, on files written in the exact published layout by ademe_fixture."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carbon.accounting.factors import FACTOR_COLUMNS, SUBPOST_COLUMNS
from carbon.accounting.units import is_known
from carbon.factors.ademe import AdemeFormatError, ademe_file_digest, read_ademe_export
from tests.factors.ademe_fixture import (
    ADEME_COLUMNS,
    ARCHIVED,
    REFUSED,
    VALID_SPECIFIC,
    element,
    generate_export,
    poste,
    render,
    write_ademe_file,
)

VERSION = "ADEME Base Carbone 23.6"


def hand_rows() -> list:
    """A small export with one case of each kind, the way the real file orders them."""
    return [
        element(
            20001,
            name_fr="Électricité",
            attr_fr="mix moyen",
            name_en="Electricity",
            attr_en="average mix",
            frontier="Mix de consommation",
            category="Electricité > Mix moyen > Consommation",
            unit="kgCO2e/kWh",
            total=0.052,
            uncertainty=10,
            location="France continentale",
            validity="2022",
            created="01/02/2015",
            modified="03/04/2023",
            comment="Mix moyen annuel; pertes incluses.",
        ),
        element(
            20002,
            name_fr="Gaz naturel",
            attr_fr="réseau",
            name_en="Natural gas",
            attr_en="grid",
            category="Combustibles > Fossiles > Gazeux",
            unit="kgCO2e/kWh PCI",
            total="0,227",
            co2b="",
            uncertainty="",
            location="Italie",
            status=VALID_SPECIFIC,
            validity="",
            created="10/10/2018",
            modified="15/03/2021",
        ),
        poste(20002, "Combustion", "0,187"),
        poste(20002, "Amont", "0,04", cells={"Nom poste français": ""}),
        element(
            20003,
            name_fr="Bois bûches",
            unit="kgCO2e/kWh PCI",
            total="0,03",
            co2b="0,39",
            uncertainty="50",
            location="Corse",
            status=ARCHIVED,
            validity="",
            modified="",
            created="2014-06-01",
        ),
        poste(20003, "Combustion à la centrale", "0,01"),
        poste(20003, "Fabrication", "0,02"),
        element(20004, kind="Donnée source", name_fr="Densité du gazole", total="0,84"),
        poste(20004, "Combustion", "0,84"),
        element(20005, name_fr="Fioul lourd", status=REFUSED, total="3,1"),
        poste(20005, "Combustion", "3,1"),
        element(
            20006,
            name_fr='"Premium"',
            attr_fr="sans plomb 98",
            unit="kgCO2e/litre",
            total="2,7",
            location="Allemagne",
            comment='Dit "super".',
        ),
    ]


def factor(lib, factor_id: str) -> dict:
    rows = lib.factors.loc[lib.factors["factor_id"] == factor_id]
    assert len(rows) == 1, factor_id
    return rows.iloc[0].to_dict()


def refusal(rows, **render_kw) -> AdemeFormatError:
    with pytest.raises(AdemeFormatError) as caught:
        read_ademe_export(render(rows, **render_kw), VERSION)
    return caught.value


# --- Mapping -------------------------------------------------------------------------------------


def test_every_mapped_field_of_a_valid_factor():
    lib = read_ademe_export(render(hand_rows()), VERSION)
    assert lib.version == VERSION
    assert factor(lib, "20001") == {
        "factor_id": "20001",
        "name_fr": "Électricité - mix moyen",
        "name_en": "Electricity - average mix",
        "name_it": "",
        "frontier": "Mix de consommation",
        "category_path": "Electricité > Mix moyen > Consommation",
        "unit": "kWh",
        "total_kgco2e": 0.052,
        "co2b_kg": 0.0,
        "uncertainty_pct": 10.0,
        "uncertainty_is_default": False,
        "country": "FR",
        "location": "France continentale",
        "status": "valid",
        "valid_year": 2022,
        "source": "ADEME Base Empreinte",
        "source_ref": "20001",
        "checked": True,
        "estimate": False,
        "note": "Mix moyen annuel; pertes incluses.",
    }


def test_fallbacks_and_specific_status():
    lib = read_ademe_export(render(hand_rows()), VERSION)
    gas = factor(lib, "20002")
    assert gas["name_fr"] == "Gaz naturel - réseau"
    assert gas["unit"] == "kWh PCI"
    assert gas["total_kgco2e"] == 0.227
    assert gas["co2b_kg"] == 0.0
    assert math.isnan(gas["uncertainty_pct"])
    assert gas["country"] == "IT" and gas["location"] == "Italie"
    assert gas["status"] == "valid"
    assert gas["valid_year"] == 2021  # no validity period: the modification date
    wood = factor(lib, "20003")
    assert wood["status"] == "archived"
    assert wood["co2b_kg"] == 0.39
    assert wood["country"] == "FR"  # Corsica
    assert wood["valid_year"] == 2014  # neither period nor modification: the creation date
    assert wood["name_en"] == ""


def test_dtypes_match_the_library_shape():
    lib = read_ademe_export(render(hand_rows()), VERSION)
    assert lib.factors.dtypes.astype(str).to_dict() == FACTOR_COLUMNS
    assert lib.subposts.dtypes.astype(str).to_dict() == SUBPOST_COLUMNS
    assert list(lib.factors.index) == list(range(len(lib.factors)))


def test_sub_posts_and_their_kinds():
    lib = read_ademe_export(render(hand_rows()), VERSION)
    assert lib.subposts.to_dict("records") == [
        {"factor_id": "20002", "name": "Combustion", "kind": "combustion", "kgco2e": 0.187},
        # "Nom poste français" empty: named by "Type poste"
        {"factor_id": "20002", "name": "Amont", "kind": "upstream", "kgco2e": 0.04},
        {
            "factor_id": "20003",
            "name": "Combustion à la centrale",
            "kind": "combustion",
            "kgco2e": 0.01,
        },
        {"factor_id": "20003", "name": "Fabrication", "kind": "manufacture", "kgco2e": 0.02},
    ]
    share = lib.combustion_share().set_index("factor_id")
    assert share.loc["20002", "combustion_kgco2e"] == pytest.approx(0.187)
    assert not share.loc["20001", "has_split"]


def test_non_factors_and_refused_elements_are_left_out_with_their_sub_posts():
    lib = read_ademe_export(render(hand_rows()), VERSION)
    assert list(lib.factors["factor_id"]) == ["20001", "20002", "20003", "20006"]
    assert set(lib.subposts["factor_id"]) == {"20002", "20003"}
    assert dict(lib.factors["status"].value_counts()) == {"valid": 3, "archived": 1}


def test_triple_quoted_label_is_read_as_the_csv_says():
    data = render(hand_rows())
    assert b'"""Premium"""' in data and b'"Dit ""super""."' in data
    premium = factor(read_ademe_export(data, VERSION), "20006")
    assert premium["name_fr"] == '"Premium" - sans plomb 98'
    assert premium["note"] == 'Dit "super".'
    assert premium["country"] == "DE"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8"])
def test_cp1252_and_utf8_give_identical_libraries(encoding):
    cp1252 = render(hand_rows(), encoding="cp1252")
    assert "Électricité".encode("cp1252") in cp1252
    a = read_ademe_export(cp1252, VERSION)
    b = read_ademe_export(render(hand_rows(), encoding=encoding), VERSION)
    pd.testing.assert_frame_equal(a.factors, b.factors)
    pd.testing.assert_frame_equal(a.subposts, b.subposts)
    assert "Électricité - mix moyen" in set(b.factors["name_fr"])
    assert "Gaz naturel - réseau" in set(b.factors["name_fr"])


def test_euro_sign_and_exotic_units_are_kept():
    rows = [
        element(1, unit="kgCO2e/k€ HT", total="0,5"),
        element(2, unit="kgCO2e/m² SHON", total="12"),
        element(3, unit="kgCO2e", total="1"),
    ]
    lib = read_ademe_export(render(rows), VERSION)
    assert list(lib.factors["unit"]) == ["k€ HT", "m² SHON", "kgCO2e"]
    assert is_known("k€ HT") and not is_known("m² SHON")


def test_numbers_as_ademe_and_spreadsheets_write_them():
    rows = [
        element(1, total="1 234,5", uncertainty="5,5 %"),
        element(2, total="1,2E-03", uncertainty="20"),
        element(3, total="-0,5", co2b="2.5"),
    ]
    f = read_ademe_export(render(rows), VERSION).factors
    assert list(f["total_kgco2e"]) == [1234.5, 0.0012, -0.5]
    assert list(f["uncertainty_pct"][:2]) == [5.5, 20.0]
    assert f["co2b_kg"].iloc[2] == 2.5


def test_countries_by_french_name():
    places = [
        "France",
        "Italie",
        "Suisse",
        "Royaume-Uni",
        "Martinique",
        "La Réunion",
        "Europe",
        "Monde",
        "Atlantide",
    ]
    lib = read_ademe_export(render([element(i, location=p) for i, p in enumerate(places)]), "v")
    assert list(lib.factors["country"]) == ["FR", "IT", "CH", "GB", "MQ", "RE", "", "", ""]
    assert list(lib.factors["location"]) == places


def test_long_comment_is_truncated_and_year_comes_from_the_period():
    rows = [element(1, comment="x" * 2_000, validity="01/01/2019 - 31/12/2019", modified="2023")]
    f = factor(read_ademe_export(render(rows), VERSION), "1")
    assert len(f["note"]) == 500 and f["note"].endswith("…")
    assert f["valid_year"] == 2019


def test_no_year_anywhere_is_missing_not_zero():
    rows = [element(1, validity="", modified="", created="")]
    assert read_ademe_export(render(rows), VERSION).factors["valid_year"].isna().all()


def test_sources_path_str_stream_and_digest(tmp_path: Path):
    data = render(hand_rows())
    path = tmp_path / "Base_Carbone_V23.6.csv"
    path.write_bytes(data)
    libs = [read_ademe_export(s, VERSION) for s in (path, str(path), io.BytesIO(data), data)]
    for lib in libs[1:]:
        pd.testing.assert_frame_equal(lib.factors, libs[0].factors)
    digest = ademe_file_digest(path)
    assert digest == ademe_file_digest(data) == ademe_file_digest(io.BytesIO(data))
    assert len(digest) == 64
    assert ademe_file_digest(data + b"\r\n") != digest


def test_a_text_stream_is_refused_with_advice():
    with pytest.raises(TypeError, match="binary"):
        read_ademe_export(io.StringIO("Type Ligne"), VERSION)  # type: ignore[arg-type]


def test_an_empty_version_label_is_refused():
    with pytest.raises(ValueError, match="version"):
        read_ademe_export(render(hand_rows()), " ")


def test_tolerated_variations_of_the_layout():
    rows = [element(1, total="0,5"), poste(1, "Combustion", "0,5")]
    base = read_ademe_export(render(rows), VERSION)
    header = ";".join(ADEME_COLUMNS) + ";"  # a trailing separator, as spreadsheets write
    variants = [
        render([line + ";" for line in _lines(rows)], header=header),
        render(rows, newline="\n"),
        render(rows, newline="\r"),  # old Mac line ends
        render(rows) + b"\r\n\r\n",  # blank lines at the end
        render(["", *rows]),  # a blank line among the rows
        render(rows, header=[c.upper().replace("'", "’") for c in ADEME_COLUMNS]),
    ]
    for data in variants:
        lib = read_ademe_export(data, VERSION)
        pd.testing.assert_frame_equal(lib.factors, base.factors)
        pd.testing.assert_frame_equal(lib.subposts, base.subposts)


def _lines(rows) -> list[str]:
    return render(rows).decode("cp1252").split("\r\n")[1:-1]


def test_a_literal_quote_inside_an_unquoted_field():
    # Not how ADEME writes it, but pandas and csv read it as text; so must the importer.
    header, *lines = render([element(1), element(2)]).decode("cp1252").split("\r\n")
    lines[0] = lines[0].replace('"Facteur 1"', 'Pneu 17" hiver')
    lines[1] = lines[1].replace("Elément;2;", "Elemant;2;")
    with pytest.raises(AdemeFormatError) as caught:
        read_ademe_export("\r\n".join([header, *lines]).encode("cp1252"), VERSION)
    assert caught.value.line == 3  # line numbers still right on the exact, slow path
    lines[1] = lines[1].replace("Elemant;2;", "Elément;2;")
    lib = read_ademe_export("\r\n".join([header, *lines]).encode("cp1252"), VERSION)
    assert list(lib.factors["name_fr"]) == ['Pneu 17" hiver', "Facteur 2"]


# --- Refusals: the message names the line and the column -----------------------------------------

MULTILINE = element(9, comment="Ligne 1\nLigne 2\nLigne 3")  # 3 physical lines


@pytest.mark.parametrize(
    ("rows", "line", "column", "words"),
    [
        ([element(1), {**element(2), "Type Ligne": "Sous-poste"}], 3, "Type Ligne", "Sous-poste"),
        ([MULTILINE, {**element(2), "Type Ligne": "X"}], 5, "Type Ligne", "neither"),
        ([element(1, total="abc")], 2, "Total poste non décomposé", "'abc' is not a number"),
        (["", element(1, total="abc")], 3, "Total poste non décomposé", "not a number"),
        ([element(1, total="")], 2, "Total poste non décomposé", "empty"),
        ([element(1), poste(1, "Amont", "1,2,3")], 3, "Total poste non décomposé", "not a number"),
        ([element(1, uncertainty="dix")], 2, "Incertitude", "'dix'"),
        ([element(1, co2b="0,1x")], 2, "CO2b", "'0,1x'"),
        ([element(1), poste(2, "Amont", "1")], 3, "Identifiant de l'élément", "no Elément"),
        (
            [element(1, cells={"Identifiant de l'élément": " "})],
            2,
            "Identifiant de l'élément",
            "empty",
        ),
        (
            [element(7), element(8), MULTILINE, element(7)],
            7,
            "Identifiant de l'élément",
            "already the Elément of line 2",
        ),
    ],
)
def test_refused_cells(rows, line, column, words):
    error = refusal(rows)
    assert (error.line, error.column) == (line, column)
    assert f"line {line}" in str(error) and column in str(error) and words in str(error)


def test_all_bad_lines_are_counted_but_the_first_is_named():
    error = refusal([element(1, total="x"), element(2), element(3, total="y")])
    assert error.line == 2 and "1 more line is wrong too" in str(error)


def test_numbers_are_not_checked_on_rows_that_are_not_imported():
    lib = read_ademe_export(
        render([element(1, kind="Donnée source", total="n/a"), element(2)]), "v"
    )
    assert list(lib.factors["factor_id"]) == ["2"]


@pytest.mark.parametrize(
    ("header", "column", "words"),
    [
        (
            [*ADEME_COLUMNS[:4], "Statut", *ADEME_COLUMNS[5:]],
            "Statut de l'élément",
            "column 5 is named 'Statut'",
        ),
        ([*ADEME_COLUMNS[:7], *ADEME_COLUMNS[8:]], "Nom base espagnol", "column 8 is missing"),
        (
            [*ADEME_COLUMNS[:2], "Code", *ADEME_COLUMNS[2:]],
            "Structure",
            "column 3 'Code' is not an ADEME column",
        ),
        (ADEME_COLUMNS[:-1], "CO2b", "stops after 66 columns"),
        ([*ADEME_COLUMNS, "CO2b total"], None, "column 68 'CO2b total' is one too many"),
    ],
)
def test_refused_headers(header, column, words):
    error = refusal([element(1)], header=header)
    assert error.line == 1 and error.column == column
    assert words in str(error) and "line 1" in str(error)


@pytest.mark.parametrize("delta", [-1, +1])
def test_a_row_with_a_field_too_many_or_too_few(delta):
    lines = _lines([element(1), MULTILINE, element(2)])
    last = lines[-1]
    lines[-1] = last.rsplit(";", 1)[0] if delta < 0 else last + ";"
    error = refusal(lines)
    assert error.line == 6 and f"{67 + delta} fields where the header has 67" in str(error)


def test_a_quote_left_open():
    lines = _lines([element(1), element(2)])
    lines[0] = lines[0].replace('"Facteur 1"', '"Facteur 1')
    error = refusal(lines)
    assert error.line == 2 and "quote" in str(error)


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"", None, "empty"),
        (b"\xef\xbb\xbf\r\n", None, "empty"),
        (render([]), 1, "no data rows"),
        (b"PK\x03\x04" + b"\x00" * 40, None, "Excel"),
        (render([element(1)]) + "Elément;\x81".encode("latin-1"), 3, "neither UTF-8 nor"),
        (render([element(1)], encoding="utf-8-sig") + b"\xe9", 3, "byte-order mark"),
        (b"Identifiant;Nom;Valeur\r\n1;Gazole;2,7\r\n", 1, "column 1 is named 'Identifiant'"),
    ],
)
def test_refused_files(data, line, words):
    with pytest.raises(AdemeFormatError) as caught:
        read_ademe_export(data, VERSION)
    assert caught.value.line == line and words in str(caught.value)
    if line is not None:
        assert f"line {line}" in str(caught.value)


# --- Full size and properties --------------------------------------------------------------------


def test_a_full_size_export_imports_to_the_right_counts(tmp_path: Path):
    made = write_ademe_file(tmp_path / "Base_Carbone_V23.6.csv", n_elements=12_800, seed=7)
    assert (made.n_rows, made.n_elements, made.n_postes) == (18_600, 12_800, 5_800)
    lib = read_ademe_export(made.path, VERSION)
    counts = lib.factors["status"].value_counts()
    assert counts["valid"] == made.n_factors_valid
    assert counts["archived"] == made.n_factors_archived
    assert len(lib.subposts) == made.n_subposts_of_factors
    assert lib.factors["factor_id"].is_unique
    assert set(lib.subposts["factor_id"]) <= set(lib.factors["factor_id"])
    assert not lib.factors["name_fr"].str.contains("Ã").any()  # no mojibake anywhere
    assert lib.factors["total_kgco2e"].notna().all()


_TEXT = st.text(
    alphabet=st.sampled_from(list("aeAZ09 -;'\"\n/.,()") + list("éèàçôûÉÀœ€’«»")),
    min_size=1,
    max_size=25,
).filter(lambda s: s.strip() != "")
_VALUE = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9)
_ELEMENT = st.fixed_dictionaries(
    {
        "name": _TEXT,
        "attribute": st.one_of(st.just(""), _TEXT),
        "unit": st.sampled_from(["kWh", "kWh PCI", "litre", "k€ HT", "passager.km", "t.km"]),
        "total": _VALUE,
        "co2b": st.one_of(st.none(), _VALUE),
        "uncertainty": st.one_of(st.none(), st.floats(min_value=0, max_value=100)),
        "status": st.sampled_from(["Valide générique", "Valide spécifique", "Archivé"]),
        "postes": st.lists(
            st.tuples(st.sampled_from(["Combustion", "Amont", "Fuites"]), _VALUE), max_size=3
        ),
    }
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    elements=st.lists(_ELEMENT, min_size=1, max_size=6),
    encoding=st.sampled_from(["cp1252", "utf-8-sig"]),
)
def test_any_valid_export_round_trips(elements, encoding):
    rows: list = []
    for i, e in enumerate(elements):
        rows.append(
            element(
                i + 1,
                name_fr=e["name"],
                attr_fr=e["attribute"],
                unit=f"kgCO2e/{e['unit']}",
                total=e["total"],
                co2b=e["co2b"],
                uncertainty=e["uncertainty"],
                status=e["status"],
            )
        )
        rows += [poste(i + 1, name, value) for name, value in e["postes"]]
    lib = read_ademe_export(render(rows, encoding=encoding), VERSION)
    f = lib.factors
    assert len(f) == len(elements)
    for (_, got), e in zip(f.iterrows(), elements, strict=True):
        name, attribute = e["name"].strip(), e["attribute"].strip()
        assert got["name_fr"] == (f"{name} - {attribute}" if attribute else name)
        assert got["unit"] == e["unit"]
        assert got["total_kgco2e"] == e["total"]  # exact: no decimal rounding on the way
        assert got["co2b_kg"] == (e["co2b"] or 0.0)
        if e["uncertainty"] is None:
            assert math.isnan(got["uncertainty_pct"])
        else:
            assert got["uncertainty_pct"] == e["uncertainty"]
        assert got["status"] == ("archived" if e["status"] == "Archivé" else "valid")
    expected = [(name, value) for e in elements for name, value in e["postes"]]
    assert list(zip(lib.subposts["name"], lib.subposts["kgco2e"], strict=True)) == expected


def test_generated_exports_are_reproducible():
    a, summary = generate_export(200, seed=3)
    b, _ = generate_export(200, seed=3)
    assert a == b and summary.n_rows == 200 + summary.n_postes
