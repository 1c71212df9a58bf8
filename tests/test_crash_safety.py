"""Killing the process in the middle of an import leaves the database exactly as before."""
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from analytics import store
from tests.conftest import ENGINES, store_target
from tests.reference import Respondent
from tests.fixtures.make_fixtures import STORE_TABLES, canonical_csv, ingest_bytes

ROOT = Path(__file__).resolve().parent.parent

# Runs in a child process: imports the file and, inside the transaction after every row is written,
# signals the parent and waits to be killed.
CHILD = """
import sys, time, pathlib
from datetime import date
from analytics.ingest import importer
from analytics import store
con = store.connect(sys.argv[1])
content = pathlib.Path(sys.argv[2]).read_bytes()
options = importer.ImportOptions(create_offices=True, today=date(2026, 11, 21))
prepared = importer.prepare(con, content, "big.csv", options)
def hang():
    pathlib.Path(sys.argv[3]).write_text("in transaction")
    time.sleep(120)
importer.commit(con, prepared, options, before_commit=hang)
"""


def snapshot(path):
    with store.connect(path, read_only=True) as con:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in STORE_TABLES}


def rows(office, month, count):
    return [Respondent(office, None, date(2024, month, 1 + i % 28), {"ikm": (3,) * 21, "ipk": (4,) * 8})
            for i in range(count)]


@pytest.mark.parametrize("engine", ENGINES)
def test_kill_during_import_leaves_store_unchanged(tmp_path, engine):
    db = store_target(engine, tmp_path)
    with store.connect(db) as con:
        first = ingest_bytes(con, canonical_csv(rows("Rutan Kelas I Awal", 1, 50)), create_offices=True)
        assert first.status == "imported"
    before = snapshot(db)

    big = tmp_path / "big.csv"
    big.write_bytes(canonical_csv(rows("Lapas Kelas IIA Baru", 2, 5000)))
    marker = tmp_path / "marker"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(big), str(marker)], cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, "the import process ended before reaching its transaction"
            assert time.monotonic() < deadline, "the import never reached its transaction"
            time.sleep(0.1)
        os.killpg(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    assert snapshot(db) == before
    # And the store still works: the same file imports whole afterwards.
    with store.connect(db) as con:
        report = ingest_bytes(con, big.read_bytes(), name="big.csv", create_offices=True)
        assert (report.status, report.rows_imported) == ("imported", 5000)
