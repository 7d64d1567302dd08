"""The font strategy: DejaVu Sans found where the system or matplotlib keeps it, or an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from carbon.reports import fonts


def test_find_font_dir_needs_both_faces(tmp_path: Path) -> None:
    half, whole = tmp_path / "half", tmp_path / "whole"
    half.mkdir()
    whole.mkdir()
    (half / "DejaVuSans.ttf").write_bytes(b"")
    for name in fonts.FILES.values():
        (whole / name).write_bytes(b"")
    assert fonts.find_font_dir([tmp_path / "missing", half, whole]) == whole
    assert fonts.find_font_dir([half]) is None


def test_missing_fonts_say_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "candidate_dirs", lambda extra=None: [tmp_path])
    with pytest.raises(fonts.FontsMissing, match="fonts-dejavu-core"):
        fonts.register_fonts.__wrapped__()


def test_the_registered_font_has_the_glyphs_reports_need() -> None:
    from reportlab.pdfbase import pdfmetrics

    fonts.register_fonts()
    face = pdfmetrics.getFont(fonts.REGULAR).face
    # CO₂, babel's French thousands separator (U+202F), accents, ±, ≤, →, €.
    for ch in "₂\u202f\u00a0éèàçùÉ±≤→€—":
        assert ord(ch) in face.charToGlyph, repr(ch)
