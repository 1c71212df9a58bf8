"""Plotly figures of the dashboard: pure functions from DataFrames to go.Figure (no Streamlit), so
tests can check bands, threshold lines and hover text without a browser.

Conventions: grade colours come from the grade table (data/rules/grades-14-2017.yaml); legends sit
below the plot and margins are small so a figure stays readable on a phone; numbers follow the
language (Plotly `separators`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics.i18n import integer, num, plotly_separators, t
from analytics.domain.instruments import Grade, Instrument
from analytics import settings
from analytics.domain import formulas
from analytics.domain.grades import grade_of

# Colours: settings line_color, bar_color, small_color, threshold_color; grades: the grade table.
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14)


def _base_layout(fig: go.Figure, lang: str | None, height: int) -> go.Figure:
    # The legend sits at the bottom of the whole figure (not of the plot area), below rotated tick
    # labels on a narrow phone screen.
    fig.update_layout(height=height, margin=dict(l=8, r=8, t=36, b=40), font=FONT,
                      separators=plotly_separators(lang), hovermode="closest",
                      legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", xanchor="left", x=0),
                      plot_bgcolor="white", paper_bgcolor="white")
    return fig


def grade_bands(grades) -> list[tuple[Grade, float, float]]:
    """(grade, lower, upper) with no gaps: each band runs up to the next grade's minimum."""
    ordered = sorted(grades, key=lambda g: g.min)
    bands = []
    for i, grade in enumerate(ordered):
        upper = float(ordered[i + 1].min) if i + 1 < len(ordered) else float(grade.max)
        bands.append((grade, float(grade.min), upper))
    return bands


def grade_colorscale(grades, zmin: float = 25.0, zmax: float = 100.0) -> list[list]:
    """Colour scale anchored on the grade table: a value at a grade's minimum has exactly that
    grade's colour, values inside a band shade towards the next grade (so weak cells stand out
    even when every cell has the same grade)."""
    ordered = sorted(grades, key=lambda g: g.min)
    stops = [[0.0, ordered[0].color]]
    for grade in ordered[1:]:
        stops.append([(float(grade.min) - zmin) / (zmax - zmin), grade.color])
    stops.append([1.0, _darker(ordered[-1].color)])
    return stops


def _darker(color: str, factor: float = 0.7) -> str:
    red, green, blue = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c * factor):02x}" for c in (red, green, blue))


def _gradient(grades) -> list[list]:
    """Continuous scale through the grade colours, worst to best (for scales without grades)."""
    colors = [g.color for g in sorted(grades, key=lambda g: g.min)]
    return [[i / (len(colors) - 1), c] for i, c in enumerate(colors)]


def _value_axis_title(inst: Instrument, lang) -> str:
    return t("axis_value_converted" if inst.is_four_point else "axis_value_percent", lang)


# --- trend --------------------------------------------------------------------------------------

def trend_figure(trend: pd.DataFrame, inst: Instrument, grades, thresholds: dict[str, float],
                 lang: str | None, title: str | None = None) -> go.Figure:
    """Line of the value per period over the grade bands (1–4 instruments) with the WBK/WBBM lines,
    and respondent counts as bars beneath. trend: views.trend()."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.74, 0.26], vertical_spacing=0.05)
    periods = trend["period"].astype(str).tolist()
    small_sample, line_color = settings.get("small_sample"), settings.get("line_color")
    small_note = t("hover_small", lang, n=small_sample)
    partial = trend["partial"] if "partial" in trend else [False] * len(trend)
    notes = ["<br>".join(text for text, on in ((small_note, s), (t("hover_partial", lang), p)) if on)
             for s, p in zip(trend["small"], partial)]
    custom = np.column_stack([
        trend["n"].to_numpy(),
        [num(d, 2, lang, signed=True) for d in trend["delta"]],
        notes,
    ]) if len(trend) else np.empty((0, 3))
    colors = [_grade_color(v, grades, line_color) if inst.is_four_point else line_color for v in trend["value"]]
    fig.add_trace(go.Scatter(
        x=periods, y=trend["value"], mode="lines+markers", name=inst.index_name,
        line=dict(color=line_color, width=3),
        marker=dict(size=11, color=colors, line=dict(color=line_color, width=2),
                    symbol=["circle-open" if s else "circle" for s in trend["small"]]),
        customdata=custom,
        hovertemplate=(f"<b>%{{x}}</b><br>{t('hover_value', lang)}: %{{y:.2f}}<br>n = %{{customdata[0]:,}}"
                       f"<br>{t('hover_change', lang)}: %{{customdata[1]}}<br>%{{customdata[2]}}"
                       f"<extra>{inst.index_name}</extra>"),
    ), row=1, col=1)
    fig.add_trace(go.Bar(
        x=periods, y=trend["n"], name=t("trace_n", lang),
        marker_color=[settings.get("small_color") if s else settings.get("bar_color") for s in trend["small"]],
        customdata=custom,
        hovertemplate="<b>%{x}</b><br>n = %{y:,}<br>%{customdata[2]}<extra></extra>",
    ), row=2, col=1)
    fig.add_hline(y=small_sample, line=dict(color=settings.get("small_color"), dash="dot", width=1), row=2, col=1)
    if inst.is_four_point:
        _add_bands(fig, grades, lang)
    _add_thresholds(fig, thresholds, lang)
    low = min([*trend["value"].dropna().tolist(), *thresholds.values(), 100.0])
    fig.update_yaxes(range=[max(low - 6, 25 if inst.is_four_point else 0), 101], row=1, col=1,
                     title_text=_value_axis_title(inst, lang), gridcolor="#eeeeee")
    fig.update_yaxes(title_text=t("axis_n", lang), row=2, col=1, gridcolor="#eeeeee", rangemode="tozero")
    fig.update_xaxes(type="category", row=1, col=1)
    fig.update_xaxes(type="category", row=2, col=1)
    _base_layout(fig, lang, height=470)
    if title:
        fig.update_layout(title=dict(text=title, x=0, xanchor="left", font=dict(size=17)))
    return fig


def _add_bands(fig: go.Figure, grades, lang) -> None:
    for grade, lower, upper in grade_bands(grades):
        label = grade.label_en if lang == "en" else grade.label
        fig.add_hrect(y0=lower, y1=upper, fillcolor=grade.color, opacity=0.16, line_width=0, layer="below",
                      name=t("band", lang, grade=grade.grade, label=label),
                      annotation_text=grade.grade, annotation_position="left",
                      annotation_font=dict(color=grade.color, size=13), row=1, col=1)


def _add_thresholds(fig: go.Figure, thresholds: dict[str, float], lang) -> None:
    """One dashed line per threshold value; levels sharing a value share the line (IPK: WBK = WBBM)."""
    by_value: dict[float, list[str]] = {}
    color = settings.get("threshold_color")
    for level, value in thresholds.items():
        by_value.setdefault(value, []).append(level.upper())
    for value, levels in sorted(by_value.items()):
        label = t("threshold", lang, level="/".join(levels), value=num(value, 2, lang))
        fig.add_hline(y=value, line=dict(color=color, dash="dash", width=1.5), name=label,
                      annotation_text=label, annotation_position="top right",
                      annotation_font=dict(size=12, color=color), row=1, col=1)


# --- heatmaps -----------------------------------------------------------------------------------

def _grade_color(converted, grades, fallback: str) -> str:
    grade = grade_of(converted, grades)
    return grade.color if grade else fallback


def _heat_values(nrr: pd.Series, inst: Instrument) -> pd.Series:
    """NRR on the colour scale: × 25 for 1–4 instruments (grade colours), else percent."""
    return formulas.shown_value(nrr, inst)


def _heatmap(frame: pd.DataFrame, x: str, y: str, y_order: list, inst: Instrument, grades, lang,
             hover_name: str, height: int) -> go.Figure:
    xs = sorted(frame[x].astype(str).unique().tolist()) if x == "period" else \
        list(dict.fromkeys(frame.sort_values("item_no")[x].astype(str)))
    # dropna=False: a guest's withheld NRR (n below small_sample) is NaN in every cell; the
    # default would drop the whole "nrr" block.
    grid = frame.assign(**{x: frame[x].astype(str)}).pivot_table(
        index=y, columns=x, values=["nrr", "n"], aggfunc="first", dropna=False)
    nrr = grid["nrr"].reindex(index=y_order, columns=xs)
    n = grid["n"].reindex(index=y_order, columns=xs)
    statements = frame.drop_duplicates("code").set_index("code")["statement"]
    hover_labels = [[statements.get(row if y == "code" else col, "") for col in xs] for row in y_order]
    text = [[num(v, 2, lang) if pd.notna(v) else "" for v in row] for row in nrr.to_numpy()]
    custom = np.dstack([n.to_numpy(dtype="float64"), np.array(hover_labels, dtype=object)]) \
        if len(y_order) and len(xs) else None
    scale = dict(colorscale=grade_colorscale(grades), zmin=25, zmax=100) if inst.is_four_point else \
        dict(colorscale=_gradient(grades))
    fig = go.Figure(go.Heatmap(
        z=_heat_values(nrr, inst).to_numpy(), x=xs, y=[str(v) for v in y_order], text=text,
        texttemplate="%{text}", textfont=dict(size=11), customdata=custom, xgap=1, ygap=1,
        showscale=False, **scale,
        hovertemplate=(f"<b>%{{y}} · %{{x}}</b><br>%{{customdata[1]}}<br>NRR: %{{text}}"
                       f"<br>n_i = %{{customdata[0]:,.0f}}<extra>{hover_name}</extra>"),
    ))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    _base_layout(fig, lang, height=height)
    return fig


def item_heatmap(items_by_period: pd.DataFrame, inst: Instrument, grades, lang: str | None) -> go.Figure:
    """Item × period NRR of one unit (queries.items(by_period=…)); items in questionnaire order."""
    order = [item.code for item in inst.items if item.code in set(items_by_period["code"])]
    return _heatmap(items_by_period, "period", "code", order, inst, grades, lang, inst.index_name,
                    height=max(260, 28 * len(order) + 90))


def office_item_heatmap(matrix: pd.DataFrame, inst: Instrument, grades, lang: str | None) -> go.Figure:
    """Office × item NRR (views.office_item_matrix), offices from weakest mean NRR down."""
    order = matrix.groupby("office")["nrr"].mean().sort_values().index.tolist() if not matrix.empty else []
    return _heatmap(matrix, "code", "office", order, inst, grades, lang, inst.index_name,
                    height=max(260, 30 * len(order) + 110))


# --- ranked bars --------------------------------------------------------------------------------

def _bar_colors(nrr: pd.Series, inst: Instrument, grades) -> list[str]:
    if not inst.is_four_point:
        return [settings.get("line_color")] * len(nrr)
    return [_grade_color(formulas.converted(v), grades, settings.get("bar_color")) for v in nrr]


def items_bar(items: pd.DataFrame, inst: Instrument, grades, lang: str | None) -> go.Figure:
    """Items ranked by NRR (weakest on top) with n_i in the label and the hover."""
    items, small_sample = items.sort_values(["nrr", "item_no"]), settings.get("small_sample")
    labels = [f"{num(v, 2, lang)} · n_i {integer(n, lang)}" + (" *" if n < small_sample else "")
              for v, n in zip(items["nrr"], items["n"])]
    fig = go.Figure(go.Bar(
        x=items["nrr"], y=items["code"], orientation="h", text=labels, textposition="auto",
        marker_color=_bar_colors(items["nrr"], inst, grades),
        customdata=np.column_stack([items["n"].to_numpy(), items["statement"].to_numpy()]) if len(items) else None,
        hovertemplate=(f"<b>%{{y}}</b> %{{customdata[1]}}<br>NRR: %{{x:.2f}}<br>n_i = %{{customdata[0]:,}}"
                       f"<extra>{inst.index_name}</extra>"),
    ))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(range=[inst.scale_min, inst.scale_max], title_text="NRR")
    return _base_layout(fig, lang, height=max(240, 26 * len(items) + 80))


def aspects_bar(aspects: pd.DataFrame, inst: Instrument, grades, lang: str | None) -> go.Figure:
    labels = [num(v, 2, lang) for v in aspects["nrr"]]
    fig = go.Figure(go.Bar(
        x=aspects["nrr"], y=aspects["aspect"], orientation="h", text=labels, textposition="auto",
        marker_color=_bar_colors(aspects["nrr"], inst, grades),
        customdata=np.column_stack([aspects["n_min"].to_numpy(), aspects["n_max"].to_numpy(),
                                    aspects["items"].to_numpy()]) if len(aspects) else None,
        hovertemplate=("<b>%{y}</b><br>NRR: %{x:.2f}<br>n_i = %{customdata[0]:,}–%{customdata[1]:,}"
                       f"<extra>{inst.index_name}</extra>"),
    ))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(range=[inst.scale_min, inst.scale_max], title_text="NRR")
    return _base_layout(fig, lang, height=max(200, 34 * len(aspects) + 80))


# --- small multiples (reports) --------------------------------------------------------------------

def trend_grid(trends: list[tuple[str, pd.DataFrame]], inst: Instrument, grades, thresholds: dict[str, float],
               lang: str | None, columns: int = 3, cell_height: int = 190, width: int = 760) -> go.Figure:
    """One small trend per unit (name, views.trend()) in a grid, for print: the value line over the
    grade bands (1–4 instruments) with the WBK/WBBM lines, respondents as bars beneath (n < small_sample
    in the small-sample colour, open markers on the line). Every cell has the same axes, so cells
    compare; period labels only under the bottom cell of each column, value ticks only in the first.

    Built as one figure dict (no make_subplots/add_trace per cell): for 40 offices that is ~10× faster.
    Axes of cell i: x{i+1}; bars on y{2i+1} (n, the lower quarter), values on y{2i+2} above it; no
    overlaid axes (plotly would clip every x × y pair, and the PDF renderer pays for each node)."""
    count = max(len(trends), 1)
    rows = -(-count // columns)
    small_sample, line_color = settings.get("small_sample"), settings.get("line_color")
    small_color, bar_color = settings.get("small_color"), settings.get("bar_color")
    values = [v for _, tr in trends for v in tr["value"].dropna().tolist()]
    low = max(min([*values, *thresholds.values(), 100.0]) - 6, 25 if inst.is_four_point else 0)
    top_n = max([int(n) for _, tr in trends for n in tr["n"]] + [small_sample])
    periods = sorted({str(p) for _, tr in trends for p in tr["period"]})
    gap_x, gap_y = 0.07, min(0.3 / rows, 0.08)
    cell_w, cell_h = (1 - gap_x * (columns - 1)) / columns, (1 - gap_y * (rows - 1)) / rows
    bands = grade_bands(grades) if inst.is_four_point else []
    data, shapes, annotations = [], [], []
    layout = {"width": width, "height": cell_height * rows + 40, "margin": dict(l=30, r=30, t=24, b=10),
              "font": dict(family="DejaVu Sans, Liberation Sans, sans-serif", size=9),
              "separators": plotly_separators(lang), "plot_bgcolor": "white", "paper_bgcolor": "white",
              "bargap": 0.25, "showlegend": False}
    for i, (name, trend) in enumerate(trends):
        row, col = divmod(i, columns)
        x0 = col * (cell_w + gap_x)
        y1 = 1 - row * (cell_h + gap_y)
        x, bars, line = _axis("x", i + 1), _axis("y", 2 * i + 1), _axis("y", 2 * i + 2)
        bottom = i + columns >= len(trends)                   # no cell below this one
        layout[_axis_key(x)] = dict(domain=[max(x0, 0.0), min(x0 + cell_w, 1.0)], anchor=bars, type="category",
                                       categoryorder="array", categoryarray=periods, tickangle=-90,
                                       tickfont=dict(size=8), showgrid=False, showticklabels=bottom)
        bottom_y, top_y = max(y1 - cell_h, 0.0), min(y1, 1.0)
        split = bottom_y + (top_y - bottom_y) * 0.27          # n bars beneath, the value line above
        layout[_axis_key(bars)] = dict(domain=[bottom_y, split - 0.004], anchor=x, side="right", showgrid=False,
                                       range=[0, top_n * 1.05], nticks=3, tickfont=dict(size=7, color="#888888"))
        layout[_axis_key(line)] = dict(domain=[split + 0.004, top_y], anchor=x, side="left", range=[low, 101],
                                       tick0=0, dtick=10, gridcolor="#eeeeee", tickfont=dict(size=8),
                                       showticklabels=col == 0)
        labels = trend["period"].astype(str).tolist()
        data.append(dict(type="bar", x=labels, y=trend["n"].tolist(), xaxis=x, yaxis=bars, opacity=0.55,
                         marker=dict(color=[small_color if s else bar_color for s in trend["small"]])))
        data.append(dict(type="scatter", mode="lines", x=labels, y=trend["value"].tolist(), xaxis=x, yaxis=line,
                         line=dict(color=line_color, width=2)))
        # Markers only where they say something: small samples (open) and the latest period (its grade
        # colour); a marker on every point costs a PDF node each and repeats what the bands show.
        marked = [j for j, s in enumerate(trend["small"]) if s] + [len(trend) - 1]
        marked = sorted(set(marked))
        data.append(dict(
            type="scatter", mode="markers", x=[labels[j] for j in marked],
            y=[trend["value"].iloc[j] for j in marked], xaxis=x, yaxis=line,
            marker=dict(size=6, color=[_grade_color(trend["value"].iloc[j], grades, line_color)
                                       if inst.is_four_point else line_color for j in marked],
                        line=dict(color=line_color, width=1),
                        symbol=["circle-open" if trend["small"].iloc[j] else "circle" for j in marked])))
        for grade, lower, upper in bands:
            shapes.append(dict(type="rect", xref=f"{x} domain", yref=line, x0=0, x1=1, y0=lower, y1=upper,
                               fillcolor=grade.color, opacity=0.14, line_width=0, layer="below"))
        for value in sorted(set(thresholds.values())):
            shapes.append(dict(type="line", xref=f"{x} domain", yref=line, x0=0, x1=1, y0=value, y1=value,
                               line=dict(color=settings.get("threshold_color"), dash="dash", width=1)))
        annotations.append(dict(text=_short(name), x=x0 + cell_w / 2, y=y1, xref="paper", yref="paper",
                                xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=10)))
    layout.update(shapes=shapes, annotations=annotations)
    return go.Figure({"data": data, "layout": layout})


def _axis(letter: str, number: int) -> str:
    """Plotly's id of axis `number`: x, x2, x3 … (the first has no number)."""
    return letter if number == 1 else f"{letter}{number}"


def _axis_key(axis_id: str) -> str:
    """The layout key of an axis id: x → xaxis, y3 → yaxis3."""
    return f"{axis_id[0]}axis{axis_id[1:]}"


def _short(name: str, limit: int = 38) -> str:
    return name if len(name) <= limit else name[:limit - 1] + "…"
