"""Unsur: the weakest elements and aspects of an office (or the Kanwil pooled), the office × element
heatmap, and the elements that stay among the three weakest month after month."""
from dataclasses import dataclass

import streamlit as st

from ui import sidebar, state, widgets
from analytics import settings
from analytics.present import charts, views
from ui.text import t
from analytics.domain.instruments import load_registry


@dataclass(frozen=True)
class Parts:
    """What the page shows of one instrument; computed once per scope and filters (state.page_data)."""
    items_figure: object
    aspects_figure: object
    table: object
    persistent: object            # the runs frame, labelled for display
    office_figure: object         # None: one office chosen, or no data
    offices_total: int


def parts(f: sidebar.Filters, instrument: str) -> Parts | None:
    registry = load_registry()
    inst = registry.get(instrument)
    window = f.window()
    items = state.items(instrument, window)
    if items.empty:
        return None
    table = items[["code", "statement", "aspect", "n", "nrr"]].rename(columns={
        "code": t("col_code"), "statement": t("col_statement"), "aspect": t("col_aspect"),
        "n": t("col_ni"), "nrr": t("col_nrr")})
    runs = views.persistent_weak(state.items(instrument, window, by_period="month"))
    if not runs.empty:
        runs = runs.assign(ongoing=runs["ongoing"].map(lambda v: t("yes") if v else t("no")))
        runs = runs[["code", "statement", "months", "first", "last", "ongoing"]].rename(columns={
            "code": t("col_code"), "statement": t("col_statement"), "months": t("col_months"),
            "first": t("col_from"), "last": t("col_to"), "ongoing": t("col_ongoing")})
    office_figure, total = None, 0
    if f.office_id is None:
        per_office = state.items(instrument, f.window(scope=f.kanwil_scope), by_office=True)
        matrix, total = views.office_item_matrix(per_office, state.scoped_offices())
        if not matrix.empty:
            office_figure = charts.office_item_heatmap(matrix, inst, registry.grades, f.lang)
    return Parts(charts.items_bar(items, inst, registry.grades, f.lang),
                 charts.aspects_bar(views.aspects(items), inst, registry.grades, f.lang),
                 views.formatted(table, {t("col_nrr"): 2, t("col_ni"): 0}, f.lang,
                                 counts={t("col_nrr"): t("col_ni")}), runs, office_figure, total)


def show(tab, inst, found: Parts) -> None:
    left, right = tab.columns([3, 2])
    left.markdown(f"**{t('items_ranked', name=inst.index_name)}**")
    widgets.chart(left, found.items_figure, key=f"items_{inst.id}")
    right.markdown(f"**{t('aspects_ranked', name=inst.index_name)}**")
    widgets.chart(right, found.aspects_figure, key=f"aspects_{inst.id}")
    with tab:
        widgets.table(found.table)
    tab.markdown(f"**{t('persistent_title', name=inst.index_name)}**")
    if found.persistent.empty:
        tab.caption(t("persistent_none"))
    else:
        tab.dataframe(found.persistent)
    if found.office_figure is None:
        return
    tab.markdown(f"**{t('office_item_heatmap', name=inst.index_name)}**")
    if found.offices_total > settings.get("heatmap_offices"):
        tab.caption(t("heatmap_limited", shown=settings.get("heatmap_offices"), total=found.offices_total))
    widgets.chart(tab, found.office_figure, key=f"office_heat_{inst.id}")


def body() -> None:
    f = sidebar.filters()
    st.title(t("unsur_title", unit=f.unit_name))
    if widgets.empty_state():
        return
    registry = load_registry()
    st.caption(t("unsur_caption", start=f"{f.start:%Y-%m}" if f.start else "…",
                 end=f"{f.end:%Y-%m}" if f.end else "…"))
    instruments = [registry.get(i) for i in f.pair]
    for tab, inst in zip(st.tabs([inst.index_name for inst in instruments]), instruments):
        found = state.page_data("unsur.parts", parts, f, inst.id)
        if found is None:
            tab.info(t("no_data_window"))
            continue
        show(tab, inst, found)


widgets.run_page(body)
