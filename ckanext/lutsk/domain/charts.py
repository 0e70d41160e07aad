"""Geometry of the small server-rendered SVG charts (plain Python): the templates draw
the lines, this module computes where. No JavaScript, no CDN; the page works with
scripts off and prints as it looks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Chart", "line_chart"]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    #: Polylines (``"x,y x,y …"``): a gap in the data (no snapshot) breaks the line.
    lines: tuple[str, ...]
    #: (y, label) of the horizontal grid lines, 0–100 %.
    grid: tuple[tuple[float, str], ...]
    #: (x, month label, year label or "") of the first day of each month on the x axis;
    #: the year is shown under January.
    ticks: tuple[tuple[float, str, str], ...]
    left: int
    bottom: float
    #: The last point (x, y, percent) to mark, or None.
    last: tuple[float, float, int] | None


def line_chart(
    points: Sequence[tuple[dt.date, float | None]],
    start: dt.date,
    end: dt.date,
    *,
    width: int = 720,
    height: int = 220,
    left: int = 40,
    right: int = 12,
    top: int = 10,
    bottom: int = 36,
    month_labels: Sequence[str] | None = None,
) -> Chart:
    """A 0–100 % line over the days ``start``..``end``; ``points`` hold shares in 0..1."""
    span = max((end - start).days, 1)
    plot_w = width - left - right
    plot_h = height - top - bottom

    def x(day: dt.date) -> float:
        return round(left + plot_w * (day - start).days / span, 1)

    def y(share: float) -> float:
        return round(top + plot_h * (1 - share), 1)

    lines: list[str] = []
    current: list[str] = []
    previous: dt.date | None = None
    last = None
    for day, share in sorted(points):
        if day < start or day > end:
            continue
        if share is None or (previous is not None and (day - previous).days > 1):
            if len(current) > 1:
                lines.append(" ".join(current))
            current = []
        if share is not None:
            current.append(f"{x(day)},{y(share)}")
            last = (x(day), y(share), round(100 * share))
        previous = day
    if len(current) > 1:
        lines.append(" ".join(current))
    elif len(current) == 1:
        # A single day: a short flat stroke so that it is visible.
        px, py = current[0].split(",")
        lines.append(f"{float(px) - 2},{py} {float(px) + 2},{py}")
    grid = tuple((y(p / 100), f"{p}%") for p in (0, 25, 50, 75, 100))
    names = month_labels or ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12")
    ticks = []
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            ticks.append((x(month), names[month.month - 1], str(month.year) if month.month == 1 else ""))
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return Chart(width, height, tuple(lines), grid, tuple(ticks), left, height - bottom, last)
