"""The exports offices really send, imported end to end through importer.ingest into an in-memory
store; the assertions are on the imported numbers (n, indices), the messages and the row numbers."""
from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction

import pandas as pd
import pytest

from analytics import cli, settings, store
from analytics.ingest import importer
from analytics.ingest import office_master
from analytics.store import offices, queries
from tests.fixtures import make_fixtures as mf

TODAY = dt.date(2024, 6, 1)
PEOPLE = mf.respondents(60)


@pytest.fixture
def con(make_store, tmp_path):
    connection = make_store(master=mf.write_office_master(tmp_path))
    yield connection
    connection.close()


def ingest(con, path_or_bytes, name=None, **options):
    content = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    name = name or path_or_bytes.name
    return importer.ingest(con, content, name, importer.ImportOptions(today=TODAY, **options))


def indices(con) -> pd.DataFrame:
    frame = queries.indices(con, by="office", period="month")
    return frame[["office", "period", "instrument", "n", "index", "converted", "grade"]]


def assert_expected(con, people=PEOPLE):
    """Every office × month × instrument: n and the index exactly as domain.md §4 computes them."""
    expected = mf.expected_indices(people)
    got = indices(con)
    assert len(got) == len(expected)
    for row in got.itertuples():
        n, exact = expected[(row.office, row.period, row.instrument)]
        assert row.n == n
        assert row.index == pytest.approx(float(exact), abs=5e-5)


# --- the deliverable: five shapes, one set of numbers ------------------------------------------------

def test_five_export_shapes_give_identical_indices(make_store, tmp_path):
    """Canonical CSV; Google Forms (labels, statements in [...], 'Cap waktu' m/d/yyyy); e-survey XLSX
    (title block, merged titles, Jumlah/Rata-rata/NRR/IKM footer, signatures); semicolon CSV in
    Windows-1252; a workbook with a sheet per month and a 'Rekap' sheet."""
    results = []
    for path in mf.write_five_shapes(tmp_path, PEOPLE):
        connection = make_store(master=mf.write_office_master(tmp_path))
        report = ingest(connection, path)
        assert report.status == "imported", (path.name, report.message)
        assert (report.rows_imported, report.rows_rejected) == (len(PEOPLE), 0), path.name
        assert_expected(connection)
        results.append(indices(connection))
    for other in results[1:]:
        pd.testing.assert_frame_equal(results[0], other)
    assert set(results[0]["instrument"]) == {"ikm", "ipk"}


def test_notes_of_a_report_layout_are_kept_with_the_batch(con, tmp_path):
    report = ingest(con, mf.write_esurvey_xlsx(tmp_path, PEOPLE))
    notes = store.fetch_one(con, "SELECT notes FROM batches WHERE batch_id = ?", [report.batch_id])[0]
    assert any("judul kolom di baris 7" in n for n in notes)
    assert any("bukan responden" in n and "Jumlah" in n for n in notes)
    store.delete_batch(con, report.batch_id)
    workbook = ingest(con, mf.write_monthly_workbook(tmp_path, PEOPLE[:5]))
    notes = store.fetch_one(con, "SELECT notes FROM batches WHERE batch_id = ?", [workbook.batch_id])[0]
    assert any("Rekap dilewati" in n for n in notes)


# --- containers and encodings -------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["xls", "ods", "tsv", "utf16", "bom", "csv-named-xls"])
def test_other_containers(con, tmp_path, kind):
    rows = mf.canonical_rows(PEOPLE)
    if kind == "xls":
        path = mf.write_xls(tmp_path / "export.xls", [["Laporan IKM"], []] + rows)
    elif kind == "ods":
        path = mf.write_ods(tmp_path / "export.ods", rows, start_row=2)
    elif kind == "tsv":
        path = mf.write_csv(tmp_path / "export.tsv", rows, sep="\t")
    elif kind == "utf16":          # Excel's "Unicode Text"
        path = mf.write_csv(tmp_path / "export.txt", rows, sep="\t", encoding="utf-16")
    elif kind == "bom":
        path = mf.write_csv(tmp_path / "export.csv", rows, encoding="utf-8-sig", newline="\r\n")
    else:
        path = mf.write_csv(tmp_path / "export.xls", rows, sep=";")
    report = ingest(con, path)
    assert report.status == "imported", report.message
    assert report.rows_imported == len(PEOPLE)
    assert_expected(con)


def test_label_answers_with_number_prefixes(con, tmp_path):
    rows = mf.canonical_rows(PEOPLE)
    for row in rows[1:]:
        for i in range(7, 7 + 21):
            if row[i] != "":
                row[i] = f"{row[i]} - {mf.BAIK[row[i]]}"
        for i in range(28, 36):
            if row[i] != "":
                row[i] = f"({row[i]}) {mf.SETUJU[row[i]]}"
    report = ingest(con, mf.write_csv(tmp_path / "label.csv", rows))
    assert report.status == "imported", report.message
    assert_expected(con)


def test_office_spellings_resolve_through_the_master(con, tmp_path):
    rows = mf.canonical_rows(PEOPLE)
    spellings = {"Kantor Imigrasi Kelas I TPI Bandung": ["Kanim Kelas 1 TPI Bandung", "Imigrasi Bandung"],
                 "Lapas Kelas IIA Cirebon": ["LEMBAGA PEMASYARAKATAN KLS II A CIREBON", "lapas cirebon"]}
    for i, row in enumerate(rows[1:]):
        row[2] = spellings[row[2]][i % 2]
    report = ingest(con, mf.write_csv(tmp_path / "ejaan.csv", rows))
    assert report.status == "imported", report.message
    assert store.fetch_one(con, "SELECT count(*) FROM offices")[0] == 2
    assert_expected(con)


def test_unknown_office_is_rejected_unless_created(con, tmp_path):
    rows = mf.canonical_rows(PEOPLE[:4])
    rows[1][2] = "Rutan Kelas IIB Entah"
    path = mf.write_csv(tmp_path / "baru.csv", rows)
    report = ingest(con, path)
    assert (report.rows_imported, report.rows_rejected) == (3, 1)
    assert "tidak ada di daftar kantor" in report.errors[0].message and report.errors[0].row == 2
    created = store.connect(":memory:")
    assert ingest(created, path, create_offices=True).rows_imported == 4


def test_office_and_period_given_for_files_without_them(con, tmp_path):
    header = [f"IKM{i}" for i in range(1, 22)]
    rows = [header] + [[s for s in r.ikm] for r in PEOPLE[:10]]
    path = mf.write_xlsx(tmp_path / "tanpa_kantor.xlsx", {"Data": rows})
    refused = ingest(con, path, period="2024-03")
    assert refused.status == "refused" and "--office" in refused.message
    refused = ingest(con, path, office="Lapas Kelas IIA Cirebon")
    assert refused.status == "refused" and "--period" in refused.message
    report = ingest(con, path, office="Lapas Kelas IIA Cirebon", period="2024-03")
    assert report.rows_imported == 10
    got = indices(con)
    assert got[["office", "period", "instrument", "n"]].values.tolist() == [
        ["Lapas Kelas IIA Cirebon", "2024-03", "ikm", 10]]


def test_profile_is_normalised_and_raw_kept_and_saran_is_text(con, tmp_path):
    report = ingest(con, mf.write_google_forms_csv(tmp_path, PEOPLE))
    rows = con.execute("SELECT gender, gender_raw, age_band, age_raw, saran FROM respondents "
                       "ORDER BY source_row").fetchall()
    first = PEOPLE[0]
    assert rows[0][:4] == (first.gender, "Laki-laki" if first.gender == "L" else "Perempuan",
                           rows[0][2], f"{first.age} tahun")
    assert rows[0][2] is not None
    sarans = {r[4] for r in rows}
    assert {"=perbanyak loket", "+tambah kursi", 'Petugas "ramah" sekali'} <= sarans
    assert report.rows_imported == len(PEOPLE)


def test_formula_like_saran_is_stored_verbatim_from_xlsx(con, tmp_path):
    ingest(con, mf.write_esurvey_xlsx(tmp_path, PEOPLE))
    sarans = {r[0] for r in con.execute("SELECT saran FROM respondents").fetchall()}
    assert "=perbanyak loket" in sarans and "+tambah kursi" in sarans


# --- bad input: row problems with the row number the user sees ----------------------------------------

def test_bad_cells_are_rejected_with_excel_row_column_value_and_reason(con, tmp_path):
    people = PEOPLE[:12]
    rows, merges = mf.esurvey_grid(people)          # title on row 3, header on row 7, data from row 8
    rows[5][6] = 5                                  # row 8,  U1
    rows[6][7] = 0                                  # row 9,  U2
    rows[7][8] = "3,5"                              # row 10, U3
    rows[8][1] = dt.datetime(2030, 1, 1, 9, 0)      # row 11, future date
    rows[9][1] = "kemarin"                          # row 12, unreadable date
    rows.insert(10, [])                             # row 13 blank: later rows keep their own numbers
    rows[11][27] = 7                                # row 14, IPK 1 (IPK starts after U21)
    path = mf.write_xlsx(tmp_path / "salah.xlsx", {"Laporan": rows}, start_row=3, start_col=2,
                         merges={"Laporan": merges})
    report = ingest(con, path)
    got = [(e.row, e.column, e.value, e.message) for e in report.errors]
    assert got == [
        (8, "U1", "5", "jawaban 5 di luar skala 1–4"),
        (9, "U2", "0", "jawaban 0 di luar skala 1–4"),
        (10, "U3", "3,5", "nilai 3,5 bukan bilangan bulat (skala 1–4)"),
        (11, "Tanggal", "2030-01-01 09:00:00", got[3][3]),
        (12, "Tanggal", "kemarin", got[4][3]),
        (14, "IPK 1", "7", "jawaban 7 di luar skala 1–4"),
    ]
    assert "masa depan" in got[3][3] and "tidak terbaca" in got[4][3]
    assert (report.status, report.rows_imported, report.rows_rejected) == ("imported", 6, 6)
    rejects = store.rejects(con, report.batch_id)
    assert rejects["source_row"].tolist() == [8, 9, 10, 11, 12, 14]
    assert "U1: jawaban 5 di luar skala 1–4" in rejects["reasons"].iloc[0]
    assert json.loads(rejects["row_data"].iloc[0])["U1"] == "5"


def test_same_respondent_twice_in_one_file(con, tmp_path):
    rows = mf.canonical_rows(PEOPLE[:6])
    rows.append(list(rows[2]))
    report = ingest(con, mf.write_csv(tmp_path / "dobel.csv", rows))
    assert (report.rows_imported, report.rows_rejected) == (6, 1)
    assert report.errors[0].row == 8 and "sudah ada di baris 3" in report.errors[0].message


def test_ambiguous_tidak_setuju_column_is_refused_by_name(con, tmp_path):
    header = ["Tanggal", "Kantor", "IPK1", "IPK2"]
    rows = [header, ["2024-03-05", "Lapas Kelas IIA Cirebon", "Tidak Setuju", "Kurang Setuju"],
            ["2024-03-06", "Lapas Kelas IIA Cirebon", "Setuju", "Tidak Setuju"]]
    before = mf.table_counts(con)
    report = ingest(con, mf.write_csv(tmp_path / "ragu.csv", rows))
    assert report.status == "refused"
    assert "'IPK1'" in report.message and "Tidak Setuju" in report.message
    assert mf.table_counts(con) == before
    rows[1][2] = "1 - Tidak Setuju"                  # the number settles it
    assert ingest(con, mf.write_csv(tmp_path / "ragu2.csv", rows)).rows_imported == 2


def test_every_row_invalid_writes_nothing(con, tmp_path):
    rows = mf.canonical_rows(PEOPLE[:5])
    for row in rows[1:]:
        row[1] = "bukan tanggal"
    before = mf.table_counts(con)
    report = ingest(con, mf.write_csv(tmp_path / "rusak.csv", rows))
    assert report.status == "refused" and "tidak ada baris valid: 5 baris ditolak" in report.message
    assert "baris 2" in report.message
    assert mf.table_counts(con) == before


@pytest.mark.parametrize("case,message", [
    ("empty", "file kosong"),
    ("header_only", "tidak ada baris responden"),
    ("html", "simpan ulang sebagai .xlsx"),
    ("pdf", "PDF"),
    ("encrypted", "dilindungi kata sandi"),
    ("truncated", "rusak atau terpotong"),
    ("too_big", "melebihi batas 200 MB"),
    ("no_items", "tidak ada kolom jawaban survei"),
])
def test_files_refused_with_a_clear_message_and_nothing_written(con, tmp_path, case, message):
    xlsx = mf.write_esurvey_xlsx(tmp_path, PEOPLE[:5]).read_bytes()
    content, name = {
        "empty": (b"", "kosong.csv"),
        "header_only": (mf.write_csv(tmp_path / "h.csv", mf.canonical_rows([])).read_bytes(), "h.csv"),
        "html": (mf.html_table_bytes(PEOPLE[:5]), "export.xls"),
        "pdf": (mf.pdf_bytes(), "laporan.xlsx"),
        "encrypted": (mf.encrypted_ooxml_bytes(), "rahasia.xlsx"),
        "truncated": (mf.truncated(xlsx, 0.6), "laporan.xlsx"),
        "too_big": (bytes(settings.get("max_upload_mb") * 1024 * 1024 + 1), "besar.csv"),
        "no_items": (b"Nama,Alamat\nBudi,Bandung\n", "daftar.csv"),
    }[case]
    before = mf.table_counts(con)
    report = importer.ingest(con, content, name, importer.ImportOptions(today=TODAY))
    assert report.status == "refused"
    assert message in report.message and report.message.startswith(name)
    assert mf.table_counts(con) == before


def test_reimporting_the_same_file_is_recognised(con, tmp_path):
    path = mf.write_canonical_csv(tmp_path, PEOPLE)
    assert ingest(con, path).status == "imported"
    assert ingest(con, path).status == "already_imported"
    assert_expected(con)


def test_fuzzy_header_matches_are_noted_with_the_batch(con, tmp_path):
    rows = mf.canonical_rows(PEOPLE)
    rows[0][7] = "Informasi persyaratan pelayanan mudah diperoleh"     # IKM1, reworded
    report = ingest(con, mf.write_csv(tmp_path / "mirip.csv", rows))
    notes = store.fetch_one(con, "SELECT notes FROM batches WHERE batch_id = ?", [report.batch_id])[0]
    assert any("dibaca sebagai IKM1" in n and "kemiripan" in n for n in notes)
    assert_expected(con)


def test_office_master_from_xlsx(tmp_path):
    connection = store.connect(":memory:")
    path = mf.write_xlsx(tmp_path / "kantor.xlsx", {"Kantor": mf.office_master_rows()})
    assert office_master.import_master(connection, path) == 2
    assert offices.resolve(connection, ["Lapas Cirebon", "Imigrasi Bandung", "Kanim Kls I TPI Bandung"]) == {
        "Lapas Cirebon": 2, "Imigrasi Bandung": 1, "Kanim Kls I TPI Bandung": 1}


def test_cli_ingest_uses_the_same_path(tmp_path, capsys):
    db = tmp_path / "cli.duckdb"
    master = mf.write_office_master(tmp_path)
    assert cli.main(["offices", "--db", str(db), "--import", str(master)]) == 0
    path = mf.write_google_forms_csv(tmp_path, PEOPLE)
    capsys.readouterr()
    assert cli.main(["ingest", str(path), "--db", str(db), "--json"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (report["status"], report["rows_imported"]) == ("imported", len(PEOPLE))
    with store.connect(db, read_only=True) as connection:
        assert_expected(connection)


def test_expected_indices_helper_is_exact():
    # Guard for the fixture itself: pooled over months, never an average of monthly indices.
    people = mf.respondents(6)
    by_month = mf.expected_indices(people)
    assert all(isinstance(v[1], Fraction) for v in by_month.values())
    assert sum(n for (o, m, i), (n, _) in by_month.items() if i == "ikm") == 6


@pytest.mark.parametrize("dates,months", [
    (["2024-03-05", "2024-08-17"], ["2024-03", "2024-08"]),
    (["05/03/2024", "17/08/2024"], ["2024-03", "2024-08"]),               # day first: 17 > 12
    (["3/5/2024 14:02:11", "8/17/2024 09:00:00"], ["2024-03", "2024-08"]),  # Google Forms m/d/yyyy
    (["05/03/2024 14.02.11", "06/04/2024 09.00.00"], ["2024-03", "2024-04"]),  # all ≤ 12; 14.02.11: Indonesian d/m
    (["5-3-2024", "17-8-2024"], ["2024-03", "2024-08"]),
    (["5 Maret 2024", "17 Agt 2024"], ["2024-03", "2024-08"]),
    (["1 Mei 2024", "2 Okt 2024", "3 Des 2024", "4 Ags 2024"], ["2024-05", "2024-10", "2024-12", "2024-08"]),
    (["45356", "45521"], ["2024-03", "2024-08"]),                         # Excel serial numbers
])
def test_date_forms_through_a_file(make_store, tmp_path, dates, months):
    connection = make_store({"Lapas Kelas IIA Cirebon": None})
    rows = [["Tanggal", "Kantor", "IKM1", "IKM2"]] + [[d, "Lapas Kelas IIA Cirebon", 4, 3] for d in dates]
    report = importer.ingest(connection, mf.write_csv(tmp_path / "t.csv", rows, sep=";").read_bytes(), "t.csv",
                             importer.ImportOptions(today=dt.date(2025, 1, 1)))
    assert report.rows_imported == len(dates), report.message
    got = [r[0].strftime("%Y-%m") for r in connection.execute(
        "SELECT month FROM respondents ORDER BY source_row").fetchall()]
    assert got == months


def test_a_large_csv_read_in_chunks(make_store, tmp_path):
    """pandas reads big CSVs in chunks: text columns arrive as multi-chunk arrow strings."""
    people = mf.respondents(3000, seed=3)
    rows = mf.canonical_rows(people)
    for i, row in enumerate(rows[1:]):
        row[0] = f"ID-{i:06d}"
    connection = make_store(master=mf.write_office_master(tmp_path))
    path = mf.write_csv(tmp_path / "besar.csv", rows * 1 + [r[:] for r in rows[1:2]])   # one duplicate at the end
    report = ingest(connection, path)
    assert (report.rows_imported, report.rows_rejected) == (3000, 1)
    assert_expected(connection, people)
