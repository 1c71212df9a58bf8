"""Plotly figures of the dashboard: pure functions from DataFrames to go.Figure (no Streamlit), so
tests can check bands, threshold lines and hover text without a browser.

Conventions: grade colours come from the grade table (data/rules/grades-14-2017.yaml); legends sit
below the plot and margins are small so a figure stays readable on a phone; numbers follow the
language (Plotly `separators`).

User text (office and Kanwil names, chart titles naming them) goes through plain(): Plotly reads
<a href>, <b>, <br> … in titles, tick labels, hover and annotation text, so an office named
`<a href="http://…">` would otherwise be a live link in every viewer's chart (issue 13).
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics.i18n import integer, num, plotly_separators, t
from analytics.domain.instruments import Grade, Instrument
from analytics import settings
from analytics.domain import formulas
from analytics.domain.grades import grade_of

# Colours: settings line_color, bar_color, small_color, threshold_color; grades: the grade table.
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14)


def plain(text) -> str:
    """A user's text as Plotly text that shows exactly that text (&, <, > as entities Plotly decodes)."""
    return html.escape(str(text), quote=False)


def _layout(lang: str | None, height: int, **parts) -> dict:
    """The layout every figure shares, with its own parts (axes, shapes, …): passed to go.Figure at
    once, because each later update_* call re-validates the whole figure in Plotly."""
    # The legend sits at the bottom of the whole figure (not of the plot area), below rotated tick
    # labels on a narrow phone screen.
    return dict(height=height, margin=dict(l=8, r=8, t=36, b=40), font=FONT,
                separators=plotly_separators(lang), hovermode="closest",
                legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", xanchor="left", x=0),
                plot_bgcolor="white", paper_bgcolor="white") | parts


def _base_layout(fig: go.Figure, lang: str | None, height: int) -> go.Figure:
    """_layout for a figure built elsewhere (make_subplots)."""
    fig.update_layout(_layout(lang, height))
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
    and respondent counts as bars beneath. trend: views.trend().

    Built as one layout of plain shapes and annotations (row 1: axes x/y, row 2: x2/y2, as
    make_subplots names them) instead of add_hrect/add_hline per band and line: Plotly re-validated
    the whole figure at each of those calls, 0,3–0,4 s per chart, which an office user's first visit
    of Tren paid for every chart."""
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
    line = go.Scatter(
        x=periods, y=trend["value"], mode="lines+markers", name=inst.index_name, xaxis="x", yaxis="y",
        line=dict(color=line_color, width=3),
        marker=dict(size=11, color=colors, line=dict(color=line_color, width=2),
                    symbol=["circle-open" if s else "circle" for s in trend["small"]]),
        customdata=custom,
        hovertemplate=(f"<b>%{{x}}</b><br>{t('hover_value', lang)}: %{{y:.2f}}<br>n = %{{customdata[0]:,}}"
                       f"<br>{t('hover_change', lang)}: %{{customdata[1]}}<br>%{{customdata[2]}}"
                       f"<extra>{inst.index_name}</extra>"))
    bars = go.Bar(
        x=periods, y=trend["n"], name=t("trace_n", lang), xaxis="x2", yaxis="y2",
        marker_color=[settings.get("small_color") if s else settings.get("bar_color") for s in trend["small"]],
        customdata=custom,
        hovertemplate="<b>%{x}</b><br>n = %{y:,}<br>%{customdata[2]}<extra></extra>")
    shapes = [_hline(small_sample, dict(color=settings.get("small_color"), dash="dot", width=1), row=2)]
    annotations = []
    if inst.is_four_point:
        _bands(shapes, annotations, grades, lang)
    _thresholds(shapes, annotations, thresholds, lang)
    low = min([*trend["value"].dropna().tolist(), *thresholds.values(), 100.0])
    # The two rows as make_subplots(rows=2, shared_xaxes=True, row_heights=[0.74, 0.26],
    # vertical_spacing=0.05) lays them out.
    grid = dict(gridcolor="#eeeeee")
    layout = dict(
        xaxis=dict(anchor="y", domain=[0.0, 1.0], matches="x2", showticklabels=False, type="category"),
        xaxis2=dict(anchor="y2", domain=[0.0, 1.0], type="category"),
        yaxis=dict(anchor="x", domain=[0.297, 1.0], range=[max(low - 6, 25 if inst.is_four_point else 0), 101],
                   title=dict(text=_value_axis_title(inst, lang)), **grid),
        yaxis2=dict(anchor="x2", domain=[0.0, 0.247], title=dict(text=t("axis_n", lang)), rangemode="tozero",
                    **grid),
        shapes=shapes, annotations=annotations)
    if title:
        layout["title"] = dict(text=plain(title), x=0, xanchor="left", font=dict(size=17))
    return go.Figure(data=[line, bars], layout=_layout(lang, 470, **layout))


def _axes(row: int) -> tuple[str, str]:
    """The x-domain and y references of a trend figure's row (1: the values, 2: the n bars)."""
    return ("x domain", "y") if row == 1 else (f"x{row} domain", f"y{row}")


def _hline(value: float, line: dict, row: int = 1, name: str | None = None) -> dict:
    xref, yref = _axes(row)
    shape = dict(type="line", xref=xref, x0=0, x1=1, yref=yref, y0=value, y1=value, line=line)
    return shape | ({"name": name} if name else {})


def _bands(shapes: list, annotations: list, grades, lang) -> None:
    """A shaded band per grade on row 1, its letter at the left edge."""
    xref, yref = _axes(1)
    for grade, lower, upper in grade_bands(grades):
        label = grade.label_en if lang == "en" else grade.label
        shapes.append(dict(type="rect", xref=xref, x0=0, x1=1, yref=yref, y0=lower, y1=upper,
                           fillcolor=grade.color, opacity=0.16, line=dict(width=0), layer="below",
                           name=t("band", lang, grade=grade.grade, label=label)))
        annotations.append(dict(text=grade.grade, showarrow=False, xref=xref, x=0, xanchor="left", yref=yref,
                                y=(lower + upper) / 2, yanchor="middle", font=dict(color=grade.color, size=13)))


def _thresholds(shapes: list, annotations: list, thresholds: dict[str, float], lang) -> None:
    """One dashed line per threshold value; levels sharing a value share the line (IPK: WBK = WBBM)."""
    by_value: dict[float, list[str]] = {}
    color = settings.get("threshold_color")
    xref, yref = _axes(1)
    for level, value in thresholds.items():
        by_value.setdefault(value, []).append(level.upper())
    for value, levels in sorted(by_value.items()):
        label = t("threshold", lang, level="/".join(levels), value=num(value, 2, lang))
        shapes.append(_hline(value, dict(color=color, dash="dash", width=1.5), name=label))
        annotations.append(dict(text=label, showarrow=False, xref=xref, x=1, xanchor="right", yref=yref, y=value,
                                yanchor="bottom", font=dict(size=12, color=color)))


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
    return go.Figure(go.Heatmap(
        z=_heat_values(nrr, inst).to_numpy(), x=xs, y=[plain(v) for v in y_order], text=text,
        texttemplate="%{text}", textfont=dict(size=11), customdata=custom, xgap=1, ygap=1,
        showscale=False, **scale,
        hovertemplate=(f"<b>%{{y}} · %{{x}}</b><br>%{{customdata[1]}}<br>NRR: %{{text}}"
                       f"<br>n_i = %{{customdata[0]:,.0f}}<extra>{hover_name}</extra>"),
    ), layout=_layout(lang, height, yaxis=dict(autorange="reversed", type="category"),
                      xaxis=dict(type="category", side="top")))


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
    return go.Figure(go.Bar(
        x=items["nrr"], y=items["code"], orientation="h", text=labels, textposition="auto",
        marker_color=_bar_colors(items["nrr"], inst, grades),
        customdata=np.column_stack([items["n"].to_numpy(), items["statement"].to_numpy()]) if len(items) else None,
        hovertemplate=(f"<b>%{{y}}</b> %{{customdata[1]}}<br>NRR: %{{x:.2f}}<br>n_i = %{{customdata[0]:,}}"
                       f"<extra>{inst.index_name}</extra>"),
    ), layout=_layout(lang, max(240, 26 * len(items) + 80), **_ranked_axes(inst)))


def aspects_bar(aspects: pd.DataFrame, inst: Instrument, grades, lang: str | None) -> go.Figure:
    labels = [num(v, 2, lang) for v in aspects["nrr"]]
    return go.Figure(go.Bar(
        x=aspects["nrr"], y=aspects["aspect"], orientation="h", text=labels, textposition="auto",
        marker_color=_bar_colors(aspects["nrr"], inst, grades),
        customdata=np.column_stack([aspects["n_min"].to_numpy(), aspects["n_max"].to_numpy(),
                                    aspects["items"].to_numpy()]) if len(aspects) else None,
        hovertemplate=("<b>%{y}</b><br>NRR: %{x:.2f}<br>n_i = %{customdata[0]:,}–%{customdata[1]:,}"
                       f"<extra>{inst.index_name}</extra>"),
    ), layout=_layout(lang, max(200, 34 * len(aspects) + 80), **_ranked_axes(inst)))


def _ranked_axes(inst: Instrument) -> dict:
    """Bars ranked top-down on a category axis; NRR across on the instrument's scale."""
    return dict(yaxis=dict(autorange="reversed", type="category"),
                xaxis=dict(range=[inst.scale_min, inst.scale_max], title=dict(text="NRR")))
