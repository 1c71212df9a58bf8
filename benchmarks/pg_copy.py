"""Copy a (cached, synthetic) DuckDB store into a PostgreSQL database, table by table, for the
PostgreSQL benchmarks. The database gets its schema from the same migrations (store.connect), then
each table's rows go over by COPY … FROM STDIN (CSV written by DuckDB; lists as PostgreSQL arrays).
The rows are the ones the real import path wrote into the DuckDB store; importing 1M respondents into
PostgreSQL again through the importer would only measure the import a second time. Sequences are moved
past the copied ids, so accounts and imports made afterwards work as on any store."""
from __future__ import annotations

import time
from pathlib import Path

import duckdb
import psycopg

from analytics import store

SKIP = {"schema_version"}


def _select(con, table: str) -> tuple[list[str], str]:
    """Column names and a SELECT writing them as PostgreSQL's CSV COPY reads them."""
    columns = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                          "WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()
    parts = [f"'{{' || array_to_string(\"{c}\", ',') || '}}'" if t.endswith("[]") else f'"{c}"' for c, t in columns]
    return [c for c, _ in columns], f"SELECT {', '.join(parts)} FROM {table}"


def copy_store(duck_path: Path, url: str, progress=print) -> dict[str, int]:
    """Every table of the DuckDB store at `duck_path` into the (new, empty) PostgreSQL database `url`;
    rows per table."""
    store.connect(url).close()                              # schema by the migrations
    src = duckdb.connect(str(duck_path), read_only=True)
    counts = {}
    try:
        with psycopg.connect(url, autocommit=True) as pg:
            for table in store.TABLES:
                if table in SKIP:
                    continue
                started = time.perf_counter()
                columns, select = _select(src, table)
                tmp = Path(f"/tmp/pg_copy_{table}.csv")
                src.execute(f"COPY ({select}) TO '{tmp}' (FORMAT csv, HEADER false)")
                names = ", ".join(f'"{c}"' for c in columns)
                with pg.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT csv)") as copy, \
                        open(tmp, "rb") as data:
                    while chunk := data.read(1 << 20):
                        copy.write(chunk)
                tmp.unlink()
                counts[table] = src.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                progress(f"{table}: {counts[table]:_} rows in {time.perf_counter() - started:.1f} s")
            for seq, table, column in (("office_id_seq", "offices", "office_id"), ("batch_id_seq", "batches", "batch_id")):
                pg.execute(f"SELECT setval('{seq}', (SELECT coalesce(max({column}), 0) + 1 FROM {table}), false)")
            pg.execute("ANALYZE")
    finally:
        src.close()
    return counts


# What a per-replica DuckDB copy of the pooled tables would cost (issue 14: "keep a per-replica DuckDB
# copy of the pooled sums refreshed when the data version changes — measured, not assumed").
COPY_TABLES = ("offices", "pooled_sums", "pooled_counts", "pooled_units")


def pooled_into_duckdb(url: str):
    """A new in-memory store (schema by the migrations) holding the offices and pooled tables of the
    PostgreSQL store at `url`, pulled by COPY … TO STDOUT (lists as text, split again in DuckDB), as
    a replica would refresh it after each new data version. Returns the connection."""
    con = store.connect(":memory:")
    with psycopg.connect(url, autocommit=True) as pg:
        for table in COPY_TABLES:
            columns = [c for (c,) in pg.execute("SELECT column_name FROM information_schema.columns "
                                                 "WHERE table_name = %s ORDER BY ordinal_position", [table])]
            arrays = {"score_sums", "n_answers"} if table == "pooled_units" else set()
            select = ", ".join(f"array_to_string({c}, ',')" if c in arrays else c for c in columns)
            tmp = Path(f"/tmp/pg_pull_{table}.csv")
            with pg.cursor() as cur, cur.copy(f"COPY (SELECT {select} FROM {table}) TO STDOUT (FORMAT csv)") as copy, \
                    open(tmp, "wb") as out:
                for chunk in copy:
                    out.write(chunk)
            typed = ", ".join(f"CAST(string_split({c}, ',') AS BIGINT[])" if c in arrays else c for c in columns)
            con.execute(f"DELETE FROM {table}")
            con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {typed} "
                        f"FROM read_csv('{tmp}', header = false, names = {columns!r})")
            tmp.unlink()
    return con
