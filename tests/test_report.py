"""Meeting reports (issue 10): the PDF read back with pdftotext and the workbook with openpyxl carry
the numbers of analytics.store.queries for the same scope and window, the stamp on every page, the
demo watermark only for demo data, formula-looking text kept as text, and native chart parts.

The store is built through the CLI (office master, ingest, ingest --create-offices), as a user would.
"""
from __future__ import annotations

import csv
import io
import re
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pytest

import analytics
from analytics import cli, store
from analytics.i18n import integer, num
from analytics.ingest import importer
from analytics.present import views
from analytics.report import content
from analytics.report.pdf import css_string, inline_markdown
from analytics.store import queries
from analytics.domain.instruments import load_registry

KANWIL = "Kanwil Uji"
OFFICES = {"Kantor Uji Alpha": 40, "Kantor Uji Beta": 31, "Kantor Uji Gamma": 12}   # respondents a month
FORMULA_OFFICE = '=HYPERLINK("http://contoh.invalid","klik")'
FORMULA_SARAN = "=1+1"
AT_SARAN = "@SUM(A1:A3)"
MONTHS = [date(2026, m, 1) for m in range(1, 7)]
START, END = "2026-01", "2026-06"
REG = load_registry()


def export_csv(rows) -> bytes:
    """Canonical export with a Saran column: (id, day, office, ikm scores, ipk scores, saran)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ID Responden", "Tanggal", "Kantor"] + [f"IKM{i}" for i in range(1, 22)]
                    + [f"IPK{i}" for i in range(1, 9)] + ["Saran"])
    for rid, day, office, ikm, ipk, saran in rows:
        writer.writerow([rid, day.isoformat(), office, *ikm, *ipk, saran])
    return out.getvalue().encode("utf-8")


def synthetic_rows(offices: dict[str, int], seed: int, prefix: str):
    rng = np.random.default_rng(seed)
    rows, number = [], 0
    for office_no, (office, per_month) in enumerate(offices.items()):
        for month in MONTHS:
            for _ in range(per_month):
                number += 1
                skew = 0.15 * office_no
                ikm = rng.choice([1, 2, 3, 4], size=21, p=[0.03, 0.12 + skew / 2, 0.45, 0.40 - skew / 2])
                ipk = rng.choice([2, 3, 4], size=8, p=[0.05, 0.25 + skew / 3, 0.70 - skew / 3])
                first_june = month == MONTHS[-1] and _ == 0
                saran = FORMULA_SARAN if first_june and office_no == 0 else AT_SARAN if first_june else ""
                rows.append((f"{prefix}{number:05d}", month.replace(day=1 + number % 27), office,
                             ikm.tolist(), ipk.tolist(), saran))
    return rows


def _run(*args):
    assert cli.main(list(args)) == 0, args


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    path = tmp / "report.duckdb"
    master = tmp / "kantor.csv"
    master.write_text("nama,kanwil,jenis,alias\n" + "".join(f"{o},{KANWIL},Kantor,\n" for o in OFFICES),
                      encoding="utf-8")
    _run("offices", "--db", str(path), "--import", str(master))
    export = tmp / "ekspor.csv"
    export.write_bytes(export_csv(synthetic_rows(OFFICES, 7, "R")))
    _run("ingest", "--db", str(path), str(export))
    odd = tmp / "ekspor-baru.csv"
    odd.write_bytes(export_csv(synthetic_rows({FORMULA_OFFICE: 3}, 8, "X")))
    _run("ingest", "--db", str(path), "--create-offices", str(odd))
    return path


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A store whose only batch is marked as demo data (batches.is_demo), built as load_demo does."""
    path = tmp_path_factory.mktemp("report_demo") / "demo.duckdb"
    con = store.connect(path)
    master = path.parent / "kantor.csv"
    master.write_text(f"nama,kanwil,jenis,alias\nKantor Uji Alpha,{KANWIL},Kantor,\n", encoding="utf-8")
    from analytics.ingest import office_master
    office_master.import_master(con, master)
    report = importer.ingest(con, export_csv(synthetic_rows({"Kantor Uji Alpha": 30}, 9, "D")), "demo.csv",
                             importer.ImportOptions(source="demo", is_demo=True, today=date(2026, 11, 21)))
    assert report.rows_imported > 0
    con.close()
    return path


def build(db: Path, tmp: Path, fmt: str, *extra) -> Path:
    out = tmp / f"laporan.{fmt}"
    _run("report", "--db", str(db), "--format", fmt, "--out", str(out), *extra)
    return out


@pytest.fixture(scope="module")
def kanwil_pdf(db, tmp_path_factory):
    return build(db, tmp_path_factory.mktemp("pdf"), "pdf", "--kanwil", KANWIL, "--from", START, "--to", END)


@pytest.fixture(scope="module")
def kanwil_xlsx(db, tmp_path_factory):
    return build(db, tmp_path_factory.mktemp("xlsx"), "xlsx", "--kanwil", KANWIL, "--from", START, "--to", END)


def pages(pdf: Path, layout: bool = True) -> list[str]:
    """The text of each page (pdftotext -f N -l N). layout: table rows on one line; else each table
    cell's lines stay together (for cells that wrap)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    mode = ["-layout"] if layout else []
    return [subprocess.run(["pdftotext", *mode, "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for n in range(1, count + 1)]


def expected(db: Path):
    """What the report must show, straight from queries: office × month indices of the Kanwil, the
    Kanwil pooled, and readiness over the last month."""
    con = store.connect(db, read_only=True)
    try:
        scope = tuple(int(i) for i, k in con.execute("SELECT office_id, kanwil FROM offices").fetchall()
                      if k == KANWIL)
        window = queries.Window(date(2026, 5, 1), date(2026, 6, 1), scope)
        by_office = queries.indices(con, by="office", period="month", window=window)
        by_kanwil = queries.indices(con, by="kanwil", period="month", window=window)
        ready = queries.readiness(con, "zi-2019", queries.Window(date(2026, 6, 1), date(2026, 6, 1), scope))
        version = store.data_version(con)
        batches = queries.batches_in(con, queries.Window(date(2026, 1, 1), date(2026, 6, 1), scope))["batch_id"].tolist()
    finally:
        con.close()
    return by_office, by_kanwil, ready, version, batches


def _value(frame, instrument, period, **unit):
    rows = frame[(frame["instrument"] == instrument) & (frame["period"] == period)]
    for column, value in unit.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, (instrument, period, unit)
    return rows.iloc[0]


def _delta(now, before) -> str:
    return num(float(Decimal(f"{now:.2f}") - Decimal(f"{before:.2f}")), 2, "id", signed=True)


# --- PDF ------------------------------------------------------------------------------------------

def test_pdf_office_table_and_summary_equal_the_queries(db, kanwil_pdf):
    by_office, by_kanwil, _, _, _ = expected(db)
    text = pages(kanwil_pdf)[1]                    # page 2: Kanwil summary and office table
    for office, per_month in OFFICES.items():
        line = next(line for line in text.splitlines() if line.strip().startswith(office))
        cells = []
        for inst in ("ikm", "ipk"):
            now = _value(by_office, inst, "2026-06", office=office)
            before = _value(by_office, inst, "2026-05", office=office)
            small = " *" if now["n"] < 30 else ""
            cells += [num(now["converted"], 2, "id") + small, integer(now["n"], "id"),
                      _delta(now["converted"], before["converted"])]
        assert re.search(r"\s+.*".join(re.escape(c) for c in cells), line), (line, cells)
        assert (per_month < 30) == ("*" in line)
    summary = next(line for line in text.splitlines() if line.strip().startswith(KANWIL))
    for inst in ("ikm", "ipk"):
        now = _value(by_kanwil, inst, "2026-06", kanwil=KANWIL)
        before = _value(by_kanwil, inst, "2026-05", kanwil=KANWIL)
        assert num(now["converted"], 2, "id") in summary and integer(now["n"], "id") in summary
        assert _delta(now["converted"], before["converted"]) in summary
    assert FORMULA_OFFICE not in text                 # another Kanwil's office stays out of scope


def test_pdf_readiness_shows_the_nilai_and_distances_of_the_queries(db, kanwil_pdf):
    _, _, ready, _, _ = expected(db)
    text = next(p for p in pages(kanwil_pdf, layout=False) if "Kesiapan Zona Integritas" in p)
    flat = re.sub(r"\s+", " ", text)
    for row in views.readiness_table(ready, REG, "id").itertuples():
        assert f"{num(row.service_nilai, 2, 'id')} (n {integer(row.service_n, 'id')})" in flat
        assert f"{num(row.anti_nilai, 2, 'id')} (n {integer(row.anti_n, 'id')})" in flat
        assert row.need_wbk in flat and row.need_wbbm in flat           # "butuh +0,55 nilai IKM"
    gamma = ready[ready["office"] == "Kantor Uji Gamma"].iloc[0]
    assert gamma["wbk"] == "insufficient" and "data belum cukup" in flat       # n = 12 < 30
    assert "butuh 18 responden IKM lagi" in flat


def test_pdf_stamp_and_page_number_on_every_page(db, kanwil_pdf):
    _, _, _, version, batches = expected(db)
    found = pages(kanwil_pdf)
    assert len(found) >= 5
    for number, text in enumerate(found, start=1):
        flat = re.sub(r"\s+", " ", text)
        assert f"Hal. {number}/{len(found)}" in flat, number
        flat = flat.replace(f" Hal. {number}/{len(found)}", "")     # the box beside the stamp's line
        assert f"Sidik data: {version}" in flat, number
        assert f"Batch impor: {content.id_ranges(batches)} ·" in flat and batches == [1], number   # not batch 2
        assert "Aturan: zi-2019" in flat and f"Versi aplikasi: {analytics.__version__}" in flat, number
        assert f"{KANWIL} · Semua kantor; IKM/IPK; Bulanan; bulan 2026-01 – 2026-06" in flat, number
        assert re.search(r"Dibuat: \d{4}-\d\d-\d\d \d\d:\d\d WIB", flat), number
        assert "DATA DEMO" not in flat and "SINTETIS" not in flat, number      # real data: no watermark


def test_pdf_has_every_section_with_statement_text(kanwil_pdf):
    text = re.sub(r"\s+", " ", " ".join(pages(kanwil_pdf)))
    for heading in ("Ringkasan Kanwil", "Per kantor", "Kesiapan Zona Integritas", "Tren per kantor",
                    "Unsur terlemah", "Lampiran: Metode", "88,31 – 100,00"):
        assert heading in text, heading
    assert "Tersedia ruang kunjungan yang nyaman" in text or "Ada kepastian tindak lanjut" in text


def test_demo_watermark_only_for_demo_data(demo_db, tmp_path):
    found = pages(build(demo_db, tmp_path, "pdf", "--from", START, "--to", END))
    assert all("DATA DEMO SINTETIS" in text for text in found)
    book = openpyxl.load_workbook(build(demo_db, tmp_path, "xlsx"))
    assert any("DATA DEMO SINTETIS" in str(c.value) for c in book["Info"]["A"] if c.value)


def test_the_time_zone_is_a_setting(db, tmp_path, monkeypatch):
    monkeypatch.setenv("DASBOR_REPORT_TIMEZONE", "WITA")
    con = store.connect(db, read_only=True)
    try:
        report = content.collect(con, content.request_for(con, kanwil=KANWIL))
    finally:
        con.close()
    assert report.generated_text.endswith(" WITA") and report.generated_at.utcoffset().total_seconds() == 8 * 3600


# --- workbook -------------------------------------------------------------------------------------

def _rows(sheet):
    header = [c.value for c in sheet[1]]
    return header, [dict(zip(header, (c for c in row))) for row in sheet.iter_rows(min_row=2)]


def test_workbook_numbers_equal_the_queries_and_stay_numbers(db, kanwil_xlsx):
    by_office, _, ready, version, _ = expected(db)
    book = openpyxl.load_workbook(kanwil_xlsx)
    assert book.sheetnames[:3] == ["Info", "Ringkasan", "Kantor"]
    header, rows = _rows(book["Kantor"])
    assert header[:2] == ["Kantor", "IKM"]
    got = {r["Kantor"].value: r for r in rows}
    assert set(got) == set(OFFICES)
    for office in OFFICES:
        for inst, name in (("ikm", "IKM"), ("ipk", "IPK")):
            now = _value(by_office, inst, "2026-06", office=office)
            cell = got[office][name]
            assert cell.data_type == "n" and cell.value == now["converted"] and cell.number_format == "0.00"
            assert got[office][f"n {name}"].value == now["n"]
    # The Data sheet is queries.indices over the window, row for row.
    _, data = _rows(book["Data"])
    june = {(r["Kantor"].value, r["Instrumen"].value): r for r in data if r["Periode"].value == "2026-06"}
    for row in by_office[by_office["period"] == "2026-06"].itertuples():
        cells = june[(row.office, row.instrument)]
        assert cells["n"].value == row.n and cells["Indeks"].value == row.index
        assert cells["Nilai konversi"].value == row.converted and cells["Mutu"].value == row.grade
    _, readiness = _rows(book["Kesiapan ZI"])
    nilai = {r["Kantor"].value: r["nilai layanan"].value for r in readiness}
    assert nilai == dict(zip(ready["office"], ready["service_nilai"]))
    info = {r[0].value: r[1].value for r in book["Info"].iter_rows() if r[0].value}
    assert info["Sidik data"] == version and info["Aturan"] == "zi-2019"
    assert not any("DEMO" in str(v) for v in info.values())


def test_workbook_sheets_have_frozen_headers_filters_and_grade_colours(kanwil_xlsx):
    book = openpyxl.load_workbook(kanwil_xlsx)
    for name in ("Kantor", "IKM Bulanan", "IPK Bulanan", "Unsur", "Kesiapan ZI", "Data", "Saran"):
        sheet = book[name]
        assert sheet.freeze_panes == "B2", name
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), name
    rules = [r for rng in book["Kantor"].conditional_formatting for r in rng.rules]
    assert {r.type for r in rules} >= {"beginsWith", "cellIs"} and len(rules) >= 8
    wide = book["IKM Bulanan"]
    assert [c.value for c in wide[1]][1:] == [f"2026-{m:02d}" for m in range(1, 7)]


def test_workbook_charts_are_native_parts(kanwil_xlsx):
    names = zipfile.ZipFile(kanwil_xlsx).namelist()
    assert "xl/charts/chart1.xml" in names
    charts = [n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    assert len(charts) >= 2 + len(OFFICES)             # pooled trend per instrument + one per office
    assert any(n.startswith("xl/drawings/drawing") for n in names)


def test_formula_looking_office_and_saran_stay_text(db, tmp_path):
    path = build(db, tmp_path, "xlsx", "--from", START, "--to", END)      # every office
    book = openpyxl.load_workbook(path)
    seen = []
    for name in ("Kantor", "Data", "Saran"):
        for row in book[name].iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s" and cell.value[:1] not in "=+@", (name, cell.coordinate)
                    seen.append(cell.value)
    # the one exporter's guard: a visible quote in front, as in every CSV download
    assert "'" + FORMULA_OFFICE in seen and "'" + FORMULA_SARAN in seen and "'" + AT_SARAN in seen
    with zipfile.ZipFile(path) as z:
        assert not any("<f>" in z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
    text = " ".join(pages(build(db, tmp_path, "pdf", "--from", START, "--to", END)))
    assert "=HYPERLINK(" in text                       # shown literally in the PDF too


# --- pieces ---------------------------------------------------------------------------------------

def test_css_string_cannot_end_the_string_or_the_style_element():
    quoted = css_string('a"b\\c</style><script>')
    assert quoted.startswith('"') and quoted.endswith('"')
    inner = quoted[1:-1]
    assert '"' not in inner and "<" not in inner and "\n" not in inner and not re.search(r"\\(?![0-9a-f]{6})", inner)


def test_inline_markdown_escapes_first():
    assert inline_markdown("**n** <b>x</b> `c`") == "<b>n</b> &lt;b&gt;x&lt;/b&gt; <code>c</code>"


def test_id_ranges():
    assert content.id_ranges([9, 1, 2, 3, 7, 10]) == "1–3, 7, 9–10" and content.id_ranges([]) == ""


def test_cli_report_refuses_unknown_names(db, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    for args, reason in ((["--office", "Kantor Tidak Ada"], "tidak ada di daftar kantor"),
                         (["--kanwil", "Kanwil Lain"], "tidak ada di daftar kantor"),
                         (["--rules", "zi-2030"], "tidak dikenal"),
                         (["--from", "2026-13"], "YYYY-MM"),
                         (["--from", "2026-06", "--to", "2026-01"], "setelah bulan akhir")):
        assert cli.main(["report", "--db", str(db), "--format", "pdf", "--out", str(out), *args]) == 2
        assert reason in capsys.readouterr().err
    assert not out.exists()
    assert cli.main(["report", "--db", str(db), "--format", "pdf", "--out", str(tmp_path / "no" / "x.pdf")]) == 2
    assert "tidak dapat ditulis" in capsys.readouterr().err
    assert cli.main(["report", "--db", str(db), "--format", "xlsx", "--out", str(out), "--lang", "en",
                     "--office", "Kantor Tidak Ada"]) == 2
    assert "is not in the office master" in capsys.readouterr().err


def test_reports_carry_the_integrity_signals_of_the_integritas_page(demo_db, tmp_path):
    from analytics.domain import periods
    from analytics.store import integrity, offices
    con = store.connect(demo_db, read_only=True)
    try:
        scope = tuple(int(i) for i in offices.list_offices(con)["office_id"])
        period = periods.report_period("month", periods.parse_month("2026-10"))
        results = integrity.examine(con, queries.Window(period.start, period.end, scope))
    finally:
        con.close()
    clarify = sum(r.clarify for r in results)
    heading = f"Sinyal integritas respons — {clarify} unit perlu klarifikasi"
    text = re.sub(r"\s+", " ", " ".join(pages(build(demo_db, tmp_path, "pdf", "--from", "2026-05", "--to", "2026-10"),
                                              layout=False)))
    assert heading in text
    book = openpyxl.load_workbook(build(demo_db, tmp_path, "xlsx", "--from", "2026-05", "--to", "2026-10"))
    (sheet,) = [ws for ws in book.worksheets if ws.title.startswith("Sinyal integritas")]
    offices_listed = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert offices_listed == {r.unit.office for r in results if r.signals}


# --- scope: an office user's report, reviewed saran ---------------------------------------------------

def _book_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)


def test_office_users_report_names_only_their_office_and_only_reviewed_saran(db, tmp_path):
    import shutil

    from analytics import accounts
    from analytics.domain import access
    from analytics.present import scoped
    from analytics.report import pdf, xlsx

    path = tmp_path / "copy.duckdb"
    shutil.copy(db, path)                  # the module's store stays unreviewed
    con = store.connect(path)
    offices = store_offices(con)
    ids = {name: int(i) for name, i in zip(offices["name"], offices["office_id"])}
    office = access.scope_for(access.Principal("office", "beta", offices=(ids["Kantor Uji Beta"],)), offices)
    asked = content.Request(scope=tuple(ids.values()), pooled_scope=tuple(ids.values()), start=MONTHS[0],
                            end=MONTHS[-1], kanwil=KANWIL)
    request = scoped.Scoped(scoped.StoreSource(con), office).report_request(asked)
    assert request.scope == (ids["Kantor Uji Beta"],) and request.saran_shared_only and not request.integrity
    assert set(request.pooled_scope) == {ids[o] for o in OFFICES}          # the Kanwil's pooled figure
    others = [o for o in ids if o != "Kantor Uji Beta"]

    def built():
        report = content.collect(con, request)
        return report, xlsx.build_xlsx(report), " ".join(pages_of(pdf.build_pdf(report), tmp_path))

    report, book, text = built()
    assert report.suggestions.empty and not report.integrity                # nothing reviewed yet
    assert AT_SARAN not in _book_text(book)
    pooled = queries.indices(con, by="kanwil", period="month", window=queries.Window(MONTHS[0], MONTHS[-1],
                             request.pooled_scope), instruments=["ikm"])
    assert int(pooled["n"].sum()) == report.pooled[report.pooled["instrument"] == "ikm"]["n"].sum()
    kanwil_user = access.Principal("kanwil", "siti", kanwils=(KANWIL,))
    kanwil = access.scope_for(kanwil_user, offices)
    everything = queries.suggestions(con, queries.Window(MONTHS[0], MONTHS[-1], kanwil.offices))
    assert not everything["shared"].any()
    accounts.review_saran(con, kanwil_user, kanwil, everything["respondent_id"], True, accounts.now())
    report, book, text = built()
    assert report.suggestions["saran"].tolist() == [AT_SARAN]               # Beta's own, now reviewed
    for shown in (_book_text(book), text):
        assert "Kantor Uji Beta" in shown and KANWIL in shown
        assert not [o for o in others if o in shown]
    outsider = access.scope_for(access.Principal("kanwil", "x", kanwils=("Kanwil Lain",)), offices)
    with pytest.raises(PermissionError):                                    # fail closed, and logged
        accounts.review_saran(con, kanwil_user, outsider, everything["respondent_id"][:1], False, accounts.now())
    from analytics.store import access as access_store
    latest = access_store.audit_entries(con).iloc[0]
    assert latest["action"] == "scope_violation" and "saran_review" in latest["detail"]
    con.close()


def store_offices(con):
    from analytics.store import offices as office_store
    return office_store.list_offices(con)


def pages_of(data: bytes, tmp: Path) -> list[str]:
    out = tmp / "office.pdf"
    out.write_bytes(data)
    return pages(out)


# --- scope: a guest's share link with downloads ----------------------------------------------------

HIDDEN = "data belum cukup"


def guest_scope(con, names, downloads=True, instruments=("ikm", "ipk"), start=date(2026, 3, 1)):
    from analytics.domain import access
    frame = store_offices(con)
    ids = tuple(int(frame.loc[frame["name"] == name, "office_id"].iloc[0]) for name in names)
    link = access.Principal("guest", "Ombudsman RI Perwakilan Uji", user_id=1, offices=ids, instruments=instruments,
                            month_from=start, month_to=MONTHS[-1], pages=access.GUEST_PAGES, downloads=downloads)
    return access.scope_for(link, frame), ids


def test_guest_report_has_exactly_the_links_scope_and_no_small_figures(db, tmp_path):
    """A link to Alpha (40 a month) and Gamma (12 a month) for 2026-03…06 with downloads: only those
    offices and months, Gamma's figures (n < 30) as "data belum cukup" in both files, the pooled figure
    of the two offices only (not the Kanwil), no saran before a review, no respondent ids, no integrity."""
    import shutil

    from analytics import accounts
    from analytics.domain import access
    from analytics.present import scoped
    from analytics.report import pdf, xlsx

    path = tmp_path / "copy.duckdb"
    shutil.copy(db, path)
    con = store.connect(path)
    scope, (alpha, gamma) = guest_scope(con, ["Kantor Uji Alpha", "Kantor Uji Gamma"])
    assert "laporan" in scope.pages and scope.hide_small
    everything = tuple(int(i) for i in store_offices(con)["office_id"])
    asked = content.Request(scope=everything, pooled_scope=everything, start=MONTHS[0], end=MONTHS[-1],
                            kanwil=KANWIL, pair=("ikm", "ipk"))
    door = scoped.Scoped(scoped.StoreSource(con), scope)
    request = door.report_request(asked)
    assert request.scope == request.pooled_scope == (alpha, gamma)
    assert (request.start, request.end) == (date(2026, 3, 1), MONTHS[-1])
    assert request.hide_small and request.saran_shared_only and not request.integrity

    def built():
        report = content.collect(con, request)
        data = xlsx.build_xlsx(report)
        return report, data, openpyxl.load_workbook(io.BytesIO(data)), pages_of(pdf.build_pdf(report), tmp_path)

    report, data, book, found = built()
    text = " ".join(found)
    flat = re.sub(r"\s+", " ", text)
    window = queries.Window(date(2026, 5, 1), MONTHS[-1], (alpha, gamma))
    by_office = queries.indices(con, by="office", period="month", window=window)
    pooled = queries.indices(con, by="kanwil", period="month", window=window)

    # Only the link's offices and months.
    for shown in (text, _book_text(data)):
        assert "Kantor Uji Alpha" in shown and "Kantor Uji Gamma" in shown
        assert "Kantor Uji Beta" not in shown and "HYPERLINK" not in shown
        assert "2026-01" not in shown and "2026-02" not in shown
    assert [c.value for c in book["IKM Bulanan"][1]][1:] == ["2026-03", "2026-04", "2026-05", "2026-06"]
    assert "bulan 2026-03 – 2026-06" in flat
    # The PDF office table: Alpha's figures equal queries, Gamma's are words, with n kept.
    page = found[1]
    alpha_line = next(line for line in page.splitlines() if line.strip().startswith("Kantor Uji Alpha"))
    gamma_line = next(line for line in page.splitlines() if line.strip().startswith("Kantor Uji Gamma"))
    for inst in ("ikm", "ipk"):
        now = _value(by_office, inst, "2026-06", office="Kantor Uji Alpha")
        assert num(now["converted"], 2, "id") in alpha_line
        small = _value(by_office, inst, "2026-06", office="Kantor Uji Gamma")
        assert small["n"] == 12 and num(small["converted"], 2, "id") not in gamma_line
    # IKM and IPK: the words over value and grade, n 12, no change; Alpha's row has numbers only
    assert re.search(rf"{HIDDEN}\s+12\s+—\s+{HIDDEN}\s+12\s+—", gamma_line) and HIDDEN not in alpha_line
    # The summary pools the two offices only (Beta stays out of the figure, not just out of the names).
    summary = next(line for line in page.splitlines() if line.strip().startswith("Kantor yang dibagikan (2"))
    june = _value(pooled, "ikm", "2026-06", kanwil=KANWIL)
    assert june["n"] == 52 and num(june["converted"], 2, "id") in summary and integer(52, "id") in summary
    # Readiness: Gamma's nilai is words, and no reason quotes it.
    (tmp_path / "guest.pdf").write_bytes(pdf.build_pdf(report))
    readiness_page = re.sub(r"\s+", " ", next(p for p in pages(tmp_path / "guest.pdf", layout=False)
                                               if "Kesiapan Zona Integritas" in p))
    assert f"{HIDDEN} (n 12)" in readiness_page
    # The workbook: every figure of a row with n < 30 is the words; numbers elsewhere stay numbers.
    header, rows = _rows(book["Kantor"])
    cells = {r["Kantor"].value: r for r in rows}
    assert cells["Kantor Uji Gamma"]["IKM"].value == HIDDEN and cells["Kantor Uji Gamma"]["n IKM"].value == 12
    assert cells["Kantor Uji Alpha"]["IKM"].value == _value(by_office, "ikm", "2026-06",
                                                            office="Kantor Uji Alpha")["converted"]
    _, data_rows = _rows(book["Data"])
    assert data_rows
    for r in data_rows:
        figures = [r[c].value for c in ("Indeks", "Nilai konversi", "Persen")]
        if r["n"].value < 30:
            assert figures == [HIDDEN] * 3 and r["Mutu"].value is None, r["Kantor"].value
        else:
            assert all(isinstance(v, float) for v in figures)
    wide = {row[0].value: [c.value for c in row[1:]] for row in book["IKM Bulanan"].iter_rows(min_row=2)}
    assert wide["Kantor Uji Gamma"] == [HIDDEN] * 4 and all(isinstance(v, float) for v in wide["Kantor Uji Alpha"])
    _, ready = _rows(book["Kesiapan ZI"])
    gamma_ready = next(r for r in ready if r["Kantor"].value == "Kantor Uji Gamma")
    assert gamma_ready["nilai layanan"].value == HIDDEN and "kurang" not in gamma_ready["Alasan"].value
    # The charts read numbers from a hidden sheet where a blanked figure is an empty cell (a gap).
    chart_data = book["Data grafik"]
    assert chart_data.sheet_state == "hidden"
    gamma_chart = next(row for row in chart_data.iter_rows(values_only=True) if row[0] == "Kantor Uji Gamma")
    assert all(v is None for v in gamma_chart[1:5])
    assert zipfile.ZipFile(io.BytesIO(data)).namelist().count("xl/charts/chart1.xml") == 1
    # No personal data: no saran before a review, no respondent ids, no integrity section.
    assert report.suggestions.empty and "respondent_id" not in report.suggestions.columns
    assert AT_SARAN not in _book_text(data) and AT_SARAN not in text and FORMULA_SARAN not in _book_text(data)
    assert not report.integrity and "Sinyal integritas" not in text
    assert not [ws for ws in book.sheetnames if ws.startswith("Sinyal")]

    kanwil_user = access.Principal("kanwil", "siti", kanwils=(KANWIL,))
    kanwil = access.scope_for(kanwil_user, store_offices(con))
    june_saran = queries.suggestions(con, queries.Window(MONTHS[-1], MONTHS[-1], (gamma,)))
    accounts.review_saran(con, kanwil_user, kanwil, june_saran["respondent_id"], True, accounts.now())
    report, data, book, found = built()
    assert report.suggestions["saran"].tolist() == [AT_SARAN]           # Gamma's, reviewed; Alpha's is not
    _, saran = _rows(book["Saran"])
    assert [r["Saran"].value for r in saran] == ["'" + AT_SARAN]
    assert FORMULA_SARAN not in _book_text(data)
    # The guest's Kesiapan page goes through the same rule: no reason quotes a blanked nilai.
    page_rows = door.readiness("zi-2019", queries.Window(MONTHS[-1], MONTHS[-1]))
    gamma_row = page_rows[page_rows["office_id"] == gamma].iloc[0]
    assert pd_isna(gamma_row["service_nilai"]) and not [s for s in gamma_row["shortfalls"] if s.kind == "nilai"]
    con.close()


def pd_isna(value) -> bool:
    import pandas as pd
    return bool(pd.isna(value))


def test_a_link_without_downloads_or_with_other_instruments_gets_no_report(db):
    from analytics.present import scoped

    con = store.connect(db, read_only=True)
    try:
        everything = tuple(int(i) for i in store_offices(con)["office_id"])
        asked = content.Request(scope=everything, pooled_scope=everything, start=MONTHS[0], end=MONTHS[-1],
                                kanwil=KANWIL, pair=("ikm", "ipk"))
        no_downloads, _ = guest_scope(con, ["Kantor Uji Alpha"], downloads=False)
        assert "laporan" not in no_downloads.pages and "ringkasan" in no_downloads.pages
        assert scoped.Scoped(scoped.StoreSource(con), no_downloads).report_request(asked) is None
        ikm_only, _ = guest_scope(con, ["Kantor Uji Alpha"], instruments=("ikm",))
        assert scoped.Scoped(scoped.StoreSource(con), ikm_only).report_request(asked) is None
        from dataclasses import replace
        assert scoped.Scoped(scoped.StoreSource(con), ikm_only).report_request(replace(asked, pair=None)) is None
    finally:
        con.close()


# --- the PDF's trend small multiples (analytics/report/svg.py) --------------------------------------

def test_small_multiples_svg_draws_bands_thresholds_bars_markers_and_gaps():
    import xml.etree.ElementTree as ET

    import pandas as pd

    from analytics import settings
    from analytics.domain.grades import grade_of
    from analytics.report import svg

    def trend(values, ns):
        return pd.DataFrame({"period": [f"2026-0{i + 1}" for i in range(len(values))], "value": values, "n": ns,
                             "grade": None, "delta": float("nan"), "small": [n < 30 for n in ns], "partial": False})

    cells = [("Kantor <A>", trend([80.0, 82.5, 90.1], [40, 12, 35])), ("Kantor B", trend([70.0, float("nan"), 71.0],
                                                                                         [50, 9, 60])),
             ("Kantor C", trend([88.0], [31])), ("Kantor D", trend([85.0, 86.0], [30, 30]))]
    grid = svg.trend_grid(cells, REG.get("ikm"), REG.grades, {"wbk": 80.0, "wbbm": 90.0}, columns=3)
    root = ET.fromstring(grid.svg)
    tag = lambda name: [e for e in root.iter() if e.tag.split("}")[-1] == name]
    paths = tag("path")
    layer = lambda **attrs: [p.get("d") for p in paths if all(p.get(k.replace("_", "-")) == v for k, v in attrs.items())]
    # one path per way of drawing, for the whole figure; one subpath per cell (or bar, or marker)
    bands = layer(fill_opacity="0.14")
    assert len(bands) == 4 and [d.count("M") for d in bands] == [4, 4, 4, 4]      # every grade, every cell
    (dashed,) = [p.get("d") for p in paths if p.get("stroke-dasharray")]
    assert dashed.count("M") == 2 * 4                                             # WBK and WBBM, every cell
    (small_bars,) = layer(stroke=settings.get("small_color"))
    (plain_bars,) = layer(stroke=settings.get("bar_color"))
    assert small_bars.count("M") == 2 and plain_bars.count("M") == 3 + 3 + 1 + 2 - 2   # A's 12 and B's 9 are small
    (line,) = layer(stroke=settings.get("line_color"), fill="none")
    assert line.count("M") == 1 + 2 + 1 + 1 and line.count("L") == 2 + 0 + 0 + 1  # B: a gap for its blanked value
    latest = {p.get("fill") for p in paths if p.get("stroke") == settings.get("line_color")
              and p.get("fill") not in (None, "none")}
    assert grade_of(90.1, REG.grades).color in latest                             # A's last value, in its grade colour
    assert not tag("rect") and not tag("circle") and not tag("g")
    labels = [e.text for e in tag("text")]
    assert "2026-01" in labels and not any("Kantor" in (t or "") for t in labels)   # names are HTML, not SVG
    assert [name for name, *_ in grid.names] == ["Kantor <A>", "Kantor B", "Kantor C", "Kantor D"]
    assert grid.names[3][1] == grid.names[0][1] and grid.names[3][2] > grid.names[0][2]   # D below A


def test_readme_shows_the_first_two_pdf_pages():
    """docs/screens/laporan-1.png and -2.png exist, are A4 portrait page pictures (pdftoppm), and the
    README shows them (regenerate them when the PDF's look changes: README, Reports)."""
    import struct

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    for number in (1, 2):
        path = f"docs/screens/laporan-{number}.png"
        assert f"]({path})" in readme, path
        data = (root / path).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", path
        width, height = struct.unpack(">II", data[16:24])
        assert abs(height / width - 297 / 210) < 0.02, (path, width, height)
