"""The PDF's trend small multiples as plain SVG, drawn from the data through a Jinja template
(templates/trends.svg.j2): per office the value line over the grade bands (1–4 instruments) with the
WBK/WBBM lines, respondents as bars beneath (n < small_sample in the small-sample colour), the latest
period's marker in its grade colour.

Why not Plotly → kaleido → SVG: a browser start (~4 s) and ~0,25 s per figure, and Plotly's SVG has
~1 000 nodes per 12-office figure, each a CSS `style` WeasyPrint parses and draws in Python — that was
most of a 40-office report's 18 s. Here a cell is ~10 nodes with presentation attributes (no `style`),
bars of one colour are one path, and axis labels are written once per row/column, not per cell.
Every cell has the same axes, so cells compare. A value the viewer may not see (NaN: a guest's small
sample) leaves a gap in the line and no marker. Office names are escaped by the template.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from analytics import settings
from analytics.domain.grades import grade_of
from analytics.domain.instruments import Instrument

_ENV = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                   autoescape=select_autoescape(["svg.j2"]), trim_blocks=True, lstrip_blocks=True)

WIDTH = 760
CELL_HEIGHT = 164
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


def short(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[:limit - 1] + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _circle(x: float, y: float, r: float = 3.0) -> str:
    return f"M{x - r:.1f} {y:.1f}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0z"


def trend_grid(trends: list[tuple[str, pd.DataFrame]], inst: Instrument, grades, thresholds: dict[str, float],
               columns: int = 3) -> Grid:
    """One small trend per unit (name, views.trend()) in a grid. Everything drawn the same way is one
    path for the whole figure (all cells' bands of a grade, all n bars of a colour, all value lines…):
    WeasyPrint's cost is per SVG node, not per path segment."""
    count = max(len(trends), 1)
    rows = -(-count // columns)
    small_color, bar_color = settings.get("small_color"), settings.get("bar_color")
    line_color, threshold_color = settings.get("line_color"), settings.get("threshold_color")
    # Each trend's columns as lists once (iterating pandas columns value by value cost more than the SVG).
    cells = [(list(map(str, tr["period"].tolist())), tr["value"].astype("float64").tolist(),
                tr["n"].tolist(), tr["small"].tolist()) for _, tr in trends]
    values = [v for _, vs, _, _ in cells for v in vs if v == v]
    low = max(min([*values, *thresholds.values(), 100.0]) - 6, 25.0 if inst.is_four_point else 0.0)
    high = 101.0
    top_n = max([int(n) for _, _, ns, _ in cells for n in ns] + [settings.get("small_sample")]) * 1.05
    periods = sorted({p for ps, _, _, _ in cells for p in ps})
    position = {p: i for i, p in enumerate(periods)}
    cell_w = (WIDTH - LEFT - RIGHT - GAP_X * (columns - 1)) / columns
    plot_h = CELL_HEIGHT - TITLE - X_LABELS
    value_h = plot_h * (1 - BAR_SHARE) - 3
    bar_h = plot_h * BAR_SHARE - 3
    slot = cell_w / max(len(periods), 1)
    ticks = list(range(int(math.ceil(low / 10) * 10), 101, 10))
    ordered = sorted(grades, key=lambda g: g.min) if inst.is_four_point else []
    bands = [(g, max(float(g.min), low), min(float(ordered[k + 1].min) if k + 1 < len(ordered) else float(g.max), high))
             for k, g in enumerate(ordered)]
    levels = [v for v in sorted(set(thresholds.values())) if low <= v <= high]

    band_paths = {g.grade: [] for g, _, _ in bands}
    grid, dashed, axes, plain_bars, small_bars, lines = [], [], [], [], [], []
    latest: dict[str, list[str]] = {}
    labels, names = [], []
    for i, ((name, trend), (cell_periods, cell_values, cell_ns, cell_small)) in enumerate(zip(trends, cells)):
        row, col = divmod(i, columns)
        x0 = LEFT + col * (cell_w + GAP_X)
        y0 = row * (CELL_HEIGHT + GAP_Y) + TITLE
        to_y = lambda v, y0=y0: y0 + (high - v) / (high - low) * value_h
        names.append((short(name), x0, row * (CELL_HEIGHT + GAP_Y)))
        for grade, lower, upper in bands:
            if upper > lower:
                band_paths[grade.grade].append(f"M{x0:.1f} {to_y(upper):.1f}h{cell_w:.1f}V{to_y(lower):.1f}"
                                               f"h{-cell_w:.1f}z")
        grid += [f"M{x0:.1f} {to_y(v):.1f}h{cell_w:.1f}" for v in ticks]
        dashed += [f"M{x0:.1f} {to_y(v):.1f}h{cell_w:.1f}" for v in levels]
        axes.append(f"M{x0:.1f} {y0 + plot_h:.1f}h{cell_w:.1f}")
        bar_base = y0 + value_h + 6 + bar_h
        segment = []
        last = len(trend) - 1
        for j, (p, value, n, small) in enumerate(zip(cell_periods, cell_values, cell_ns, cell_small)):
            cx = x0 + (position[p] + 0.5) * slot
            h = bar_h * int(n) / top_n
            (small_bars if small else plain_bars).append(f"M{cx:.1f} {bar_base:.1f}v{-h:.1f}")
            if pd.isna(value):
                segment = []
                continue
            y = to_y(float(value))
            segment.append(f"{'L' if segment else 'M'}{cx:.1f} {y:.1f}")
            lines.append(segment[-1])
            if j == last:
                grade = grade_of(value, grades) if inst.is_four_point else None
                latest.setdefault(grade.color if grade else line_color, []).append(_circle(cx, y))
        if i + columns >= len(trends) and periods:            # no cell below: the first, middle, last period
            marks = sorted({0, len(periods) // 2, len(periods) - 1}) if len(periods) > 4 else range(len(periods))
            for k in marks:
                x = x0 + (k + 0.5) * slot
                axes.append(f"M{x:.1f} {y0 + plot_h:.1f}v2")
                anchor = "middle" if len(marks) < 3 or 0 < k < len(periods) - 1 else "start" if k == 0 else "end"
                labels.append((x, y0 + plot_h + 9, periods[k], anchor))

    layers = [({"fill": g.color, "fill-opacity": "0.14"}, band_paths[g.grade]) for g, _, _ in bands]
    layers += [({"stroke": "#e6e6e6", "stroke-width": "0.6", "fill": "none"}, grid),
               ({"stroke": threshold_color, "stroke-width": "0.9", "stroke-dasharray": "4 3", "fill": "none"}, dashed),
               ({"stroke": "#999999", "stroke-width": "0.6", "fill": "none"}, axes),
               ({"stroke": bar_color, "stroke-opacity": "0.55", "stroke-width": f"{slot * 0.75:.1f}"}, plain_bars),
               ({"stroke": small_color, "stroke-opacity": "0.55", "stroke-width": f"{slot * 0.75:.1f}"}, small_bars),
               ({"stroke": line_color, "stroke-width": "1.8", "fill": "none", "stroke-linejoin": "round"}, lines)]
    layers += [({"fill": colour, "stroke": line_color, "stroke-width": "1"}, marks) for colour, marks in latest.items()]
    height = rows * CELL_HEIGHT + (rows - 1) * GAP_Y
    value_labels = [(LEFT - 3, row * (CELL_HEIGHT + GAP_Y) + TITLE + (high - v) / (high - low) * value_h + 3, str(v))
                    for row in range(rows) for v in ticks if v % 20 == 0]
    n_labels = [(LEFT + columns * cell_w + (columns - 1) * GAP_X + 2,
                 row * (CELL_HEIGHT + GAP_Y) + TITLE + value_h + 6 + bar_h * (1 - 1 / 1.05) + 3,
                 f"n {_num(top_n / 1.05)}") for row in range(rows)]
    text = _ENV.get_template("trends.svg.j2").render(
        width=WIDTH, height=height, layers=[(attrs, "".join(d)) for attrs, d in layers if d],
        value_labels=value_labels, period_labels=labels, n_labels=n_labels, font="DejaVu Sans")
    return Grid(text, [(name, 100 * x / WIDTH, 100 * y / height, 100 * cell_w / WIDTH) for name, x, y in names])
