"""Opening the store: a mistyped --db is refused, not answered with an empty table; a store newer than
the code is refused with both versions; a migration is announced before it runs."""
import subprocess
import sys
from pathlib import Path

import pytest

from analytics import cli, store

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("command", [["indices"], ["items", "--instrument", "ikm"], ["readiness"], ["batches"],
                                     ["offices"], ["delete-batch", "1"]])
def test_commands_that_bring_no_data_refuse_a_missing_database(tmp_path, capsys, command):
    path = tmp_path / "salah-ketik.duckdb"
    assert cli.main([*command, "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"database {path.name} tidak ada" in err and "--db" in err
    assert str(tmp_path) not in err                     # no absolute server path in a message (issue 13)
    assert not path.exists()


def test_english_says_the_database_does_not_exist(tmp_path, capsys):
    assert cli.main(["batches", "--db", str(tmp_path / "x.duckdb"), "--lang", "en"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_a_store_newer_than_the_code_is_refused_read_only_and_read_write(tmp_path, capsys):
    path = tmp_path / "baru.duckdb"
    con = store.connect(path)
    known = store.schema_version(con)
    con.execute("INSERT INTO schema_version (version, name) VALUES (?, 'dari-versi-baru.sql')", [known + 7])
    con.close()
    for read_only in (True, False):
        with pytest.raises(store.StoreError) as caught:
            store.connect(path, read_only=read_only)
        assert f"versi {known + 7}" in str(caught.value) and f"versi {known})" in str(caught.value)
    assert cli.main(["batches", "--db", str(path)]) == 2
    assert f"versi {known + 7}" in capsys.readouterr().err


def test_a_read_command_migrates_an_older_store_and_says_so(tmp_path, capsys, monkeypatch):
    path = tmp_path / "lama.duckdb"
    every = store.migrations()
    monkeypatch.setattr(store, "migrations", lambda *_: every[:1])      # a store from before migration 002
    store.connect(path).close()
    monkeypatch.undo()
    assert cli.main(["batches", "--db", str(path)]) == 0
    out, err = capsys.readouterr()
    assert every[1][1].name in err and "migrasi skema" in err
    con = store.connect(path, read_only=True)
    assert store.schema_version(con) == every[-1][0] and store.pending_migrations(con) == []
    con.close()


@pytest.mark.parametrize("read_only", [False, True])
def test_a_store_connection_draws_no_progress_bar(tmp_path, read_only):
    # DuckDB draws a progress bar for statements over two seconds (a migration of a national store):
    # it landed in the CLI's output and in the app's log. Asked in a plain interpreter: under pytest's
    # output capture DuckDB turns it off by itself.
    path = tmp_path / "s.duckdb"
    store.connect(path).close()
    probe = (f"from analytics import store; con = store.connect({str(path)!r}, read_only={read_only}); "
             "print(store.fetch_one(con, \"SELECT current_setting('enable_progress_bar')\")[0])")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "False"
