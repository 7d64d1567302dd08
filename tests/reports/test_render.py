"""Each report's first page rendered to PNG by poppler's pdftoppm, as a reader's viewer would.

The PNGs are kept under test-artifacts/reports/ (git-ignored) to be looked at. Without pdftoppm
(Debian's poppler-utils) the tests skip, unless CARBON_REQUIRE_BROWSER=1 (CI), which makes that
an error, as for the browser tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable

import pytest
from PIL import Image

from carbon.config import PROJECT_ROOT
from carbon.reports.certificate import certificates_pdf
from carbon.reports.cohort import cohort_report_pdf
from carbon.reports.company import company_report_pdf
from carbon.reports.model_cohort import certificates

from . import sample

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "reports"

REPORTS: dict[str, Callable[[], bytes]] = {
    "company-report-fr": lambda: company_report_pdf(sample.period_a(), "fr"),
    "cohort-report-it": lambda: cohort_report_pdf(sample.cohort(), "it"),
    "certificates-en": lambda: certificates_pdf(certificates(sample.cohort()), "en"),
}


@pytest.fixture(scope="module")
def pdftoppm() -> str:
    path = shutil.which("pdftoppm")
    if path is None:
        if os.environ.get("CARBON_REQUIRE_BROWSER") == "1":
            pytest.fail("Debian's poppler-utils (pdftoppm) is required (CARBON_REQUIRE_BROWSER=1)")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    return path


@pytest.mark.parametrize("name", list(REPORTS))
def test_first_page_renders(pdftoppm: str, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / f"{name}.pdf"
    pdf.write_bytes(REPORTS[name]())
    done = subprocess.run(
        [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(ARTIFACTS / name)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    # poppler complains on stderr about broken structure or fonts it cannot load.
    assert done.returncode == 0 and done.stderr == "", done.stderr
    with Image.open(ARTIFACTS / f"{name}.png") as png:
        rgb = png.convert("RGB")
        width, height = rgb.size
        assert (width > height) == name.startswith("certificates")  # landscape certificates
        colours = rgb.getcolors(maxcolors=1 << 20) or []
    # Text was drawn (dark pixels), and the title in the tool's blue (#000091).
    dark = sum(n for n, (r, g, b) in colours if r + g + b < 200)
    blue = sum(n for n, (r, g, b) in colours if r < 60 and g < 60 and b > 110)
    assert dark > 500 and blue > 200, (dark, blue)
