"""The dataset passport as a PDF document («Завантажити паспорт», PDF): the same rows as the
CSV and JSON downloads, as an A4 table, made with fpdf2 and the DejaVu fonts (Debian
package ``fonts-dejavu-core``) for the Cyrillic text.

Where the fonts (or fpdf2) are missing the portal does not offer the PDF at all:
``available()`` is false and the dataset page links CSV and JSON only.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path

from ckanext.lutsk import config
from ckanext.lutsk.domain.passport import Row

FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FAMILY = "DejaVu"


def font_paths() -> dict[str, Path]:
    folder = config.pdf_font_dir()
    return {style: folder / name for style, name in FONTS.items()}


@functools.cache
def _fpdf_installed() -> bool:
    try:
        import fpdf  # noqa: F401
    except ImportError:
        return False
    return True


def available() -> bool:
    """Whether PDFs can be made here: fpdf2 installed and the fonts readable."""
    return _fpdf_installed() and all(os.access(p, os.R_OK) for p in font_paths().values())


def render(
    *, heading: str, title: str, rows: Iterable[Row], columns: tuple[str, str, str], lang: str
) -> bytes:
    """The passport: ``heading`` and the dataset ``title`` above a table of ``rows``
    (number, element, value) headed by ``columns``."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    for style, path in font_paths().items():
        pdf.add_font(FAMILY, style, str(path))
    pdf.set_title(f"{heading}: {title}")
    pdf.set_lang("uk" if lang == "uk" else "en")
    pdf.set_creator("ckanext-lutsk")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 14)
    pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 12)
    pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FAMILY, "", 9)
    with pdf.table(
        col_widths=(10, 62, 108),
        text_align=("CENTER", "LEFT", "LEFT"),
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 240)),
        line_height=4.8,
        padding=1.5,
    ) as table:
        table.row(columns)
        for row in rows:
            table.row((str(row.number or ""), row.label, row.plain()))
    return bytes(pdf.output())
