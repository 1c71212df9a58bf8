"""Issue 13 items 4 and 5: every download goes through the one guarded exporter (analytics/export.py),
including text with an embedded CR before "=…"; rejects keep only mapped columns; contacts in saran are
masked on import with a flag."""
from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import openpyxl
import pytest

from analytics import cli, export, store
from analytics.domain.privacy import mask_contacts
from analytics.ingest import importer
from analytics.present import views
from tests.fixtures.make_fixtures import DEMO_TODAY

ROOT = Path(__file__).resolve().parent.parent
OFFICE = "Kantor Imigrasi Kelas I TPI Uji"
CR_FORMULA = 'baik\r=HYPERLINK("http://contoh.invalid","klik")'


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r'=1"),
    (CR_FORMULA, 'baik\r\'=HYPERLINK("http://contoh.invalid","klik")'),
    ("a\n+b\r\n-c\n@d", "a\n'+b\r\n'-c\n'@d"), ("baris 1\nbaris 2", "baris 1\nbaris 2"),
    ("-5", "-5"), ("+3,5", "+3,5"), ("-", "-"), ("", ""), (4, 4), (None, None),
])
def test_guard_at_the_start_and_after_every_line_break(value, expected):
    assert export.guard(value) == expected
    if isinstance(value, str):
        assert export.unguard(export.guard(value)) == value


def test_csv_quotes_every_field_and_guards_names_too():
    text = export.csv_text(__import__("pandas").DataFrame({"=kolom": [CR_FORMULA], "n": [3]}))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["'=kolom", "n"], ['baik\r\'=HYPERLINK("http://contoh.invalid","klik")', "3"]]
    assert text.splitlines()[0] == '"\'=kolom","n"'          # numbers quoted too


def test_streamlit_table_toolbar_download_is_off():
    """st.dataframe's toolbar would download raw cell text: client.disableDataExport switches it off."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


# --- the export: a name and a phone number in ignored columns, contacts and CR text in the saran ---------

def _export(rows) -> bytes:
    header = ["ID Responden", "Tanggal", "Kantor", "Nama Lengkap", "No HP"] + [f"IKM{i}" for i in range(1, 22)] \
        + ["Saran"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for rid, score, saran in rows:
        writer.writerow([rid, "2024-03-05", OFFICE, "Budi Santoso", "0812-3456-7890"] + [score] * 21 + [saran])
    return out.getvalue().encode()


ROWS = [("R1", 3, "hubungi saya di +62 812 3456 7890 atau budi@contoh.id"),
        ("R2", 4, CR_FORMULA),
        ("R3", 9, "=cmd|' /C calc'!A0 telp 0812-9999-8888"),          # score 9: rejected
        ("R4", 3, "antrean 62 orang, loket 08 tutup")]


@pytest.fixture
def prepared(make_store):
    con = make_store({OFFICE: "Kanwil Uji"})
    return con, importer.prepare(con, _export(ROWS), "ekspor.csv", importer.ImportOptions(today=DEMO_TODAY))


def test_rejects_keep_only_mapped_columns_and_mask_the_saran(prepared):
    _, found = prepared
    assert found.rejected["source_row"].tolist() == [4]
    cells = json.loads(found.rejected["row_data"].iloc[0])
    assert "Nama Lengkap" not in cells and "No HP" not in cells
    assert {"ID Responden", "Tanggal", "Kantor", "IKM1", "Saran"} <= set(cells)
    assert cells["Saran"] == "=cmd|' /C calc'!A0 telp [telepon]"
    download = views.rejects_csv(found.rejected, "id").decode("utf-8-sig")
    assert "Budi Santoso" not in download and "0812" not in download
    assert "\"'=cmd|' /C calc'!A0 telp [telepon]\"" in download


def test_rejects_csv_guards_a_formula_after_a_cr(make_store):
    """The Unggah page's rejects download: a rejected row's saran with CR then "=…" reaches Excel as text."""
    con = make_store({OFFICE: "Kanwil Uji"})
    found = importer.prepare(con, _export([("R9", 9, CR_FORMULA)]), "ekspor.csv", importer.ImportOptions(today=DEMO_TODAY))
    assert found.rejected["source_row"].tolist() == [2]
    rows = list(csv.reader(io.StringIO(views.rejects_csv(found.rejected, "id").decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert export.guard(CR_FORMULA) in cells and CR_FORMULA not in cells


def test_saran_is_stored_masked_with_a_flag(prepared):
    con, found = prepared
    report = importer.commit(con, found, importer.ImportOptions(today=DEMO_TODAY))
    assert report.rows_imported == 3
    stored = dict(con.execute("SELECT external_id, saran FROM respondents").fetchall())
    flags = dict(con.execute("SELECT external_id, saran_masked FROM respondents").fetchall())
    assert stored["R1"] == "hubungi saya di [telepon] atau [email]" and flags["R1"] is True
    assert stored["R2"] == CR_FORMULA.replace("\r", " ") and flags["R2"] is False      # whitespace normalised
    assert stored["R4"] == "antrean 62 orang, loket 08 tutup" and flags["R4"] is False
    assert "Budi" not in repr(con.execute("SELECT * FROM respondents").fetchall())


@pytest.mark.parametrize("text,masked", [
    ("+62 812-3456-7890", "[telepon]"), ("+6281234567890", "[telepon]"), ("62 812 3456 7890", "[telepon]"),
    ("0812 3456 7890", "[telepon]"), ("0812-3456-7890", "[telepon]"), ("08123456789", "[telepon]"),
    ("(021) 555-1234", "[telepon]"), ("WA: 0857.1234.5678.", "WA: [telepon]."),
    ("surel a.b_c@kemenkumham.go.id!", "surel [email]!"), ("x+tag@mail.co.id", "[email]"),
    ("62 orang antre", None), ("tahun 2024 loket 10", None), ("nilai 0 1 2 3", None), ("skor 62 85 90", None),
])
def test_masking_indonesian_phone_numbers_and_emails(text, masked):
    assert mask_contacts(text) == ((masked, True) if masked else (text, False))


# --- every download path: CLI csv, rejects (above), report workbook ---------------------------------------

@pytest.fixture
def db(tmp_path, make_store):
    path = tmp_path / "unduh.duckdb"
    con = make_store({"=Kantor Rumus": "Kanwil Uji"}, path)
    rows = [[f"R{i}", "2024-03-05", "=Kantor Rumus"] + [3] * 21 + [CR_FORMULA] for i in range(1, 4)]
    header = ["ID Responden", "Tanggal", "Kantor"] + [f"IKM{i}" for i in range(1, 22)] + ["Saran"]
    out = io.StringIO()
    csv.writer(out).writerows([header] + rows)
    assert importer.ingest(con, out.getvalue().encode(), "a.csv",
                           importer.ImportOptions(today=DEMO_TODAY)).rows_imported == 3
    # the importer folds a CR into a space; a stored CR (an older store, another writer) must be guarded too
    con.execute("UPDATE respondents SET saran = ?", [CR_FORMULA])
    con.close()
    return path


def test_cli_csv_is_guarded_and_quoted(db, capsys):
    assert cli.main(["indices", "--db", str(db), "--period", "all", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[1][0] == "'=Kantor Rumus"


def test_cli_csv_guards_after_a_cr_in_a_name(db, capsys):
    con = store.connect(db)
    con.execute("UPDATE offices SET name = ?", ["Kantor\r=1+1"])         # a CR stored by another writer
    con.close()
    assert cli.main(["indices", "--db", str(db), "--period", "all", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert rows[1][0] == "Kantor\r'=1+1"


def test_report_workbook_text_is_guarded_after_a_cr(db, tmp_path, capsys):
    out = tmp_path / "laporan.xlsx"
    assert cli.main(["report", "--format", "xlsx", "--out", str(out), "--db", str(db),
                     "--from", "2024-03", "--to", "2024-03"]) == 0
    book = openpyxl.load_workbook(out)
    texts = [c.value.replace("_x000D_", "\r")        # xlsx escapes a CR so; openpyxl leaves it so
             for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert export.guard(CR_FORMULA) in texts and CR_FORMULA not in texts
    assert "'=Kantor Rumus" in texts and "=Kantor Rumus" not in texts
    for text in texts:
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            assert not line[:1] in ("=", "@") and not (line[:1] == "+" and not line[1:2].isdigit()), text
