"""The command line: exit codes, one-line reasons, and the JSON shapes the issue specifies."""
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from analytics import cli, store
from tests.reference import Respondent
from tests.fixtures.make_fixtures import canonical_csv

ROOT = Path(__file__).resolve().parent.parent
OFFICE = "Rutan Kelas I Uji"


def run(*args, capsys):
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def export(tmp_path):
    rows = [Respondent(OFFICE, None, date(2024, m, 3), {"ikm": (3,) * 20 + (1,), "ipk": (4,) * 7 + (2,)})
            for m in (1, 2, 4) for _ in range(2)]
    path = tmp_path / "export.csv"
    path.write_bytes(canonical_csv(rows))
    return path


@pytest.fixture
def db(tmp_path, export, capsys):
    path = tmp_path / "cli.duckdb"
    master = tmp_path / "kantor.csv"
    master.write_text(f"nama,kanwil,jenis,alias\n{OFFICE},Kanwil Uji,Rutan,Rutan Uji\n", encoding="utf-8")
    assert run("offices", "--db", str(path), "--import", str(master), capsys=capsys)[0] == 0
    return path


def test_ingest_json_reports_each_file(db, export, capsys):
    code, out, _ = run("ingest", str(export), "--db", str(db), "--json", capsys=capsys)
    report = json.loads(out)
    assert code == 0
    assert {k: report[k] for k in ("file", "rows_read", "rows_imported", "rows_rejected", "rows_duplicate",
                                   "instruments", "errors")} == {
        "file": "export.csv", "rows_read": 6, "rows_imported": 6, "rows_rejected": 0, "rows_duplicate": 0,
        "instruments": ["ikm", "ipk"], "errors": []}
    assert report["batch_id"] == 1


def test_indices_json_periods_and_rounding(db, export, capsys):
    run("ingest", str(export), "--db", str(db), capsys=capsys)
    code, out, _ = run("indices", "--db", str(db), "--period", "quarter", "--format", "json", capsys=capsys)
    rows = json.loads(out)
    assert code == 0
    assert [(r["period"], r["instrument"], r["n"]) for r in rows] == [
        ("2024-Q1", "ikm", 4), ("2024-Q1", "ipk", 4), ("2024-Q2", "ikm", 2), ("2024-Q2", "ipk", 2)]
    ikm = rows[0]
    # (20·3 + 1)/21 = 2.904761…; ×25 = 72.619… → 72.62, grade C.
    assert (ikm["office"], ikm["kanwil"], ikm["index"], ikm["converted"], ikm["percent"], ikm["grade"]) == (
        OFFICE, "Kanwil Uji", 2.9048, 72.62, 72.62, "C")
    _, out, _ = run("indices", "--db", str(db), "--by", "kanwil", "--period", "all", "--format", "json",
                    "--from", "2024-02", "--to", "2024-04", capsys=capsys)
    rows = json.loads(out)
    assert {(r["office"], r["kanwil"], r["period"], r["n"]) for r in rows} == {(None, "Kanwil Uji", "all", 4)}


def test_items_weakest_first(db, export, capsys):
    run("ingest", str(export), "--db", str(db), capsys=capsys)
    code, out, _ = run("items", "--db", str(db), "--instrument", "ipk", "--office", "Rutan Uji",
                       "--format", "json", capsys=capsys)
    rows = json.loads(out)
    assert code == 0 and rows[0]["code"] == "IPK8" and rows[0]["nrr"] == 2.0 and rows[0]["n"] == 6
    assert set(rows[0]) == {"code", "statement", "aspect", "n", "nrr"}


def test_readiness_json(db, export, capsys):
    run("ingest", str(export), "--db", str(db), capsys=capsys)
    code, out, _ = run("readiness", "--db", str(db), "--from", "2024-01", "--to", "2024-06",
                       "--format", "json", capsys=capsys)
    (row,) = json.loads(out)
    assert code == 0
    assert set(row) == {"office", "kanwil", "rules", "service_instrument", "service_n", "service_nilai",
                        "anticorruption_instrument", "anticorruption_n", "anticorruption_nilai",
                        "wbk", "wbbm", "reasons", "shortfalls"}
    assert (row["service_instrument"], row["service_n"], row["wbk"], row["wbbm"]) == ("ikm", 6, "insufficient",
                                                                                      "insufficient")
    assert "IKM: n = 6 < 30 responden" in row["reasons"]
    assert {"kind": "respondents", "instrument": "IKM", "levels": ["wbk", "wbbm"], "value": 6, "needed": 30,
            "gap": 24} in row["shortfalls"]


def test_batches_and_delete_batch(db, export, capsys):
    run("ingest", str(export), "--db", str(db), capsys=capsys)
    assert "export.csv" in run("batches", "--db", str(db), capsys=capsys)[1]
    code, _, err = run("delete-batch", "1", "--db", str(db), capsys=capsys)      # no answer: nothing deleted
    assert code == 2 and "batch 1 tidak dihapus: konfirmasi tidak diberikan" in err
    assert "export.csv" in run("batches", "--db", str(db), capsys=capsys)[1]
    assert run("delete-batch", "1", "--yes", "--db", str(db), capsys=capsys)[0] == 0
    code, _, err = run("delete-batch", "1", "--yes", "--db", str(db), capsys=capsys)
    assert code == 2 and err.strip() == "error: batch 1 tidak ada"


@pytest.mark.parametrize("args,reason", [
    (["ingest", "missing.csv"], "missing.csv: file tidak dapat dibuka (No such file or directory)"),
    (["indices", "--from", "2024/03"], "bulan '2024/03' tidak terbaca"),
    (["items", "--instrument", "xyz"], "instrumen 'xyz' tidak dikenal"),
    (["readiness", "--rules", "zi-1999"], "aturan ZI 'zi-1999' tidak dikenal"),
])
def test_bad_input_exits_2_with_one_line_and_no_traceback(tmp_path, args, reason):
    if args[0] != "ingest":
        store.connect(tmp_path / "x.duckdb").close()      # read commands refuse a missing store first
    result = subprocess.run([sys.executable, "-m", "analytics", *args, "--db", str(tmp_path / "x.duckdb")],
                            cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert reason in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unusable_file_exits_2(db, tmp_path, capsys):
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    code, _, err = run("ingest", str(bad), "--db", str(db), capsys=capsys)
    assert code == 2 and "file kosong" in err


def test_writing_beside_a_live_writer_fails_clearly(db, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); "
                               "print('ok', flush=True); time.sleep(60)", str(db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        result = subprocess.run([sys.executable, "-m", "analytics", "batches", "--db", str(db)], cwd=ROOT,
                                capture_output=True, text=True)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2 and "sedang dipakai proses lain" in result.stderr


def test_csv_output_never_starts_a_formula(tmp_path, capsys):
    db = tmp_path / "f.duckdb"
    rows = [Respondent("=HYPERLINK(1)", None, date(2024, 1, 3), {"ikm": (3,) * 21, "ipk": (4,) * 8})]
    export = tmp_path / "f.csv"
    export.write_bytes(canonical_csv(rows))
    assert run("ingest", str(export), "--db", str(db), "--create-offices", capsys=capsys)[0] == 0
    _, out, _ = run("indices", "--db", str(db), "--format", "csv", capsys=capsys)
    assert out.splitlines()[1].startswith('"\'=HYPERLINK(1)",')          # guarded, and every field quoted
