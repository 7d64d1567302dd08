"""Benchmark of the FatturaPA import: a year of 1,000 purchase invoices of an Italian company.

The invoices are generated (FatturaPA 1.2, the structure of ``tests/data/fatturapa/``): 60
suppliers, two to six ``DettaglioLinee`` each — electricity bills in kWh with their system
charges, gas bills in Smc with transport, diesel in litres, and services (consultancy,
maintenance, telecoms, software, food, office supplies, an unmapped line now and then), with a
credit note (TD04) in fifty. What is timed is what ``carbon import fatturapa FILE --company ID
--year 2025`` does without ``--commit``: :func:`read_invoices` (defusedxml, then a38), then
:func:`plan_invoice_import` (rules, the engine's check of the proposed lines against the period's
library, the "already imported" query) on a company and period of a migrated SQLite temporary
database; nothing is written. Once for a zip of the 1,000 files, once for 1,000 single files read
from a folder and planned together (what the command would do given each file in turn, without
1,000 process starts). Goal from issue 17: 1,000 invoices in ≤ 10 s.
"""

from __future__ import annotations

import io
import random
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy.orm import Session

from bench.timing import measure
from carbon.config import Settings
from carbon.db import migrate
from carbon.db.factor_store import save_library
from carbon.db.invoice_import import plan_invoice_import
from carbon.db.models import Company, ReportingPeriod
from carbon.db.session import make_engine
from carbon.factors.bundled import load_bundled_library
from carbon.imports.fatturapa import read_invoices
from carbon.imports.invoice_mapping import default_rules

N_INVOICES = 1_000
GOAL_SECONDS = 10.0
YEAR = 2025
# (kind, supplier name): what each supplier bills.
KINDS = ("electricity", "gas", "diesel", "consulting", "maintenance", "telecom", "software",
         "food", "office", "other")  # fmt: skip
SERVICES = {
    "consulting": ("Consulenza fiscale e commercialista", "Progettazione studio tecnico"),
    "maintenance": ("Manutenzione impianto di risalita", "Pulizia locali"),
    "telecom": ("Canone fibra internet", "Telefonia mobile aziendale"),
    "software": ("Licenza software gestionale", "Hosting cloud"),
    "food": ("Formaggi e salumi", "Vino e bevande", "Frutta e verdura"),
    "office": ("Carta e cancelleria", "Toner stampante"),
    "other": ("Diritti SIAE", "Spese di incasso"),
}


def _line(number: int, text: str, amount: float, quantity: float | None = None,
          unit: str | None = None) -> str:  # fmt: skip
    measured = (
        f"<Quantita>{quantity:.2f}</Quantita><UnitaMisura>{unit}</UnitaMisura>"
        f"<PrezzoUnitario>{amount / quantity:.8f}</PrezzoUnitario>"
        if quantity
        else f"<PrezzoUnitario>{amount:.8f}</PrezzoUnitario>"
    )
    return (
        f"<DettaglioLinee><NumeroLinea>{number}</NumeroLinea>"
        f"<Descrizione>{escape(text)}</Descrizione>{measured}"
        f"<PrezzoTotale>{amount:.2f}</PrezzoTotale><AliquotaIVA>22.00</AliquotaIVA>"
        "</DettaglioLinee>"
    )


def _details(kind: str, month: int, rng: random.Random) -> list[str]:
    if kind == "electricity":
        f1, f23 = rng.randint(800, 9_000), rng.randint(500, 7_000)
        return [
            _line(1, f"Energia elettrica fascia F1 mese {month:02d}", f1 * 0.21, f1, "kWh"),
            _line(2, f"Energia elettrica fascia F2-F3 mese {month:02d}", f23 * 0.17, f23, "kWh"),
            _line(3, "Oneri di sistema", rng.uniform(50, 400)),
            _line(4, "Trasporto e gestione del contatore", rng.uniform(30, 200)),
        ]
    if kind == "gas":
        smc = rng.randint(200, 4_000)
        return [
            _line(1, f"Gas naturale consumo mese {month:02d}", smc * 0.95, smc, "Smc"),
            _line(2, "Spesa per il trasporto", rng.uniform(40, 300)),
            _line(3, "Accise e addizionali", rng.uniform(20, 200)),
        ]
    if kind == "diesel":
        litres = rng.randint(100, 2_000)
        return [
            _line(1, "Gasolio per autotrazione", litres * 1.65, litres, "litri"),
            _line(2, "Servizio di consegna", rng.uniform(20, 80)),
        ]
    return [
        _line(
            i + 1,
            rng.choice(SERVICES[kind]),
            rng.uniform(40, 4_000),
            rng.choice((1.0, 2.0, 5.0)),
            "NR",
        )
        for i in range(rng.randint(2, 6))
    ]


def make_invoice(n: int, supplier: int, kind: str, rng: random.Random) -> tuple[str, bytes]:
    """One FatturaPA 1.2 invoice (file name, bytes) of ``supplier``, dated in ``YEAR``."""
    month = rng.randint(1, 12)
    vat = f"{10_000_000_000 + supplier * 7_919:011d}"
    details = _details(kind, month, rng)
    document = "TD04" if n % 50 == 49 else "TD01"
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<p:FatturaElettronica versione="FPR12" '
        'xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">'
        "<FatturaElettronicaHeader><DatiTrasmissione>"
        f"<IdTrasmittente><IdPaese>IT</IdPaese><IdCodice>{vat}</IdCodice></IdTrasmittente>"
        f"<ProgressivoInvio>{n:05d}</ProgressivoInvio><FormatoTrasmissione>FPR12"
        "</FormatoTrasmissione><CodiceDestinatario>0000000</CodiceDestinatario>"
        "</DatiTrasmissione><CedentePrestatore><DatiAnagrafici>"
        f"<IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>{vat}</IdCodice></IdFiscaleIVA>"
        f"<Anagrafica><Denominazione>Fornitore {supplier:02d} ({kind}) S.r.l.</Denominazione>"
        "</Anagrafica><RegimeFiscale>RF01</RegimeFiscale></DatiAnagrafici>"
        "<Sede><Indirizzo>Via Roma 1</Indirizzo><CAP>12100</CAP><Comune>Cuneo</Comune>"
        "<Provincia>CN</Provincia><Nazione>IT</Nazione></Sede></CedentePrestatore>"
        "<CessionarioCommittente><DatiAnagrafici>"
        "<IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>01234567897</IdCodice></IdFiscaleIVA>"
        "<Anagrafica><Denominazione>Funivie del Monviso S.p.A.</Denominazione></Anagrafica>"
        "</DatiAnagrafici><Sede><Indirizzo>Piazza Po 5</Indirizzo><CAP>12030</CAP>"
        "<Comune>Crissolo</Comune><Provincia>CN</Provincia><Nazione>IT</Nazione></Sede>"
        "</CessionarioCommittente></FatturaElettronicaHeader>"
        "<FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento>"
        f"<TipoDocumento>{document}</TipoDocumento><Divisa>EUR</Divisa>"
        f"<Data>{YEAR}-{month:02d}-{rng.randint(1, 28):02d}</Data>"
        f"<Numero>{supplier:02d}/{n:05d}</Numero>"
        "</DatiGeneraliDocumento></DatiGenerali><DatiBeniServizi>"
        + "".join(details)
        + "<DatiRiepilogo><AliquotaIVA>22.00</AliquotaIVA><ImponibileImporto>0.00"
        "</ImponibileImporto><Imposta>0.00</Imposta><EsigibilitaIVA>I</EsigibilitaIVA>"
        "</DatiRiepilogo></DatiBeniServizi></FatturaElettronicaBody></p:FatturaElettronica>"
    )
    return f"IT{vat}_{n:05d}.xml", xml.encode()


def make_invoices(n: int, seed: int = 1) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    suppliers = [(s, KINDS[s % len(KINDS)]) for s in range(60)]
    return [make_invoice(i, *rng.choice(suppliers), rng) for i in range(n)]


def zip_of(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()


def _period(session: Session) -> ReportingPeriod:
    version = save_library(session, load_bundled_library(), source="bundled", make_default=True)
    company = Company(name="Funivie del Monviso", country="IT", sector="lift", fte=40.0,
                      revenue_keur=6000.0)  # fmt: skip
    period = ReportingPeriod(company=company, year=YEAR, library_version_id=version.id)
    session.add(period)
    session.commit()
    return period


def run() -> list[dict[str, Any]]:
    files = make_invoices(N_INVOICES)
    archive = zip_of(files)
    rules = default_rules()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "invoices"
        folder.mkdir()
        for name, data in files:
            (folder / name).write_bytes(data)
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        migrate.upgrade(url)
        engine = make_engine(Settings(env="test", database_url=url))
        try:
            with Session(engine) as session:
                period = _period(session)

                def from_zip() -> int:
                    lines = read_invoices(archive, "fatture-2025.zip")
                    plan = plan_invoice_import(session, period, archive, lines, rules)
                    return plan.proposal.invoices

                def from_files() -> int:
                    lines, read = [], []
                    for path in sorted(folder.iterdir()):
                        read.append(path.read_bytes())
                        lines += read_invoices(read[-1], path.name)
                    plan = plan_invoice_import(session, period, b"".join(read), lines, rules)
                    return plan.proposal.invoices

                t_zip, m_zip, n_zip = measure(from_zip)
                t_files, m_files, n_files = measure(from_files)
        finally:
            engine.dispose()
    if n_zip != N_INVOICES or n_files != N_INVOICES:
        raise AssertionError(f"read {n_zip} and {n_files} invoices, not {N_INVOICES}")
    size = f"{len(archive) / 1e6:.1f} MB zipped"
    goal = f"≤ {GOAL_SECONDS:g} s"
    return [
        {
            "benchmark": f"fatturapa: read + plan, zip of {N_INVOICES:,} ({size})",
            "seconds": t_zip, "peak_mib": m_zip, "goal": goal, "ok": t_zip <= GOAL_SECONDS,
        },
        {
            "benchmark": f"fatturapa: read + plan, {N_INVOICES:,} single files",
            "seconds": t_files, "peak_mib": m_files, "goal": goal, "ok": t_files <= GOAL_SECONDS,
        },
    ]  # fmt: skip


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.run import print_rows

    print_rows(run())
