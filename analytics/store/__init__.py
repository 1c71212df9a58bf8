"""The one door to the database: connecting, migrations, transactions, registering DataFrames, the
table list, and batches. Only this package imports duckdb (a test checks it).

One process writes (the app, or the CLI when no app holds the file); readers may share a file
opened read-only. The SQL that reads survey results is in queries.py, the import writes in
writes.py, the office master in offices.py.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import uuid
from contextlib import contextmanager
from typing import Callable
from pathlib import Path

import duckdb
import pandas as pd

from analytics.errors import InputError
from analytics.store import postgres

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Offline machines: an extension that is not built in must fail at once, not try a download.
_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


# Every table with survey data, children first: the order a batch's rows are deleted in.
BATCH_TABLES = ("answer_rows", "answer_sums", "respondent_counts", "respondents", "rejected_rows",
                "reject_errors", "saran_reviews", "integrity_rows", "batches")
# saran_reviews: migration 007; integrity_rows: migration 010
# Σ over batches of answer_sums / respondent_counts, kept current by writes.pool_batch (migration 004),
# and the office × month × instrument n, k and float index computed from them (migration 008).
# integrity_months, integrity_bursts: the integrity signals' per-month counts and windows from
# integrity_rows (migration 010).
POOLED_TABLES = ("pooled_sums", "pooled_counts", "pooled_units", "integrity_months", "integrity_bursts")
# Accounts, sessions, share links, audit log (migration 005; SQL in access.py).
ACCESS_TABLES = ("users", "share_links", "sessions", "audit_log")
# Deleted batches, restorable until emptied (migration 006; trash.py).
TRASH_TABLES = tuple(f"trash_{t}" for t in BATCH_TABLES)
TABLES = ("schema_version", "offices", "office_aliases") + BATCH_TABLES + POOLED_TABLES + ACCESS_TABLES \
    + TRASH_TABLES


class StoreError(InputError):
    """The database cannot be used; the message says why in one line."""


def fetch_one(con, sql: str, params=None):
    """First row of a query, or None. DuckDB 2.0 streams results, and a result left half-read (as
    fetchone leaves it) blocks the next statement on the connection: always read them whole."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


@contextmanager
def transaction(con):
    """BEGIN … COMMIT, or ROLLBACK when the block raises (anything, a KeyboardInterrupt too): the one
    place with transaction control. Raise `Rollback` to undo the block without an error. A full disk
    or a file over the size limit (at any write or at COMMIT) is a StoreError saying so (explain)."""
    where = _file_of(con)           # asked now: after a failed write the connection may be unusable
    con.execute("BEGIN")
    try:
        yield con
    except Rollback:
        con.execute("ROLLBACK")
        return
    except BaseException as exc:
        _rollback_quietly(con)
        explained = explain(exc, where)
        if explained is not None and explained is not exc:
            raise explained from exc
        raise
    try:
        con.execute("COMMIT")
    except Exception as exc:
        _rollback_quietly(con)
        explained = explain(exc, where)
        if explained is not None:
            raise explained from exc
        raise


def _file_of(con) -> str | None:
    """The DuckDB file `con` has open (None in memory and on PostgreSQL), for messages."""
    if dialect(con) != "duckdb":
        return None
    row = fetch_one(con, "SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
    return row[0] if row else None


def _rollback_quietly(con) -> None:
    """ROLLBACK after a failure. When it fails too (DuckDB aborted the transaction or invalidated the
    database after a failed write), the first error is the one that says what happened: "Current
    transaction is aborted" used to hide "File too large" (issue 13)."""
    try:
        con.execute("ROLLBACK")
    except Exception:           # noqa: BLE001 — the caller re-raises the original error
        pass


class Rollback(Exception):
    """Raised inside `transaction()` to undo it quietly (e.g. an import that found nothing new)."""


@contextmanager
def registered(con, frame):
    """A DataFrame or Arrow table visible to SQL under a unique name for the block."""
    name = f"frame_{uuid.uuid4().hex}"
    con.register(name, frame)
    try:
        yield name
    except BaseException:
        try:                    # in an aborted transaction this fails too; the first error is the one to tell
            con.unregister(name)
        except Exception:       # noqa: BLE001
            pass
        raise
    con.unregister(name)


def connect(path: str | Path, read_only: bool = False, create: bool = True,
            on_migration: Callable[[str], None] | None = None,
            on_backup: Callable[[Path], None] | None = None) -> duckdb.DuckDBPyConnection:
    """Open the store at `path` (':memory:' for tests). Read-write, it is created when missing (unless
    `create` is False) and migrated (`on_migration(name)` is told before each step). Before an existing
    store is migrated, a copy is written beside it (`<file>.pre-NNN.bak`, NNN = the newest migration;
    `on_backup(path)` is told). A store whose schema is newer than this code is refused, read-only too."""
    path = str(path)
    if postgres.is_url(path):
        return _connect_postgres(path, read_only, on_migration)
    if path != ":memory:" and not create and not Path(path).exists():
        raise StoreError("db_missing", hint="db_missing", path=path)
    if path != ":memory:" and not read_only:
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError("db_folder", path=str(Path(path).parent), error=exc.strerror or str(exc)) from None
    try:
        con = duckdb.connect(path, read_only=read_only, config=_CONFIG)
    except duckdb.Error as exc:
        if isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower():
            raise StoreError("db_locked", hint="db_locked", path=path) from None
        raise explain(exc, path) or StoreError("db_unopenable", path=path, error=str(exc)) from None
    try:
        con.execute("SET enable_progress_bar = false")   # a long migration drew one into CLI output and logs
        _refuse_newer(con, path)
        if not read_only:
            if path != ":memory:" and schema_version(con) > 0 and pending_migrations(con):
                made = backup(con, path, Path(f"{path}.pre-{migrations()[-1][0]:03d}.bak"))
                if on_backup:
                    on_backup(made)
            migrate(con, on_migration)
    except BaseException as exc:
        con.close()
        explained = explain(exc, path)
        if explained is not None and explained is not exc:
            raise explained from None
        raise
    return con


# What the database engines say when the trouble is the file or the disk, not the program. DuckDB 2.0:
# a cut-off file fails at the first read of a missing block ("Could not read enough bytes"), random bytes
# or an empty file at connect ("not a valid DuckDB database file"), a damaged block at its read
# ("Corrupt database file: computed checksum …", "Corrupted RLE segment"); a failed write is
# "Could not write file …: File too large / No space left on device", at COMMIT a FatalException
# after which the open database is invalidated (the app opens it again: ui/state.forget_connection).
_NO_SPACE = re.compile(r"No space left on device|disk full|could not extend file", re.IGNORECASE)
_TOO_LARGE = re.compile(r"File too large", re.IGNORECASE)
_DAMAGED = re.compile(r"not a valid DuckDB database file|Corrupt|checksum|Could not read enough bytes|"
                      r"Serialization Error", re.IGNORECASE)
_INVALIDATED = re.compile(r"database has been invalidated|must be restarted", re.IGNORECASE)
_QUOTED_FILE = re.compile(r'file "([^"]+)"')
# After these the open connection may be unusable (DuckDB invalidates it on a fatal error): reopen.
REOPEN_CODES = ("db_damaged", "disk_full", "file_too_large", "db_reopen")


def explain(exc: BaseException, path: str | Path | None = None) -> StoreError | None:
    """An error that comes from the store's file or disk, not from a bug, as the StoreError that says
    so: db_damaged (restore from a backup), disk_full, file_too_large, db_reopen. `path`: the store
    (else the file the engine names). None for anything else: that is a bug."""
    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG):
        code = "disk_full" if exc.errno == errno.ENOSPC else "file_too_large"
        return StoreError(code, hint=code, path=str(path or exc.filename or "-"))
    if not isinstance(exc, (duckdb.Error, postgres.Error)):
        return None
    text = str(exc)
    named = _QUOTED_FILE.search(text)
    where = str(path) if path else (named.group(1) if named else "-")
    for pattern, code in ((_NO_SPACE, "disk_full"), (_TOO_LARGE, "file_too_large"), (_DAMAGED, "db_damaged"),
                          (_INVALIDATED, "db_reopen")):
        if pattern.search(text):
            return StoreError(code, hint=code, path=where)
    return None


def _connect_postgres(url: str, read_only: bool, on_migration) -> postgres.Connection:
    """The shared store of several app servers (docs/deploy.md). read_only only skips migrating:
    PostgreSQL serves readers and writers at once, so nothing is locked."""
    try:
        con = postgres.connect(url)
    except postgres.Error as exc:
        raise StoreError("db_unopenable", path=_safe_url(url), error=str(exc).strip()) from None
    try:
        if not read_only:
            with _migration_lock(con):
                migrate(con, on_migration)
        _refuse_newer(con, _safe_url(url))
    except BaseException:
        con.close()
        raise
    return con


def _safe_url(url: str) -> str:
    """The URL as shown in messages: a password in it is masked."""
    return re.sub(r"://([^:@/]+):[^@/]*@", r"://\1:***@", url)


@contextmanager
def _migration_lock(con):
    """Replicas starting together must not both apply a migration: a session advisory lock
    serialises them (the second finds the schema current)."""
    con.execute("SELECT pg_advisory_lock(14014)")
    try:
        yield
    finally:
        con.execute("SELECT pg_advisory_unlock(14014)")


def dialect(con) -> str:
    """'duckdb' or 'postgres': which migration files apply (see migrations())."""
    return getattr(con, "dialect", "duckdb")


def _refuse_newer(con, path: str) -> None:
    """A store written by a newer version of the app would be misread (or damaged) by this one."""
    known = max((version for version, _ in migrations(dialect(con))), default=0)
    found = schema_version(con)
    if found > known:
        raise StoreError("db_newer", path=path, found=found, known=known)


def pending_migrations(con) -> list[str]:
    """Names of the migrations a read-write open would apply (a read-only open cannot)."""
    current = schema_version(con)
    return [path.name for version, path in migrations(dialect(con)) if version > current]


def migrations(dialect_name: str = "duckdb") -> list[tuple[int, Path]]:
    """(version, file) in order. migrations/NNN_name.sql is written for both engines; a file of the
    same name in migrations/<dialect>/ replaces it on that engine (e.g. postgres/002_answer_rows.sql)."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = re.match(r"(\d+)_", path.name)
        if match:
            override = MIGRATIONS_DIR / dialect_name / path.name
            found.append((int(match.group(1)), override if override.exists() else path))
    return found


def schema_version(con) -> int:
    exists = fetch_one(con, "SELECT count(*) FROM information_schema.tables "
                         "WHERE table_name = 'schema_version'")[0]
    if not exists:
        return 0
    return fetch_one(con, "SELECT coalesce(max(version), 0) FROM schema_version")[0]


def migrate(con, on_migration: Callable[[str], None] | None = None) -> int:
    """Apply pending migrations, each in its own transaction. Returns the resulting version."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)")
    current = existing = schema_version(con)
    for version, path in migrations(dialect(con)):
        if version <= current:
            continue
        if on_migration and existing > 0:     # an existing store changes shape: say so (a new one is quiet)
            on_migration(path.name)
        with transaction(con):
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, path.name])
        current = version
    return current


def refresh_statistics(con) -> None:
    """After an import on PostgreSQL: ANALYZE the tables it filled. Autovacuum does so only a minute or
    more later, and until then the planner takes a fresh store for nearly empty — the integrity query
    on the demo went from ~2 s to minutes (nested loops). DuckDB keeps its statistics itself."""
    if dialect(con) == "postgres":
        con.execute("ANALYZE respondents, answer_rows, answer_sums, respondent_counts, pooled_sums, pooled_counts, "
                    "integrity_rows, integrity_months, integrity_bursts")


def has_data(con) -> bool:
    return fetch_one(con, "SELECT count(*) FROM respondents")[0] > 0


def data_version(con) -> str:
    """Changes whenever an import, a delete, an office-master import or a saran review changes the data
    (cheap: small tables); part of every cache key, so a stale cached result is never served."""
    row = fetch_one(con, """
        SELECT (SELECT coalesce(max(batch_id), 0) || ':' || count(*) FROM batches),
               (SELECT count(*) || ':' || md5(coalesce(string_agg(concat_ws('|', office_id, name,
                        coalesce(kanwil, '<null>'), coalesce(office_type, '<null>')), ';' ORDER BY office_id), ''))
                FROM offices),
               (SELECT count(*) FROM office_aliases),
               (SELECT count(*) || ':' || md5(coalesce(string_agg(CAST(respondent_id AS VARCHAR), ',' ORDER BY respondent_id), ''))
                FROM saran_reviews)
    """)
    return "|".join(str(part) for part in row)


# --- batches --------------------------------------------------------------------------------------

def list_batches(con) -> pd.DataFrame:
    return con.execute("""
        SELECT batch_id, file_name, imported_at, source, is_demo, rows_read, rows_imported,
               rows_rejected, rows_duplicate, array_to_string(instruments, ', ') AS instruments
        FROM batches ORDER BY batch_id
    """).fetchdf()


def delete_batch(con, batch_id: int, deleted_by: str = "-") -> bool:
    """Move one import batch and every row it brought to the trash, in one transaction (restorable
    with trash.restore until the trash is emptied). False if unknown."""
    from analytics.store import trash
    return trash.move_to_trash(con, batch_id, deleted_by)


# --- backups --------------------------------------------------------------------------------------

def refuse_postgres_backup(path: str | Path) -> None:
    """backup/restore copy a DuckDB file; a PostgreSQL store is backed up with pg_dump/pg_restore
    (docs/deploy.md), which also work while the app serves."""
    if postgres.is_url(str(path)):
        raise StoreError("backup_postgres", hint="backup_postgres", path=_safe_url(str(path)))


def backup(con, path: str | Path, out: str | Path) -> Path:
    """A consistent copy of the store file at `path`, which `con` holds read-write (so nobody else
    writes): CHECKPOINT folds the write-ahead log into the file, then the file is copied to a
    temporary name beside `out` and renamed, so `out` is never half written."""
    refuse_postgres_backup(path)
    out = Path(out)
    if out.resolve() == Path(path).resolve():
        raise StoreError("backup_same", hint="backup_out", path=str(out))
    con.execute("CHECKPOINT")
    tmp = out.with_name(out.name + ".part")
    try:
        shutil.copyfile(path, tmp)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError("backup_unwritable", path=str(out), error=exc.strerror or str(exc)) from None
    return out


def restore_backup(source: str | Path, path: str | Path) -> None:
    """Replace the store at `path` with the backup `source`: it must open as a store this code can
    read; `path` must not be held by another process (the app). The old file's write-ahead log goes."""
    refuse_postgres_backup(path)
    source, path = Path(source), Path(path)
    if not source.is_file():
        raise StoreError("db_missing", path=str(source))
    check = connect(source, read_only=True, create=False)       # refuses a damaged or newer file
    try:
        if schema_version(check) == 0:
            raise StoreError("backup_not_store", hint="backup_from", path=str(source))
    finally:
        check.close()
    if path.exists():
        try:
            connect(path, read_only=True, create=False).close()     # refuses while another process writes
        except StoreError as exc:
            if exc.code != "db_damaged":        # a damaged store is what a restore is for
                raise
    tmp = path.with_name(path.name + ".restoring")
    try:
        shutil.copyfile(source, tmp)
        Path(f"{path}.wal").unlink(missing_ok=True)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError("backup_unwritable", path=str(path), error=exc.strerror or str(exc)) from None


def rejects(con, batch_id: int) -> pd.DataFrame:
    """Rejected rows of a batch with their reasons, as the operator downloads them."""
    return con.execute("""
        SELECT sheet, source_row, reasons, row_data FROM rejected_rows
        WHERE batch_id = ? ORDER BY sheet NULLS FIRST, source_row
    """, [batch_id]).fetchdf()
