"""Tren: the chosen office's (or Kanwil's, pooled) value per period over the grade bands with the
WBK/WBBM lines and the respondent counts, then the element × period heatmap."""
import pandas as pd
import streamlit as st

from ui import sidebar, state, widgets
from analytics.domain import readiness
from analytics import settings
from analytics.present import charts, views
from ui.text import num, t
from analytics.domain.instruments import load_registry


def unit_grouping(f: sidebar.Filters) -> str:
    """One office, else the Kanwil pooled, else every office pooled (never an average of offices)."""
    return "office" if f.office_id is not None else ("kanwil" if f.kanwil else "all")


def unit_frame(f: sidebar.Filters):
    return state.indices(unit_grouping(f), f.granularity, f.window(), f.pair)


def trend_parts(f: sidebar.Filters, instrument: str):
    """(trend rows, figure) of one instrument; the figure is None when there is no trend."""
    registry = load_registry()
    inst = registry.get(instrument)
    trend = views.trend(unit_frame(f), inst, f.granularity, f.start, f.end)
    if trend.empty:
        return trend, None
    rules = registry.rule_set(f.rules)
    return trend, charts.trend_figure(trend, inst, registry.grades, readiness.threshold_on_scale(rules, inst),
                                      f.lang, title=inst.index_name if inst.is_four_point
                                      else f"{inst.index_name} (%)")


def heatmap(f: sidebar.Filters, instrument: str):
    """The element × period heatmap of one instrument, None without data."""
    registry = load_registry()
    items = state.items(instrument, f.window(), by_period=f.granularity)
    return None if items.empty else charts.item_heatmap(items, registry.get(instrument), registry.grades, f.lang)


def trend_chart(column, f: sidebar.Filters, inst) -> None:
    trend, figure = state.page_data("tren.trend", trend_parts, f, inst.id)
    if figure is None:
        column.info(f"{inst.index_name}: {t('no_data_window')}")
        return
    widgets.chart(column, figure, key=f"trend_{inst.id}")
    if len(trend) > 1:
        last, before = trend.iloc[-1], trend.iloc[-2]
        column.metric(t("latest_change", period=last["period"], prev=before["period"]),
                      views.figure_text(last["value"], last["n"], f.lang) + (" *" if last["small"] and
                                                                            pd.notna(last["value"]) else ""),
                      delta=num(last["delta"], 2, signed=True).replace("−", "-"))


def body() -> None:
    f = sidebar.filters()
    st.title(t("tren_title", unit=f.unit_name))
    if widgets.empty_state():
        return
    registry = load_registry()
    frame = state.page_data("tren.frame", unit_frame, f)
    if frame.empty:
        st.info(t("no_data_window"))
        return
    st.caption(t("tren_caption", rules=f.rules) + " " + t("small_sample_note", n=settings.get("small_sample")))
    instruments = [registry.get(i) for i in f.pair]
    for column, inst in zip(st.columns(len(instruments)), instruments):
        trend_chart(column, f, inst)
    tabs = st.tabs([inst.index_name for inst in instruments])
    for tab, inst in zip(tabs, instruments):
        figure = state.page_data("tren.heatmap", heatmap, f, inst.id)
        if figure is None:
            tab.info(t("no_data_window"))
            continue
        tab.markdown(f"**{t('heatmap_title', name=inst.index_name)}**")
        widgets.chart(tab, figure, key=f"heat_{inst.id}")


widgets.run_page(body)
