"""The PDF's trend small multiples as plain SVG, drawn from the data through a Jinja template
(templates/trends.svg.j2): per office the value line over the grade bands (1–4 instruments) with the
WBK/WBBM lines, respondents as bars beneath (n < small_sample in the small-sample colour, an open
marker on the line), the latest period's marker in its grade colour.

Why not Plotly → kaleido → SVG: a browser start (~4 s) and ~0,25 s per figure, and Plotly's SVG has
~1 000 nodes per 12-office figure, each a CSS `style` WeasyPrint parses and draws in Python — that was
most of a 40-office report's 18 s. Here a cell is ~10 nodes with presentation attributes (no `style`),
bars of one colour are one path, and axis labels are written once per row/column, not per cell.
Every cell has the same axes, so cells compare. A value the viewer may not see (NaN: a guest's small
sample) leaves a gap in the line and no marker. Office names are escaped by the template.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from analytics import settings
from analytics.domain.grades import grade_of
from analytics.domain.instruments import Instrument

_ENV = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                   autoescape=select_autoescape(["svg.j2"]), trim_blocks=True, lstrip_blocks=True)

WIDTH = 760
CELL_HEIGHT = 182
GAP_X, GAP_Y = 14, 8
LEFT, RIGHT = 24, 22                 # value labels left of the first column, n labels right of the last
TITLE, X_LABELS = 14, 12             # office name above a cell; period labels under a bottom cell
BAR_SHARE = 0.27                     # the n bars take the lower quarter of a cell's plot



@dataclass
class Grid:
    """The figure: SVG without the office names, and each name's box in percent of the figure (the
    PDF writes the names as HTML over the picture: WeasyPrint lays SVG text out letter by letter,
    which cost more than all the shapes)."""
    svg: str
    names: list[tuple[str, float, float, float]]          # (name, left %, top %, width %)


@dataclass
class Cell:
    name: str
    x: float                          # plot area (without title and period labels)
    y: float
    width: float
    height: float
    value_bottom: float               # the value scale runs from value_bottom (low) up to y (high)
    bands: list = field(default_factory=list)          # (y, height, colour)
    thresholds: list = field(default_factory=list)     # y
    grid: str = ""                    # one path: the value grid lines
    bars: str = ""                    # one path per colour: the n bars
    small_bars: str = ""
    line: str = ""                    # the value line, gaps where a value is missing
    markers: list = field(default_factory=list)        # (x, y, fill or None for open)
    labels: list = field(default_factory=list)         # period labels (x, text) under a bottom cell


def short(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[:limit - 1] + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def trend_grid(trends: list[tuple[str, pd.DataFrame]], inst: Instrument, grades, thresholds: dict[str, float],
               columns: int = 3) -> Grid:
    """One small trend per unit (name, views.trend()) in a grid."""
    count = max(len(trends), 1)
    rows = -(-count // columns)
    small_color, bar_color = settings.get("small_color"), settings.get("bar_color")
    line_color, threshold_color = settings.get("line_color"), settings.get("threshold_color")
    values = [float(v) for _, tr in trends for v in tr["value"].dropna()]
    low = max(min([*values, *thresholds.values(), 100.0]) - 6, 25.0 if inst.is_four_point else 0.0)
    high = 101.0
    top_n = max([int(n) for _, tr in trends for n in tr["n"]] + [settings.get("small_sample")]) * 1.05
    periods = sorted({str(p) for _, tr in trends for p in tr["period"]})
    position = {p: i for i, p in enumerate(periods)}
    cell_w = (WIDTH - LEFT - RIGHT - GAP_X * (columns - 1)) / columns
    plot_h = CELL_HEIGHT - TITLE - X_LABELS
    value_h = plot_h * (1 - BAR_SHARE) - 3
    slot = cell_w / max(len(periods), 1)
    ticks = [v for v in range(int(math.ceil(low / 10) * 10), 101, 10)]
    bands = sorted(grades, key=lambda g: g.min) if inst.is_four_point else []

    cells = []
    for i, (name, trend) in enumerate(trends):
        row, col = divmod(i, columns)
        x0 = LEFT + col * (cell_w + GAP_X)
        y0 = row * (CELL_HEIGHT + GAP_Y) + TITLE
        to_y = lambda v, y0=y0: y0 + (high - v) / (high - low) * value_h
        cell = Cell(short(name), x0, y0, cell_w, plot_h, y0 + value_h)
        for k, grade in enumerate(bands):
            lower = max(float(grade.min), low)
            upper = min(float(bands[k + 1].min) if k + 1 < len(bands) else float(grade.max), high)
            if upper > lower:
                cell.bands.append((to_y(upper), to_y(lower) - to_y(upper), grade.color))
        cell.thresholds = [to_y(v) for v in sorted(set(thresholds.values())) if low <= v <= high]
        cell.grid = "".join(f"M{x0:.1f} {to_y(v):.1f}h{cell_w:.1f}" for v in ticks)
        bar_top, bar_h = y0 + value_h + 6, plot_h * BAR_SHARE - 3
        bars = {True: [], False: []}
        points, segment = [], []
        for p, value, n, small in zip(trend["period"].astype(str), trend["value"], trend["n"], trend["small"]):
            cx = x0 + (position[p] + 0.5) * slot
            h = bar_h * int(n) / top_n
            bars[bool(small)].append(f"M{cx - slot * 0.375:.1f} {bar_top + bar_h:.1f}v{-h:.1f}h{slot * 0.75:.1f}"
                                     f"v{h:.1f}z")
            if pd.isna(value):
                if segment:
                    points.append(segment)
                segment = []
                continue
            segment.append((cx, to_y(float(value))))
        if segment:
            points.append(segment)
        cell.bars, cell.small_bars = "".join(bars[False]), "".join(bars[True])
        cell.line = "".join("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in seg) for seg in points)
        last = len(trend) - 1
        for j, (p, value, small) in enumerate(zip(trend["period"].astype(str), trend["value"], trend["small"])):
            if pd.isna(value) or not (small or j == last):
                continue
            grade = grade_of(value, grades) if inst.is_four_point else None
            fill = None if small else (grade.color if grade else line_color)
            cell.markers.append((x0 + (position[p] + 0.5) * slot, to_y(float(value)), fill))
        if i + columns >= len(trends) and periods:            # no cell below: the first, middle, last period
            marks = sorted({0, len(periods) // 2, len(periods) - 1}) if len(periods) > 4 else range(len(periods))
            cell.labels = [(x0 + (k + 0.5) * slot, periods[k]) for k in marks]
        cells.append(cell)

    height = rows * CELL_HEIGHT + (rows - 1) * GAP_Y
    value_labels = [(row * (CELL_HEIGHT + GAP_Y) + TITLE + (high - v) / (high - low) * value_h, str(v))
                    for row in range(rows) for v in ticks]
    last_column = [c for i, c in enumerate(cells) if i % columns == columns - 1 or i == len(cells) - 1]
    bar_h = plot_h * BAR_SHARE - 3
    n_labels = [(c.x + c.width + 2, c.value_bottom + 6 + bar_h * (1 - 1 / 1.05) + 3, f"n {_num(top_n / 1.05)}")
                for c in last_column]
    text = _ENV.get_template("trends.svg.j2").render(
        width=WIDTH, height=height, cells=cells, value_labels=value_labels, n_labels=n_labels, left=LEFT - 3,
        line_color=line_color, small_color=small_color, bar_color=bar_color, threshold_color=threshold_color,
        font='DejaVu Sans')
    names = [(c.name, 100 * c.x / WIDTH, 100 * (c.y - TITLE) / height, 100 * c.width / WIDTH) for c in cells]
    return Grid(text, names)
