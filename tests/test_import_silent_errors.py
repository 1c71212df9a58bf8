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
