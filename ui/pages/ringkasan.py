"""Ringkasan: one row per office of the chosen Kanwil for the chosen period, with the Kanwil's pooled
figures as headline tiles."""
import pandas as pd
import streamlit as st

from ui import sidebar, state, widgets
from analytics import settings
from analytics.store import queries
from analytics.domain import periods
from analytics.present import integrity, views
from ui.text import num, t
from analytics.domain.instruments import load_registry


def headline(f: sidebar.Filters, period: periods.Period) -> list:
    window = queries.Window(period.previous_start, period.end, f.pool_scope or f.kanwil_scope)
    pooled = state.indices("kanwil" if f.kanwil else "all", f.granularity, window, f.pair)
    return views.headline(pooled, f.pair, period, load_registry())


def overview(f: sidebar.Filters, period: periods.Period):
    """The office table's rows: indices and readiness of the Kanwil's offices (integrity: with_signals)."""
    registry = load_registry()
    frame = state.indices("office", f.granularity,
                          queries.Window(period.previous_start, period.end, f.kanwil_scope), f.pair)
    ready = state.readiness(f.rules, queries.Window(period.start, period.end, f.kanwil_scope))
    offices = state.scoped_offices()
    offices = offices[offices["office_id"].isin(f.kanwil_scope)]
    return views.overview(frame, offices, f.pair, period, ready, registry)


def with_signals(f: sidebar.Filters, period: periods.Period, table):
    """The table with each office's units needing clarification, or marked pending while the signals
    are computed in the background (they take seconds on a national store; the rest does not wait).
    Only for viewers with the Integritas page (docs/security.md): the column is left out for others."""
    if not state.may_see_integrity():
        return table.drop(columns="integrity"), True
    signals = state.integrity_results(queries.Window(period.start, period.end, f.kanwil_scope), f.pair,
                                      wait=False)
    return views.with_integrity(table, integrity.clarify_counts(signals) if signals is not None else None), \
        signals is not None


@st.fragment(run_every=1.5)
def _await_signals(f: sidebar.Filters, period: periods.Period) -> None:
    """Polls until the background signals are ready, then reruns the page once to fill the column."""
    if state.integrity_results(queries.Window(period.start, period.end, f.kanwil_scope), f.pair,
                               wait=False) is not None:
        st.rerun()
    st.caption(t("ig_pending"))


def tiles(f: sidebar.Filters, period: periods.Period, registry) -> None:
    st.markdown(f"**{t('headline', kanwil=f.kanwil_name)}**")
    for column, tile in zip(st.columns(len(f.pair)), state.page_data("ringkasan.tiles", headline, f, period)):
        grade = views.grade_label(tile.grade, registry, f.lang)
        value = views.figure_text(tile.value, tile.n, f.lang) + (" *" if tile.small and pd.notna(tile.value) else "")
        delta = num(tile.delta, 2, signed=True).replace("−", "-") if tile.delta is not None else None
        label = tile.name if tile.four_point else f"{tile.name} (%)"
        column.metric(label, value + (f" · {grade}" if grade else ""), delta=delta, border=True)
        column.caption(t("tile_n", n=num(tile.n, 0)))


def body() -> None:
    st.title(t("ringkasan_title"))
    widgets.flash()
    if widgets.empty_state():
        return
    f, registry = sidebar.filters(), load_registry()
    if f.end is None or not f.kanwil_scope:
        st.info(t("no_data_window"))
        return
    period = periods.report_period(f.granularity, f.end)
    months = views.months_text(period.start, period.end) + (f", {t('partial')}" if period.partial else "")
    st.caption(t("period_caption", label=period.label, months=months, prev=period.previous_label))
    tiles(f, period, registry)
    table, ready = with_signals(f, period, state.page_data("ringkasan.overview", overview, f, period))
    if not ready:
        _await_signals(f, period)
    if f.office:
        st.caption(t("office_ignored", kanwil=f.kanwil_name))
    widgets.table(views.overview_table(table, f.pair, registry, f.lang, f.office),
                    height=min(38 + 35 * len(table), 760))
    svc, anti = (registry.get(i) for i in f.pair)
    unit = lambda inst: t("value_converted" if inst.is_four_point else "value_percent")
    st.caption(t("small_sample_note", n=settings.get("small_sample")) + " " + t(
        "table_help", service=svc.index_name, service_unit=unit(svc), anti=anti.index_name, anti_unit=unit(anti))
        + " " + t("pooled_caption"))


widgets.run_page(body)
