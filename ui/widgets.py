"""Page furniture shared by every page: tables, the page wrapper that turns errors into a plain
message, the demo banner, the empty state and one-time messages."""
from __future__ import annotations

import logging
import uuid
from typing import Callable

import pandas as pd
import streamlit as st

from analytics import demo, settings, store
from ui import session, state
from analytics.errors import DasborError, render
from ui.text import current_lang, integer, md, t

log = logging.getLogger("dasbor")


def table(data, **options) -> None:
    """st.dataframe as every page shows tables: no index, full width, '—' for a missing value
    (Streamlit would print 'None'). A viewer without downloads (a share link that does not allow
    them) gets a static table: st.dataframe's toolbar would offer a CSV download."""
    if not state.viewer_scope().downloads:
        st.table(_markdown_cells(data))
        return
    st.dataframe(data, **{"hide_index": True, "width": "stretch", "placeholder": "—", **options})


def _markdown_cells(data):
    """st.table renders every cell as Markdown (st.dataframe does not): the text cells are escaped
    (office names, labels), numbers keep their formatting. A Styler's text columns get md as their
    formatter; the views format only numeric columns, whose formatters stay."""
    if hasattr(data, "unrendered"):               # a shared, prerendered table: format a copy of this run's own
        styler = data.unrendered._copy(deepcopy=True)
    else:
        styler = data if hasattr(data, "hide") else data.reset_index(drop=True).style
    text = [c for c in styler.data.columns if not pd.api.types.is_numeric_dtype(styler.data[c])
            and not pd.api.types.is_datetime64_any_dtype(styler.data[c])]
    if text:
        styler = styler.format(_text_cell, subset=text)
    return styler.hide(axis="index")


def _text_cell(value) -> str:
    return "—" if value is None or (isinstance(value, float) and value != value) or value is pd.NA else md(value)


def prerendered(styler):
    """A pandas Styler whose cell texts and styles are worked out now, once. st.dataframe/st.table call
    the Styler's _compute() and _translate() on every run (a 300-office Ringkasan table: a third of a
    warm run); a Styler kept in the shared page data (state.page_data) would give the same answer each
    time, so the first is kept and handed back. Call it inside page_data's compute: afterwards the
    object is only read, by any number of sessions. The index is hidden (as table() shows it).
    `unrendered` keeps a copy that can still be formatted: st.table (guests) escapes its text cells."""
    styler.hide(axis="index")
    styler.unrendered = styler._copy(deepcopy=True)
    styler._compute()
    translated = styler._translate(False, False)      # the arguments Streamlit passes
    styler._compute = lambda: styler
    styler._translate = lambda *args, **kwargs: translated
    return styler


def download(container, label: str, data: bytes, *, file_name: str, mime: str, key: str, what: str,
             filters: dict | None = None, **options) -> None:
    """Every file the app hands out goes through here: nothing without download rights (a share link
    that does not allow them), and an audit entry with the filters on each click. The table toolbar's
    CSV export is built in the browser (no server event), so it cannot be audited; docs/security.md."""
    if not state.viewer_scope().downloads:
        return
    container.download_button(label, data, file_name=file_name, mime=mime, key=key, on_click=_audit_download,
                              args=(what, file_name, filters or {}), **options)


def _audit_download(what: str, file_name: str, filters: dict) -> None:
    session.audit("download", what=what, file=file_name, filters=filters)


def chart(container, figure, **options) -> None:
    """st.plotly_chart as every page shows charts: Plotly's "download as PNG" button only for viewers
    with download rights (a share link may forbid them)."""
    config = {"displaylogo": False, **options.pop("config", {})}
    if not state.viewer_scope().downloads:
        config["modeBarButtonsToRemove"] = ["toImage"]
    container.plotly_chart(figure, config=config, **{"width": "stretch", **options})


def signed_out(reason: str) -> None:
    """No valid session: say why in one sentence and link to the sign-in page; nothing else."""
    st.title(t("signin_title"))
    message = {"none": "signin_needed", "unknown": "signin_invalid", "expired": "signin_expired",
               "revoked": "signin_revoked", "disabled": "signin_disabled"}.get(reason, "signin_invalid")
    (st.info if reason == "none" else st.warning)(t(message))
    st.link_button(t("signin_button"), "/masuk", type="primary", icon=":material/login:")


def account_box(principal) -> None:
    """Who is signed in, and the way out."""
    bar = st.sidebar
    bar.divider()
    if principal.is_guest:
        bar.caption(t("signed_in_guest", label=principal.name))
    else:
        bar.caption(t("signed_in_as", name=principal.display_name or principal.name, role=principal.role))
    bar.link_button(t("signout_button"), "/keluar", icon=":material/logout:")


def guest_footer(principal) -> None:
    """Every guest page: shared with whom, valid until when, which scope."""
    if principal is None or not principal.is_guest:
        return
    names = state.scoped_offices()["name"].tolist()
    st.divider()
    st.caption(t("guest_footer", label=principal.name,
                 until=f"{principal.expires_at:%Y-%m-%d %H:%M}" if principal.expires_at else "—",
                 offices=", ".join(names) or "—",
                 start=f"{principal.month_from:%Y-%m}", end=f"{principal.month_to:%Y-%m}",
                 instruments=", ".join(i.upper() for i in principal.instruments),
                 n=settings.get("small_sample")))


def run_page(body: Callable[[], None]) -> None:
    """Run a page body; an error becomes a plain message (the traceback goes to the server log)."""
    try:
        demo_banner()
        body()
    except Exception as exc:   # Streamlit's own rerun/stop signals are BaseException and pass through
        show_error(exc, "page failed")


def show_error(exc: Exception, what: str) -> None:
    """A DasborError in the page's language, naming the control to use (surface "ui"); a damaged store
    or a full disk (store.explain) said as such, and the store opened again on the next run; any other
    exception is a bug: a plain 'unexpected error' message with an id, the traceback in the server log
    under that id. No absolute server path reaches the page (errors render paths by location)."""
    explained = exc if isinstance(exc, DasborError) else store.explain(exc, _db_path())
    if isinstance(explained, store.StoreError) and explained.code in store.REOPEN_CODES:
        state.forget_connection()
    if explained is not None:
        log.warning("%s: %s", what, exc)
        st.error(t("error_input", message=render(explained, current_lang(), "ui").rstrip(".")))
    else:
        bug_id = uuid.uuid4().hex[:8]
        log.exception("%s (bug %s)", what, bug_id)
        st.error(t("error_page", id=bug_id))


def _db_path() -> str | None:
    try:
        return state.db_path()
    except Exception:       # noqa: BLE001 — a bad setting is reported by the caller's message
        return None


def demo_banner() -> None:
    if state.is_demo_data():
        st.warning(t("demo_banner"), icon=":material/science:")


def empty_state() -> bool:
    """Tell a new user what to do when the store holds no survey data. True when it was shown."""
    if state.has_data():
        return False
    st.subheader(t("empty_title"))
    st.markdown(t("empty_body"))
    left, right = st.columns([1, 1])
    if left.button(t("load_demo"), key="load_demo", type="primary", icon=":material/play_circle:"):
        load_demo()
    right.page_link("ui/pages/unggah.py", label=t("go_upload"), icon=":material/upload:")
    return True


def load_demo() -> None:
    with st.spinner(t("loading_demo")), state.writer() as cur:
        reports = demo.load_demo(cur)
    state.invalidate()
    st.session_state["_flash"] = t("demo_loaded", n=integer(sum(r.rows_imported for r in reports)))
    st.rerun()


def flash() -> None:
    """A one-time message left by the previous run (e.g. after loading the demo)."""
    message = st.session_state.pop("_flash", None)
    if message:
        st.success(message)
