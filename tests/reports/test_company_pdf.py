"""The company report: figures read back from the PDF against hand-computed ones (no database).

World's period_a (tests/reports/sample.py): 10 MWh × 0.052 = 520 kg in 2.1, 1,000 L × 3.10 =
3,100 kg in 1.2, total 3,620 kg = 3.6 t; uncertainty ± 226.8 kg = 6.3 %.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table

from carbon.i18n import use_locale
from carbon.reports import company_annex as annex
from carbon.reports import document
from carbon.reports.company import company_report_pdf
from carbon.reports.document import build
from carbon.reports.fonts import REGULAR
from carbon.reports.layout import CELL_PADDING, CONTENT_WIDTH, Col, Heading, styles, table
from carbon.reports.model import ActionInfo, TargetInfo, YearTotal

from . import sample
from .pdf import follows, font_names, lines, pages_text, text


def test_key_figures_match_the_hand_computation() -> None:
    body = text(company_report_pdf(sample.period_a(), "en"))
    assert "3.6 t CO₂e" in body  # 520 + 3,100 = 3,620 kg
    assert "± 0.2 t CO₂e (6.3%)" in body  # sqrt(58.14² + 219.20²) = 226.8 kg; /3,620 = 6.3 %
    # 3,620 kg / 25 FTE = 144.8 kg = 0.14 t; 3,620 kg / 4,200 k€ = 0.86 kg.
    assert "0.14" in body and "t CO₂e per FTE" in body
    assert "0.9" in body and "kg CO₂e per k€ of revenue" in body


def test_beges_table_has_every_poste_with_its_value() -> None:
    seq = lines(company_report_pdf(sample.period_a(), "fr"))
    # Poste 2.1: 520 kg = 0,5 t ± 58,1 kg = 0,1 t (11,2 %); poste 1.2: 3 100 kg = 3,1 t ± 0,2 t.
    assert follows(seq, "2.1", "Consommation d'électricité", "0,5", "0,1", "11,2 %")
    assert follows(seq, "1.2", "Émissions directes des sources mobiles de", "combustion", "3,1",
                   "0,2", "7,1 %")  # fmt: skip
    assert follows(seq, "1.3", "Émissions directes des procédés hors énergie", "—", "—", "—")
    assert follows(seq, "Total", "3,6", "0,2", "6,3 %")
    for code in ("1.1", "1.5", "2.2", "3.4", "4.1", "4.5", "5.4", "6.1"):
        assert code in seq


def test_scope_view_and_categories() -> None:
    seq = lines(company_report_pdf(sample.period_a(), "en"))
    # Scope 1 = 1.2 = 3.1 t (85.6 % of 3.62); scope 2 = 2.1 = 0.5 t (14.4 %); no supplier factor,
    # so market-based = location-based.
    assert follows(seq, "Scope 1: direct emissions", "3.1", "85.6%")
    assert follows(seq, "Scope 2, location-based", "0.5", "14.4%")
    assert follows(seq, "Scope 2, market-based", "0.5")
    assert follows(seq, "1. Direct emissions", "3.1", "85.6%")


def test_change_since_base_year_and_trajectories() -> None:
    base = YearTotal(2022, 4000.0, 300.0, "validated", True, 4000.0, 0.0)
    current = YearTotal(2024, 3620.0, 226.8, "draft", False, 3620.0, 0.0)
    report = sample.period_a(
        year=2024, is_base_year=False, status="draft", history=(base, current),
        targets=(TargetInfo(2022, 4000.0, 2030, 42.0),),
    )  # fmt: skip
    seq = lines(company_report_pdf(report, "en"))
    body = "\n".join(seq)
    # (3,620 − 4,000) / 4,000 = −9.5 %, i.e. −380 kg = −0.4 t.
    assert "-9.5%" in body and "(-0.4 t CO₂e)" in body
    # SBTi from scopes 1+2's 4,000 kg in 2022, 4.2 % a year: 2024 -> 4,000 × (1 − 0.084)
    # = 3,664 kg = 3.7 t.
    assert follows(seq, "2024", "3.6", "0.2", "draft", "-9.5%", "3.7")
    assert "Target: 42% below 2022 by 2030" in body


def test_action_plan_counts_live_actions_only() -> None:
    body = " ".join(text(company_report_pdf(sample.period_a(), "en")).split())
    # The abandoned action (9 t) is left out: 0.2 + 0.05 = 0.25 -> "0.3" expected, 0.1 achieved.
    assert "2 actions in the plan, 2 with a quantified target: 0.3 t CO₂e avoided" in body
    assert "0.1 t CO₂e achieved" in body
    assert "Éco-conduite des dameuses" in body and "in progress" not in body


def test_methodology_annex_lists_every_factor() -> None:
    body = text(company_report_pdf(sample.period_a(), "en"))
    annex = body[body.index("Methodology and emission factors") :]
    for fid in (sample.ELEC, sample.DIESEL):
        assert fid in annex.replace("\n", "")
    assert sample.library().version in annex
    assert "Nos Gestes Climat" in annex
    assert "IPCC AR5, 100 years" in " ".join(annex.split())  # the GWP set, stated
    assert "not yet checked" in annex
    assert "3.1000 / litre" not in annex and "3.100 / litre" in annex  # 3 decimals for 1–10


def test_co2_and_accents_survive_and_no_base14_font_is_used() -> None:
    pdf = company_report_pdf(sample.period_a(), "fr")
    body = text(pdf)
    for word in ("CO₂e", "Émissions directes", "Électricité", "Déplacements", "forêts"):
        assert word in body
    fonts = font_names(pdf)
    assert fonts and all("DejaVuSans" in f for f in fonts), fonts


def test_french_and_italian_labels() -> None:
    fr = text(company_report_pdf(sample.period_a(), "fr"))
    it = text(company_report_pdf(sample.period_a(), "it"))
    assert "Consommation d'électricité" in fr and "Consommation d'électricité" not in it
    assert "Consumo di energia elettrica" in it and "Consumo di energia elettrica" not in fr
    assert "Émissions directes" in fr and "Emissioni dirette" in it
    # Dates and numbers in each language: 2 March 2026; 3,6 t in both (decimal comma).
    assert "2 mars 2026" in fr and "2 mar 2026" in it
    assert "3,6 t CO₂e" in fr and "3,6 t CO₂e" in it


def test_page_numbers_and_contents_only_when_long() -> None:
    short = pages_text(company_report_pdf(sample.period_a(), "en"))
    assert "Page 2 of" in short[1] and "Page 1 of" not in short[0]  # the cover has no footer
    assert not any("Contents" in p for p in short)
    many = tuple(
        replace(sample.factor_info(sample.ELEC, 1, 1.0), factor_id=f"bundled:f{i}")
        for i in range(90)
    )
    long = pages_text(company_report_pdf(sample.period_a(factors=many), "en"))
    n = len(long)
    assert n >= 8 and "Contents" in long[1] and f"Page {n} of {n}" in long[-1]
    # The contents give the page each heading is really on (its entries are filled from a
    # first layout, shifted by the contents page itself).
    # pypdf reads each entry's dot leader and number before its title.
    toc_lines = [ln.strip() for ln in long[1].splitlines()[1:]]
    numbers = [int(ln.split()[-1]) for ln in toc_lines if ln.startswith(".")]
    titles = [ln for ln in toc_lines if not ln.startswith(".")]
    pages = dict(zip(titles, numbers, strict=False))
    assert pages["Key figures"] == 3
    for heading in ("Key figures", "BEGES table (6 categories, 22 postes)",
                    "Methodology and emission factors"):  # fmt: skip
        assert long[pages[heading] - 1].splitlines()[0] == heading


def _contents(pages: list[str]) -> dict[str, int]:
    """Heading → page, as the contents page (the second) prints them."""
    toc_lines = [ln.strip() for ln in pages[1].splitlines()[1:]]
    numbers = [int(ln.split()[-1]) for ln in toc_lines if ln.startswith(".")]
    titles = [ln for ln in toc_lines if not ln.startswith(".")]
    return dict(zip(titles, numbers, strict=False))


def _factors(n: int) -> tuple[Any, ...]:
    return tuple(
        replace(sample.factor_info(sample.ELEC, 1, 1.0), factor_id=f"bundled:f{i}")
        for i in range(n)
    )


def test_contents_are_built_by_multibuild_and_point_at_their_headings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    multi: list[int] = []
    multi_build = document.ReportDoc.multiBuild

    def counting(self: document.ReportDoc, *args: Any, **kwargs: Any) -> Any:
        multi.append(1)
        return multi_build(self, *args, **kwargs)

    monkeypatch.setattr(document.ReportDoc, "multiBuild", counting)
    # 80 actions and 90 factors: a long report, its headings well past the first pages.
    actions = tuple(ActionInfo(f"Action {i}", "planned") for i in range(80))
    pages = pages_text(
        company_report_pdf(sample.period_a(factors=_factors(90), actions=actions), "en")
    )
    assert multi == [1]
    contents = _contents(pages)
    assert len(contents) >= 6
    for heading, page in contents.items():
        assert heading in pages[page - 1].splitlines(), (heading, page)
    assert pages[contents["Methodology and emission factors"] - 1].startswith("Methodology")
    # Too short for contents: one plain pass, no contents page.
    short = pages_text(company_report_pdf(sample.period_a(), "en"))
    assert not any("Contents" in p for p in short)
    assert multi == [1]


def test_a_heading_is_never_left_alone_at_the_foot_of_a_page() -> None:
    """Each heading is kept with what follows it: the text after a heading starts on the
    heading's page, whatever the number of factors or actions pushes it to the bottom."""
    st = styles()
    for filler in range(40, 56):
        story = [Paragraph(f"Line {i}", st["body"]) for i in range(filler)]
        story += [Heading("Lonely heading"), table([Col("Column", 100)], [["First row"]])]
        pages = pages_text(build(lambda _toc, s=story: s, title="t", footer="f"))  # type: ignore[misc]
        on = [i for i, p in enumerate(pages) if "Lonely heading" in p]
        assert len(on) == 1 and "First row" in pages[on[0]], filler


def test_a_draft_says_so_on_every_page_and_a_validated_year_does_not() -> None:
    for locale, word in (("en", "DRAFT"), ("fr", "BROUILLON"), ("it", "BOZZA")):
        for status in ("draft", "submitted"):
            pages = pages_text(company_report_pdf(sample.period_a(status=status), locale))
            assert all(word in p for p in pages), (locale, status)
    for status in ("validated", "locked"):
        assert not any(
            "DRAFT" in p
            for p in pages_text(company_report_pdf(sample.period_a(status=status), "en"))
        )


def test_no_annex_text_runs_into_the_next_column() -> None:
    """Plain (number) cells do not wrap: a text wider than its column would be drawn over the
    next one. The annex's value and uncertainty cells, in French, are the widest."""
    long_unit = replace(sample.factor_info(sample.ELEC, 1, 1.0), unit="passager.km (PCI)",
                        uncertainty_pct=20.0, uncertainty_is_default=True)  # fmt: skip
    report = sample.period_a(factors=(long_unit,))
    with use_locale("fr"):
        flowables = annex.methodology(report)
    t = next(f for f in flowables if isinstance(f, Table))
    t.wrap(CONTENT_WIDTH, 1000)
    for row in t._cellvalues:
        for cell, width in zip(row, t._colWidths, strict=True):
            if isinstance(cell, str):
                assert stringWidth(cell, REGULAR, 8) <= width - 2 * CELL_PADDING, cell


def test_user_text_is_not_read_as_markup() -> None:
    company = replace(sample.period_a().company, name="Neige & Damage <b>Services</b>")
    action = ActionInfo("<font size=40>Big</font> & co", "planned")
    body = text(company_report_pdf(sample.period_a(company=company, actions=(action,)), "en"))
    assert "Neige & Damage <b>Services</b>" in body
    assert "<font size=40>Big</font> & co" in body


def test_period_without_lines_still_renders() -> None:
    empty = sample.result_of([])
    report = sample.period_a(result=empty, lines=(), factors=(), actions=(),
                             history=(YearTotal(2024, 0.0, 0.0, "draft", True),))  # fmt: skip
    body = text(company_report_pdf(report, "en"))
    assert "No activity line yet." in body and "No action recorded yet." in body


def test_the_uncertainty_ranking_lists_sources_and_the_annex_has_the_monte_carlo_check() -> None:
    from carbon.accounting.montecarlo import monte_carlo

    # 12 monthly bills of 1 MWh (one source: 624 kg ± 624 × √0.0125 = 69.77 kg) and the groomers'
    # 1,000 L of diesel (3,100 kg ± 3,100 × √0.005 = 219.20 kg). Total variance 4,867.2 + 48,050
    # = 52,917.2: diesel 90.8 %, electricity 4,867.2 / 52,917.2 = 9.2 %.
    bills = [(i, "2.1", sample.ELEC, 1.0, "MWh", "measured") for i in range(1, 13)]
    result = sample.result_of([*bills, (13, "1.2", sample.DIESEL, 1000.0, "litre", "measured")])
    names = {i: "Électricité" for i in range(1, 13)} | {13: "Gazole des dameuses"}
    mc = monte_carlo(result.lines, seed=1)
    report = sample.period_a(result=result, lines=sample.line_infos(result, names), monte_carlo=mc)
    ranked = report.uncertainty_sources()
    assert [(s.line.activity, s.lines) for s in ranked] == [
        ("Gazole des dameuses", 1),
        ("Électricité", 12),
    ]
    assert [s.variance_share_pct for s in ranked] == pytest.approx([90.80, 9.20], abs=0.01)
    seq = lines(company_report_pdf(report, "en"))
    assert follows(seq, "Électricité (12 lines)", "2.1", "measured (invoice,", "meter)", "0.6",
                   "0.1", "9.2%")  # fmt: skip
    body = text(company_report_pdf(report, "en")).replace("\n", " ")
    assert "10,000 seeded draws (seed 1)" in body
    assert f"± {mc.half_width_pct:.1f}%" in body


def test_the_annex_lists_the_method_warnings_each_once() -> None:
    """What the method did to lines, as the results page says it: one note per message."""
    from carbon.accounting.notices import warn

    report = sample.period_a()
    mix = "No supplier contract: scope 2 market-based uses the residual mix of %(where)s."
    notes = (*warn([4, 2, 9], mix, where="FR 2024"), *warn([7], mix, where="IT 2024"))
    report = replace(report, result=replace(report.result, warnings=notes))
    annex = " ".join(text(company_report_pdf(report, "en")).split())
    annex = annex[annex.index("What the method did to some lines") :]
    assert "Lines 2, 4, 9 (3): No supplier contract" in annex
    assert "Line 7: No supplier contract" in annex and "IT 2024" in annex
    assert annex.count("No supplier contract") == 2
    # Lines past the result's cap are counted as lines, as on the results page.
    capped = replace(report, result=replace(report.result, warnings=notes, warnings_omitted=5))
    body = " ".join(text(company_report_pdf(capped, "en")).split())
    assert "5 more lines have notes that are not listed." in body
    # Without warnings the annex has no such section.
    quiet = replace(report, result=replace(report.result, warnings=()))
    assert "What the method did" not in text(company_report_pdf(quiet, "en"))


def test_the_spend_lines_to_replace_first_are_in_the_report() -> None:
    from carbon.reports.model import SpendInfo

    spend = (SpendInfo("Honoraires", "4.5", 396.0, 10.9, 42.5, "Your suppliers' own footprint"),)
    body = " ".join(text(company_report_pdf(replace(sample.period_a(), spend=spend), "en")).split())
    section = body[body.index("Replace the biggest spend lines first") :]
    # 396 kg = 0.4 t; the shares as computed by the engine, printed with one decimal.
    assert "Honoraires" in section and "0.4" in section and "10.9%" in section
    assert "42.5%" in section and "Your suppliers' own footprint" in section
    assert "Replace the biggest spend lines first" not in text(
        company_report_pdf(sample.period_a(), "en")
    )
