"""Issue 13 item 2: deleted batches go to a trash and come back exactly; retention; backup/restore;
a backup before a schema migration; the scope rule for who may delete and restore."""
from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pandas as pd
import pytest

from analytics import cli, store
from analytics.domain.access import Scope
from analytics.present.scoped import batches_within
from analytics.store import queries, trash
from tests.fixtures.make_fixtures import canonical_csv, ingest_bytes
from tests.test_importer import OFFICE, _pooled, _rebuilt, people

LAPAS = "Lapas Uji"


@pytest.fixture
def con(make_store):
    return make_store({OFFICE: "Kanwil Uji", LAPAS: "Kanwil Uji"})


def _snapshot(con):
    """Every batch table's rows (sorted) and the indices: what a restore must bring back exactly."""
    rows = {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in store.BATCH_TABLES}
    return rows, queries.indices(con, period="month"), queries.indices(con, by="all", period="all")


def _three(con):
    a = ingest_bytes(con, canonical_csv(people([1, 2], score=3)), "a.csv", create_offices=True)
    b = ingest_bytes(con, canonical_csv(people([2, 3], score=4, office=LAPAS) + people([2], per_month=2, score=2)),
                     "b.csv")
    c = ingest_bytes(con, canonical_csv(people([3], score=1), with_id=False), "c.csv")
    assert [r.status for r in (a, b, c)] == ["imported"] * 3
    return a, b, c


def test_restore_brings_back_exactly_the_batch(con):
    _, second, _ = _three(con)
    before = _snapshot(con)
    assert store.delete_batch(con, second.batch_id, deleted_by="admin")
    assert not queries.indices(con, period="month").equals(before[1])
    assert _pooled(con) == _rebuilt(con)
    listed = trash.listing(con)
    assert listed["batch_id"].tolist() == [second.batch_id] and listed["deleted_by"].tolist() == ["admin"]
    trash.restore(con, second.batch_id)
    after = _snapshot(con)
    assert after[0] == before[0]
    pd.testing.assert_frame_equal(after[1], before[1])
    pd.testing.assert_frame_equal(after[2], before[2])
    assert _pooled(con) == _rebuilt(con) and trash.listing(con).empty


def test_a_new_import_after_a_delete_does_not_take_the_trashed_ids(con):
    first, second, _ = _three(con)
    store.delete_batch(con, second.batch_id)
    fourth = ingest_bytes(con, canonical_csv(people([5], score=2), with_id=False), "d.csv")
    trash.restore(con, second.batch_id)
    ids = [r[0] for r in con.execute("SELECT respondent_id FROM respondents").fetchall()]
    assert len(ids) == len(set(ids)) and fourth.batch_id not in (first.batch_id, second.batch_id)
    assert _pooled(con) == _rebuilt(con)


def test_restore_refuses_what_would_count_twice(con):
    first, _, _ = _three(con)
    store.delete_batch(con, first.batch_id)
    again = ingest_bytes(con, canonical_csv(people([1, 2], score=3)), "a.csv")     # same bytes, new batch
    with pytest.raises(trash.TrashError) as err:
        trash.restore(con, first.batch_id)
    assert f"sudah diimpor lagi sebagai batch {again.batch_id}" in str(err.value)
    store.delete_batch(con, again.batch_id)
    ingest_bytes(con, canonical_csv(people([1], score=3)), "a-part.csv")         # same respondent ids
    with pytest.raises(trash.TrashError, match="3 respondennya sudah tersimpan lagi"):
        trash.restore(con, first.batch_id)
    with pytest.raises(trash.TrashError, match="batch 99 tidak ada di tempat sampah"):
        trash.restore(con, 99)


def test_pooled_sums_equal_a_rebuild_through_deletes_restores_and_purges(con):
    batches = [r.batch_id for r in _three(con)]
    for step, batch in enumerate(batches + batches[::-1]):
        if step < 3:
            store.delete_batch(con, batch)
        else:
            trash.restore(con, batch)
        assert _pooled(con) == _rebuilt(con)
    store.delete_batch(con, batches[0])
    assert trash.purge(con) == [batches[0]]
    assert _pooled(con) == _rebuilt(con) and trash.listing(con).empty


def test_retention_empties_old_trash_and_old_rejects(con):
    first, second, _ = _three(con)
    bad = canonical_csv(people([4], score=3)).decode().splitlines()
    bad[1] = bad[1].replace(",3,", ",9,", 1)                                     # a score out of range
    rejected = ingest_bytes(con, ("\n".join(bad) + "\n").encode(), "e.csv")
    assert rejected.rows_rejected == 1
    now = datetime.now()
    store.delete_batch(con, first.batch_id)
    con.execute("UPDATE trash_batches SET deleted_at = ? WHERE batch_id = ?", [now - timedelta(days=31), first.batch_id])
    store.delete_batch(con, second.batch_id)
    con.execute("UPDATE batches SET imported_at = ? WHERE batch_id = ?", [now - timedelta(days=91), rejected.batch_id])
    trash.expire(con, now, trash_days=30, rejects_days=90)
    assert trash.listing(con)["batch_id"].tolist() == [second.batch_id]
    assert store.rejects(con, rejected.batch_id).empty
    assert con.execute("SELECT count(*) FROM reject_errors").fetchall() == [(0,)]


def test_scope_rule_for_batches_fails_closed():
    frame = pd.DataFrame({"batch_id": [1, 2, 3]})
    held = {1: {10}, 2: {10, 20}}
    kanwil = Scope(offices=(10,))
    assert batches_within(kanwil, frame, held)["batch_id"].tolist() == [1]
    assert batches_within(Scope(offices=()), frame, held).empty
    assert batches_within(Scope(offices=(10, 20), office_master=True), frame, held)["batch_id"].tolist() == [1, 2, 3]


# --- CLI: confirmation, trash, restore-batch, backup, restore ---------------------------------------

def run(*args, capsys, stdin=None, monkeypatch=None):
    if stdin is not None:
        import io
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path, make_store):
    path = tmp_path / "cli.duckdb"
    con = make_store({OFFICE: "Kanwil Uji", LAPAS: "Kanwil Uji"}, path)
    _three(con)
    con.close()
    return path


def _indices(path):
    con = store.connect(path, read_only=True)
    try:
        return queries.indices(con, period="month")
    finally:
        con.close()


def test_cli_delete_asks_then_trash_and_restore_batch(db, capsys, monkeypatch):
    before = _indices(db)
    code, _, err = run("delete-batch", "2", "--db", str(db), capsys=capsys, stdin="tidak\n", monkeypatch=monkeypatch)
    assert code == 2 and "Hapus batch 2 (b.csv, 8 responden)?" in err and "tidak dihapus" in err
    code, out, _ = run("delete-batch", "2", "--db", str(db), capsys=capsys, stdin="ya\n", monkeypatch=monkeypatch)
    assert code == 0 and "restore-batch 2" in out
    code, out, _ = run("trash", "--db", str(db), capsys=capsys)
    assert code == 0 and "b.csv" in out and "cli" in out
    assert run("restore-batch", "2", "--db", str(db), capsys=capsys)[0] == 0
    pd.testing.assert_frame_equal(_indices(db), before)
    con = store.connect(db, read_only=True)
    actions = [a for (a,) in con.execute("SELECT action FROM audit_log ORDER BY audit_id").fetchall()]
    con.close()
    assert actions == ["batch_deleted", "batch_restored"]
    run("delete-batch", "3", "--yes", "--db", str(db), capsys=capsys)
    code, out, _ = run("trash", "--empty", "--db", str(db), capsys=capsys)
    assert code == 0 and "1 batch dihapus permanen" in out


def test_backup_restore_round_trip(db, tmp_path, capsys, monkeypatch):
    before = _indices(db)
    out_file = tmp_path / "cadangan.duckdb"
    code, out, _ = run("backup", "--out", str(out_file), "--db", str(db), capsys=capsys)
    assert code == 0 and "cadangan ditulis" in out and out_file.is_file()
    run("delete-batch", "1", "--yes", "--db", str(db), capsys=capsys)
    assert not _indices(db).equals(before)
    code, _, err = run("restore", "--from", str(out_file), "--db", str(db), capsys=capsys, stdin="\n",
                       monkeypatch=monkeypatch)
    assert code == 2 and "tidak diganti: konfirmasi tidak diberikan" in err
    code, out, _ = run("restore", "--from", str(out_file), "--yes", "--db", str(db), capsys=capsys)
    assert code == 0 and "dipulihkan dari" in out
    pd.testing.assert_frame_equal(_indices(db), before)
    code, _, err = run("backup", "--out", str(db), "--db", str(db), capsys=capsys)
    assert code == 2 and "database itu sendiri" in err
    junk = tmp_path / "bukan.duckdb"
    duckdb.connect(str(junk)).close()
    code, _, err = run("restore", "--from", str(junk), "--yes", "--db", str(db), capsys=capsys)
    assert code == 2 and "bukan cadangan database dasbor" in err


def test_restore_refuses_while_the_store_is_held(db, tmp_path, capsys):
    out_file = tmp_path / "cadangan.duckdb"
    run("backup", "--out", str(out_file), "--db", str(db), capsys=capsys)
    import subprocess
    import sys
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ok', flush=True); time.sleep(30)", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        code, _, err = run("restore", "--from", str(out_file), "--yes", "--db", str(db), capsys=capsys)
        assert code == 2 and "sedang dipakai proses lain" in err
    finally:
        holder.kill()
        holder.wait()


def test_a_backup_is_taken_before_a_schema_migration(tmp_path, capsys):
    path = tmp_path / "lama.duckdb"
    con = store.connect(path)
    ingest_bytes(con, canonical_csv(people([1])), "a.csv", create_offices=True)
    newer = ("saran_reviews", "pooled_units", "integrity_rows", "integrity_months", "integrity_bursts")
    for table in store.TRASH_TABLES + newer:            # back to schema 5: an older app
        con.execute(f"DROP TABLE {table}")
    con.execute("ALTER TABLE respondents DROP COLUMN saran_masked")
    con.execute("DELETE FROM schema_version WHERE version >= 6")
    con.close()
    code, _, err = run("batches", "--db", str(path), capsys=capsys)
    backup = tmp_path / f"lama.duckdb.pre-{store.migrations()[-1][0]:03d}.bak"   # named after the newest migration
    assert code == 0 and f"cadangan sebelum migrasi ditulis: {backup.name}" in err and "006_trash_privacy.sql" in err
    migrated = store.connect(path, read_only=True)      # migration 010 filled its tables from the stored rows
    assert migrated.execute("SELECT count(*) FROM integrity_rows").fetchall() == \
        migrated.execute("SELECT count(*) FROM answer_rows").fetchall() != [(0,)]
    assert migrated.execute("SELECT sum(n) FROM integrity_months").fetchall() == \
        migrated.execute("SELECT sum(n) FROM pooled_counts").fetchall()
    migrated.close()
    old = store.connect(backup, read_only=True)
    assert store.schema_version(old) == 5 and old.execute("SELECT count(*) FROM respondents").fetchall() == [(3,)]
    old.close()
