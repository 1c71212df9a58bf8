"""Issue 9: a file either imports exactly right, or it stops and says precisely what it needs.

One test (or a few) per class of silent error seen in real exports. Every fixture is built here in
code; the expected n and indices are computed in the test from the rows it wrote (Fractions), never
by the code under test."""
from __future__ import annotations

import json
from fractions import Fraction

import pytest

from analytics import cli
from analytics.store import queries
from tests.fixtures import make_fixtures as mf
from tests.fixtures.make_fixtures import csv_bytes, ingest_bytes, table_counts, write_xlsx

BANDUNG = "Kantor Imigrasi Kelas I TPI Bandung"
CIREBON = "Lapas Kelas IIA Cirebon"
KANWIL = "Kanwil Jawa Barat"
IKM_CODES = [f"IKM{i}" for i in range(1, 22)]
IPK_CODES = [f"IPK{i}" for i in range(1, 9)]


@pytest.fixture
def con(make_store):
    c = make_store({BANDUNG: KANWIL, CIREBON: KANWIL})
    yield c
    c.close()


def exact(rows: list[list[int | None]]) -> tuple[int, Fraction]:
    """(n, index) of one instrument's answer rows, as domain.md §4 pools them."""
    answered = [r for r in rows if any(s is not None for s in r)]
    nrrs = [Fraction(sum(c), len(c)) for c in ([a[i] for a in answered if a[i] is not None]
                                                for i in range(len(rows[0]))) if c]
    return len(answered), sum(nrrs, Fraction(0)) / len(nrrs)


def got(con) -> dict[tuple[str, str, str], tuple[int, float]]:
    return {(r.office, r.period, r.instrument): (r.n, r.index) for r in queries.indices(con).itertuples()}


def assert_indices(con, expected: dict[tuple[str, str, str], tuple[int, Fraction]]):
    found = got(con)
    assert set(found) == set(expected)
    for key, (n, index) in expected.items():
        assert found[key][0] == n, key
        assert found[key][1] == pytest.approx(float(index), abs=5e-5), key


def answers(seed: int, k: int, lo: int = 1, hi: int = 4) -> list[int]:
    """Deterministic, varied answers (no randomness: the test reads them back)."""
    return [lo + (seed * 7 + i * 3 + seed // 3) % (hi - lo + 1) for i in range(k)]


def run_cli(tmp_path, capsys, *args) -> tuple[int, str, str]:
    code = cli.main(["ingest", "--db", str(tmp_path / "cli.duckdb"), *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


# --- 5. label sets that almost match -------------------------------------------------------------

SIX = ["Sangat Tidak Setuju", "Tidak Setuju", "Agak Tidak Setuju", "Agak Setuju", "Setuju", "Sangat Setuju"]
ALMOST = ["Sangat Tidak Setuju", "Tidak Setuju", "Kurang Setuju", "Cukup Setuju", "Setuju", "Sangat Setuju"]


def spkp_rows(labels: list[str], n: int = 24):
    header = ["Tanggal", "Kantor"] + [f"SPKP{i}" for i in range(1, 9)]
    scores = [answers(s, 8, 1, 6) for s in range(n)]
    rows = [[f"2024-05-{1 + s % 28:02d}", BANDUNG] + [labels[v - 1] for v in r] for s, r in zip(range(n), scores)]
    return [header] + rows, scores


def test_a_column_whose_labels_match_a_set_only_partly_is_refused_whole(con):
    grid, _ = spkp_rows(ALMOST)
    before = table_counts(con)
    report = ingest_bytes(con, csv_bytes(grid), "spkp.csv")
    assert report.status == "refused" and report.code == "labels_unresolved"
    text = report.render("id")
    assert "'Cukup Setuju'" in text and "'Kurang Setuju'" in text and "SPKP1" in text
    assert "seluruh kolom ditolak" in text
    assert "Cukup Setuju" in report.render("en") and "whole column is refused" in report.render("en")
    assert table_counts(con) == before          # nothing written, not even the rows it could read


def test_the_same_file_with_the_full_label_set_imports_exactly(con):
    grid, scores = spkp_rows(SIX)
    report = ingest_bytes(con, csv_bytes(grid), "spkp.csv")
    assert report.status == "imported" and report.rows_imported == 24 and report.rows_rejected == 0
    assert_indices(con, {(BANDUNG, "2024-05", "spkp"): exact(scores)})


def test_answers_written_with_the_number_first_import(con):
    forms = ["{n} ({label})", "({n}) {label}", "{n}. {label}"]
    baik = mf.BAIK
    header = ["Tanggal", "Kantor"] + IKM_CODES
    scores = [answers(s, 21) for s in range(9)]
    rows = [[f"2024-05-{10 + s}", CIREBON] + [forms[(s + i) % 3].format(n=v, label=baik[v]) for i, v in enumerate(r)]
            for s, r in enumerate(scores)]
    report = ingest_bytes(con, csv_bytes([header] + rows), "angka_label.csv")
    assert report.status == "imported" and report.rows_rejected == 0
    assert_indices(con, {(CIREBON, "2024-05", "ikm"): exact(scores)})


# --- 3. whole instruments dropped with only a note ---------------------------------------------

def pair_rows(n: int, office: str = BANDUNG, month: int = 4):
    """n respondents answering IKM (21) and IPK (8); a few blanks."""
    ikm = [answers(s, 21) for s in range(n)]
    ipk = [answers(s + 5, 8) for s in range(n)]
    for s in range(0, n, 4):
        ikm[s][s % 21] = None
    return ikm, ipk


def cells(scores):
    return ["" if v is None else v for v in scores]


@pytest.mark.parametrize("codes", [[f"P{i}" for i in range(1, 30)], [str(i) for i in range(1, 30)],
                                   [f"Pertanyaan {i}" for i in range(1, 30)]])
def test_one_generic_run_over_ikm_and_ipk_is_split_by_count(con, codes):
    ikm, ipk = pair_rows(14)
    grid = [["Tanggal", "Kantor"] + codes] + [[f"2024-04-{1 + s:02d}", BANDUNG] + cells(a + b)
                                               for s, (a, b) in enumerate(zip(ikm, ipk))]
    report = ingest_bytes(con, csv_bytes(grid), "generik.csv")
    assert report.status == "imported" and report.instruments == ["ikm", "ipk"]
    assert_indices(con, {(BANDUNG, "2024-04", "ikm"): exact(ikm), (BANDUNG, "2024-04", "ipk"): exact(ipk)})


def test_prefixed_skm_codes_import_beside_ipk(con):
    skm = [answers(s, 9) for s in range(11)]
    ipk = [answers(s + 2, 8) for s in range(11)]
    grid = [["Tanggal", "Kantor"] + [f"SKM U{i}" for i in range(1, 10)] + IPK_CODES]
    grid += [[f"2024-06-{3 + s:02d}", CIREBON] + a + b for s, (a, b) in enumerate(zip(skm, ipk))]
    report = ingest_bytes(con, csv_bytes(grid), "skm.csv")
    assert report.status == "imported" and report.instruments == ["ipk", "skm"]
    assert_indices(con, {(CIREBON, "2024-06", "skm"): exact(skm), (CIREBON, "2024-06", "ipk"): exact(ipk)})


@pytest.mark.parametrize("ikm_codes,ipk_codes", [
    ([f"grp_ikm/ikm_{i:02d}" for i in range(1, 22)], [f"grp_ipk/ipk_{i:02d}" for i in range(1, 9)]),  # Kobo
    ([f"survei/ikm/q{i}" for i in range(1, 22)], [f"survei/ipk/q{i}" for i in range(1, 9)]),          # ODK
    ([f"IKM[SQ{i:03d}]" for i in range(1, 22)], [f"IPK[SQ{i:03d}]" for i in range(1, 9)]),            # LimeSurvey
])
def test_survey_tool_item_codes(con, ikm_codes, ipk_codes):
    ikm, ipk = pair_rows(9)
    grid = [["submissiondate", "Kantor"] + ikm_codes + ipk_codes]
    grid += [[f"2024-04-{13 + s} 10:00:00", BANDUNG] + cells(a + b) for s, (a, b) in enumerate(zip(ikm, ipk))]
    report = ingest_bytes(con, csv_bytes(grid), "tool.csv")
    assert report.status == "imported" and report.rows_imported == 9
    assert_indices(con, {(BANDUNG, "2024-04", "ikm"): exact(ikm), (BANDUNG, "2024-04", "ipk"): exact(ipk)})


UNKNOWN_IPK = [f"Anti Korupsi {i}" for i in range(1, 9)]


def unknown_ipk_file(n: int = 10):
    ikm, ipk = pair_rows(n)
    grid = [["Tanggal", "Kantor"] + IKM_CODES + UNKNOWN_IPK + ["Catatan petugas"]]
    grid += [[f"2024-04-{1 + s:02d}", BANDUNG] + cells(a) + b + ["ok"] for s, (a, b) in enumerate(zip(ikm, ipk))]
    return csv_bytes(grid), ikm


def test_answer_columns_nothing_maps_stop_the_import(con):
    content, _ = unknown_ipk_file()
    before = table_counts(con)
    report = ingest_bytes(con, content, "ikm_dan_lain.csv")
    assert report.status == "refused" and report.code == "unmapped_answer_columns"
    text = report.render("id", "cli")
    assert "8 kolom" in text and "'Anti Korupsi 1'" in text and "'Anti Korupsi 8'" in text
    assert '--ignore-column "Anti Korupsi 1"' in text
    assert "Catatan petugas" not in text               # text that is no answer is merely ignored
    ui = report.render("en", "ui")
    assert "'Ignore columns'" in ui and "--" not in ui
    assert table_counts(con) == before


def test_ignoring_them_explicitly_imports_and_lists_every_ignored_column(con, tmp_path, capsys):
    content, ikm = unknown_ipk_file()
    path = tmp_path / "ikm_dan_lain.csv"
    path.write_bytes(content)
    code, _, err = run_cli(tmp_path, capsys, path)
    assert code == 2 and "--ignore-column" in err and "Anti Korupsi 3" in err
    flags = [a for h in UNKNOWN_IPK for a in ("--ignore-column", h)]
    code, out, err = run_cli(tmp_path, capsys, path, "--json", "--create-offices", *flags)
    assert code == 0, err
    report = json.loads(out)
    assert report["rows_imported"] == 10 and report["instruments"] == ["ikm"]
    reasons = {c["column"]: c["reason"] for c in report["ignored_columns"]}
    assert set(reasons) == set(UNKNOWN_IPK) | {"Catatan petugas"}
    assert all(reasons[h] == "diabaikan atas permintaan pengguna" for h in UNKNOWN_IPK)
    from analytics import store
    with store.connect(tmp_path / "cli.duckdb") as db:
        notes = store.fetch_one(db, "SELECT notes FROM batches", [])[0]
        assert_indices(db, {(BANDUNG, "2024-04", "ikm"): exact(ikm)})
    assert sum("diabaikan" in n and "Anti Korupsi" in n for n in notes) == 8
    assert any("Catatan petugas" in n for n in notes)


def test_an_instrument_with_fewer_columns_than_items_is_noted(con):
    ikm, _ = pair_rows(6)
    grid = [["Tanggal", "Kantor"] + IKM_CODES[:20]] + [[f"2024-04-0{1 + s}", BANDUNG] + cells(a[:20])
                                                       for s, a in enumerate(ikm)]
    from analytics.ingest import importer
    prepared = importer.prepare(con, csv_bytes(grid), "kurang.csv", importer.ImportOptions(today=mf.DEMO_TODAY))
    assert any("hanya 20 dari 21" in str(n) and "IKM21" in str(n) for n in prepared.notes)


# --- 1. running numbers taken as respondent ids ------------------------------------------------

def numbered_month(month: int, n: int, seed: int, with_time: bool = False):
    ikm = [answers(seed + s, 21) for s in range(n)]
    stamp = (lambda s: f"2024-{month:02d}-{1 + s:02d} 09:{s:02d}:00") if with_time else \
        (lambda s: f"2024-{month:02d}-{1 + s:02d}")
    grid = [["No. Responden", "Tanggal", "Kantor"] + IKM_CODES]
    grid += [[s + 1, stamp(s), BANDUNG] + a for s, a in enumerate(ikm)]
    return grid, ikm


def test_numbers_restarting_at_1_in_every_monthly_file_are_not_ids(con):
    (jan, ikm_jan), (feb, ikm_feb) = numbered_month(1, 12, 0), numbered_month(2, 10, 40)
    first = ingest_bytes(con, csv_bytes(jan), "januari.csv")
    second = ingest_bytes(con, csv_bytes(feb), "februari.csv")
    assert (first.rows_imported, second.rows_imported, second.rows_duplicate) == (12, 10, 0)
    assert_indices(con, {(BANDUNG, "2024-01", "ikm"): exact(ikm_jan), (BANDUNG, "2024-02", "ikm"): exact(ikm_feb)})
    from analytics import store
    notes = store.fetch_one(con, "SELECT notes FROM batches WHERE batch_id = ?", [second.batch_id])[0]
    assert any("nomor urut 1–10" in n and "No. Responden" in n for n in notes)


def test_numbers_restarting_in_every_sheet_are_not_in_file_duplicates(con, tmp_path):
    (jan, ikm_jan), (feb, ikm_feb) = numbered_month(1, 8, 3), numbered_month(2, 8, 9)
    path = write_xlsx(tmp_path / "dua_bulan.xlsx", {"Januari": jan, "Februari": feb})
    report = ingest_bytes(con, path.read_bytes(), path.name)
    assert (report.rows_imported, report.rows_rejected) == (16, 0)
    assert_indices(con, {(BANDUNG, "2024-01", "ikm"): exact(ikm_jan), (BANDUNG, "2024-02", "ikm"): exact(ikm_feb)})


def test_an_overlapping_export_is_recognised_by_the_same_response_not_the_same_number(con):
    grid, ikm = numbered_month(3, 20, 1, with_time=True)
    first = ingest_bytes(con, csv_bytes(grid[:13]), "maret_awal.csv")            # respondents 1–12
    again = [grid[0]] + [[i + 1] + row[1:] for i, row in enumerate(grid[6:])]     # 6–20, renumbered 1…
    second = ingest_bytes(con, csv_bytes(again), "maret_semua.csv")
    assert (first.rows_imported, second.rows_imported, second.rows_duplicate) == (12, 8, 7)
    assert_indices(con, {(BANDUNG, "2024-03", "ikm"): exact(ikm)})


def test_a_real_id_column_still_recognises_an_overlapping_export(con):
    ikm = [answers(s, 21) for s in range(6)]
    grid = [["ID Responden", "Tanggal", "Kantor"] + IKM_CODES]
    grid += [[f"R-{900 + 7 * s}", f"2024-03-{1 + s:02d}", BANDUNG] + a for s, a in enumerate(ikm)]
    ingest_bytes(con, csv_bytes(grid[:4]), "a.csv")
    second = ingest_bytes(con, csv_bytes(grid), "b.csv")
    assert (second.rows_imported, second.rows_duplicate) == (3, 3)
    assert_indices(con, {(BANDUNG, "2024-03", "ikm"): exact(ikm)})


# --- 2. the wrong column taken as the office -----------------------------------------------------

def test_a_kanwil_column_before_the_upt_column_is_not_the_office(con):
    ikm = [answers(s, 21) for s in range(10)]
    office_of = [BANDUNG if s % 3 else CIREBON for s in range(10)]
    grid = [["Tanggal", "Unit Kerja", "UPT"] + IKM_CODES]
    grid += [[f"2024-07-{1 + s:02d}", "Kantor Wilayah Jawa Barat", office_of[s]] + a for s, a in enumerate(ikm)]
    report = ingest_bytes(con, csv_bytes(grid), "kanwil_upt.csv")
    assert report.status == "imported" and report.rows_imported == 10
    assert_indices(con, {(o, "2024-07", "ikm"): exact([a for a, x in zip(ikm, office_of) if x == o])
                         for o in (BANDUNG, CIREBON)})
    (ignored,) = report.ignored_columns
    assert ignored["column"] == "Unit Kerja" and ignored["reason"].startswith("kolom Kanwil (tingkat wilayah)")


def test_a_unit_layanan_column_of_services_is_the_service_type_and_office_wins(con):
    ikm = [answers(s, 21) for s in range(9)]
    services = ["Paspor", "Izin Tinggal", "Pengaduan"]
    grid = [["Tanggal", "Unit Layanan"] + IKM_CODES]
    grid += [[f"2024-07-{1 + s:02d}", services[s % 3]] + a for s, a in enumerate(ikm)]
    before = table_counts(con)
    refused = ingest_bytes(con, csv_bytes(grid), "layanan.csv", create_offices=True)
    assert refused.status == "refused" and refused.code == "no_office_column"     # no office invented
    assert table_counts(con) == before
    report = ingest_bytes(con, csv_bytes(grid), "layanan.csv", office="Kanim Kls. I TPI Bandung")
    assert report.status == "imported" and report.rows_imported == 9
    assert_indices(con, {(BANDUNG, "2024-07", "ikm"): exact(ikm)})
    from analytics import store
    kinds = store.fetch_one(con, "SELECT list(DISTINCT service_type ORDER BY service_type) FROM respondents", [])[0]
    assert kinds == sorted(services)


def test_the_office_given_wins_over_an_office_column(con):
    ikm = [answers(s, 21) for s in range(5)]
    grid = [["Tanggal", "Kantor"] + IKM_CODES] + [[f"2024-07-0{1 + s}", "Kanim Entah"] + a for s, a in enumerate(ikm)]
    report = ingest_bytes(con, csv_bytes(grid), "x.csv", office=CIREBON)
    assert report.status == "imported" and report.rows_imported == 5
    assert_indices(con, {(CIREBON, "2024-07", "ikm"): exact(ikm)})


def test_two_unit_columns_the_master_cannot_tell_apart_are_refused(con, tmp_path, capsys):
    ikm = [answers(s, 21) for s in range(4)]
    grid = [["Tanggal", "Satker", "Nama Unit"] + IKM_CODES]
    grid += [[f"2024-07-0{1 + s}", "Rutan Baru", "Lapas Baru"] + a for s, a in enumerate(ikm)]
    report = ingest_bytes(con, csv_bytes(grid), "dua.csv", create_offices=True)
    assert report.status == "refused" and report.code == "ambiguous_office_column"
    assert "'Satker' atau 'Nama Unit'" in report.render("id") and '--ignore-column "Satker"' in report.render("id")
    assert "'Ignore columns'" in report.render("en", "ui")
    path = tmp_path / "dua.csv"
    path.write_bytes(csv_bytes(grid))
    code, out, err = run_cli(tmp_path, capsys, path, "--create-offices", "--ignore-column", "Nama Unit", "--json")
    assert code == 0, err
    assert json.loads(out)["rows_imported"] == 4


# --- 4. dates put in the wrong month -------------------------------------------------------------

def month_sheet(seed: int, n: int, office: str = CIREBON):
    ikm = [answers(seed + s, 21) for s in range(n)]
    return [["Kantor"] + IKM_CODES] + [[office] + a for a in ikm], ikm


def test_one_sheet_per_month_without_a_date_column_books_each_sheet_in_its_month(con, tmp_path):
    (jan, a), (feb, b), (mar, c) = month_sheet(0, 7), month_sheet(20, 5), month_sheet(40, 6)
    path = write_xlsx(tmp_path / "bulanan.xlsx", {"Jan 2024": jan, "Februari 2024": feb, "2024-03": mar})
    report = ingest_bytes(con, path.read_bytes(), path.name)
    assert report.status == "imported" and report.rows_imported == 18
    assert_indices(con, {(CIREBON, "2024-01", "ikm"): exact(a), (CIREBON, "2024-02", "ikm"): exact(b),
                         (CIREBON, "2024-03", "ikm"): exact(c)})


def test_a_single_period_for_several_month_sheets_is_refused_and_a_year_is_enough(con, tmp_path, capsys):
    (jan, a), (feb, b) = month_sheet(1, 4), month_sheet(9, 3)
    path = write_xlsx(tmp_path / "survei.xlsx", {"Januari": jan, "Februari": feb})
    before = table_counts(con)
    refused = ingest_bytes(con, path.read_bytes(), path.name, period="2024-01")
    assert refused.status == "refused" and refused.code == "period_conflicts_sheet"
    assert "sheet Februari menyebut bulan 2024-02" in refused.render("id") and "--period YYYY" in refused.render("id")
    no_year = ingest_bytes(con, path.read_bytes(), path.name)
    assert no_year.code == "sheet_month_no_year" and "--period YYYY" in no_year.render("id")
    assert "'Period' box" in no_year.render("en", "ui")
    assert table_counts(con) == before
    report = ingest_bytes(con, path.read_bytes(), path.name, period="2024")
    assert report.rows_imported == 7
    assert_indices(con, {(CIREBON, "2024-01", "ikm"): exact(a), (CIREBON, "2024-02", "ikm"): exact(b)})


def test_a_title_line_names_the_month_of_a_file_without_dates(con):
    grid, ikm = month_sheet(3, 6)
    content = csv_bytes([["LAPORAN SURVEI IKM"], ["Bulan: Agustus 2024"], []] + grid)
    report = ingest_bytes(con, content, "laporan.csv")
    assert report.status == "imported"
    assert_indices(con, {(CIREBON, "2024-08", "ikm"): exact(ikm)})


def small_dates(header: str, stamps: list[str]):
    ikm = [answers(s, 21) for s in range(len(stamps))]
    return csv_bytes([[header, "Kantor"] + IKM_CODES] + [[d, BANDUNG] + a for d, a in zip(stamps, ikm)]), ikm


def test_a_date_column_no_value_can_decide_is_asked_about(con, tmp_path, capsys):
    content, ikm = small_dates("Tanggal", ["05/03/2024", "06/04/2024", "11/03/2024"])
    before = table_counts(con)
    report = ingest_bytes(con, content, "tgl.csv")
    assert report.status == "refused" and report.code == "date_order_undecided"
    text = report.render("id")
    assert "'Tanggal'" in text and "2024-03, 2024-04" in text and "2024-05, 2024-06, 2024-11" in text
    assert "--date-order" in text and "'Date order'" in report.render("en", "ui")
    assert table_counts(con) == before
    path = tmp_path / "tgl.csv"
    path.write_bytes(content)
    code, out, err = run_cli(tmp_path, capsys, path, "--date-order", "mdy", "--create-offices", "--json")
    assert code == 0, err
    assert json.loads(out)["rows_imported"] == 3
    from analytics import store
    with store.connect(tmp_path / "cli.duckdb") as db:
        assert_indices(db, {(BANDUNG, "2024-05", "ikm"): exact(ikm[:1]), (BANDUNG, "2024-06", "ikm"): exact(ikm[1:2]),
                            (BANDUNG, "2024-11", "ikm"): exact(ikm[2:])})


@pytest.mark.parametrize("header,stamps,months", [
    ("Timestamp", ["3/5/2024 14:02:11", "4/6/2024 9:00:00"], ["2024-03", "2024-04"]),      # English Forms: m/d
    ("Tanggal", ["3/5/2024 2:02:11 PM", "4/6/2024 9:00:00 AM"], ["2024-03", "2024-04"]),    # AM/PM: m/d
    ("Cap waktu", ["05/03/2024 14.02.11", "06/04/2024 09.00.00"], ["2024-03", "2024-04"]),  # Indonesian: d/m
    ("Completion time", ["3/5/24 14:02:11", "4/6/24 9:00:00"], None),                      # MS Forms, no evidence
])
def test_other_evidence_decides_the_order(con, header, stamps, months):
    content, ikm = small_dates(header, stamps)
    report = ingest_bytes(con, content, "bukti.csv")
    if months is None:
        assert report.code == "date_order_undecided"
        return
    assert report.status == "imported", report.render()
    assert_indices(con, {(BANDUNG, m, "ikm"): exact([a]) for m, a in zip(months, ikm)})


def test_the_sheet_month_decides_the_order_of_its_date_column(con, tmp_path):
    ikm = [answers(s, 21) for s in range(3)]
    grid = [["Tanggal", "Kantor"] + IKM_CODES] + [[f"0{1 + s}/03/2024", BANDUNG] + a for s, a in enumerate(ikm)]
    path = write_xlsx(tmp_path / "maret.xlsx", {"Maret 2024": grid})
    report = ingest_bytes(con, path.read_bytes(), path.name)
    assert report.status == "imported", report.render()
    assert_indices(con, {(BANDUNG, "2024-03", "ikm"): exact(ikm)})


# --- everyday shapes that should import ----------------------------------------------------------

def test_two_row_headers_and_an_office_merged_over_its_block(con, tmp_path):
    ikm, ipk = pair_rows(8)
    office_of = [BANDUNG] * 5 + [CIREBON] * 3
    top = ["No", "Tanggal", "Kantor", "IKM"] + [""] * 20 + ["IPK"] + [""] * 7
    sub = ["", "", ""] + list(range(1, 22)) + list(range(1, 9))
    rows = [["REKAP SURVEI IKM-IPK"], [], top, sub]
    for s, (a, b) in enumerate(zip(ikm, ipk)):
        first_of_block = s in (0, 5)
        rows.append([s + 1, f"2024-09-{1 + s:02d}", office_of[s] if first_of_block else ""] + cells(a + b))
    last = openpyxl_col(3 + 21 + 8)
    merges = ["A3:A4", "B3:B4", "C3:C4", "D3:X3", "Y3:AF3", "C5:C9", "C10:C12"]
    assert last == "AF"
    path = write_xlsx(tmp_path / "dua_baris.xlsx", {"Rekap IKM": rows}, merges={"Rekap IKM": merges})
    report = ingest_bytes(con, path.read_bytes(), path.name)
    assert report.status == "imported" and report.rows_imported == 8 and report.rows_rejected == 0, report.errors
    assert_indices(con, {(o, "2024-09", inst): exact([r for r, x in zip(rows_of, office_of) if x == o])
                         for o in (BANDUNG, CIREBON) for inst, rows_of in (("ikm", ikm), ("ipk", ipk))})


def openpyxl_col(n: int) -> str:
    import openpyxl
    return openpyxl.utils.get_column_letter(n)


def test_a_legend_block_longer_than_the_header_search_is_not_read_as_columns(con):
    legend = [["KETERANGAN"]] + [[it.code, it.statement] for it in mf.IKM.items + mf.IPK.items] + [[]]
    ikm, ipk = pair_rows(5)
    grid = [["Tanggal", "Kantor"] + IKM_CODES + IPK_CODES]
    grid += [[f"2024-10-0{1 + s}", CIREBON] + cells(a + b) for s, (a, b) in enumerate(zip(ikm, ipk))]
    report = ingest_bytes(con, csv_bytes(legend + grid), "legenda.csv")
    assert report.status == "imported" and report.rows_imported == 5, report.render()
    assert_indices(con, {(CIREBON, "2024-10", "ikm"): exact(ikm), (CIREBON, "2024-10", "ipk"): exact(ipk)})


def test_a_score_sheet_repeating_the_form_responses_is_the_same_respondents(con, tmp_path):
    ikm = [answers(s, 21) for s in range(7)]
    head = ["Tanggal", "Kantor"] + IKM_CODES
    labels = [head] + [[f"2024-10-{1 + s % 3:02d}", BANDUNG] + [mf.BAIK[v] for v in a] for s, a in enumerate(ikm)]
    scores = [head] + [[f"2024-10-{1 + s % 3:02d}", BANDUNG] + a for s, a in enumerate(ikm)]
    path = write_xlsx(tmp_path / "form_dan_skor.xlsx", {"Form Responses 1": labels, "Skor": scores})
    report = ingest_bytes(con, path.read_bytes(), path.name)
    assert (report.status, report.rows_imported, report.rows_rejected) == ("imported", 7, 0)
    assert_indices(con, {(BANDUNG, "2024-10", "ikm"): exact(ikm)})
    from analytics import store
    notes = store.fetch_one(con, "SELECT notes FROM batches", [])[0]
    assert any("sheet Skor" in n and "sama dengan sheet Form Responses 1" in n for n in notes)


def test_a_kanwil_column_checks_the_office_master(con):
    ikm = [answers(s, 21) for s in range(4)]
    kanwil_of = [KANWIL, KANWIL, "Kanwil Jawa Tengah", KANWIL]
    grid = [["Tanggal", "Kanwil", "Satker"] + IKM_CODES]
    grid += [[f"2024-07-0{1 + s}", kanwil_of[s], BANDUNG] + a for s, a in enumerate(ikm)]
    report = ingest_bytes(con, csv_bytes(grid), "kanwil.csv")
    assert (report.rows_imported, report.rows_rejected) == (3, 1)
    (error,) = report.errors
    assert error.row == 4 and "terdaftar di Kanwil Jawa Barat, bukan Kanwil Jawa Tengah" in error.render()
    assert_indices(con, {(BANDUNG, "2024-07", "ikm"): exact([a for a, k in zip(ikm, kanwil_of) if k == KANWIL])})


def test_two_row_headers_in_a_csv(con):
    ikm, ipk = pair_rows(6)
    top = ["No", "Tanggal", "Kantor", "IKM"] + [""] * 20 + ["IPK"] + [""] * 7
    sub = ["", "", ""] + list(range(1, 22)) + list(range(1, 9))
    grid = [top, sub] + [[s + 1, f"2024-09-{1 + s:02d}", CIREBON] + cells(a + b)
                         for s, (a, b) in enumerate(zip(ikm, ipk))]
    report = ingest_bytes(con, csv_bytes(grid), "dua_baris.csv")
    assert (report.status, report.rows_imported, report.rows_rejected) == ("imported", 6, 0), report.render()
    assert_indices(con, {(CIREBON, "2024-09", "ikm"): exact(ikm), (CIREBON, "2024-09", "ipk"): exact(ipk)})
    # rows keep the numbers a spreadsheet shows: header rows 1-2, the first respondent is row 3
    bad = [top, sub, [1, "2024-09-02", CIREBON] + ["9"] + cells(ikm[0][1:] + ipk[0])]
    report = ingest_bytes(con, csv_bytes(bad), "dua_baris_salah.csv")
    assert [(e.row, e.column, e.value) for e in report.errors] == [(3, "IKM 1", "9")]


def test_a_score_sheet_without_office_and_date_columns_is_the_same_respondents(con, tmp_path):
    ikm = [answers(s, 21) for s in range(6)]
    head = ["Tanggal", "Kantor"] + IKM_CODES
    labels = [head] + [[f"2024-11-{1 + s:02d}", CIREBON] + [mf.BAIK[v] for v in a] for s, a in enumerate(ikm)]
    scores = [["No"] + IKM_CODES] + [[s + 1] + a for s, a in enumerate(ikm)]
    path = write_xlsx(tmp_path / "form_dan_skor2.xlsx", {"Form Responses 1": labels, "Skor": scores})
    report = ingest_bytes(con, path.read_bytes(), path.name)
    assert (report.status, report.rows_imported, report.rows_rejected) == ("imported", 6, 0), report.render()
    assert_indices(con, {(CIREBON, "2024-11", "ikm"): exact(ikm)})


def test_a_second_sheet_of_other_answers_without_office_or_date_is_still_refused(con, tmp_path):
    ikm = [answers(s, 21) for s in range(6)]
    head = ["Tanggal", "Kantor"] + IKM_CODES
    labels = [head] + [[f"2024-11-{1 + s:02d}", CIREBON] + [mf.BAIK[v] for v in a] for s, a in enumerate(ikm)]
    other = [["No"] + IKM_CODES] + [[s + 1] + [5 - v for v in a] for s, a in enumerate(ikm)]
    path = write_xlsx(tmp_path / "dua_sheet.xlsx", {"Form Responses 1": labels, "Lain": other})
    report = ingest_bytes(con, path.read_bytes(), path.name)
    assert report.status == "refused" and "sheet Lain: tidak ada kolom tanggal" in report.render()
    assert table_counts(con)["respondents"] == 0


# --- 5b. the user's answer-label mapping ---------------------------------------------------------

def test_a_label_mapping_for_the_unknown_labels_imports_the_column_exactly(con):
    grid, scores = spkp_rows(ALMOST)     # ALMOST[2], ALMOST[3] are scores 3 and 4
    mapping = tuple((f"SPKP{i}", label, score) for i in range(1, 9)
                    for label, score in (("Kurang Setuju", 3), ("cukup  setuju", 4)))
    report = ingest_bytes(con, csv_bytes(grid), "spkp.csv", labels=mapping)
    assert (report.status, report.rows_imported, report.rows_rejected) == ("imported", 24, 0), report.render()
    assert_indices(con, {(BANDUNG, "2024-05", "spkp"): exact(scores)})


def test_a_mapping_for_some_columns_only_still_refuses_the_others(con):
    grid, _ = spkp_rows(ALMOST)     # ALMOST[2], ALMOST[3] are scores 3 and 4
    mapping = (("SPKP1", "Kurang Setuju", 3), ("SPKP1", "Cukup Setuju", 4))
    report = ingest_bytes(con, csv_bytes(grid), "spkp.csv", labels=mapping)
    assert report.status == "refused" and report.code == "labels_unresolved"
    assert "SPKP1" not in report.render() and "'SPKP2'" in report.render()
    assert '--label "SPKP2=Cukup Setuju:SKOR"' in report.render()


def test_the_label_flag(con, tmp_path, capsys):
    grid, scores = spkp_rows(ALMOST)     # ALMOST[2], ALMOST[3] are scores 3 and 4
    path = tmp_path / "spkp.csv"
    path.write_bytes(csv_bytes(grid))
    flags = [f"--label=SPKP{i}={label}:{score}" for i in range(1, 9)
             for label, score in (("Kurang Setuju", 3), ("Cukup Setuju", 4))]
    code, out, err = run_cli(tmp_path, capsys, path, "--json", "--create-offices", *flags)
    assert code == 0, err
    assert json.loads(out)["rows_imported"] == 24
    with pytest.raises(SystemExit):
        cli.main(["ingest", "--db", str(tmp_path / "x.duckdb"), str(path), "--label", "SPKP1=Kurang Setuju"])
    assert "bukan KOLOM=LABEL:SKOR" in capsys.readouterr().err
