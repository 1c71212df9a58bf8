"""Dasbor IKM–IPK: the Streamlit script (served by server.py, which adds the sign-in routes and the
security headers). Every run first decides who is looking (ui/session.py re-checks the session row),
then draws the sidebar filters (bound to the URL, within the viewer's scope) and the pages that
viewer's role may open; each page script lives in ui/pages/ and its logic in analytics/.

Why not pages/: a folder named pages/ beside the entry point makes Streamlit 1.67 start in its legacy
multipage mode — a fresh server's first request for /tren runs app_pages' script alone, without this
file's sidebar, and AppTest loses the sidebar after the first rerun.
"""
import logging
from pathlib import Path

import streamlit as st

from analytics import settings
from ui import session, sidebar, state, widgets
from ui.text import t

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
st.set_page_config(page_title="Dasbor IKM–IPK", page_icon=str(Path(__file__).parent / "ui" / "icon.png"), layout="wide")

PAGES = [  # url paths are a contract with the browser tests: keep them
    ("ui/pages/ringkasan.py", "page_ringkasan", ":material/table_chart:", "ringkasan"),
    ("ui/pages/tren.py", "page_tren", ":material/show_chart:", "tren"),
    ("ui/pages/unsur.py", "page_unsur", ":material/format_list_numbered:", "unsur"),
    ("ui/pages/kesiapan.py", "page_kesiapan", ":material/verified:", "kesiapan"),
    ("ui/pages/laporan.py", "page_laporan", ":material/description:", "laporan"),
    ("ui/pages/integritas.py", "page_integritas", ":material/policy:", "integritas"),
    ("ui/pages/unggah.py", "page_unggah", ":material/upload_file:", "unggah"),
    ("ui/pages/bagikan.py", "page_bagikan", ":material/share:", "bagikan"),
    ("ui/pages/audit.py", "page_audit", ":material/history:", "audit"),
    ("ui/pages/pengguna.py", "page_pengguna", ":material/group:", "pengguna"),
    ("ui/pages/metode.py", "page_metode", ":material/menu_book:", "metode"),
]

try:
    settings.check()          # a bad DASBOR_… variable is named here rather than deep in a page
    state.begin_run()
    principal, reason = session.resolve()
except Exception as exc:      # e.g. the database is held by another process: say so, show nothing
    widgets.show_error(exc, "session check failed")
    st.stop()
if principal is None:         # no valid session: a sign-in page and nothing else (no page list either)
    st.navigation([st.Page(lambda: widgets.signed_out(reason), title=t("signin_title"), url_path="masuk-info",
                           default=True)], position="hidden").run()
    st.stop()

try:
    sidebar.remember(sidebar.sidebar())
except Exception as exc:      # e.g. the database is held by another process: say so, keep the pages
    st.session_state.pop("_filters", None)
    widgets.show_error(exc, "sidebar failed")
widgets.account_box(principal)

allowed = session.scope().pages
if not allowed:               # an account whose Kanwil/offices match no office: nothing to show
    st.warning(t("scope_empty"))
    st.stop()
navigation = st.navigation([
    st.Page(path, title=t(title), icon=icon, url_path=url_path, default=(url_path == allowed[0]))
    for path, title, icon, url_path in PAGES if url_path in allowed
])
navigation.run()
widgets.guest_footer(principal)
