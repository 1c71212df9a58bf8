"""The trash: a deleted batch's rows move from each batch table to its trash_<table> twin (migration
006) and its sums leave the pooled tables, in one transaction; a restore moves them back and pools
them again, so the indices afterwards equal those before the delete. `purge` empties the trash (all,
or what was deleted before a time: setting trash_days) and drops old rejected rows (rejects_days).

Rows keep their ids: next_respondent_id counts the trash too, and batch ids come from a sequence.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from analytics.errors import InputError
from analytics.store import BATCH_TABLES, fetch_one, transaction

# Batch tables other than batches itself (its trash twin has three more columns).
_ROW_TABLES = tuple(t for t in BATCH_TABLES if t != "batches")


class TrashError(InputError):
    """A restore that would double data, or an unknown batch; the message says which."""


def _columns(con, table: str) -> str:
    names = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                       "ORDER BY ordinal_position", [table]).fetchall()]
    return ", ".join(f'"{n}"' for n in names)


def _instruments(con, table: str, batch_id: int) -> list[str]:
    return [i for (i,) in con.execute(f"SELECT DISTINCT instrument FROM {table} WHERE batch_id = ?",
                                      [batch_id]).fetchall()]


def move_to_trash(con, batch_id: int, deleted_by: str, now: datetime | None = None) -> bool:
    """Delete a batch into the trash. False if there is no such (live) batch."""
    from analytics.store import writes
    if not fetch_one(con, "SELECT count(*) FROM batches WHERE batch_id = ?", [batch_id])[0]:
        return False
    with transaction(con):
        for instrument in _instruments(con, "respondent_counts", batch_id):
            writes.pool_batch(con, batch_id, instrument, sign=-1)
        cols = _columns(con, "batches")
        created = [int(o) for (o,) in con.execute("SELECT office_id FROM offices WHERE created_by_batch = ? "
                                                  "ORDER BY office_id", [batch_id]).fetchall()]
        con.execute(f"""INSERT INTO trash_batches ({cols}, deleted_at, deleted_by, created_offices)
                        SELECT {cols}, coalesce(CAST(? AS TIMESTAMP), current_timestamp), ?, CAST(? AS INTEGER[])
                        FROM batches WHERE batch_id = ?""", [now, deleted_by, created, batch_id])
        for table in _ROW_TABLES:
            cols = _columns(con, table)
            con.execute(f"INSERT INTO trash_{table} ({cols}) SELECT {cols} FROM {table} WHERE batch_id = ?",
                        [batch_id])
        for table in BATCH_TABLES:
            con.execute(f"DELETE FROM {table} WHERE batch_id = ?", [batch_id])
        con.execute("UPDATE offices SET created_by_batch = NULL WHERE created_by_batch = ?", [batch_id])
    return True


def restore(con, batch_id: int) -> None:
    """Bring a batch back from the trash exactly as it was. TrashError when it is not in the trash, or
    when its file or its respondents were imported again meanwhile (restoring would count them twice)."""
    from analytics.store import writes
    row = fetch_one(con, "SELECT file_sha256 FROM trash_batches WHERE batch_id = ?", [batch_id])
    if row is None:
        raise TrashError("not_in_trash", batch=batch_id)
    again = fetch_one(con, "SELECT batch_id FROM batches WHERE file_sha256 = ?", [row[0]])
    if again:
        raise TrashError("restore_reimported", batch=batch_id, other=again[0])
    twice = fetch_one(con, "SELECT count(*) FROM trash_respondents t JOIN respondents r USING (dedup_key) "
                           "WHERE t.batch_id = ?", [batch_id])[0]
    if twice:
        raise TrashError("restore_duplicates", batch=batch_id, n=twice)
    with transaction(con):
        cols = _columns(con, "batches")
        con.execute(f"INSERT INTO batches ({cols}) SELECT {cols} FROM trash_batches WHERE batch_id = ?", [batch_id])
        for table in _ROW_TABLES:
            cols = _columns(con, table)
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM trash_{table} WHERE batch_id = ?",
                        [batch_id])
        con.execute("UPDATE offices SET created_by_batch = ? WHERE created_by_batch IS NULL AND list_contains("
                    "(SELECT created_offices FROM trash_batches WHERE batch_id = ?), office_id)", [batch_id, batch_id])
        _drop(con, batch_id)
        for instrument in _instruments(con, "respondent_counts", batch_id):
            writes.pool_batch(con, batch_id, instrument)


def _drop(con, batch_id: int) -> None:
    for table in _ROW_TABLES + ("batches",):
        con.execute(f"DELETE FROM trash_{table} WHERE batch_id = ?", [batch_id])


def listing(con) -> pd.DataFrame:
    """The trash, newest deletion first."""
    return con.execute("""
        SELECT batch_id, file_name, imported_at, rows_imported, array_to_string(instruments, ', ') AS instruments,
               deleted_at, deleted_by
        FROM trash_batches ORDER BY deleted_at DESC, batch_id DESC
    """).fetchdf()


def trashed_offices(con) -> dict[int, set[int]]:
    """The offices each trashed batch holds rows of (who may see and restore it)."""
    found: dict[int, set[int]] = {}
    for batch_id, office_id in con.execute("SELECT DISTINCT batch_id, office_id FROM trash_respondent_counts"
                                           ).fetchall():
        found.setdefault(int(batch_id), set()).add(int(office_id))
    return found


def purge(con, deleted_before: datetime | None = None) -> list[int]:
    """Empty the trash for good: every batch (no argument) or those deleted before a time. Returns the
    batch ids removed."""
    rows = con.execute("SELECT batch_id, deleted_at FROM trash_batches ORDER BY batch_id").fetchall()
    gone = [int(b) for b, at in rows if deleted_before is None or at < deleted_before]
    if gone:
        with transaction(con):
            for batch_id in gone:
                _drop(con, batch_id)
    return gone


def purge_rejects(con, imported_before: datetime) -> int:
    """Drop the rejected rows (and their problems) of batches imported before a time. Returns rows dropped."""
    old = "(SELECT batch_id FROM batches WHERE imported_at < ?)"
    n = fetch_one(con, f"SELECT count(*) FROM rejected_rows WHERE batch_id IN {old}", [imported_before])[0]
    if n:
        with transaction(con):
            con.execute(f"DELETE FROM rejected_rows WHERE batch_id IN {old}", [imported_before])
            con.execute(f"DELETE FROM reject_errors WHERE batch_id IN {old}", [imported_before])
    return n


def expire(con, now: datetime, trash_days: int, rejects_days: int) -> None:
    """The retention periods (settings trash_days, rejects_days): run when the app or a writing CLI
    command opens the store."""
    purge(con, deleted_before=now - timedelta(days=trash_days))
    purge_rejects(con, imported_before=now - timedelta(days=rejects_days))
