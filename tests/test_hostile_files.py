"""Hostile files (issue 13, tests/hostile.py): each is refused with a message naming the file, sheet
and limit, or imported whole; a refusal writes nothing; the worker that reads workbooks stays under its
memory cap, and a worker that dies takes only itself down."""
import pytest

from analytics import settings, store
from analytics.ingest import importer, readers, worker
from tests import hostile

CORPUS = hostile.corpus()
REFUSED = {  # file → words its refusal must contain
    "far-XFD1048576.xlsx": ["far-XFD1048576.xlsx", "sheet Data", "XFD1048576", "DASBOR_MAX_SHEET_CELLS"],
    "far-XFD1048576-alone.xlsx": ["XFD1048576", "10000000 sel"],
    "far-A1000000.xlsx": ["sheet Data", "K1000000", "1000000 baris × 11 kolom"],
    "declared-far.xlsx": ["menyatakan luasnya", "XFD1048576"],
    "shared-strings.xlsx": ["xl/sharedStrings.xml", "DASBOR_MAX_ZIP_RATIO"],
    "zip-bomb.xlsx": ["xl/worksheets/sheet1.xml", "batas 200×"],
}


def _counts(con) -> dict:
    return {t: store.fetch_one(con, f"SELECT count(*) FROM {t}")[0] for t in store.TABLES}


@pytest.fixture
def con(make_store):
    con = make_store({hostile.OFFICE: "Kanwil Uji"})
    yield con
    con.close()


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_hostile_file_is_refused_or_imported_whole(con, name):
    before = _counts(con)
    report = importer.ingest(con, CORPUS[name], name)
    after = _counts(con)
    if name in REFUSED:
        assert report.status == "refused" and after == before
        for words in REFUSED[name]:
            assert words in str(report.message)
    else:
        assert report.status == "imported"
        assert report.rows_imported + report.rows_rejected == report.rows_read
        assert after["respondents"] == before["respondents"] + report.rows_imported
        assert after["rejected_rows"] == before["rejected_rows"] + report.rows_rejected


def test_a_truncated_last_csv_line_is_rejected_as_truncated(con):
    report = importer.ingest(con, CORPUS["truncated.csv"], "truncated.csv")
    assert (report.rows_read, report.rows_imported, report.rows_rejected) == (4, 3, 1)
    assert report.errors[0].row == 5 and "baris terakhir terpotong" in report.errors[0].message


def test_the_same_short_last_line_with_a_line_break_is_a_row_with_blanks(con):
    report = importer.ingest(con, CORPUS["truncated.csv"] + b"\n", "lengkap.csv")
    assert (report.rows_imported, report.rows_rejected) == (4, 0)


def test_scores_of_2_to_the_64_and_beyond_are_rejected_rows_not_errors(con):
    report = importer.ingest(con, CORPUS["huge-numbers.csv"], "huge-numbers.csv")
    assert (report.rows_imported, report.rows_rejected) == (1, 3)
    assert [e.row for e in report.errors] == [2, 3, 4]
    assert all("angka sangat besar" in e.message for e in report.errors)
    assert [e.value for e in report.errors] == ["18446744073709551616", "18446744073709551615", "1" + "0" * 400]
    english = report.errors[0].describe().render("en")
    assert "huge number" in english


def test_the_worker_stays_under_its_memory_cap():
    cap = settings.get("worker_memory_mb")
    for name in ("nested.xlsx", "huge-numbers.xlsx"):
        sheets, peak_mb = worker.read_isolated(CORPUS[name], name)
        assert sheets and 0 < peak_mb < cap


def test_a_worker_killed_by_its_memory_cap_leaves_this_process_running(monkeypatch):
    monkeypatch.setenv("DASBOR_MAX_SHEET_CELLS", str(10**11))      # let the far cell reach calamine
    monkeypatch.setenv("DASBOR_WORKER_MEMORY_MB", "600")
    with pytest.raises(readers.ReadError) as caught:
        worker.read_isolated(CORPUS["far-XFD1048576.xlsx"], "far.xlsx")
    assert str(caught.value).startswith("far.xlsx: membaca file ini butuh lebih dari 600 MB memori")
    assert "DASBOR_WORKER_MEMORY_MB" in str(caught.value)
    monkeypatch.undo()
    sheets, _ = worker.read_isolated(CORPUS["nested.xlsx"], "nested.xlsx")    # the next file reads
    assert len(sheets[0].data) == 3


def test_limits_are_refusals_in_english_too(con):
    report = importer.ingest(con, CORPUS["zip-bomb.xlsx"], "zip-bomb.xlsx")
    assert "unpacks to" in report.message.render("en") and "not a plausible survey export" in report.message.render("en")
