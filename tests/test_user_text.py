"""Issue 13, item 6: text that comes from users (office, Kanwil, file and share-link names) is shown as
the text typed — on every page (Streamlit renders titles, captions, alerts, labels, radio options, tabs,
expanders, metrics and st.table cells as Markdown), in every Plotly figure (which reads <a href>, <b>,
<br> in its text) and in the report. The names are in tests/hostile_names.py; the browser test
tests/e2e/test_e2e_user_text.py checks what chromium actually does with them."""
from __future__ import annotations

import io
import json
import re
import shutil
from datetime import date

import openpyxl
import pandas as pd
import pytest
from streamlit import dataframe_util

from analytics import report, store
from analytics.domain.instruments import load_registry
from analytics.domain.integrity import Funnel
from analytics.present import charts, integrity_charts
from analytics.report import pdf, xlsx
from tests import hostile_names as names
from tests.test_app import app, export_csv, plotly_specs, shown  # noqa: F401 — app is a fixture
from ui.text import md

# Markdown that would do something: a link or image, an HTML tag, an autolink, emphasis of our names.
LIVE = re.compile(r"\]\(|!\[|<[A-Za-z/!]|https?://|www\.|\w@\w|\*em\*|:red\[|:material/|\$x")


def live_markdown(text: str) -> list[str]:
    """What would still act as Markdown in `text` once its backslash escapes are taken out."""
    return LIVE.findall(re.sub(r"\\[!-/:-@\[-`{-~]", "", text))


def markdown_texts(at) -> list[str]:
    """Every string of the page Streamlit renders as Markdown, as sent to the browser."""
    found = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success",
                 "toast"):
        found += [e.value for e in at.get(kind)]
    for metric in at.metric:
        found += [metric.label, str(metric.value), str(metric.proto.delta)]
    for kind in ("expander", "tab"):
        found += [e.label for e in at.get(kind)]
    for radio in at.radio:
        found += [radio.label, *map(str, radio.options)]
    for kind in ("checkbox", "toggle", "button", "selectbox", "multiselect", "text_input", "number_input"):
        found += [e.label for e in at.get(kind)]
    for table in at.table:           # st.table renders its cells (the Styler's display values) as Markdown
        styler = table.proto.arrow_data.styler
        frame = dataframe_util.convert_arrow_bytes_to_pandas_df(styler.display_values if styler.display_values
                                                                 else table.proto.arrow_data.data)
        found += [str(v) for v in frame.to_numpy().ravel()] + [str(c) for c in frame.columns]
    return found


def assert_text_only(at, page: str) -> str:
    """No string of the page acts as Markdown; returns everything the page shows, as read."""
    texts = markdown_texts(at)
    acting = {text: live_markdown(text) for text in texts if live_markdown(text)}
    assert not acting, (page, acting)
    return "\n".join(shown(text) for text in texts)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    return names.build_store(tmp_path_factory.mktemp("hostile") / "hostile.duckdb")


def test_md_shows_exactly_the_text_typed():
    assert md(names.OFFICE) == names.OFFICE_MARKDOWN
    for text in (names.OFFICE, names.KANWIL, names.LABEL, names.FILE, "- daftar", "1. Kanim", "# judul",
                 "a_b_c.csv", "_x_ __y__", "www.evil.example mail@evil.example", ":red[merah] :material/home:",
                 "$x$ `kode` ~~coret~~ a|b &amp; \\", "87,56 · 2026-07 – 2026-09 · 14:30 · Kelas I (TPI)"):
        assert shown(md(text)) == text, text                 # a reader sees the text typed …
        assert not live_markdown(md(text)), text             # … and nothing in it acts as Markdown
    assert md("87,56 · 2026-07 – 2026-09 · 14:30 · Kelas I (TPI) · ekspor_oktober.csv") == \
        "87,56 · 2026-07 – 2026-09 · 14:30 · Kelas I (TPI) · ekspor_oktober.csv"   # numbers, dates unchanged


PAGES = ["ringkasan", "tren", "unsur", "kesiapan", "laporan", "integritas", "unggah", "bagikan", "metode"]


@pytest.mark.parametrize("office", [None, names.OFFICE], ids=["kanwil", "office"])
def test_every_page_shows_hostile_office_and_kanwil_names_as_text(app, hostile_db, office):
    query = {"kanwil": names.KANWIL, "start": "2026-09", "end": "2026-10"}
    if office:
        query["office"] = office
    at = app(hostile_db, role="admin", **query)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key="kanwil").value == names.KANWIL       # the filters took the hostile names
    if not office:      # admins get st.dataframe (plain text): the name arrives as typed
        assert names.OFFICE in at.dataframe[0].value["Kantor"].tolist()
    seen = {}
    for page in PAGES:
        if page != "ringkasan":
            at.switch_page(f"ui/pages/{page}.py").run()
        assert not at.exception, (page, [e.message for e in at.exception])
        seen[page] = assert_text_only(at, page)
    # not vacuous: the names are on the pages, escaped, and read as typed
    assert names.KANWIL in seen["ringkasan"] and names.KANWIL in seen["laporan"]
    if office:
        at.switch_page("ui/pages/tren.py").run()
        assert names.OFFICE_MARKDOWN in at.title[0].value
        assert names.OFFICE in shown(at.title[0].value)
        assert names.OFFICE in seen["unsur"]


def test_plotly_figures_on_the_pages_carry_no_live_html(app, hostile_db):
    at = app(hostile_db, role="admin", kanwil=names.KANWIL, start="2026-09", end="2026-10")
    at.run()
    specs = []
    for page in ("tren", "unsur", "integritas"):
        at.switch_page(f"ui/pages/{page}.py").run()
        assert not at.exception, (page, [e.message for e in at.exception])
        specs += plotly_specs(at)
    text = json.dumps(specs, ensure_ascii=False)
    assert "&lt;b&gt;z&lt;/b&gt;" in text                         # the office heatmap names the office …
    assert not re.search(r"<a\b|<img\b|<b>z", text), re.findall(r".{40}(?:<a\b|<img\b|<b>z).{40}", text)


def test_guest_table_footer_and_label_are_text(app, hostile_db):
    """A share link's viewer gets st.table (Markdown cells) and a footer naming the link's label."""
    at = app(hostile_db, guest=dict(offices=(names.OFFICE, names.PEER), month_from=date(2026, 9, 1),
                                   month_to=date(2026, 10, 1), label=names.LABEL))
    at.run()
    assert not at.exception and at.table and not at.dataframe
    read = assert_text_only(at, "ringkasan (guest)")
    assert names.OFFICE in read and names.LABEL in read
    for page in ("tren", "kesiapan"):
        at.switch_page(f"ui/pages/{page}.py").run()
        assert not at.exception
        assert_text_only(at, f"{page} (guest)")


def test_a_hostile_file_name_on_the_upload_page_is_text(app, hostile_db, tmp_path):
    db = tmp_path / "upload.duckdb"
    shutil.copyfile(hostile_db, db)
    at = app(db, role="admin")
    at.run()
    at.switch_page("ui/pages/unggah.py").run()
    bad = names.rows(names.OFFICE, 3, "2026-11-05", "C")
    bad[1][3] = 9                                               # a rejected row: the warning names the file
    at.get("file_uploader")[0].set_value([(names.FILE, export_csv(bad), "text/csv"),
                                          (f"tolak {names.FILE}", b"Nama,Keterangan\nA,B\n", "text/csv")]).run()
    assert not at.exception
    read = assert_text_only(at, "unggah")
    assert f"{names.FILE}: 3 baris dibaca, 2 valid, 1 ditolak" in read
    assert f"tolak {names.FILE}: tidak dapat diimpor" in read


# --- Plotly figures, directly ---------------------------------------------------------------------

def _no_live_html(fig) -> str:
    text = json.dumps(json.loads(fig.to_json()), ensure_ascii=False)       # plotly's JSON escapes / and <
    assert not re.search(r"<a\b|<img\b|<b>z", text), re.findall(r".{30}(?:<a\b|<img\b|<b>z).{30}", text)
    return text


def test_every_figure_escapes_names_in_labels_hover_and_titles():
    registry = load_registry()
    ikm = registry.get("ikm")
    matrix = pd.DataFrame({"office": [names.OFFICE, names.PEER], "code": ["U1", "U1"], "item_no": [1, 1],
                           "statement": ["Persyaratan", "Persyaratan"], "nrr": [3.0, 3.2], "n": [35, 35]})
    heat = _no_live_html(charts.office_item_heatmap(matrix, ikm, registry.grades, "id"))
    assert "Kantor ![x](http://127.0.0.1:9/x.png) [y](http://evil) &lt;b&gt;z&lt;/b&gt; *em*" in json.loads(heat)[
        "data"][0]["y"]
    trend = pd.DataFrame({"period": ["2026-09", "2026-10"], "value": [75.0, 76.0], "n": [35, 35],
                          "small": [False, False], "delta": [None, 1.0], "partial": [False, False]})
    figure = charts.trend_figure(trend, ikm, registry.grades, {"wbk": 78.0}, "id", title=names.KANWIL)
    assert json.loads(_no_live_html(figure))["layout"]["title"]["text"] == \
        "Kanwil &lt;a href='http://evil/k'&gt;k&lt;/a&gt;&lt;img src='http://127.0.0.1:9/k.png'&gt; [w](http://evil/w)"
    points = pd.DataFrame({"office": [names.OFFICE, names.KANWIL], "n": [35, 40], "all_max": [3, 30],
                           "share": [3 / 35, 0.75], "fired": [False, True]})
    funnel = integrity_charts.funnel_figure(points, Funnel(theta=0.2, phi=1.5, z=3.29, peers=5), "id", title=names.KANWIL)
    assert "&lt;b&gt;z&lt;/b&gt;" in _no_live_html(funnel)
    history = pd.DataFrame({"period": ["2026-09", "2026-10"], "n": [35, 35], "all_max": [0.1, 0.8],
                            "uniform": [0.1, 0.8], "percent": [75.0, 90.0], "clarify": [False, True],
                            "signals": ["", "all_max"]})
    _no_live_html(integrity_charts.history_figure(history, "id", title=f"{names.OFFICE} · IKM"))


# --- the report -----------------------------------------------------------------------------------

def test_report_html_and_workbook_hold_the_names_as_text(hostile_db):
    con = store.connect(hostile_db, read_only=True)
    try:
        scope = tuple(int(i) for i in con.execute("SELECT office_id FROM offices").fetchdf()["office_id"])
        built = report.collect(con, report.Request(
            scope=scope, pooled_scope=scope, start=date(2026, 9, 1), end=date(2026, 10, 1), granularity="month",
            rules="zi-2021", lang="id", kanwil=names.KANWIL, office=None, pair=("ikm", "ipk")))
    finally:
        con.close()
    html = pdf.render_html(built)                     # with the small multiples: names as HTML over the SVG
    assert "&lt;b&gt;z&lt;/b&gt;" in html and "&lt;img src=&#39;http://127.0.0.1:9/k.png&#39;&gt;" in html
    assert not re.search(r"""(src|href)=["']?http""", html)        # nothing live, charts included
    assert not re.search(r"<img[^>]*127\.0\.0\.1:9|<a[^>]*evil|<b>z</b>", html)
    book = openpyxl.load_workbook(io.BytesIO(xlsx.build_xlsx(built)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(c.value == names.OFFICE for c in cells)               # the name as typed, as text
    assert not [c.coordinate for c in cells if c.hyperlink is not None]
    assert not [c.value for c in cells if c.data_type == "f"]


def test_the_pdf_renderer_fetches_nothing_from_the_network(hostile_db, monkeypatch):
    """Defence in depth behind the template's autoescaping: an <img> that reached the HTML is not fetched."""
    import http.server
    import threading

    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    listener = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    try:
        address = f"http://127.0.0.1:{listener.server_port}/x.png"
        monkeypatch.setattr(pdf, "render_html", lambda report, charts_on=True, charts=None:
                            f'<html><body><p>a</p><img src="{address}"></body></html>')
        con = store.connect(hostile_db, read_only=True)
        try:
            built = report.collect(con, report.Request(scope=(1, 2), pooled_scope=(1, 2), start=date(2026, 9, 1),
                                                       end=date(2026, 10, 1), pair=("ikm", "ipk")))
        finally:
            con.close()
        assert pdf.build_pdf(built, charts_on=False).startswith(b"%PDF")
    finally:
        listener.shutdown()
        listener.server_close()
    assert asked == []
