"""Kesiapan ZI: per office, whether the survey component meets WBK/WBBM under the chosen rule set,
what is still missing in the user's terms, and 'data belum cukup' below 30 respondents."""
import streamlit as st

from ui import sidebar, state, widgets
from analytics.store import queries
from analytics.present import views
from ui.text import integer, t
from analytics.domain.instruments import load_registry

WINDOWS = ("quarter", "filter")


def assessment_window(f: sidebar.Filters) -> queries.Window | None:
    """Default: the latest full quarter with data; or the sidebar's month range."""
    quarter = state.latest_full_quarter(f.scope)
    labels = {"quarter": t("zi_window_quarter", label=views.months_text(*quarter) if quarter
                            else t("zi_window_none")),
              "filter": t("zi_window_filter", start=f"{f.start:%Y-%m}" if f.start else "…",
                          end=f"{f.end:%Y-%m}" if f.end else "…")}
    choice = st.radio(t("zi_window"), WINDOWS, format_func=labels.get, key="zi_window", horizontal=True)
    if choice == "quarter":
        return queries.Window(*quarter, f.scope) if quarter else None
    return f.window()


def styled(f: sidebar.Filters, window: queries.Window):
    table = views.readiness_table(state.readiness(f.rules, window), load_registry(), f.lang)
    return widgets.prerendered(views.formatted(*views.readiness_display(table, f.lang), f.lang,
                                               counts=views.readiness_n_columns(f.lang)))


def counts(frame) -> None:
    found = views.readiness_counts(frame)
    for column, level, key in zip(st.columns(4), ("wbbm", "wbk", "no", "insufficient"),
                                  ("count_wbbm", "count_wbk", "count_no", "count_insufficient")):
        column.metric(t(key), integer(found[level]), border=True)


def body() -> None:
    f = sidebar.filters()
    registry = load_registry()
    rules = registry.rule_set(f.rules)
    st.title(t("kesiapan_title"))
    st.caption(t("kesiapan_caption", rules=f"{rules.id}: {rules.name}", n=rules.min_respondents))
    if widgets.empty_state():
        return
    window = assessment_window(f)
    frame = state.readiness(f.rules, window) if window else None
    if frame is None or frame.empty:
        st.info(t("no_data_window"))
        return
    counts(frame)
    shown = state.page_data("kesiapan.table", styled, f, window)
    widgets.table(shown, height=min(38 + 35 * len(shown.data), 760))


widgets.run_page(body)
