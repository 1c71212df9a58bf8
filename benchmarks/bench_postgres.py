"""PostgreSQL vs the DuckDB file, same data, same run: the reading queries the pages make.

    python benchmarks/bench_postgres.py [--respondents 1000000] [--months 24] [--repeats 7] [--only reads|integrity]

The DuckDB store is benchmarks/synthetic.cached_store (built once through the real import path); a
throwaway PostgreSQL (tests/pg_server.py, on 127.0.0.1, fsync off as in the tests) gets the same rows
(benchmarks/pg_copy.py). Each query runs once cold (first call on a new connection) and `--repeats`
times warm on each engine, alternating engines so that machine load falls on both alike; the bare
GROUP BY over pooled_sums is each engine's own baseline. The load average is recorded before and after.
Writes benchmarks/out/postgres-<respondents>[-<only>].md. All data is synthetic.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import pg_copy, synthetic  # noqa: E402
from benchmarks.bench_core import hardware, machine_load  # noqa: E402

OUT = HERE / "out" / "postgres-{respondents}{only}.md"
BARE = ("SELECT office_id, month, instrument, CAST(sum(score_sum) AS DOUBLE PRECISION) / sum(n_answers) AS mean "
        "FROM pooled_sums GROUP BY 1, 2, 3")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--only", choices=("reads", "integrity"), help="only the index/readiness reads (with the "
                        "baseline) or only the integrity signals (with the baseline); default both")
    parser.add_argument("--before", action="store_true",
                        help="also time the integrity query before migration 010 once on each engine")
    args = parser.parse_args(argv)

    from analytics import store
    from analytics.store import integrity, offices, queries
    from tests.pg_server import Server

    duck, _ = synthetic.cached_store(args.respondents, months=args.months, progress=lambda m: print(f"  {m}", flush=True))
    server = Server()
    try:
        url = server.new_database()
        started = time.perf_counter()
        pg_copy.copy_store(duck, url, progress=lambda m: print(f"  copy {m}", flush=True))
        copy_s = time.perf_counter() - started
        cons = {"DuckDB": store.connect(duck, read_only=True), "PostgreSQL": store.connect(url, read_only=True)}
        probe = cons["DuckDB"]
        last = queries.months_with_data(probe, None)[-1]
        quarter = queries.Window(date(last.year, ((last.month - 1) // 3) * 3 + 1, 1), last)
        frame = offices.list_offices(probe)
        kanwil = sorted(frame["kanwil"].dropna().unique())[0]
        scope = tuple(int(i) for i in frame.loc[frame["kanwil"] == kanwil, "office_id"])
        one_kanwil = queries.Window(quarter.start, quarter.end, scope)
        work = {
            "office × month (all offices, all months)": lambda con: queries.indices(con, by="office", period="month"),
            "Kanwil × quarter": lambda con: queries.indices(con, by="kanwil", period="quarter"),
            "readiness zi-2019": lambda con: queries.readiness(con, "zi-2019"),
            f"integrity signals, one Kanwil ({len(scope)} offices), last quarter":
                lambda con: integrity.examine(con, one_kanwil),
            "baseline: bare GROUP BY over pooled_sums": lambda con: con.execute(BARE).fetchall(),
        }
        if args.only:
            keep = (lambda name: name.startswith(("integrity", "baseline"))) if args.only == "integrity" else \
                (lambda name: not name.startswith("integrity"))
            work = {name: call for name, call in work.items() if keep(name)}
        if args.before:       # the signal query before migration 010, same run (tests/integrity_reference_sql.py)
            from tests.integrity_reference_sql import old_examine
            work = {f"integrity signals before migration 010 (old query), same Kanwil and quarter":
                    lambda con: old_examine(con, one_kanwil), **work}
        load_before = machine_load()[0]
        rows = []
        for name, call in work.items():
            repeats = 1 if name.startswith("integrity") else args.repeats
            timings = {engine: [] for engine in cons}
            for i in range(repeats + 1):
                for engine, con in cons.items():
                    started = time.perf_counter()
                    call(con)
                    timings[engine].append(time.perf_counter() - started)
            rows.append((name, {e: (t[0], statistics.median(t[1:])) for e, t in timings.items()}))
            print(name, {e: f"{c:.3f}/{w:.3f}" for e, (c, w) in rows[-1][1].items()}, flush=True)
        if args.only != "integrity":      # the reads again on a per-replica DuckDB copy, with its refresh
            started = time.perf_counter()
            cons["DuckDB copy"] = pg_copy.pooled_into_duckdb(url)
            refresh_s = time.perf_counter() - started
            print(f"per-replica copy of the pooled tables: {refresh_s:.1f} s", flush=True)
            for name, by in rows:
                if not name.startswith("integrity"):
                    times = [_timed(work[name], cons["DuckDB copy"]) for _ in range(args.repeats + 1)]
                    by["DuckDB copy"] = (times[0], statistics.median(times[1:]))
        load_after = machine_load()[0]
        for con in cons.values():
            con.close()
    finally:
        server.stop()
    bare = dict(rows[-1][1])
    lines = [f"# PostgreSQL vs DuckDB, {args.respondents:_} respondents, {args.months} months".replace("_", "."), "",
             hardware(), f"PostgreSQL {server_version()}, throwaway server on 127.0.0.1 (fsync off); "
             f"copy of the store {copy_s:.0f} s.", f"Load before: {load_before}; after: {load_after}.", "",
             "| query | DuckDB warm / cold | PostgreSQL warm / cold | PostgreSQL ÷ DuckDB (warm) | "
             "÷ own bare GROUP BY (DuckDB · PostgreSQL) | per-replica DuckDB copy warm / cold |",
             "|---|---|---|---|---|---|"]
    for name, by in rows:
        (dc, dw), (pc, pw) = by["DuckDB"], by["PostgreSQL"]
        copy = f" {by['DuckDB copy'][1]:.3f} / {by['DuckDB copy'][0]:.3f} s |" if "DuckDB copy" in by else " — |"
        lines.append(f"| {name} | {dw:.3f} / {dc:.3f} s | {pw:.3f} / {pc:.3f} s | {pw / dw:.1f}× | "
                     f"{dw / bare['DuckDB'][1]:.1f}× · {pw / bare['PostgreSQL'][1]:.1f}× |{copy}")
    text = "\n".join(lines + ["", f"warm = median of {args.repeats} runs after the first (integrity: 1).",
                              "" if args.only == "integrity" else
                              f"Per-replica DuckDB copy: the offices and pooled tables pulled from PostgreSQL into an "
                              f"in-memory DuckDB store ({refresh_s:.1f} s per refresh, what each replica would pay "
                              "after every import), then the same reads on it.", ""])
    out = Path(str(OUT).format(respondents=args.respondents, only=f"-{args.only}" if args.only else ""))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


def _timed(call, con) -> float:
    started = time.perf_counter()
    call(con)
    return time.perf_counter() - started


def server_version() -> str:
    import subprocess
    from tests.pg_server import _bin
    return subprocess.run([_bin("postgres"), "--version"], capture_output=True, text=True).stdout.split()[-1]


if __name__ == "__main__":
    raise SystemExit(main())
