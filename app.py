"""Dasbor IKM–IPK: the Streamlit entry point. Sidebar filters (bound to the URL) and the page list;
each page script lives in ui/pages/ and its logic in analytics/ (views.py, charts.py).

Why not pages/: a folder named pages/ beside the entry point makes Streamlit 1.67 start in its legacy
multipage mode — a fresh server's first request for /tren runs app_pages' script alone, without this
file's sidebar, and AppTest loses the sidebar after the first rerun.
"""
import logging

import streamlit as st

from analytics import settings
from ui import sidebar, widgets
from ui.text import t

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
st.set_page_config(page_title="Dasbor IKM–IPK", page_icon=":material/monitoring:", layout="wide")

PAGES = [  # url paths are a contract with the browser tests: keep them
    ("ui/pages/ringkasan.py", "page_ringkasan", ":material/table_chart:", "ringkasan"),
    ("ui/pages/tren.py", "page_tren", ":material/show_chart:", "tren"),
    ("ui/pages/unsur.py", "page_unsur", ":material/format_list_numbered:", "unsur"),
    ("ui/pages/kesiapan.py", "page_kesiapan", ":material/verified:", "kesiapan"),
    ("ui/pages/laporan.py", "page_laporan", ":material/description:", "laporan"),
    ("ui/pages/integritas.py", "page_integritas", ":material/policy:", "integritas"),
    ("ui/pages/unggah.py", "page_unggah", ":material/upload_file:", "unggah"),
    ("ui/pages/metode.py", "page_metode", ":material/menu_book:", "metode"),
]

try:
    settings.check()          # a bad DASBOR_… variable is named here rather than deep in a page
    sidebar.remember(sidebar.sidebar())
except Exception as exc:      # e.g. the database is held by another process: say so, keep the pages
    st.session_state.pop("_filters", None)
    widgets.show_error(exc, "sidebar failed")

navigation = st.navigation([
    st.Page(path, title=t(title), icon=icon, url_path=url_path, default=(url_path == "ringkasan"))
    for path, title, icon, url_path in PAGES
])
navigation.run()
