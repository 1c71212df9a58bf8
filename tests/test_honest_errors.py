"""Issue 13, item 7: honest errors. A damaged store file says "rusak … pulihkan dari cadangan" with the
restore command (CLI exit 2, a plain message on the page), never DuckDB's "Corrupt database file" or a
traceback; a full disk or a file over the size limit during an import says so (not "transaction is
aborted") and leaves the store as it was; no message shows an absolute server path; an unexpected
exception is a bug with an id that is in the log."""
from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from analytics import cli, i18n, store
from analytics.errors import render
from analytics.ingest import importer
from analytics.store import offices, writes
from tests import hostile_names as names
from tests.fixtures.make_fixtures import export_csv
from tests.test_app import _clear_caches, app, errors  # noqa: F401 — app is a fixture
from ui import state

ROOT = Path(__file__).resolve().parent.parent
RAW = re.compile(r"Corrupt database file|Traceback|IO Error|not a valid DuckDB|transaction is aborted|Exception")


def damaged(kind: str, good: Path, out: Path) -> Path:
    shutil.copyfile(good, out)
    size = out.stat().st_size
    if kind == "cut-in-half":
        os.truncate(out, size // 2)
    elif kind == "random-bytes":
        out.write_bytes(os.urandom(size))
    elif kind == "empty":
        out.write_bytes(b"")
    elif kind == "bad-block":                 # used blocks overwritten past the 12 KB file header: the middle
        with open(out, "r+b") as fh:           # of every 4 KB page, so whichever blocks the reading commands
            for at in range(12288 + 2048, size, 4096):     # use (it changes with the schema) fail their checksum
                fh.seek(at)
                fh.write(b"\xff" * 64)
    return out


KINDS = ["cut-in-half", "random-bytes", "empty", "bad-block"]


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    """A store of 36 000 respondents in 12 batches, checkpointed: its answer rows fill the file's second
    half, so a cut in half loses blocks the reading commands need (the shared demo store gains rows
    from other tests, so where its blocks lie is not fixed)."""
    path = tmp_path_factory.mktemp("gross") / "gross.duckdb"
    con = store.connect(path)
    try:
        offices.add_office(con, names.PEER, "Kanwil Uji")
        for month in range(1, 13):
            rows = [[f"R{month}-{i}", f"2026-{month:02d}-05", names.PEER] + [(i % 4) + 1] * 21
                    + [((i + month) % 4) + 1] * 8 for i in range(3000)]
            assert importer.ingest(con, export_csv(rows), f"bulan-{month}.csv").status == "imported"
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def assert_says_damaged(text: str, name: str, lang: str = "id", surface: str = "cli") -> None:
    if lang == "id":
        assert f"database {name} rusak" in text and "pulihkan dari cadangan" in text, text
    else:
        assert f"database {name} is damaged" in text and "restore it from a backup" in text, text
    assert ("restore --from FILE" if surface == "cli" else "python -m analytics restore") in text, text
    assert f"{name}.pre-NNN.bak" in text, text
    assert not RAW.search(text), text
    assert "/tmp" not in text and str(ROOT) not in text, text          # no absolute server path


@pytest.mark.parametrize("kind", KINDS)
def test_a_damaged_store_is_named_with_the_restore_command_on_the_cli(big_db, tmp_path, capsys, kind):
    path = damaged(kind, big_db, tmp_path / f"{kind}.duckdb")
    for command in (["batches"], ["indices", "--by", "office"], ["items", "--instrument", "ikm"], ["readiness"]):
        code = cli.main([*command, "--db", str(path)])
        err = capsys.readouterr().err
        if code == 0:           # a block a command does not read may be damaged; the next command reads it
            continue
        assert code == 2, err
        assert_says_damaged(err, path.name)
        break
    else:
        pytest.fail(f"{kind}: no command read the damaged part")
    assert cli.main(["indices", "--db", str(path), "--lang", "en"]) == 2
    assert_says_damaged(capsys.readouterr().err, path.name, "en")


def test_a_damaged_store_is_restored_from_its_backup(big_db, tmp_path, capsys):
    """The restore the message names works on the damaged file (it used to be refused as unopenable)."""
    backup = tmp_path / "cadangan.duckdb.bak"
    shutil.copyfile(big_db, backup)
    path = damaged("random-bytes", big_db, tmp_path / "rusak.duckdb")
    assert cli.main(["batches", "--db", str(path)]) == 2
    capsys.readouterr()
    assert cli.main(["restore", "--db", str(path), "--from", str(backup), "--yes"]) == 0
    assert cli.main(["batches", "--db", str(path)]) == 0
    assert "bulan-12.csv" in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["random-bytes", "cut-in-half"])
def test_the_app_says_the_store_is_damaged_in_a_plain_message(app, big_db, tmp_path, kind):
    """random bytes: the app cannot open the file at all (before any sign-in); cut in half: it opens,
    and the first page that reads a missing block says so."""
    path = damaged(kind, big_db, tmp_path / f"{kind}.duckdb")
    at = app(path, role=None if kind == "random-bytes" else "admin")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    found = errors(at)
    for page in ("tren", "unsur", "kesiapan"):
        if found:
            break
        at.switch_page(f"ui/pages/{page}.py").run()
        assert not at.exception, [e.message for e in at.exception]
        found = errors(at)
    assert found, "no page read the damaged part"
    assert_says_damaged(found[0], path.name, surface="ui")
    assert "minta administrator" in found[0]


# --- a full disk during an import ------------------------------------------------------------------

def _contents(path: Path | None = None) -> dict:
    """Every table of the store at `path`, or (None) of the app's open store."""
    if path is None:
        with state.cursor() as cur:
            return {table: cur.execute(f"SELECT * FROM {table}").fetchdf().to_csv() for table in store.TABLES}
    con = store.connect(path, read_only=True)
    try:
        return {table: con.execute(f"SELECT * FROM {table}").fetchdf().to_csv() for table in store.TABLES}
    finally:
        con.close()


def _fresh_store(tmp_path: Path) -> Path:
    path = names.build_store(tmp_path / "voll.duckdb")
    con = store.connect(path)
    con.execute("CHECKPOINT")
    con.close()
    return path


def _rows(count: int) -> bytes:
    return export_csv([[f"N{i}", "2026-11-05", names.PEER] + [(i % 4) + 1] * 21 + [(i % 4) + 1] * 8
                       for i in range(count)])


@pytest.mark.parametrize("room, rows", [(20_000, 150_000), (400_000, 40_000)], ids=["mid-insert", "at-commit"])
def test_a_file_size_limit_during_an_import_says_so_and_keeps_the_store(tmp_path, room, rows):
    """RLIMIT_FSIZE in a child process: the kernel refuses writes past the limit with EFBIG ("File too
    large"), as a full disk refuses them with ENOSPC. Before: exit 1, "Current transaction is aborted"."""
    path = _fresh_store(tmp_path)
    before = _contents(path)
    csv = tmp_path / "besar.csv"
    csv.write_bytes(_rows(rows))
    limit = path.stat().st_size + room
    child = (f"import resource, signal, sys\n"
             f"signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
             f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
             f"from analytics.cli import main\n"
             f"sys.exit(main(['ingest', '--db', {str(path)!r}, {str(csv)!r}]))\n")
    done = subprocess.run([sys.executable, "-c", child], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "file terlalu besar" in done.stderr and "tidak ada yang disimpan" in done.stderr, done.stderr
    assert not RAW.search(done.stderr) and str(tmp_path) not in done.stderr, done.stderr
    assert _contents(path) == before


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"),
                                   duckdb.IOException('IO Error: Could not write file "/srv/x.duckdb": '
                                                      'No space left on device')],
                         ids=["OSError", "duckdb"])
def test_a_full_disk_at_the_write_says_so_and_keeps_the_store(tmp_path, monkeypatch, error):
    path = _fresh_store(tmp_path)
    before = _contents(path)
    real = writes.insert_respondents

    def full(*args, **kwargs):
        real(*args, **kwargs)               # half the import is written inside the transaction …
        raise error                         # … then the disk is full

    monkeypatch.setattr(writes, "insert_respondents", full)
    con = store.connect(path)
    try:
        with pytest.raises(store.StoreError) as caught:
            importer.ingest(con, _rows(50), "november.csv")
    finally:
        con.close()
    assert caught.value.code == "disk_full"
    text = render(caught.value, "id", "cli")
    assert text.startswith("disk penuh: database voll.duckdb tidak dapat ditulis; tidak ada yang disimpan"), text
    assert "kosongkan ruang disk" in text and "/srv" not in text
    assert render(caught.value, "en", "ui").startswith("the disk is full")
    assert _contents(path) == before


def test_a_full_disk_on_the_upload_page_is_a_plain_message(app, tmp_path, monkeypatch):
    path = _fresh_store(tmp_path)
    before = _contents(path)
    at = app(path, role="admin")
    at.run()
    at.switch_page("ui/pages/unggah.py").run()
    at.get("file_uploader")[0].set_value(("november.csv", _rows(40), "text/csv")).run()
    assert not at.exception and not errors(at)

    real = writes.insert_respondents

    def full(con, *args, **kwargs):         # the store file's disk is full (the preview's in-memory store is not)
        if store._file_of(con) is not None:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(con, *args, **kwargs)

    monkeypatch.setattr(writes, "insert_respondents", full)
    at.button(key="upload_confirm").click().run()
    assert not at.exception, [e.message for e in at.exception]
    (message,) = errors(at)
    assert "disk penuh" in message and "tidak ada yang disimpan" in message and "minta administrator" in message
    assert str(tmp_path) not in message
    monkeypatch.setattr(writes, "insert_respondents", real)
    at.switch_page("ui/pages/ringkasan.py").run()          # the store opens again; nothing was imported
    assert not at.exception and not errors(at)
    after = _contents()                                     # through the app's connection, opened again
    assert {t: v for t, v in after.items() if t not in ("users", "sessions", "audit_log")} == \
        {t: v for t, v in before.items() if t not in ("users", "sessions", "audit_log")}


def test_after_a_fatal_write_error_the_app_opens_the_store_again(tmp_path):
    """A file size limit hit at COMMIT's checkpoint is a FatalException: DuckDB invalidates the open
    database, and connecting again while it is open gives the invalid one back. The page's error
    handler forgets (closes) the connection; the next run reads the store as it was. In a child process
    (RLIMIT_FSIZE), with ui/state as the app uses it."""
    path = _fresh_store(tmp_path)
    csv = tmp_path / "besar.csv"
    csv.write_bytes(_rows(60_000))
    limit = path.stat().st_size + 200_000
    child = f"""
import os, resource, signal
os.environ["DASBOR_DB"] = {str(path)!r}
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
from analytics import store
from analytics.ingest import importer
from ui import state
with state.cursor() as cur:
    before = cur.execute("SELECT count(*) FROM respondents").fetchall()[0][0]
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, resource.RLIM_INFINITY))
try:
    with state.writer() as cur:
        importer.ingest(cur, open({str(csv)!r}, "rb").read(), "besar.csv")
except store.StoreError as exc:
    print("refused:", exc.code)
resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
try:
    with state.cursor() as cur:
        cur.execute("SELECT 1").fetchall()
    print("still usable")
except Exception as exc:
    print("invalidated:", store.explain(exc).code)
held = state._root_connection(state.db_path())      # still referenced (another session, a traceback)
state.forget_connection()
with state.cursor() as cur:
    print("after reopen:", cur.execute("SELECT count(*) FROM respondents").fetchall()[0][0] == before)
"""
    done = subprocess.run([sys.executable, "-c", child], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert "refused: file_too_large" in done.stdout, done.stdout + done.stderr[-2000:]
    assert "invalidated: file_too_large" in done.stdout, done.stdout       # the fatal path, not a plain refusal
    assert "after reopen: True" in done.stdout, done.stdout + done.stderr[-2000:]


# --- no absolute server paths; a bug is a bug, with an id ----------------------------------------

def test_messages_show_a_file_by_its_project_path_or_its_name():
    assert i18n.location(ROOT / "data" / "dasbor.duckdb") == "data/dasbor.duckdb"
    assert i18n.location("/srv/rahasia/dasbor.duckdb") == "dasbor.duckdb"
    assert i18n.location("data/dasbor.duckdb") == "data/dasbor.duckdb"            # as typed
    assert i18n.location("postgresql://dasbor:***@db:5432/dasbor") == "postgresql://dasbor:***@db:5432/dasbor"
    err = store.StoreError("db_unopenable", path="/srv/rahasia/dasbor.duckdb",
                           error='IO Error: Cannot open file "/srv/rahasia/dasbor.duckdb": Permission denied')
    for lang in ("id", "en"):
        for surface in ("cli", "ui"):
            text = render(err, lang, surface)
            assert "/srv" not in text and "dasbor.duckdb" in text and "Permission denied" in text, text


def test_the_cli_names_a_missing_store_without_its_absolute_path(tmp_path, capsys):
    path = tmp_path / "salah.duckdb"
    assert cli.main(["batches", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "database salah.duckdb tidak ada" in err and str(tmp_path) not in err


def test_an_unexpected_cli_error_is_a_bug_with_an_id_in_the_log(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DASBOR_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setitem(cli.COMMANDS, "batches", lambda *a: 1 / 0)
    db = tmp_path / "ok.duckdb"
    store.connect(db).close()
    assert cli.main(["batches", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    bug_id = re.search(r"kode ([0-9a-f]{8})", err).group(1)
    assert err.startswith("bug: kesalahan tak terduga") and "ZeroDivisionError" in err
    assert str(tmp_path) not in err and "cli.log" in err
    log = (tmp_path / "logs" / "cli.log").read_text(encoding="utf-8")
    assert f"bug {bug_id}" in log and "ZeroDivisionError" in log


def test_an_unexpected_page_error_is_a_bug_with_an_id_in_the_server_log(app, demo_db, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("/srv/rahasia: kueri gagal")

    monkeypatch.setattr(state, "readiness", broken)
    at = app(demo_db, role="admin")
    at.run()
    assert not at.exception
    (message,) = errors(at)
    bug_id = re.search(r"kode ([0-9a-f]{8})", message).group(1)
    assert "kesalahan tak terduga (bug)" in message and "/srv" not in message and "kueri gagal" not in message
    assert any(f"bug {bug_id}" in r.getMessage() and r.exc_info for r in caplog.records)
