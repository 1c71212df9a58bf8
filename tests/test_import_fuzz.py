"""Damaged and random files: importer.ingest answers with a report (imported / refused / already
imported) and never raises, and never writes part of a file."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.ingest import importer
from analytics import store
from tests.fixtures import make_fixtures as mf

TODAY = dt.date(2024, 6, 1)
EXAMPLES = itertools.count()
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]


def fuzz(examples: int):
    return settings(max_examples=examples, deadline=None, suppress_health_check=_HEALTH)


@pytest.fixture(scope="module")
def con(make_store):
    connection = make_store(mf.OFFICES)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def base_files(tmp_path_factory):
    directory = tmp_path_factory.mktemp("fuzz")
    people = mf.respondents(8)
    return {"xlsx": mf.write_esurvey_xlsx(directory, people).read_bytes(),
            "xls": mf.write_xls(directory / "a.xls", mf.canonical_rows(people)).read_bytes(),
            "csv": mf.write_canonical_csv(directory, people).read_bytes()}


def check_ingest(con, content: bytes, name: str) -> importer.ImportReport:
    """Ingest must return a report; a refused (or already imported) file leaves every table as it was;
    an imported one adds exactly one batch and rows_imported respondents."""
    before = mf.table_counts(con)
    report = importer.ingest(con, content, name, importer.ImportOptions(today=TODAY))
    after = mf.table_counts(con)
    assert report.status in ("imported", "refused", "already_imported")
    assert report.message
    if report.status == "imported":
        assert after["batches"] == before["batches"] + 1
        assert after["respondents"] - before["respondents"] == report.rows_imported > 0
        assert after["rejected_rows"] - before["rejected_rows"] == report.rows_rejected
        assert report.rows_read == report.rows_imported + report.rows_rejected + report.rows_duplicate
        assert store.fetch_one(con, "SELECT count(*) FROM respondents r ANTI JOIN offices o USING (office_id)")[0] == 0
    else:
        assert after == before
    return report


@fuzz(30)
@given(kind=st.sampled_from(["xlsx", "xls", "csv"]), data=st.data())
def test_damaged_files(con, base_files, kind, data):
    content = bytearray(base_files[kind])
    damage = data.draw(st.sampled_from(["truncate", "flip", "both"]))
    if damage in ("truncate", "both"):
        content = content[:data.draw(st.integers(0, len(content)))]
    if damage in ("flip", "both") and content:
        for _ in range(data.draw(st.integers(1, 12))):
            pos = data.draw(st.integers(0, len(content) - 1))
            content[pos] ^= 1 << data.draw(st.integers(0, 7))
    check_ingest(con, bytes(content), f"rusak.{kind}")


@fuzz(50)
@given(content=st.binary(max_size=3000), ext=st.sampled_from(["xlsx", "xls", "ods", "csv", "txt", ""]),
       magic=st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF", b"<html>",
                              b"\xef\xbb\xbf", b"\xff\xfe"]))
def test_random_bytes(con, content, ext, magic):
    check_ingest(con, magic + content, f"acak.{ext}" if ext else "acak")


HEADERS = (["IKM1", "IKM2", "IKM 3", "U4", "IPK1", "IPK 2", "SPKP1", "SPAK1", "P1", "Tanggal", "Cap waktu",
            "Kantor", "Unit Kerja", "Saran", "Jenis Kelamin", "Usia", "Pendidikan", "ID Responden", "No",
            "Jumlah", "", "Kolom lain", mf.IKM.item(5).statement, "Bagaimana pendapat Anda? [Petugas cepat dalam melayani]"])
CELLS = st.one_of(
    st.sampled_from(["", "4", "1", "4.0", "5", "0", "3,5", "-", "Sangat Baik", "Tidak Setuju", "Kurang Setuju",
                     "4 - Sangat Baik", "(2) Kurang Puas", "★★★", "=perbanyak loket", "+1", "@x",
                     "2024-03-05", "05/03/2024", "3/15/2024 14:02:11", "5 Maret 2024", "31/02/2024",
                     "2099-01-01", "45000", "Kantor Imigrasi Kelas I TPI Bandung", "Lapas Kls IIA Cirebon",
                     "Rutan Entah", "L", "Perempuan", "35 tahun", "S1", "Jumlah", "NRR", "Mengetahui,",
                     "NIP. 1975", '"', ";", "\n", "\t", "\u00a0", "\x00"]),
    st.text(max_size=12),
    st.integers(-5, 50_000).map(str),
)


def grid_csv(header, rows, sep) -> bytes:
    return mf.csv_bytes([header] + rows, sep, newline="\r\n", errors="surrogatepass")


@fuzz(40)
@given(header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=10), data=st.data(),
       sep=st.sampled_from([",", ";", "\t"]), title=st.booleans())
def test_random_cells_csv(con, header, data, sep, title):
    rows = data.draw(st.lists(st.lists(CELLS, min_size=len(header), max_size=len(header)), max_size=15))
    content = grid_csv(header, rows, sep)
    if title:
        content = b"Laporan Survei IPK-IKM\nPeriode: Agustus 2020\n\n" + content
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return                      # lone surrogates cannot be written by any spreadsheet program
    check_ingest(con, content, "acak.csv")


@fuzz(12)
@given(header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8), data=st.data(),
       start=st.tuples(st.integers(1, 4), st.integers(1, 3)))
def test_random_cells_xlsx(con, tmp_path, header, data, start):
    cell = st.one_of(CELLS.filter(lambda c: "\x00" not in c), st.integers(0, 10),
                     st.floats(allow_nan=False, allow_infinity=False, width=32),
                     st.datetimes(dt.datetime(1980, 1, 1), dt.datetime(2100, 1, 1)))
    rows = data.draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), max_size=10))
    try:
        path = mf.write_xlsx(tmp_path / "acak.xlsx", {"Data": [header] + rows}, *start)
    except Exception:                # openpyxl refuses control characters: not a file anyone has
        return
    check_ingest(con, path.read_bytes(), "acak.xlsx")


@fuzz(40)
@given(data=st.data(), sep=st.sampled_from([",", ";"]))
def test_random_cells_in_a_valid_export(con, data, sep):
    """A real export with a few cells replaced: most rows import, the damaged ones are rejected whole."""
    seed = data.draw(st.integers(0, 10_000))
    rows = mf.canonical_rows(mf.respondents(8, seed=seed))
    example = next(EXAMPLES)
    for row in rows[1:]:
        row[0] = f"E{example}-{row[0]}"       # new respondents, not duplicates of an earlier example
    for _ in range(data.draw(st.integers(1, 10))):
        r = data.draw(st.integers(1, len(rows) - 1))
        c = data.draw(st.integers(0, len(rows[0]) - 1))
        rows[r][c] = data.draw(CELLS)
    content = grid_csv(rows[0], rows[1:], sep)
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return
    check_ingest(con, content, "sebagian_rusak.csv")
