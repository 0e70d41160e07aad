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
from ckanext.lutsk.domain.tabular import clean_text

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
    pdf.multi_cell(0, 6, clean_text(title), new_x="LMARGIN", new_y="NEXT")
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
            # fpdf2 cannot break one table row across pages: a long value (a 4000-character
            # description, 100 lines of markdown) goes into as many rows as it needs.
            for i, part in enumerate(value_parts(row.plain())):
                if i == 0:
                    table.row((str(row.number or ""), clean_text(row.label), part))
                else:
                    table.row(("", "", part))
    return bytes(pdf.output())


#: At most this many printed lines per table row (a page holds about 55 at 9 pt).
ROW_LINES = 30
#: About this many characters fit on one line of the value column (108 mm at 9 pt).
LINE_CHARS = 55


def value_parts(text: str, *, max_lines: int = ROW_LINES, line_chars: int = LINE_CHARS) -> list[str]:
    """``text`` (cleaned of characters a PDF cannot show) in parts of at most ``max_lines``
    printed lines each, split at line breaks, else at spaces, else anywhere."""
    lines: list[str] = []
    for line in clean_text(text or "").splitlines() or [""]:
        while len(line) > line_chars * max_lines:
            cut = line.rfind(" ", 0, line_chars * max_lines)
            cut = cut if cut > 0 else line_chars * max_lines
            lines.append(line[:cut])
            line = line[cut:].lstrip()
        lines.append(line)
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for line in lines:
        need = max(1, -(-len(line) // line_chars))
        if current and used + need > max_lines:
            parts.append("\n".join(current))
            current, used = [], 0
        current.append(line)
        used += need
    parts.append("\n".join(current))
    return parts
