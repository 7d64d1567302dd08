"""Reading back what a PDF says, with pypdf, for tests."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

# babel's French thousands separator and the space before units, read back as plain spaces.
SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})


def reader(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-"), data[:20]
    return PdfReader(BytesIO(data))


def pages_text(data: bytes) -> list[str]:
    return [(page.extract_text() or "").translate(SPACES) for page in reader(data).pages]


def text(data: bytes) -> str:
    return "\n".join(pages_text(data))


def lines(data: bytes) -> list[str]:
    """Every text line, stripped: a table cell comes out as a line of its own."""
    return [line.strip() for line in text(data).splitlines() if line.strip()]


def follows(seq: list[str], *expected: str) -> bool:
    """Whether ``expected`` appears in ``seq`` as consecutive items (a table row)."""
    n = len(expected)
    return any(tuple(seq[i : i + n]) == expected for i in range(len(seq) - n + 1))


def font_names(data: bytes) -> set[str]:
    names: set[str] = set()
    for page in reader(data).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names
