"""PostgreSQL behind the DuckDB connection interface the store is written against: `execute(sql,
params)` with `?` placeholders returning something with fetchall/fetchdf, and `register(name,
frame)` for DataFrames / Arrow tables. The only module that imports psycopg; every other module of
analytics/store writes one SQL text for both engines (migrations may differ per dialect, see
migrations/postgres/). Functions DuckDB has and PostgreSQL lacks (list_contains, …) are created by the
PostgreSQL migrations, so queries stay identical.
"""
from __future__ import annotations

import re

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
    """One psycopg connection in autocommit mode: store.transaction() sends BEGIN/COMMIT itself."""
    dialect = DIALECT

    def __init__(self, url: str):
        self._con = psycopg.connect(url, autocommit=True)
        self.url = url

    def execute(self, sql: str, params=None) -> _Result:
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

    def unregister(self, name: str) -> None:
        self._con.execute(f'DROP TABLE IF EXISTS "{name}"')

    def cursor(self) -> "Connection":
        """DuckDB's cursor() is a second connection to the same database (one per thread); so here."""
        return Connection(self.url)

    def close(self) -> None:
        self._con.close()

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def _plain(value):
    """NaN (pandas' blank in a float column) is SQL NULL here, as DuckDB reads it."""
    if isinstance(value, float) and value != value:
        return None
    return value


def connect(url: str) -> Connection:
    return Connection(url)


Error = psycopg.Error
