"""Plotly figures of the Integritas page: the funnel plot (all-maximum share against n for one Kanwil,
with the overdispersion-adjusted limits drawn) and an office's own history. Pure functions, no Streamlit.
Office and Kanwil names go through charts.plain (Plotly would read HTML in them)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics import settings
from analytics.domain.integrity import Funnel
from analytics.i18n import integer, num, t
from analytics.present.charts import _base_layout, plain

FLAG_COLOR = "#b42318"


def funnel_figure(points: pd.DataFrame, funnel: Funnel, lang: str | None, title: str | None = None) -> go.Figure:
    """points: present.integrity.funnel_points. Offices as dots (those above the limit in red), the
    Kanwil's pooled share and the 99,9 % limits widening as n shrinks."""
    fig = go.Figure()
    top = max(int(points["n"].max()) if len(points) else 30, 30) * 1.1
    ns = np.linspace(max(1.0, float(points["n"].min()) * 0.8 if len(points) else 5.0), top, 200)
    fig.add_trace(go.Scatter(x=ns, y=[100 * funnel.upper(n) for n in ns], mode="lines", name=t("ig_limit_line", lang),
                             line=dict(color=settings.get("threshold_color"), dash="dash"), hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=ns, y=[100 * funnel.lower(n) for n in ns], mode="lines", showlegend=False,
                             line=dict(color=settings.get("threshold_color"), dash="dash"), hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[ns[0], ns[-1]], y=[100 * funnel.theta] * 2, mode="lines",
                             name=t("ig_peer_line", lang, share=num(100 * funnel.theta, 1, lang),
                                    phi=num(funnel.phi, 2, lang), peers=funnel.peers),
                             line=dict(color=settings.get("line_color")), hoverinfo="skip"))
    for fired, name, color in ((False, t("ig_offices", lang), settings.get("bar_color")),
                               (True, t("ig_flagged", lang), FLAG_COLOR)):
        rows = points[points["fired"] == fired]
        if rows.empty:
            continue
        hover = [f"{plain(o)}<br>n = {integer(n, lang)}<br>{integer(c, lang)} × max = {num(100 * s, 1, lang)} %"
                 for o, n, c, s in zip(rows["office"], rows["n"], rows["all_max"], rows["share"])]
        fig.add_trace(go.Scatter(x=rows["n"], y=100 * rows["share"], mode="markers", name=name,
                                 marker=dict(color=color, size=10, line=dict(color="white", width=1)),
                                 hovertext=hover, hoverinfo="text"))
    fig.update_xaxes(title_text=t("ig_axis_n", lang), rangemode="tozero")
    fig.update_yaxes(title_text=t("ig_axis_share", lang), rangemode="tozero")
    if title:
        fig.update_layout(title=dict(text=plain(title), x=0, font=dict(size=15)))
    return _base_layout(fig, lang, 420)


def history_figure(history: pd.DataFrame, lang: str | None, title: str | None = None) -> go.Figure:
    """history: present.integrity.history. All-maximum and most-common-pattern shares per period, the
    periods needing clarification marked, respondents as bars beneath."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.74, 0.26], vertical_spacing=0.05)
    x = history["period"].astype(str).tolist()
    for column, key, dash in (("all_max", "ig_series_all_max", "solid"), ("uniform", "ig_series_uniform", "dot")):
        hover = [f"{p}<br>{t(key, lang)}: {num(100 * v, 1, lang)} %<br>n = {integer(n, lang)}"
                 for p, v, n in zip(x, history[column], history["n"])]
        fig.add_trace(go.Scatter(x=x, y=100 * history[column], mode="lines+markers", name=t(key, lang),
                                 line=dict(color=settings.get("line_color"), dash=dash),
                                 hovertext=hover, hoverinfo="text"), row=1, col=1)
    flagged = history[history["clarify"]]
    if not flagged.empty:
        fig.add_trace(go.Scatter(x=flagged["period"].astype(str), y=100 * flagged["all_max"], mode="markers",
                                 name=t("ig_series_clarify", lang), hovertext=flagged["signals"], hoverinfo="text",
                                 marker=dict(color=FLAG_COLOR, size=14, symbol="diamond-open", line=dict(width=3))),
                      row=1, col=1)
    small = settings.get("small_sample")
    fig.add_trace(go.Bar(x=x, y=history["n"], name="n", showlegend=False,
                         marker_color=[settings.get("small_color") if n < small else settings.get("bar_color")
                                       for n in history["n"]],
                         hovertext=[f"{p}: n = {integer(n, lang)}" for p, n in zip(x, history["n"])],
                         hoverinfo="text"), row=2, col=1)
    fig.update_yaxes(title_text=t("ig_axis_share", lang), rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text="n", rangemode="tozero", row=2, col=1)
    fig.update_xaxes(type="category", row=2, col=1)
    if title:
        fig.update_layout(title=dict(text=plain(title), x=0, font=dict(size=15)))
    return _base_layout(fig, lang, 440)
