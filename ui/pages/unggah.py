"""Unggah: upload survey exports, see how every column was read and which rows were rejected and why,
preview the indices the import would add, then save or cancel. Below: import history and the office
master. importer.prepare/commit do the work; the preview store is built in analytics/views.py."""
import hashlib
from datetime import date
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from ui import session, state, widgets
from analytics.store import access as access_store
from analytics.domain import access
from analytics.domain.instruments import load_registry
from analytics.errors import InputError, render
from analytics.ingest import importer
from analytics.ingest import mapping, office_master, preview
from analytics import accounts, settings, store
from analytics.present import scoped, views
from analytics.store import trash as store_trash
from ui.text import current_lang, integer, message, t

TYPES = ["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"]


# --- preparing the uploaded files (cached per file content, option and data version) -------------

def import_options(create: bool) -> importer.ImportOptions:
    """The options the page's controls set (instrument, office, period, create offices)."""
    return importer.ImportOptions(instrument=st.session_state.get("upload_instrument") or None,
                                  office=(st.session_state.get("upload_office") or "").strip() or None,
                                  period=(st.session_state.get("upload_period") or "").strip() or None,
                                  ignore_columns=tuple(st.session_state.get("upload_ignore") or ()),
                                  date_order=st.session_state.get("upload_date_order") or None,
                                  labels=tuple(st.session_state.get("_label_scores") or ()),
                                  create_offices=create, source="upload")


def period_choices(today: date) -> list[str]:
    """The month picker's entries: the last 36 months (YYYY-MM, newest first), then the last 5 years
    (YYYY: the year of a workbook with one sheet per month). Another value may be typed."""
    months = [(today.year * 12 + today.month - 1) - back for back in range(36)]
    return [f"{m // 12}-{m % 12 + 1:02d}" for m in months] + [str(today.year - back) for back in range(5)]


def option_controls() -> None:
    """What a file may not say itself; the refusal hints (hint_*_ui) name these boxes."""
    st.caption(t("upload_options"))
    instrument, office, period, order = st.columns(4)
    ids = ["", *sorted(load_registry().instruments)]
    auto = t("upload_instrument_auto")      # bound now: format_func may run outside this script run
    auto_office, auto_period = t("upload_office_auto"), t("upload_period_auto")
    instrument.selectbox(t("upload_instrument"), ids, key="upload_instrument", help=t("upload_instrument_help"),
                         format_func=lambda i: auto if not i else i.upper())
    names = ["", *sorted(state.scoped_offices()["name"].astype(str))]
    office.selectbox(t("upload_office"), names, key="upload_office", help=t("upload_office_help"),
                     format_func=lambda n: n or auto_office, accept_new_options=True)
    period.selectbox(t("upload_period"), ["", *period_choices(date.today())], key="upload_period",
                     help=t("upload_period_help"), format_func=lambda p: p or auto_period, accept_new_options=True)
    orders = {"": t("upload_date_order_auto"), "dmy": t("upload_date_order_dmy"), "mdy": t("upload_date_order_mdy")}
    order.selectbox(t("upload_date_order"), list(orders), key="upload_date_order", format_func=orders.get,
                    help=t("upload_date_order_help"))
    choices = st.session_state.get("_ignore_options") or []
    if choices:     # columns a refusal named: leaving them out is the user's explicit choice
        st.multiselect(t("upload_ignore"), choices, key="upload_ignore", help=t("upload_ignore_help"))
    label_table()


def label_table() -> None:
    """Labels a refusal named (no known set resolves them): the user gives each its score; the
    (column, label, score) rows with a score become ImportOptions.labels (CLI --label)."""
    unknown = st.session_state.get("_label_options") or []
    if not unknown:
        return
    column, label, score = t("labels_col_column"), t("labels_col_label"), t("labels_col_score")
    st.markdown(f"**{label}**")
    frame = pd.DataFrame(unknown, columns=[column, label]).assign(**{score: None})
    edited = st.data_editor(frame, key="upload_labels", hide_index=True, disabled=[column, label],
                            column_config={score: st.column_config.NumberColumn(min_value=0, step=1)})
    st.caption(t("upload_labels_help"))
    st.session_state["_label_scores"] = [(c, lab, int(v)) for c, lab, v in edited.itertuples(index=False)
                                         if pd.notna(v)]


def offer_columns_to_ignore(refused) -> None:
    """Answer-looking columns nothing maps become choices of the 'Ignore columns' box (shown above)."""
    known = st.session_state.setdefault("_ignore_options", [])
    new = [name for _, error in refused if error.code in ("unmapped_answer_columns", "ambiguous_office_column")
           for name in error.params.get("names", ()) if name not in known]
    if new:
        known.extend(new)
        st.rerun()


def offer_labels(refused) -> None:
    """Unknown answer labels of a refusal become rows of the 'Label jawaban' table (shown above)."""
    known = st.session_state.setdefault("_label_options", [])
    new = [(error.params["column"], label) for _, error in refused if error.code == "labels_unresolved"
           for label in error.params.get("labels", ()) if (error.params["column"], label) not in known]
    if new:
        known.extend(new)
        st.rerun()


def within_scope(name: str, prepared) -> bool:
    """A file may only write rows of offices in the uploader's scope (rule: access.upload_outside)."""
    outside = access.upload_outside(state.viewer_scope(), prepared.good, prepared.unknown_offices)
    if outside:
        st.error(t("upload_outside_scope", file=name, names=", ".join(outside[:10])))
        session.audit("scope_violation", what="upload", file=name, offices=outside[:10])
        return False
    return True


def prepared_files(files, create: bool):
    """[(upload name, Prepared)] and [(name, refusal)] for the files not yet saved or cancelled."""
    cache = st.session_state.setdefault("_prepared", {})
    handled = st.session_state.setdefault("_upload_handled", set())
    version = state.data_version()
    uploads = [(up.name, up.getvalue()) for up in files]
    shas = [hashlib.sha256(content).hexdigest() for _, content in uploads]
    handled &= set(shas)                  # a file removed from the uploader may come back as new
    options = import_options(create)
    ready, refused, keep = [], [], set()
    for (name, content), sha in zip(uploads, shas):
        if sha in handled:
            continue
        key = (sha, name, create, options.instrument, options.office, options.period, options.ignore_columns,
               options.date_order, options.labels, version)
        keep.add(key)
        if key not in cache:
            try:
                with state.cursor() as cur:
                    cache[key] = importer.prepare(cur, content, name, options)
            except importer.ImportRefused as exc:
                cache[key] = exc
        result = cache[key]
        (refused if isinstance(result, importer.ImportRefused) else ready).append((name, result))
    ready = [(name, p) for name, p in ready if within_scope(name, p)]
    for key in [k for k in cache if k not in keep]:
        del cache[key]
    return ready, refused


# --- showing one prepared file ------------------------------------------------------------------

def localized_rejects(prepared, lang: str) -> pd.DataFrame:
    """The rejected rows with their reasons in the page's language (the store keeps Indonesian)."""
    reasons: dict[tuple, list[str]] = {}
    for error in prepared.errors:
        reasons.setdefault((error.sheet, error.row), []).append(render(error.describe(), lang, "ui"))
    rejected = prepared.rejected.copy()
    keys = zip(rejected["sheet"].where(rejected["sheet"].notna(), None), rejected["source_row"])
    rejected["reasons"] = ["; ".join(reasons.get((sheet, int(row)), [reason]))
                           for (sheet, row), reason in zip(keys, prepared.rejected["reasons"])]
    return rejected


def losses(prepared, lang: str) -> list[str]:
    """What importing this file as it stands would leave out, most serious first: instruments with
    fewer columns than items, columns the user chose to ignore, rejected rows by reason."""
    lost = [message(n) for n in prepared.notes if getattr(n, "code", None) == "instrument_incomplete"]
    chosen = [c["column"] for c in prepared.ignored if c["reason"] == mapping.USER_IGNORED]
    if chosen:
        lost.append(t("lost_ignored", columns=", ".join(chosen)))
    reasons: dict[str, int] = {}
    for error in prepared.errors:
        text = render(error.message, lang, "ui") if error.code else str(error.message)
        key = error.code or text
        reasons[key] = reasons.get(key, 0) + 1
    if prepared.errors:
        examples = {}
        for error in prepared.errors:
            examples.setdefault(error.code or str(error.message), render(error.describe(), lang, "ui"))
        top = sorted(reasons.items(), key=lambda kv: -kv[1])[:3]
        lost.append(t("lost_rejected", n=integer(len(prepared.rejected)),
                      reasons="; ".join(f"{integer(n)}× {examples[k]}" for k, n in top)))
    return lost


def show_prepared(name: str, prepared) -> None:
    good, bad = len(prepared.good), len(prepared.rejected)
    lost = losses(prepared, current_lang())
    if lost:
        st.warning(t("lost_title", file=name) + "\n" + "\n".join(f"- {line}" for line in lost))
    summary = t("validation", file=name, read=integer(prepared.rows_read), good=integer(good), bad=integer(bad),
                instruments=", ".join(i.upper() for i in prepared.instruments) or "—")
    (st.warning if bad else st.success)(summary)
    for note in prepared.notes:
        st.caption(message(note))
    with st.expander(t("mapping", n=len(prepared.mapping))):
        widgets.table(views.mapping_table(prepared.mapping, current_lang()))
    if bad:
        st.markdown(f"**{t('rejected_rows')}**")
        rejected = localized_rejects(prepared, current_lang())
        shown = rejected[["sheet", "source_row", "reasons"]].rename(columns={
            "sheet": t("col_sheet"), "source_row": t("col_row"), "reasons": t("col_reasons")})
        if rejected["sheet"].isna().all():
            shown = shown.drop(columns=[t("col_sheet")])
        widgets.table(shown.head(1000), height=min(38 + 35 * len(shown), 320))
        if state.viewer_scope().personal:       # the rejected rows' cells are respondent data
            widgets.download(st, t("download_rejects"), views.rejects_csv(rejected, current_lang()),
                             file_name=f"ditolak_{Path(name).stem}.csv", mime="text/csv", key=f"rejects_{name}",
                             what="rejected_rows", filters={"upload": name}, icon=":material/download:")


def upload_flow(files) -> None:
    create = bool(st.session_state.get("upload_create_offices", False))
    option_controls()
    ready, refused = prepared_files(files, create)
    offer_columns_to_ignore(refused)
    offer_labels(refused)
    for name, error in refused:
        st.error(t("refused", file=name, message=error))
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
    options = import_options(create)
    messages = []
    with state.writer() as cur:
        for name, prepared in ready:
            report = importer.commit(cur, prepared, options)
            messages.append(t("imported", file=name, message=report.render(current_lang(), "ui")))
            accounts.audit(cur, session.principal(), "upload", {"file": name, "batch": report.batch_id,
                                                               "rows": report.rows_imported, "status": report.status})
    state.invalidate()
    st.session_state["_upload_handled"] |= {p.sha256 for _, p in ready}
    st.session_state["_flash"] = "  \n".join(messages)
    st.rerun()


# --- history and office master ------------------------------------------------------------------

def visible_batches():
    """Batches the viewer may see and delete (the rule: present/scoped.batches_within)."""
    with state.cursor() as cur:
        held = access_store.batch_offices(cur)
    return scoped.batches_within(state.viewer_scope(), state.batches(), held)


def visible_trash():
    with state.cursor() as cur:
        return scoped.batches_within(state.viewer_scope(), store_trash.listing(cur), store_trash.trashed_offices(cur))


# Every control of a delete/restore; all are cleared after each action, so nothing stays armed.
DELETE_KEYS = ("delete_batch_id", "delete_batch_typed", "restore_batch_id", "trash_empty_sure")


def reset_after_action(message: str) -> None:
    st.session_state["_delete_reset"] = True
    st.session_state["_flash"] = message
    state.invalidate()
    st.rerun()


def history() -> None:
    if st.session_state.pop("_delete_reset", False):      # before the widgets exist: they start empty
        for key in DELETE_KEYS:
            st.session_state.pop(key, None)
    st.subheader(t("history"))
    frame = visible_batches()
    if frame.empty:
        st.caption(t("history_empty"))
    else:
        widgets.table(views.batches_table(frame, current_lang()), height=min(38 + 35 * len(frame), 360))
        if state.viewer_scope().can_delete:
            delete_control(frame)
    if state.viewer_scope().can_delete:
        trash_section()


def delete_control(frame: pd.DataFrame) -> None:
    """Pick a batch, type its file name or id, then delete it (into the trash)."""
    names = {int(r.batch_id): r.file_name for r in frame.itertuples()}
    left, middle, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    batch = left.selectbox(t("delete_batch"), list(names), index=None, placeholder=t("delete_pick"),
                           format_func=lambda b: f"{b} · {names[b]}", key="delete_batch_id")
    typed = middle.text_input(t("delete_type"), key="delete_batch_typed", help=t("delete_type_help"),
                              disabled=batch is None)
    armed = batch is not None and typed.strip() in (str(batch), names[batch])
    if right.button(t("delete_button"), key="delete_batch_button", disabled=not armed, icon=":material/delete:"):
        if not state.viewer_scope().can_delete or batch not in set(visible_batches()["batch_id"].astype(int)):
            session.audit("scope_violation", what="delete", batch=int(batch))
            return
        principal = session.principal()
        with state.writer() as cur:
            store.delete_batch(cur, batch, deleted_by=principal.actor if principal else "-")
            accounts.audit(cur, principal, "batch_deleted", {"batch": int(batch), "file": names[batch]})
        reset_after_action(t("deleted", batch=batch, days=settings.get("trash_days")))


def trash_section() -> None:
    """Deleted batches, restorable until the trash is emptied (after trash_days, or by an admin)."""
    frame = visible_trash()
    st.markdown(f"#### {t('trash_title')}")
    st.caption(t("trash_caption", days=settings.get("trash_days")))
    if frame.empty:
        st.caption(t("trash_empty_list"))
        return
    widgets.table(views.trash_table(frame, current_lang()), height=min(38 + 35 * len(frame), 240))
    names = {int(r.batch_id): r.file_name for r in frame.itertuples()}
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    batch = left.selectbox(t("restore_batch"), list(names), index=None, placeholder=t("delete_pick"),
                           format_func=lambda b: f"{b} · {names[b]}", key="restore_batch_id")
    if right.button(t("restore_button"), key="restore_batch_button", disabled=batch is None,
                    icon=":material/restore_from_trash:"):
        if not state.viewer_scope().can_delete or batch not in set(visible_trash()["batch_id"].astype(int)):
            session.audit("scope_violation", what="restore", batch=int(batch))
            return
        try:
            with state.writer() as cur:
                store_trash.restore(cur, batch)
                accounts.audit(cur, session.principal(), "batch_restored", {"batch": int(batch)})
        except InputError as exc:
            st.error(message(exc))
            return
        reset_after_action(t("restored", batch=batch))
    if state.viewer_scope().office_master:          # emptying for good: the admin only
        sure = st.checkbox(t("trash_empty_confirm", n=len(frame)), key="trash_empty_sure")
        if st.button(t("trash_empty_button"), key="trash_empty_button", disabled=not sure,
                     icon=":material/delete_forever:"):
            with state.writer() as cur:
                gone = store_trash.purge(cur)
                accounts.audit(cur, session.principal(), "trash_emptied", {"batches": gone})
            reset_after_action(t("trash_emptied", n=len(gone)))


def office_master_section() -> None:
    st.subheader(t("master"))
    widgets.table(views.offices_table(state.scoped_offices(), current_lang()), height=320)
    if not state.viewer_scope().office_master:
        return
    upload = st.file_uploader(t("master_upload"), type=TYPES, key="master_file")
    if upload is not None and st.button(t("master_button"), key="master_import"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            try:
                with state.writer() as cur:
                    count = office_master.import_master(cur, path)
            except InputError as exc:
                st.error(message(exc))
                return
        state.invalidate()
        st.session_state["_flash"] = t("master_done", n=integer(count))
        st.rerun()


def body() -> None:
    st.title(t("unggah_title"))
    if not state.viewer_scope().can_upload:      # not listed for this role; a direct call stops here
        st.error(t("signin_needed"))
        return
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
