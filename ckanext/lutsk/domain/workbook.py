"""A new openpyxl workbook with its first worksheet typed as one (``wb.active`` may be None
or a chartsheet as far as the type checker knows)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet


def new_workbook() -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    ws = wb.active
    if not isinstance(ws, Worksheet):  # a new workbook always opens on one worksheet
        raise TypeError("openpyxl made a workbook without a worksheet")
    return wb, ws
