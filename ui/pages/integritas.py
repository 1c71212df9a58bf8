"""Integritas: per office × instrument × period the integrity signals that fire, with their evidence;
the funnel plot of the all-maximum share against n for a Kanwil; an office's own history. Shown as
"perlu klarifikasi", never as a verdict."""
import streamlit as st

from analytics import settings
from analytics.domain import integrity as rules_mod
from analytics.present import integrity as view, integrity_charts
from analytics.domain.instruments import load_registry
from ui import sidebar, state, widgets
from ui.text import current_lang, integer, t


def body() -> None:
    st.title(t("integritas_title"))
    if widgets.empty_state():
        return
    f, registry, lang, rules = sidebar.filters(), load_registry(), current_lang(), rules_mod.load_rules()
    st.markdown(t("ig_intro"))
    if f.end is None or not f.kanwil_scope:
        st.info(t("no_data_window"))
        return
    # Peers are the Kanwil's offices: examine the whole Kanwil, then narrow to the chosen office.
    results = state.integrity_results(f.window(scope=f.kanwil_scope), f.pair)
    if f.office_id is not None:
        shown = [r for r in results if r.unit.office_id == f.office_id]
    else:
        shown = results
    clarify = sum(r.clarify for r in shown)
    single = sum(bool(r.signals) and not r.clarify for r in shown)
    for column, label, value in zip(st.columns(3), ("ig_metric_units", "ig_metric_clarify", "ig_metric_signal"),
                                    (len(shown), clarify, single)):
        column.metric(t(label), integer(value), border=True)
    st.caption(t("ig_unit_note", n=rules.min_n, export_tz=settings.get("export_tz"),
                 office_tz=settings.get("office_tz")))
    missing = view.time_unavailable(shown)
    if missing:
        st.caption(t("ig_time_unavailable", n=integer(missing)))
    with_single = st.toggle(t("ig_show_single"), key="ig_single")
    table = view.table(shown, lang, only_clarify=not with_single)
    if table.empty:
        st.success(t("ig_none"))
    else:
        widgets.table(table, height=min(38 + 35 * len(table), 600))

    st.subheader(t("ig_funnel_h"))
    left, middle, right = st.columns(3)
    instrument = left.selectbox(t("ig_pick_instrument"), list(f.pair), key="ig_instrument",
                                format_func=lambda i: registry.get(i).index_name)
    labels = sorted({r.unit.label for r in results if r.unit.instrument == instrument}, reverse=True)
    kanwils = sorted({r.unit.kanwil for r in results if r.unit.kanwil is not None})
    kanwil = f.kanwil if f.kanwil else (middle.selectbox(t("ig_pick_kanwil"), kanwils, key="ig_kanwil")
                                        if kanwils else None)
    period = right.selectbox(t("ig_pick_period"), labels, key="ig_period") if labels else None
    funnel = view.funnel_of(results, kanwil, instrument, period) if period else None
    if funnel is None:
        st.info(t("ig_no_funnel", n=rules.min_peers))
    else:
        points = view.funnel_points(results, kanwil, instrument, period)
        title = f"{kanwil} · {registry.get(instrument).index_name} · {period}"
        widgets.chart(st, integrity_charts.funnel_figure(points, funnel, lang, title))

    st.subheader(t("ig_history_h"))
    names = sorted({r.unit.office for r in results})
    flagged = [r.unit.office for r in shown if r.clarify]
    default = f.office or (flagged[0] if flagged else names[0])
    office = st.selectbox(t("ig_pick_office"), names, index=names.index(default), key="ig_office")
    history = view.history(results, office, instrument)
    if not history.empty:
        widgets.chart(st, integrity_charts.history_figure(
            history, lang, f"{office} · {registry.get(instrument).index_name}"))
    st.caption(t("small_sample_note", n=settings.get("small_sample")))


widgets.run_page(body)
