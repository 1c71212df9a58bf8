"""Page furniture shared by every page: tables, the page wrapper that turns errors into a plain
message, the demo banner, the empty state and one-time messages."""
from __future__ import annotations

import logging
from typing import Callable

import streamlit as st

from analytics import demo
from ui import state
from analytics.errors import DasborError, render
from ui.text import current_lang, integer, t

log = logging.getLogger("dasbor")


def table(data, **options) -> None:
    """st.dataframe as every page shows tables: no index, full width, '—' for a missing value
    (Streamlit would print 'None')."""
    st.dataframe(data, **{"hide_index": True, "width": "stretch", "placeholder": "—", **options})


def run_page(body: Callable[[], None]) -> None:
    """Run a page body; an error becomes a plain message (the traceback goes to the server log)."""
    try:
        demo_banner()
        body()
    except Exception as exc:   # Streamlit's own rerun/stop signals are BaseException and pass through
        show_error(exc, "page failed")


def show_error(exc: Exception, what: str) -> None:
    """A DasborError in the page's language, naming the control to use (surface "ui"); any other
    exception is a bug: a plain 'unexpected error' message, the traceback in the server log."""
    if isinstance(exc, DasborError):
        log.warning("%s: %s", what, exc)
        st.error(t("error_input", message=render(exc, current_lang(), "ui").rstrip(".")))
    else:
        log.exception(what)
        st.error(t("error_page"))


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
