"""Unsur: the weakest elements and aspects of an office (or the Kanwil pooled), the office × element
heatmap, and the elements that stay among the three weakest month after month."""
import streamlit as st

from ui import sidebar, state, widgets
from analytics import settings
from analytics.present import charts, views
from ui.text import t
from analytics.domain.instruments import load_registry


def ranked(tab, f: sidebar.Filters, items, inst, registry) -> None:
    left, right = tab.columns([3, 2])
    left.markdown(f"**{t('items_ranked', name=inst.index_name)}**")
    widgets.chart(left, charts.items_bar(items, inst, registry.grades, f.lang), key=f"items_{inst.id}")
    aspects = views.aspects(items)
    right.markdown(f"**{t('aspects_ranked', name=inst.index_name)}**")
    widgets.chart(right, charts.aspects_bar(aspects, inst, registry.grades, f.lang), key=f"aspects_{inst.id}")
    table = items[["code", "statement", "aspect", "n", "nrr"]].rename(columns={
        "code": t("col_code"), "statement": t("col_statement"), "aspect": t("col_aspect"),
        "n": t("col_ni"), "nrr": t("col_nrr")})
    with tab:
        widgets.table(views.formatted(table, {t("col_nrr"): 2, t("col_ni"): 0}, f.lang))


def persistent(tab, f: sidebar.Filters, inst, window) -> None:
    tab.markdown(f"**{t('persistent_title', name=inst.index_name)}**")
    runs = views.persistent_weak(state.items(inst.id, window, by_period="month"))
    if runs.empty:
        tab.caption(t("persistent_none"))
        return
    runs = runs.assign(ongoing=runs["ongoing"].map(lambda v: t("yes") if v else t("no")))
    tab.dataframe(runs[["code", "statement", "months", "first", "last", "ongoing"]].rename(columns={
        "code": t("col_code"), "statement": t("col_statement"), "months": t("col_months"),
        "first": t("col_from"), "last": t("col_to"), "ongoing": t("col_ongoing")}))


def office_heatmap(tab, f: sidebar.Filters, inst, registry) -> None:
    per_office = state.items(inst.id, f.window(scope=f.kanwil_scope), by_office=True)
    matrix, total = views.office_item_matrix(per_office, state.scoped_offices())
    if matrix.empty:
        return
    tab.markdown(f"**{t('office_item_heatmap', name=inst.index_name)}**")
    if total > settings.get("heatmap_offices"):
        tab.caption(t("heatmap_limited", shown=settings.get("heatmap_offices"), total=total))
    widgets.chart(tab, charts.office_item_heatmap(matrix, inst, registry.grades, f.lang),
                  key=f"office_heat_{inst.id}")


def body() -> None:
    f = sidebar.filters()
    st.title(t("unsur_title", unit=f.unit_name))
    if widgets.empty_state():
        return
    registry = load_registry()
    window = f.window()
    st.caption(t("unsur_caption", start=f"{f.start:%Y-%m}" if f.start else "…",
                 end=f"{f.end:%Y-%m}" if f.end else "…"))
    instruments = [registry.get(i) for i in f.pair]
    for tab, inst in zip(st.tabs([inst.index_name for inst in instruments]), instruments):
        items = state.items(inst.id, window)
        if items.empty:
            tab.info(t("no_data_window"))
            continue
        ranked(tab, f, items, inst, registry)
        persistent(tab, f, inst, window)
        if f.office_id is None:
            office_heatmap(tab, f, inst, registry)


widgets.run_page(body)
