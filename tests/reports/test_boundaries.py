"""The reports package stays out of FastAPI (house style: web -> reports -> core); it uses only
the locale and formatting helpers of carbon.i18n."""

from __future__ import annotations

import subprocess
import sys


def test_reports_do_not_import_fastapi() -> None:
    code = (
        "import sys, carbon.reports.company, carbon.reports.cohort, carbon.reports.certificate, "
        "carbon.reports.exports, carbon.reports.data, carbon.reports.data_cohort; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'fastapi'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
