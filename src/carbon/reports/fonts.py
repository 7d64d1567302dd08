"""The TrueType font the PDFs are set in: DejaVu Sans, found on the machine and registered once.

reportlab's built-in Helvetica has no "₂" (CO₂), no narrow no-break space (babel's French
thousands separator) and no arrows, and would print black boxes in every figure. DejaVu Sans
has all of them and more (é è à ç, ù, €, ±, ≥, →).

Where the files come from, in order:
1. the npm package ``dejavu-fonts-ttf`` in ``node_modules`` (package.json; ``make`` installs it
   with htmx), so a fresh machine with only the package registries has it;
2. Debian's ``fonts-dejavu-core`` (``/usr/share/fonts/truetype/dejavu/``), and the same files
   where Fedora, Arch and Alpine put them;
3. matplotlib's bundled copy (``mpl-data/fonts/ttf``).
Without any of them :func:`register_fonts` raises :class:`FontsMissing`, which says what to
install: a report whose CO₂ is unreadable must not leave the tool.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Final

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from carbon.resources import node_modules, resource

REGULAR: Final = "CarbonSans"
BOLD: Final = "CarbonSans-Bold"
FILES: Final = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

SYSTEM_DIRS: Final = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu (fonts-dejavu-core)
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora
    Path("/usr/share/fonts/TTF"),  # Arch
    Path("/usr/share/fonts/dejavu"),  # Alpine (font-dejavu), openSUSE
    Path("/usr/local/share/fonts/dejavu"),
)


class FontsMissing(RuntimeError):
    """No DejaVu Sans on this machine: PDFs cannot show CO₂ or accents properly."""


def _matplotlib_dir() -> Path | None:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


# The npm package dejavu-fonts-ttf, installed with the front-end libraries (package.json), so a
# fresh machine with only the package registries has the font too; a wheel carries a copy.
PACKAGED_DIR: Final = resource("fonts")
NPM_DIR: Final = node_modules() / "dejavu-fonts-ttf" / "ttf"


def candidate_dirs(extra: Path | None = None) -> list[Path]:
    dirs = [extra] if extra else []
    dirs += [PACKAGED_DIR, NPM_DIR]
    dirs.extend(SYSTEM_DIRS)
    mpl = _matplotlib_dir()
    if mpl is not None:
        dirs.append(mpl)
    return dirs


def find_font_dir(dirs: Iterable[Path]) -> Path | None:
    """The first folder holding both DejaVu Sans files."""
    for folder in dirs:
        if all((folder / name).is_file() for name in FILES.values()):
            return folder
    return None


@cache
def register_fonts(font_dir: Path | None = None) -> Path:
    """Registers DejaVu Sans (regular and bold) with reportlab; returns the folder used."""
    folder = find_font_dir(candidate_dirs(font_dir))
    if folder is None:
        raise FontsMissing(
            "DejaVu Sans is needed for the PDF reports (CO₂, accents). Install Debian's "
            "fonts-dejavu-core (apt-get install fonts-dejavu-core) or matplotlib (pip)."
        )
    for name, filename in FILES.items():
        # reportlab embeds only the glyphs a document uses (subsetting), so PDFs stay small.
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    # Only two faces exist in fonts-dejavu-core: italic text is set upright.
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    return folder
