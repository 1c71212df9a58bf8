"""Dasbor IKM–IPK — minimal page until the dashboard lands: the indices table of the store."""
import streamlit as st

from analytics import config, queries, store

st.set_page_config(page_title="Dasbor IKM–IPK", layout="wide")
st.title("Dasbor IKM–IPK")
try:
    con = store.connect(config.db_path(), read_only=True)
except store.StoreError as exc:
    st.info(f"Belum ada data: {exc}. Jalankan `make run` atau `python -m analytics demo`.")
else:
    st.caption("Indeks per kantor dan bulan (data demo sintetis bila dibangun oleh `make run`).")
    st.dataframe(queries.indices(con, by="office", period="month"), hide_index=True)
