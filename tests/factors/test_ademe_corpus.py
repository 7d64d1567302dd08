"""Malformed ADEME exports of tests/factors/corpus/: each refused where expected, nothing kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carbon.factors.ademe import AdemeFormatError, read_ademe_export

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text())


def test_the_corpus_is_complete() -> None:
    files = {p.name for p in CORPUS.glob("*.csv")}
    assert files == set(EXPECTED)
    assert len(files) >= 20


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_export_is_refused_where_it_breaks(name: str) -> None:
    want = EXPECTED[name]
    with pytest.raises(AdemeFormatError) as exc:
        read_ademe_export(CORPUS / name, version="corpus")
    assert exc.value.line == want["line"]
    assert exc.value.column == want["column"]
    assert want["words"] in str(exc.value)
    if want["line"] is not None:
        assert f"line {want['line']}" in str(exc.value)
