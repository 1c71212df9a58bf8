"""The Streamlit pages through AppTest: empty store, demo data, filters, language, upload, errors.

The demo store is built once per session (fixed `today`); tests that write use their own store.
Streamlit's caches are process-global, so every test starts and ends with them cleared.
"""
from __future__ import annotations

import base64
import gc
import json
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests import access_support
from ui import session, state
from analytics import store
from analytics.store import offices, queries
from tests.fixtures.make_fixtures import export_csv

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 60
PAGES = ["ringkasan", "tren", "unsur", "kesiapan", "laporan", "integritas", "unggah", "metode"]
JABAR = "Kanwil Kemenkumham Jawa Barat"


@pytest.fixture(scope="session")
def demo_store(demo_db):
    """(path, CLI indices of 2026-10) — the CLI runs before any app holds the file."""
    out = subprocess.run([sys.executable, "-m", "analytics", "indices", "--db", str(demo_db), "--format", "json",
                          "--by", "office", "--period", "month", "--from", "2026-10", "--to", "2026-10"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return demo_db, json.loads(out.stdout)


def _clear_caches():
    state.invalidate()                    # st.cache_data and the shared page data
    st.cache_resource.clear()
    gc.collect()                          # closes the previous test's store connection


@pytest.fixture
def app(monkeypatch):
    """make(db, role="admin", **query_params) → an AppTest of app.py on that store (not run yet),
    signed in as a new account of that role (role=None: nobody signed in; kanwils=/offices=/
    can_upload= shape the account; guest=dict(offices=…, …) opens a share link instead)."""
    def make(db, role="admin", kanwils=(), offices=(), can_upload=False, guest=None, **query):
        monkeypatch.setenv("DASBOR_DB", str(db))
        _clear_caches()
        token = None
        if guest is not None:
            with state.writer() as cur:
                token = access_support.guest_session(cur, **guest)[0]
        elif role is not None:
            with state.writer() as cur:
                token = access_support.user_session(cur, role, kanwils, offices, can_upload)[0]
        monkeypatch.setattr(session, "cookie", lambda: token)
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        for key, value in query.items():
            at.query_params[key] = value
        return at
    yield make
    _clear_caches()


def open_page(at: AppTest, page: str) -> AppTest:
    """Open the app at its default page, then go to `page` as a user clicking in the sidebar would."""
    at.run()
    if page != "ringkasan":
        at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def shown(markdown: str) -> str:
    """What a reader sees of Markdown text: CommonMark backslash escapes resolved and the invisible word
    joiner gone (ui.text.md escapes user values, e.g. a file name `a&b.csv` arrives as `a\\&b.csv`)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


def texts(elements) -> list[str]:
    return [shown(e.value) for e in elements]


def errors(at: AppTest) -> list[str]:
    return texts(at.error)


def plotly_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def array(value) -> list:
    """A plotly array from a figure spec: a plain list, or a typed array {"dtype", "bdata"[, "shape"]}."""
    if isinstance(value, dict) and "bdata" in value:
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return data.reshape([int(n) for n in str(value["shape"]).split(",")]).tolist() if "shape" in value \
            else data.tolist()
    return list(value)


def good_rows(office, count, day="2026-10-05", ikm=3, ipk=4, prefix="U"):
    return [[f"{prefix}{i}", day, office] + [ikm] * 21 + [ipk] * 8 for i in range(count)]


# --- empty store ----------------------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_an_empty_store_tells_the_user_what_to_do(app, tmp_path, page):
    db = tmp_path / "new.duckdb"
    at = open_page(app(db), page)
    assert not errors(at)
    assert db.exists()                                   # the app creates the store
    if page == "metode":
        assert "Cara setiap angka dihitung" in texts(at.title)
        return
    assert "Belum ada data survei" in texts(at.subheader)
    assert at.button(key="load_demo").label == "Buka data demo"
    if page == "unggah":
        assert at.get("file_uploader")


def test_demo_button_fills_an_empty_store(app, tmp_path):
    at = open_page(app(tmp_path / "new.duckdb"), "ringkasan")
    at.button(key="load_demo").click().run(timeout=180)
    assert not at.exception and not errors(at)
    assert any("Data demo sintetis dimuat" in s for s in texts(at.success))
    assert any("DATA DEMO SINTETIS" in w for w in texts(at.warning))
    assert len(at.dataframe[0].value) == 25


# --- demo data ------------------------------------------------------------------------------------

def demo_on(engine: str, request) -> str:
    """The demo store on this engine: the DuckDB file, or the session's PostgreSQL database."""
    return request.getfixturevalue("demo_store")[0] if engine == "duckdb" else request.getfixturevalue("demo_pg")


@pytest.mark.parametrize("engine", ["duckdb", "postgresql"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_with_demo_data(app, request, engine, page):
    at = open_page(app(demo_on(engine, request)), page)
    assert not errors(at)
    assert any(w.startswith("DATA DEMO SINTETIS") for w in texts(at.warning))
    if page == "ringkasan":
        assert "Kantor" in at.dataframe[0].value.columns
    elif page == "tren":
        assert len(plotly_specs(at)) == 4                # IKM and IPK trends, two heatmaps
    elif page == "unsur":
        assert "IKM18" in at.dataframe[0].value["Kode"].tolist()[:2]     # the demo's weakest element
    elif page == "kesiapan":
        assert "Komponen survei memenuhi syarat WBK/WBBM" in texts(at.title)
    elif page == "unggah":
        assert set(at.dataframe[0].value["Demo"]) == {"DATA DEMO SINTETIS"}
    elif page == "integritas":
        assert "Sinyal integritas respons" in texts(at.title)
        assert [m.label for m in at.metric] == ["Unit diperiksa", "Perlu klarifikasi", "Dengan sinyal tunggal"]
        assert len(plotly_specs(at)) == 2                # the funnel and the office's history


def test_ringkasan_does_not_wait_for_the_integrity_signals_and_fills_them_in(app, demo_store, monkeypatch):
    from analytics.domain import periods
    from analytics.present import integrity as integrity_view
    from analytics.store import integrity

    # The demo has no unit needing clarification: badge every unit examined, so the column shows
    # that the background results are the signals of exactly this view.
    every_unit = lambda results: dict(Counter(r.unit.office_id for r in results))
    monkeypatch.setattr(integrity_view, "clarify_counts", every_unit)
    at = open_page(app(demo_store[0]), "ringkasan")
    at.selectbox(key="kanwil").select(JABAR).run()
    at.selectbox(key="granularity").select("month").run()
    state._BACKGROUND.submit(lambda: None).result(timeout=120)   # the one worker is past this view's signals
    at.run()
    assert not at.exception and not errors(at)
    assert not any("sedang dihitung" in c for c in texts(at.caption))
    label = next(c for c in texts(at.caption) if c.startswith("Periode ")).split()[1]
    month = periods.parse_month(label)
    table = at.dataframe[0].value.set_index("Kantor")
    with state.cursor() as cur:
        names = dict(cur.execute("SELECT office_id, name FROM offices").fetchall())
        scope = frozenset(o for o, _ in cur.execute("SELECT office_id, kanwil FROM offices WHERE kanwil = ?",
                                                    [JABAR]).fetchall())
        results = integrity.examine(cur, queries.Window(month, month, scope), instruments=["ikm", "ipk"])
    expected = {names[o]: f"⚑ perlu klarifikasi ({n})" for o, n in every_unit(results).items()}
    assert len(expected) > 1
    assert {o: v for o, v in table["Integritas"].items() if v} == expected


def test_overview_numbers_equal_the_cli(app, demo_store):
    path, cli = demo_store
    at = open_page(app(path), "ringkasan")
    table = at.dataframe[0].value.set_index("Kantor")
    assert len(table) == 25
    shown = [r for r in cli if r["instrument"] in ("ikm", "ipk")]     # the default pair
    assert len(shown) == 50
    for record in shown:
        column = record["instrument"].upper()
        assert table.loc[record["office"], column] == record["converted"], record
        assert table.loc[record["office"], f"n {column}"] == record["n"], record
    assert "Periode 2026-10 (2026-10); dibandingkan dengan 2026-09." in texts(at.caption)


def test_headline_tiles_are_the_pooled_kanwil_figures(app, demo_store):
    path, _ = demo_store
    at = app(path, kanwil=JABAR)
    at.run()
    con = store.connect(path)
    try:
        scope = tuple(offices.list_offices(con).query("kanwil == @JABAR")["office_id"])
        pooled = queries.indices(con, by="kanwil", period="month",
                                 window=queries.Window(date(2026, 10, 1), date(2026, 10, 1), scope))
    finally:
        con.close()
    ikm = pooled[pooled["instrument"] == "ikm"].iloc[0]
    tile = at.metric[0]
    assert tile.label == "IKM"
    assert tile.value.startswith(f"{ikm['converted']:.2f}".replace(".", ","))
    assert "Kanwil Kemenkumham Jawa Barat secara keseluruhan" in texts(at.markdown)[0]


def test_filter_change_narrows_every_page_and_survives_a_page_switch(app, demo_store):
    at = open_page(app(demo_store[0]), "ringkasan")
    at.selectbox(key="kanwil").select(JABAR).run()
    assert len(at.dataframe[0].value) == 9
    at.selectbox(key="granularity").select("quarter").run()
    assert any("Periode 2026-Q4 (2026-10, belum lengkap)" in c for c in texts(at.caption))
    at.switch_page("ui/pages/tren.py").run()
    assert at.selectbox(key="kanwil").value == JABAR
    assert texts(at.title) == [f"Tren {JABAR}"]
    periods = plotly_specs(at)[0]["data"][0]["x"]
    assert periods == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]


def test_the_url_reproduces_a_view(app, demo_store):
    at = app(demo_store[0], lang="en", kanwil=JABAR, office="Lapas Kelas IIB Garut", granularity="Quarterly",
             start="2026-01", end="2026-06")
    at.run()
    at.switch_page("ui/pages/tren.py").run()
    assert not at.exception
    assert texts(at.title) == ["Trend of Lapas Kelas IIB Garut"]
    assert at.selectbox(key="granularity").value == "quarter"
    spec = plotly_specs(at)[0]
    assert spec["data"][0]["x"] == ["2026-Q1", "2026-Q2"]
    assert spec["layout"]["separators"] == ".,"


def test_language_switch(app, demo_store):
    at = open_page(app(demo_store[0]), "ringkasan")
    at.radio(key="lang").set_value("en").run()
    assert texts(at.title) == ["Overview by office"]
    assert "Office" in at.dataframe[0].value.columns
    assert "." in at.metric[0].value and "," not in at.metric[0].value
    at.radio(key="lang").set_value("id").run()
    assert texts(at.title) == ["Ringkasan per kantor"]


def test_trend_chart_draws_bands_thresholds_and_counts(app, demo_store):
    at = app(demo_store[0], office="LPKA Kelas II Maros")
    at.run()
    at.switch_page("ui/pages/tren.py").run()
    spec = plotly_specs(at)[0]
    lines = sorted(s["y0"] for s in spec["layout"]["shapes"] if s["type"] == "line" and s.get("yref") == "y")
    assert lines == [80.0, 90.0]
    assert len([s for s in spec["layout"]["shapes"] if s["type"] == "rect"]) == 4
    line, bars = spec["data"][:2]
    assert len(line["x"]) == 12 and all(n < 30 for n in array(bars["y"]))    # the demo's smallest office
    assert all("sampel kecil" in row[2] for row in line["customdata"])


def test_report_page_builds_both_files_for_the_sidebar_scope(app, demo_store):
    at = app(demo_store[0], kanwil=JABAR, office="Lapas Kelas IIB Garut", start="2026-01", end="2026-06")
    at.run()
    at.switch_page("ui/pages/laporan.py").run()
    assert not at.exception and not errors(at)
    assert not at.get("download_button")                    # nothing is built before the button is pressed
    assert "Lapas Kelas IIB Garut" in texts(at.caption)[0] and "2026-01 – 2026-06" in texts(at.caption)[0]
    at.button(key="build_report").click().run(timeout=180)
    assert not at.exception and not errors(at)
    assert any(s.startswith("Laporan siap") for s in texts(at.success))
    assert [b.proto.label for b in at.get("download_button")] == ["Unduh PDF", "Unduh Excel (.xlsx)"]
    at.selectbox(key="office").select("Rutan Kelas I Bandung").run()     # other filters: build again
    assert not at.get("download_button") and texts(at.info) == ["Filter atau data berubah: buat laporan lagi."]


def test_readiness_defaults_to_the_latest_full_quarter_and_says_when_data_is_short(app, demo_store):
    at = open_page(app(demo_store[0]), "kesiapan")
    assert at.radio(key="zi_window").value == "quarter"
    assert "2026-07 – 2026-09" in at.radio(key="zi_window").options[0]
    quarter = at.dataframe[0].value.set_index("Kantor")
    assert len(quarter) == 25
    assert quarter.loc["Kantor Imigrasi Kelas II Non TPI Depok", "WBK"] == "✗ belum"
    assert quarter.loc["Kantor Imigrasi Kelas II Non TPI Depok", "Jarak ke WBK"].startswith("butuh +")
    at.selectbox(key="start").select("2026-10").run()
    at.radio(key="zi_window").set_value("filter").run()
    month = at.dataframe[0].value.set_index("Kantor")
    assert month.loc["Rupbasan Kelas I Bandung", "WBK"] == "… data belum cukup"
    assert "n = 15 < 30" in month.loc["Rupbasan Kelas I Bandung", "Jarak ke WBK"]


def test_a_failing_page_shows_a_plain_message_not_a_traceback(app, demo_store, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("kueri gagal")
    monkeypatch.setattr(state, "readiness", broken)
    at = open_page(app(demo_store[0]), "ringkasan")
    assert not at.exception
    # A RuntimeError is a bug, not bad input: the page says so and keeps the internals to the log.
    assert errors(at) and errors(at)[0].startswith("Halaman ini tidak dapat ditampilkan karena kesalahan tak "
                                                   "terduga (bug)")
    assert "log server" in errors(at)[0] and "kueri gagal" not in errors(at)[0]


# --- upload ---------------------------------------------------------------------------------------

def test_upload_a_good_file_creating_its_office_then_save_and_delete(app, tmp_path):
    at = open_page(app(tmp_path / "new.duckdb"), "unggah")
    content = export_csv(good_rows("Kantor Uji Coba", 35))
    at.get("file_uploader")[0].set_value(("ekspor_oktober.csv", content, "text/csv")).run()
    assert not at.exception
    assert any("Kantor Uji Coba" in w for w in texts(at.warning))         # unknown office
    assert at.button(key="upload_confirm").disabled                      # nothing valid yet
    at.checkbox(key="upload_create_offices").check().run()
    assert any("35 baris dibaca, 35 valid, 0 ditolak" in s for s in texts(at.success))
    previews = [d.value for d in at.dataframe if "Nilai konversi" in d.value.columns]
    assert previews and previews[0]["Kantor"].tolist() == ["Kantor Uji Coba"] * 2
    assert previews[0]["Nilai konversi"].tolist() == [75.0, 100.0]
    at.button(key="upload_confirm").click().run()
    assert not at.exception and not errors(at)
    assert any("35 responden diimpor sebagai batch 1" in s for s in texts(at.success))
    history = [d.value for d in at.dataframe if "batch" in d.value.columns][0]
    assert history["File"].tolist() == ["ekspor_oktober.csv"]
    at.switch_page("ui/pages/ringkasan.py").run()
    table = at.dataframe[0].value.set_index("Kantor")
    assert table.loc["Kantor Uji Coba", "IKM"] == 75.0 and table.loc["Kantor Uji Coba", "n IKM"] == 35
    at.switch_page("ui/pages/unggah.py").run()
    assert at.button(key="delete_batch_button").disabled                 # nothing chosen, nothing typed
    at.selectbox(key="delete_batch_id").set_value(1).run()
    at.text_input(key="delete_batch_typed").input("ekspor_lain.csv").run()
    assert at.button(key="delete_batch_button").disabled                 # the wrong name does not arm it
    at.text_input(key="delete_batch_typed").input("ekspor_oktober.csv").run()
    at.button(key="delete_batch_button").click().run()
    assert any("Batch 1 dipindah ke tempat sampah" in s for s in texts(at.success))
    assert "Belum ada data survei" in texts(at.subheader)
    # nothing stays armed after the action; the batch is in the trash and comes back whole
    assert at.selectbox(key="restore_batch_id").value is None
    at.selectbox(key="restore_batch_id").set_value(1).run()
    at.button(key="restore_batch_button").click().run()
    assert any("Batch 1 dipulihkan." in s for s in texts(at.success))
    assert at.selectbox(key="delete_batch_id").value is None and at.text_input(key="delete_batch_typed").value == ""
    assert at.button(key="delete_batch_button").disabled


def test_upload_a_bad_file_shows_every_rejected_row_with_its_reason_and_cancel_saves_nothing(app, make_store,
                                                                                             tmp_path):
    db = tmp_path / "kantor.duckdb"
    make_store({"Lapas Kelas IIB Garut": JABAR}, db).close()
    rows = good_rows("Lapas Kelas IIB Garut", 3)
    rows[1][3] = 5                                        # IKM1 outside 1–4
    rows[2][1] = "31/02/2026"                             # no such day
    at = open_page(app(db), "unggah")
    at.get("file_uploader")[0].set_value([("buruk.csv", export_csv(rows), "text/csv"),
                                          ("catatan.csv", b"Nama,Keterangan\nA,B\n", "text/csv")]).run()
    assert not at.exception
    assert any("catatan.csv: tidak dapat diimpor" in e and "tidak ada kolom jawaban survei yang dikenali" in e
               for e in errors(at))
    assert any("buruk.csv: 3 baris dibaca, 1 valid, 2 ditolak" in w for w in texts(at.warning))
    rejected = [d.value for d in at.dataframe if "Alasan" in d.value.columns][0]
    reasons = dict(zip(rejected["Baris"], rejected["Alasan"]))
    assert "IKM1: jawaban 5 di luar skala 1–4" in reasons[3]
    assert "Tanggal" in reasons[4] and "31/02/2026" not in reasons.get(2, "")
    assert at.get("download_button")
    at.button(key="upload_cancel").click().run()
    assert any("Impor dibatalkan" in s for s in texts(at.success))
    assert "Belum ada impor." in texts(at.caption)
    assert not [d for d in at.dataframe if "Alasan" in d.value.columns]   # the cancelled file is put away
