"""Unggah: upload survey exports, see how every column was read and which rows were rejected and why,
preview the indices the import would add, then save or cancel. Below: import history and the office
master. importer.prepare/commit do the work; the preview store is built in analytics/views.py."""
import hashlib
import tempfile
from pathlib import Path

import streamlit as st

from ui import state, widgets
from analytics.ingest import importer
from analytics.ingest import office_master, preview
from analytics import store
from analytics.present import views
from ui.text import current_lang, integer, t

TYPES = ["csv", "xlsx", "xls", "ods"]


# --- preparing the uploaded files (cached per file content, option and data version) -------------

def prepared_files(files, create: bool):
    """[(upload name, Prepared)] and [(name, refusal)] for the files not yet saved or cancelled."""
    cache = st.session_state.setdefault("_prepared", {})
    handled = st.session_state.setdefault("_upload_handled", set())
    version = state.data_version()
    uploads = [(up.name, up.getvalue()) for up in files]
    shas = [hashlib.sha256(content).hexdigest() for _, content in uploads]
    handled &= set(shas)                  # a file removed from the uploader may come back as new
    ready, refused, keep = [], [], set()
    for (name, content), sha in zip(uploads, shas):
        if sha in handled:
            continue
        key = (sha, name, create, version)
        keep.add(key)
        if key not in cache:
            options = importer.ImportOptions(create_offices=create, source="upload")
            try:
                with state.cursor() as cur:
                    cache[key] = importer.prepare(cur, content, name, options)
            except importer.ImportRefused as exc:
                cache[key] = str(exc)
        result = cache[key]
        (refused if isinstance(result, str) else ready).append((name, result))
    for key in [k for k in cache if k not in keep]:
        del cache[key]
    return ready, refused


# --- showing one prepared file ------------------------------------------------------------------

def show_prepared(name: str, prepared) -> None:
    good, bad = len(prepared.good), len(prepared.rejected)
    summary = t("validation", file=name, read=integer(prepared.rows_read), good=integer(good), bad=integer(bad),
                instruments=", ".join(i.upper() for i in prepared.instruments) or "—")
    (st.warning if bad else st.success)(summary)
    for note in prepared.notes:
        st.caption(note)
    with st.expander(t("mapping", n=len(prepared.mapping))):
        widgets.table(views.mapping_table(prepared.mapping, current_lang()))
    if bad:
        st.markdown(f"**{t('rejected_rows')}**")
        rejected = prepared.rejected
        shown = rejected[["sheet", "source_row", "reasons"]].rename(columns={
            "sheet": t("col_sheet"), "source_row": t("col_row"), "reasons": t("col_reasons")})
        if rejected["sheet"].isna().all():
            shown = shown.drop(columns=[t("col_sheet")])
        widgets.table(shown.head(1000), height=min(38 + 35 * len(shown), 320))
        st.download_button(t("download_rejects"), views.rejects_csv(rejected, current_lang()), file_name=f"ditolak_{Path(name).stem}.csv",
                           mime="text/csv", key=f"rejects_{name}", icon=":material/download:")


def upload_flow(files) -> None:
    create = bool(st.session_state.get("upload_create_offices", False))
    ready, refused = prepared_files(files, create)
    for name, message in refused:
        st.error(t("refused", file=name, message=message))
    for name, prepared in ready:
        show_prepared(name, prepared)
    unknown = sorted({office for _, p in ready for office in p.unknown_offices})
    if unknown:
        st.warning(t("unknown_offices", names=", ".join(unknown)))
        st.checkbox(t("create_offices"), key="upload_create_offices")
    if not ready:
        return
    if not any(len(p.good) for _, p in ready):
        st.error(t("nothing_to_import"))
    else:
        st.markdown(f"#### {t('preview')}")
        st.caption(t("preview_caption"))
        frame = preview.preview_indices(state.office_list(), [p for _, p in ready], create)
        shown = views.preview_table(frame, current_lang())
        widgets.table(views.formatted(shown, {t("h_converted"): 2, t("h_percent"): 2, "n": 0}, current_lang()))
    left, right, _ = st.columns([1, 1, 3])
    if left.button(t("confirm"), key="upload_confirm", type="primary", disabled=not any(len(p.good) for _, p in ready)):
        confirm(ready, create)
    if right.button(t("cancel"), key="upload_cancel"):
        st.session_state["_upload_handled"] |= {p.sha256 for _, p in ready}
        st.session_state["_flash"] = t("cancelled")
        st.rerun()


def confirm(ready, create: bool) -> None:
    options = importer.ImportOptions(create_offices=create, source="upload")
    messages = []
    with state.writer() as cur:
        for name, prepared in ready:
            report = importer.commit(cur, prepared, options)
            messages.append(t("imported", file=name, message=report.message))
    state.invalidate()
    st.session_state["_upload_handled"] |= {p.sha256 for _, p in ready}
    st.session_state["_flash"] = "  \n".join(messages)
    st.rerun()


# --- history and office master ------------------------------------------------------------------

def history() -> None:
    st.subheader(t("history"))
    frame = state.batches()
    if frame.empty:
        st.caption(t("history_empty"))
        return
    widgets.table(views.batches_table(frame, current_lang()), height=min(38 + 35 * len(frame), 360))
    labels = {int(r.batch_id): f"{r.batch_id} · {r.file_name}" for r in frame.itertuples()}
    left, right = st.columns([2, 1])
    batch = left.selectbox(t("delete_batch"), list(labels), format_func=labels.get, key="delete_batch_id")
    sure = right.checkbox(t("delete_confirm"), key="delete_batch_sure")
    if right.button(t("delete_button"), key="delete_batch_button", disabled=not sure, icon=":material/delete:"):
        with state.writer() as cur:
            store.delete_batch(cur, batch)
        state.invalidate()
        st.session_state["_flash"] = t("deleted", batch=batch)
        st.rerun()


def office_master_section() -> None:
    st.subheader(t("master"))
    widgets.table(views.offices_table(state.office_list(), current_lang()), height=320)
    upload = st.file_uploader(t("master_upload"), type=TYPES, key="master_file")
    if upload is not None and st.button(t("master_button"), key="master_import"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            try:
                with state.writer() as cur:
                    count = office_master.import_master(cur, path)
            except ValueError as exc:
                st.error(str(exc))
                return
        state.invalidate()
        st.session_state["_flash"] = t("master_done", n=integer(count))
        st.rerun()


def body() -> None:
    st.title(t("unggah_title"))
    widgets.flash()
    if not state.has_data():
        widgets.empty_state()
    files = st.file_uploader(t("upload_label"), type=TYPES, accept_multiple_files=True, key="upload_files",
                             help=t("upload_help"))
    if files:
        upload_flow(files)
    st.divider()
    history()
    st.divider()
    office_master_section()


widgets.run_page(body)
