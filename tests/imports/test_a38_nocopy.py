"""Invoices read without a38's defensive copies: the same lines, and only inside the block."""

from __future__ import annotations

import contextlib

import pytest
from a38.fattura import DatiAnagraficiCedentePrestatore, IdFiscaleIVA
from bench.fatturapa import make_invoices, zip_of

from carbon.imports import fatturapa
from carbon.imports.a38_nocopy import no_copies
from tests.imports.test_fatturapa import ELECTRICITY, SERVICES, zipped


def test_the_lines_are_those_a38_gives_with_its_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    # The two hand-written samples and 60 generated invoices (kWh, Smc, litres, services,
    # credit notes): every field of every line equal.
    archives = [zipped(ELECTRICITY, SERVICES), zip_of(make_invoices(60, seed=7))]
    fast = [fatturapa.read_invoices(data, "x.zip") for data in archives]
    monkeypatch.setattr(fatturapa, "no_copies", contextlib.nullcontext)
    slow = [fatturapa.read_invoices(data, "x.zip") for data in archives]
    assert fast == slow
    assert [len(lines) for lines in fast] == [5, len(slow[1])] and len(slow[1]) > 120


def test_a38_copies_as_before_outside_the_block() -> None:
    vat = IdFiscaleIVA(id_paese="IT", id_codice="06655971007")
    registry = DatiAnagraficiCedentePrestatore(id_fiscale_iva=vat)
    assert registry.id_fiscale_iva is not vat  # a38's own behaviour: a copy
    assert registry.id_fiscale_iva == vat
    with no_copies():
        kept = DatiAnagraficiCedentePrestatore(id_fiscale_iva=vat)
    assert kept.id_fiscale_iva is vat
    after = DatiAnagraficiCedentePrestatore(id_fiscale_iva=vat)
    assert after.id_fiscale_iva is not vat
