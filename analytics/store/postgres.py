"""PostgreSQL behind the DuckDB connection interface the store is written against: `execute(sql,
params)` with `?` placeholders returning something with fetchall/fetchdf, and `register(name,
frame)` for DataFrames / Arrow tables. The only module that imports psycopg; every other module of
analytics/store writes one SQL text for both engines (migrations may differ per dialect, see
migrations/postgres/). Functions DuckDB has and PostgreSQL lacks (list_contains, …) are created by the
PostgreSQL migrations, so queries stay identical.
"""
from __future__ import annotations

import re
import select
import threading

import pandas as pd
import pyarrow as pa
import psycopg

DIALECT = "postgres"

# `?` outside quotes → `%s` (psycopg's placeholder); a literal `%` must be doubled.
_TOKENS = re.compile(r"('(?:[^']|'')*'|\"[^\"]*\"|\?|%)")


def is_url(target: str) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


def _placeholders(sql: str) -> str:
    def swap(match):
        token = match.group(1)
        return "%s" if token == "?" else "%%" if token == "%" else token
    return _TOKENS.sub(swap, sql)


class _Result:
    def __init__(self, cursor):
        self._rows = cursor.fetchall() if cursor.description else []
        self.description = cursor.description
        self._columns = [c.name for c in cursor.description or []]

    def fetchall(self):
        return self._rows

    def fetchone(self):
        return self._rows[0] if self._rows else None

    def fetchdf(self) -> pd.DataFrame:
        return pd.DataFrame.from_records(self._rows, columns=self._columns)


def _sql_type(kind: pa.DataType) -> str:
    """The PostgreSQL column type a registered Arrow column becomes (scores lists: SMALLINT[])."""
    if pa.types.is_boolean(kind):
        return "BOOLEAN"
    if pa.types.is_integer(kind):
        return "BIGINT"
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return "DOUBLE PRECISION"
    if pa.types.is_date(kind):
        return "DATE"
    if pa.types.is_timestamp(kind):
        return "TIMESTAMP"
    if pa.types.is_list(kind) or pa.types.is_fixed_size_list(kind) or pa.types.is_large_list(kind):
        inner = _sql_type(kind.value_type)
        return ("SMALLINT" if pa.types.is_integer(kind.value_type) else inner) + "[]"
    return "TEXT"


class Connection:
    """One psycopg connection in autocommit mode: store.transaction() sends BEGIN/COMMIT itself.
    cursor() hands out connections of a small pool shared with every cursor of this root, so the app
    does not open a PostgreSQL connection (a server process, ~5 ms) per query."""
    dialect = DIALECT

    def __init__(self, url: str, pool: "_Pool | None" = None):
        self.url = url
        self._pool = pool or _Pool(url)
        self._con = self._pool.take()
        self._root = pool is None

    def execute(self, sql: str, params=None) -> _Result:
        if not _usable(self._con):        # outside a transaction only: see _usable
            self._con.close()
            self._con = self._pool.take()
        with self._con.cursor() as cursor:
            if params:
                cursor.execute(_placeholders(sql), list(params))
            else:
                cursor.execute(sql)
            return _Result(cursor)

    def register(self, name: str, frame) -> None:
        """A temporary table `name` holding the frame (DuckDB reads the frame in place)."""
        table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
        columns = ", ".join(f'"{field.name}" {_sql_type(field.type)}' for field in table.schema)
        names = ", ".join(f'"{field.name}"' for field in table.schema)
        with self._con.cursor() as cursor:
            cursor.execute(f'CREATE TEMP TABLE "{name}" ({columns})')
            with cursor.copy(f'COPY "{name}" ({names}) FROM STDIN') as copy:
                for row in table.to_pylist():
                    copy.write_row(tuple(_plain(value) for value in row.values()))
            # Autovacuum never analyses temporary tables: without row counts the planner guessed a
            # dozen rows for the integrity query's units and chose nested loops (minutes, not seconds).
            cursor.execute(f'ANALYZE "{name}"')

    def unregister(self, name: str) -> None:
        # In a failed transaction nothing runs until ROLLBACK, which drops a table made inside it;
        # dropping here would hide the statement's own error behind "transaction is aborted".
        if self._con.info.transaction_status != psycopg.pq.TransactionStatus.INERROR:
            self._con.execute(f'DROP TABLE IF EXISTS "{name}"')

    def cursor(self) -> "Connection":
        """DuckDB's cursor() is a second connection to the same database (one per thread); so here,
        taken from the pool and given back by close()."""
        return Connection(self.url, self._pool)

    def close(self) -> None:
        if self._con is None:
            return
        con, self._con = self._con, None
        if self._root:
            con.close()
            self._pool.close()
        else:
            self._pool.give_back(con)

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


class _Pool:
    """Idle connections kept for the next cursor(): at most KEEP; a connection comes back only when it
    is idle outside a transaction and has no temporary tables left, else it is closed."""
    KEEP = 8

    def __init__(self, url: str):
        self.url, self._idle, self._lock, self._closed = url, [], threading.Lock(), False

    def take(self) -> psycopg.Connection:
        with self._lock:
            while self._idle:
                con = self._idle.pop()
                if _usable(con):
                    return con
                con.close()
        return psycopg.connect(self.url, autocommit=True)

    def give_back(self, con: psycopg.Connection) -> None:
        clean = not con.closed and con.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        with self._lock:
            if clean and not self._closed and len(self._idle) < self.KEEP:
                self._idle.append(con)
                return
        con.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle, self._closed = self._idle, [], True
        for con in idle:
            con.close()


def _usable(con: psycopg.Connection) -> bool:
    """False for a connection that failed (its error has reached the caller; store.transaction() rolls
    back) or that sits idle outside a transaction while the server has closed it (a restart or failover:
    the goodbye waits in the socket, so an idle connection with anything to read is dead). Such a
    connection is replaced before the next statement instead of failing a user's page. One inside a
    transaction is kept: replacing it would silently drop the transaction's earlier statements."""
    if con.closed or con.broken:
        return False
    if con.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        return True
    readable, _, _ = select.select([con.fileno()], [], [], 0)
    return not readable


def _plain(value):
    """NaN (pandas' blank in a float column) is SQL NULL here, as DuckDB reads it."""
    if isinstance(value, float) and value != value:
        return None
    return value


def connect(url: str) -> Connection:
    return Connection(url)


Error = psycopg.Error
