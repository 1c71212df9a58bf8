"""Laporan: the meeting report (PDF and Excel) for the sidebar's filters, within the viewer's scope.

Built on a button press (the PDF takes seconds), cached by (data version, request): the same filters
on the same data give the same files without rebuilding. The logic is in analytics/report.
"""
import re

import streamlit as st

import pandas as pd

from analytics import accounts, report
from analytics.domain.instruments import load_registry
from analytics.present import views
from analytics.store import queries
from ui import session, sidebar, state, widgets
from ui.text import t


@st.cache_data(show_spinner=False, max_entries=16)
def _build(path: str, version: str, request: report.Request) -> dict:
    from analytics.report import pdf, xlsx

    with state.cursor() as cur:
        built = report.collect(cur, request)
    return {"pdf": pdf.build_pdf(built), "xlsx": xlsx.build_xlsx(built), "at": built.generated_text}


def request_from(f: sidebar.Filters) -> report.Request | None:
    """The report of the sidebar's filters, narrowed to what the viewer may see by the data door
    (present.scoped.Scoped.report_request): an office user gets their office and the Kanwil's pooled
    figure, saran only reviewed ones without personal-data rights; a guest (a link with downloads)
    the link's offices and months with figures from n < small_sample as "data belum cukup"."""
    if not f.scope or f.start is None or f.end is None:
        return None
    wanted = report.Request(scope=f.scope, pooled_scope=f.pool_scope or f.kanwil_scope, start=f.start, end=f.end,
                            granularity=f.granularity, rules=f.rules, lang=f.lang, kanwil=f.kanwil,
                            office=f.office, pair=f.pair)
    return state.data().report_request(wanted)


def review_saran(request: report.Request) -> None:
    """Kanwil/admin users mark saran as reviewed for sharing: only marked saran reach guests and the
    reports of viewers without personal-data rights."""
    scope = state.viewer_scope()
    if not scope.can_share:
        return
    with st.expander(t("saran_review_title"), icon=":material/rate_review:"):
        st.caption(t("saran_review_caption"))
        frame = state.suggestions(queries.Window(request.start, request.end, request.scope), limit=500)
        if frame.empty:
            st.caption(t("saran_review_empty"))
            return
        shown = pd.DataFrame({t("col_date"): frame["response_date"], t("col_office"): frame["office"],
                              t("col_saran"): frame["saran"], t("col_shared"): frame["shared"].astype(bool)})
        edited = st.data_editor(shown, key="saran_editor", hide_index=True, width="stretch",
                                disabled=[t("col_date"), t("col_office"), t("col_saran")],
                                column_config={t("col_saran"): st.column_config.TextColumn(width="large")})
        if st.button(t("saran_review_save"), key="saran_save", icon=":material/save:"):
            now_shared = edited[t("col_shared")].astype(bool).to_numpy()
            before = frame["shared"].astype(bool).to_numpy()
            ids = frame["respondent_id"].to_numpy()
            with state.writer() as cur:
                for shared in (True, False):
                    changed = ids[(now_shared == shared) & (before != shared)]
                    accounts.review_saran(cur, session.principal(), scope, changed, shared, accounts.now())
            state.invalidate()
            st.session_state["_flash"] = t("saran_review_saved")
            st.rerun()


def request_filters(request: report.Request) -> dict:
    """What the audit entry of a report download records: the filters that made it."""
    return {"kanwil": request.kanwil, "office": request.office, "from": f"{request.start:%Y-%m}",
            "to": f"{request.end:%Y-%m}", "granularity": request.granularity, "rules": request.rules,
            "pair": "/".join(request.pair) if request.pair else None, "offices": len(request.scope)}


def _file_name(request: report.Request, extension: str) -> str:
    unit = request.office or request.kanwil or "semua-kantor"
    slug = re.sub(r"[^a-z0-9]+", "-", unit.lower()).strip("-")[:60] or "laporan"
    return f"laporan-{slug}-{request.start:%Y-%m}-{request.end:%Y-%m}.{extension}"


def body() -> None:
    st.title(t("laporan_title"))
    widgets.flash()
    if widgets.empty_state():
        return
    f = sidebar.filters()
    request = request_from(f)
    if request is None:
        st.info(t("no_data_window"))
        return
    registry = load_registry()
    registry_pair = "/".join(registry.get(i).index_name for i in f.pair)
    st.caption(t("laporan_caption", scope=f"{f.kanwil_name} · {f.office or t('all_offices')}",
                 window=views.months_text(request.start, request.end), pair=registry_pair,
                 granularity=t(f"g_{f.granularity}"), rules=f.rules))
    review_saran(request)
    key = (state.db_path(), state.data_version(), request)
    if st.button(t("laporan_build"), key="build_report", type="primary", icon=":material/description:"):
        with st.spinner(t("laporan_building")):
            st.session_state["_report"] = (key, _build(*key))
    built = st.session_state.get("_report")
    if built is None:
        return
    if built[0] != key:
        st.info(t("laporan_stale"))
        return
    files = built[1]
    st.success(t("laporan_ready", pdf=round(len(files["pdf"]) / 1024), xlsx=round(len(files["xlsx"]) / 1024),
                 at=files["at"]))
    left, right = st.columns(2)
    filters = request_filters(request)
    widgets.download(left, t("laporan_pdf"), files["pdf"], file_name=_file_name(request, "pdf"),
                     mime="application/pdf", key="download_pdf", what="report_pdf", filters=filters,
                     icon=":material/picture_as_pdf:")
    widgets.download(right, t("laporan_xlsx"), files["xlsx"], file_name=_file_name(request, "xlsx"),
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     key="download_xlsx", what="report_xlsx", filters=filters, icon=":material/table:")


widgets.run_page(body)
