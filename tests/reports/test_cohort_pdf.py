"""The cohort report and the certificates, read back from the PDFs (no database).

The sample cohort (tests/reports/sample.py): Remontées du Vallon 10 t -> 9 t (−10 %), Hôtel Les
Mélèzes 4 t -> 3 t (−25 %), Fromagerie de la Tinée not started; 5 actions, 3 quantified,
1.5 + 2.25 = 3.75 t a year expected, 0.5 t achieved.
"""

from __future__ import annotations

from dataclasses import replace

from carbon.i18n import use_locale
from carbon.reports.certificate import certificates_pdf
from carbon.reports.cohort import change_classes, cohort_report_pdf
from carbon.reports.model_cohort import certificates

from . import sample
from .pdf import follows, lines, pages_text, reader, text


def test_programme_kpis_and_companies() -> None:
    seq = lines(cohort_report_pdf(sample.cohort(), "en"))
    body = "\n".join(seq)
    assert "Parcours Zéro Carbone Montagne" in body and "Cohorte 2" in body
    assert follows(seq, "3", "companies in the cohort", "2", "companies with a measured footprint")
    assert follows(seq, "5", "decarbonisation actions identified", "3",
                   "actions with a quantified target")  # fmt: skip
    assert "3.8" in seq and "0.5" in seq  # 3.75 rounds half up to 3.8
    # 9 + 3 = 12 t for the cohort; category 1: 6 + 1 = 7 t (58.3 % of 12).
    assert "12.0 t CO₂e" in body
    assert follows(seq, "1. Direct emissions", "7.0", "58.3%")
    # Hôtel Les Mélèzes: 4.0 -> 3.0 t, −25 %, 3 t / 5 FTE = 0.6 t per FTE, 3 actions, 2 quantified.
    assert follows(seq, "Hôtel Les Mélèzes", "hotels and", "restaurants", "2023", "4.0", "2025",
                   "3.0", "-25.0%", "0.6")  # fmt: skip
    assert "3 / 2" in seq
    assert "carbon-bundled" in body  # the library versions used
    assert "IPCC AR5, 100 years" in " ".join(body.split())  # and the GWP set (methodology § 10)


def test_anonymised_report_shows_no_name() -> None:
    with use_locale("en"):
        anon = sample.cohort().anonymise("Company")
    body = text(cohort_report_pdf(anon, "en"))
    for name in ("Remontées du Vallon", "Hôtel Les Mélèzes", "Fromagerie de la Tinée"):
        assert name not in body
    assert "Company 01" in body and "Company 03" in body and "anonymised" in body


def test_cohort_report_in_french_and_italian() -> None:
    fr = text(cohort_report_pdf(sample.cohort(), "fr"))
    it = text(cohort_report_pdf(sample.cohort(), "it"))
    assert "Émissions directes" in fr and "Emissioni dirette" in it
    assert "Emissioni dirette" not in fr and "Émissions directes" not in it
    assert "12,0 t CO₂e" in fr and "12,0 t CO₂e" in it
    assert "2 mars 2026" in fr and "2 mar 2026" in it


def test_long_cohort_gets_contents_and_page_numbers() -> None:
    many = tuple(
        replace(sample.cohort().companies[0], company_id=i, name=f"Entreprise {i:03d}")
        for i in range(150)
    )
    pages = pages_text(cohort_report_pdf(sample.cohort(companies=many), "en"))
    n = len(pages)
    assert n >= 8 and "Contents" in pages[1] and "Companies" in pages[1]
    assert f"Page {n} of {n}" in pages[-1]
    assert "Entreprise 149" in "\n".join(pages)


def test_change_classes_count_each_company_once() -> None:
    with use_locale("en"):
        classes = change_classes([-25.0, -20.0, -10.0, -7.0, 0.0, 0.5, 12.0])
    # ≤ −20: −25 and −20; (−20, −10]: −10; (−10, −5]: −7; (−5, 0]: 0; (0, 5]: 0.5; > 5: 12.
    assert [c for _n, c in classes] == [2, 1, 1, 1, 1, 1]
    assert classes[0][0] == "≤ -20%"


def test_certificates_one_page_per_company() -> None:
    pdf = certificates_pdf(certificates(sample.cohort()), "en")
    pages = pages_text(pdf)
    assert len(pages) == 3 == len(reader(pdf).pages)
    hotel = " ".join(pages[1].split())
    assert "Certificate of participation" in hotel and "Hôtel Les Mélèzes" in hotel
    assert "Parcours Zéro Carbone Montagne" in hotel and "Cohorte 2" in hotel
    assert "Measured its carbon footprint for 2025: 3.0 t CO₂e." in hotel
    assert "Built an action plan of 3 actions, 2 with a quantified target." in hotel
    assert "Expected savings: 2.3 t CO₂e a year." in hotel  # 2.25 rounds half up
    assert "Mar 2, 2026" in hotel  # issued on
    assert "Measured its carbon footprint" not in pages[0]  # the cheese maker has not started


def test_certificate_in_italian_dates() -> None:
    body = text(certificates_pdf(certificates(sample.cohort()), "it"))
    assert "2 mar 2026" in body and "Mélèzes" in body


def test_narrow_column_headers_keep_their_words_whole() -> None:
    # "Année de référence" in a narrow column: at 8 points "référence" is wider than the
    # column, and reportlab would cut it ("référ" / "ence"); the font shrinks instead (cells too:
    # the sector "agroalimentare").
    expected = {
        "fr": ("Année", "référence", "Dernière", "chiffrées"),
        "it": ("Anno", "riferimento", "Variazione", "quantificate", "agroalimentare"),
    }
    for locale, words in expected.items():
        seq = lines(cohort_report_pdf(sample.cohort(), locale))
        for word in words:
            assert any(word in line.split() for line in seq), (locale, word)
