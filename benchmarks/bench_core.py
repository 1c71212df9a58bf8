"""Core benchmark: CSV import throughput and index query time over a synthetic store, each next to a
plain-pandas baseline measured on the same data in the same run.

    python benchmarks/bench_core.py [--respondents 1000000] [--offices 900] [--months 24] [--repeats 7]

Builds a store of N synthetic respondents (benchmarks/synthetic.py) through the real import path
(office master, then importer.ingest per export file), then times
  * import throughput, rows/s (CSV)                                         aim ≥ 100 000 rows/s
  * queries.indices(con, by="office", period="month"): first (cold) run in
    a fresh process on a fresh connection, and the median of warm runs      aim < 0,2 s
  * for information: indices by kanwil × quarter, readiness(con, "zi-2019")
against pandas: read_csv of the same file(s), then a groupby office × month computing each item's mean
and, per instrument, the mean of those (the index). Ratios are Dasbor ÷ pandas from this run.
Prints a Markdown table and writes it to benchmarks/out/core.md. All data is synthetic.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import synthetic  # noqa: E402

OUT = HERE / "out" / "core.md"
AIM_IMPORT_ROWS_S = 100_000
AIM_QUERY_S = 0.2

# name → (description, python call run in the worker on `con`)
QUERIES = {
    "office_month": ('indices by office × month', 'queries.indices(con, by="office", period="month")'),
    "kanwil_quarter": ('indices by kanwil × quarter', 'queries.indices(con, by="kanwil", period="quarter")'),
    "readiness": ('readiness "zi-2019"', 'queries.readiness(con, "zi-2019")'),
    # the same-run baseline: a bare GROUP BY over the pooled sums, item sums → office × month × instrument
    "bare_group_by": ("bare GROUP BY over pooled_sums", 'con.execute("SELECT office_id, month, instrument, '
                      'sum(score_sum) / sum(n_answers) AS mean FROM pooled_sums GROUP BY ALL").fetchdf()'),
}
AIM_QUERY_5M_S = 0.1
AIM_QUERY_RATIO = 2.0
AIM_IMPORT_RATIO = 3.0


# --- query timing, in a fresh process per query (so the first run is a real first run) -------------

def _query_worker(db: str, name: str, repeats: int) -> None:
    started = time.perf_counter()
    from analytics.store import queries  # noqa: F401  (used by eval)
    from analytics import store
    imports = time.perf_counter() - started
    started = time.perf_counter()
    con = store.connect(db, read_only=True)
    connect = time.perf_counter() - started
    call = QUERIES[name][1]
    times, cpus, rows = [], [], None
    for _ in range(repeats + 1):
        started, cpu = time.perf_counter(), time.process_time()
        result = eval(call)  # noqa: S307 - fixed strings above
        times.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        rows = len(result)
    con.close()
    print(json.dumps({"imports": imports, "connect": connect, "cold": times[0], "warm": times[1:],
                      "cold_cpu": cpus[0], "warm_cpu": cpus[1:], "rows": rows}))


def time_query(db: Path, name: str, repeats: int) -> dict:
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--query-worker", str(db), name,
                           str(repeats)], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"query worker {name} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["median"] = statistics.median(result["warm"])
    result["median_cpu"] = statistics.median(result["warm_cpu"])
    return result


# --- the pandas baseline ----------------------------------------------------------------------------

def pandas_indices(frame):
    """Per office × month: mean of each item's answers, then per instrument the mean over items
    answered at least once (the index, unrounded). Long format: office, period, instrument, index."""
    import pandas as pd

    month = frame["Tanggal"].str.slice(0, 7)
    means = frame[synthetic.ITEM_COLUMNS].groupby([frame["Kantor"], month]).mean()
    parts = []
    for prefix, k in synthetic.INSTRUMENTS:
        cols = [f"{prefix}{i}" for i in range(1, k + 1)]
        parts.append(means[cols].mean(axis=1).rename("index").to_frame().assign(instrument=prefix.lower()))
    result = pd.concat(parts).reset_index()
    result.columns = ["office", "period", "index", "instrument"]
    return result


def pandas_baseline(paths: list[Path], repeats: int) -> dict:
    import pandas as pd

    started, cpu = time.perf_counter(), time.process_time()
    frames = [pd.read_csv(p) for p in paths]
    frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    read, read_cpu = time.perf_counter() - started, time.process_time() - cpu
    times, cpus, result = [], [], None
    for _ in range(repeats + 1):
        started, cpu = time.perf_counter(), time.process_time()
        result = pandas_indices(frame)
        times.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return {"read": read, "read_cpu": read_cpu, "rows": len(frame), "first": times[0], "warm": times[1:],
            "median": statistics.median(times[1:]), "median_cpu": statistics.median(cpus[1:]), "result": result}


def duckdb_read_csv(paths: list[Path]) -> dict:
    """The bare-parse baseline: DuckDB's read_csv of the same files into an in-memory table."""
    import duckdb

    con = duckdb.connect()
    started, cpu = time.perf_counter(), time.process_time()
    for i, path in enumerate(paths):
        con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv('{path}')")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    con.close()
    return {"seconds": seconds, "cpu": cpu}


def cached_build(args) -> synthetic.BuiltStore:
    """The store of synthetic.cached_store (built once, reused) with the figures of its build."""
    db, info = synthetic.cached_store(args.respondents, args.offices, args.months, args.seed,
                                      progress=lambda m: print(f"  {m}", file=sys.stderr, flush=True))
    exports = db.parent / "exports"
    files = [synthetic.FileImport(**f) for f in info["files"]]
    return synthetic.BuiltStore(db, exports / "kantor_uji.csv", [exports / f.name for f in files],
                                args.respondents, args.offices, args.months, info["write_seconds"],
                                info["master_seconds"], info["close_seconds"], files)


def cross_check(db: Path, expected) -> float:
    """Largest |index(Dasbor) − index(pandas)| over office × month × instrument (Dasbor rounds to 4 dp)."""
    from analytics.store import queries
    from analytics import store

    con = store.connect(db, read_only=True)
    try:
        got = queries.indices(con, by="office", period="month")
    finally:
        con.close()
    merged = got.merge(expected, on=["office", "period", "instrument"], how="outer", indicator=True,
                       suffixes=("", "_pandas"))
    if not (merged["_merge"] == "both").all():
        raise AssertionError(f"{(merged['_merge'] != 'both').sum()} office × month × instrument rows differ "
                             "between Dasbor and pandas")
    return float((merged["index"].astype(float) - merged["index_pandas"]).abs().max())


# --- reporting --------------------------------------------------------------------------------------

def _n(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _s(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"


def _x(ratio: float) -> str:
    return f"{ratio:.2f}×" if ratio < 10 else f"{ratio:.0f}×"


def hardware() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = float("nan")
    import duckdb
    import numpy
    import pandas
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM; Python {platform.python_version()}, "
            f"duckdb {duckdb.__version__}, pandas {pandas.__version__}, numpy {numpy.__version__}")


def code_fingerprint() -> str:
    """Which analytics code was measured (others edit it in parallel): hash and newest change."""
    files = sorted((ROOT / "analytics").rglob("*.py")) + sorted((ROOT / "analytics").rglob("*.sql"))
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.read_bytes())
    newest = max(f.stat().st_mtime for f in files)
    return f"analytics/ sha256 {digest.hexdigest()[:12]}, newest file change {datetime.fromtimestamp(newest):%Y-%m-%d %H:%M:%S}"


def machine_load() -> tuple[str, float]:
    """Load averages and Linux CPU pressure (share of time some task waited for a CPU), for the note."""
    one, five, _ = os.getloadavg()
    pressure = float("nan")
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
        pressure = float(dict(kv.split("=") for kv in line.split()[1:])["avg60"])
    except (OSError, KeyError, ValueError, IndexError):
        pass
    return f"load {one:.1f}/{five:.1f} (1/5 min), CPU pressure {pressure:.0f}% (avg60)", pressure


def report(args, built, base, q, max_diff, db_bytes, load_before, load_after) -> str:
    n = built.rows_imported
    import_rate = n / built.import_seconds
    read_rate = base["rows"] / base["read"]
    om = q["office_month"]
    e2e = base["read"] + base["median"]
    ok_import = import_rate >= AIM_IMPORT_ROWS_S
    ok_query = om["median"] < AIM_QUERY_S
    lines = [
        f"# Core benchmark — {_n(n)} synthetic respondents",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M}; {hardware()}.",
        f"Machine load: before {load_before[0]}; after {load_after[0]}.",
        f"Code measured: {code_fingerprint()}.",
        "",
        "Baseline = plain pandas on the same CSV file(s) in the same run: `read_csv` (default type inference), "
        "then groupby office × month → mean per item → mean over items per instrument. "
        "Ratio = Dasbor ÷ baseline: for times < 1 means Dasbor is faster, for rates > 1 means Dasbor is faster. "
        "CPU = process CPU time over the same span (all threads), less sensitive to other load than wall time.",
        "",
        "| Measure | Dasbor | Baseline (pandas, same run) | Ratio | Aim | Meets aim |",
        "|---|---:|---:|---:|---:|:---:|",
        f"| CSV import, `importer.ingest` ({len(built.files)} file{'s' if len(built.files) > 1 else ''}, "
        f"{built.csv_bytes / 1e6:.0f} MB) | **{_n(import_rate)} rows/s** ({_s(built.import_seconds)}; "
        f"CPU {_s(built.import_cpu_seconds)}) | `read_csv` {_n(read_rate)} rows/s ({_s(base['read'])}; "
        f"CPU {_s(base['read_cpu'])}) | {_x(import_rate / read_rate)} | ≥ {_n(AIM_IMPORT_ROWS_S)} rows/s | "
        f"{'yes' if ok_import else '**no**'} |",
        f"| `indices` office × month, median of {args.repeats} warm runs | **{_s(om['median'])}** "
        f"(CPU {_s(om['median_cpu'])}) | groupby {_s(base['median'])} (CPU {_s(base['median_cpu'])}) | "
        f"{_x(om['median'] / base['median'])} | < {AIM_QUERY_S} s | {'yes' if ok_query else '**no**'} |",
        f"| `indices` office × month, first run (fresh process and connection) | {_s(om['cold'])} "
        f"(CPU {_s(om['cold_cpu'])}) | groupby, first run {_s(base['first'])} | {_x(om['cold'] / base['first'])} "
        "| — | — |",
        f"| `indices` office × month vs pandas from the CSV (read + groupby) | {_s(om['median'])} | "
        f"{_s(e2e)} | {_x(om['median'] / e2e)} | — | — |",
    ]
    bare, dread = q["bare_group_by"], base["duckdb_read"]
    import_ratio = built.import_seconds / dread["seconds"]
    lines += [
        f"| CSV import vs DuckDB `read_csv` of the same file(s) into a table | {_s(built.import_seconds)} | "
        f"{_s(dread['seconds'])} (CPU {_s(dread['cpu'])}) | {_x(import_ratio)} | ≤ {AIM_IMPORT_RATIO:g}× | "
        f"{'yes' if import_ratio <= AIM_IMPORT_RATIO else '**no**'} |",
        f"| `indices` office × month vs a bare GROUP BY over pooled_sums (same run, warm medians) | "
        f"{_s(om['median'])} (CPU {_s(om['median_cpu'])}) | {_s(bare['median'])} (CPU {_s(bare['median_cpu'])}) | "
        f"{_x(om['median'] / bare['median'])} (CPU {_x(om['median_cpu'] / bare['median_cpu'])}) | "
        f"≤ {AIM_QUERY_RATIO:g}× and ≤ {AIM_QUERY_5M_S} s | "
        f"{'yes' if om['median'] / bare['median'] <= AIM_QUERY_RATIO and om['median'] <= AIM_QUERY_5M_S else '**no**'} |",
    ]
    for name in ("kanwil_quarter", "readiness"):
        r = q[name]
        lines.append(f"| `{QUERIES[name][1].split('(', 1)[0].split('.')[-1]}` {QUERIES[name][0].split(' ', 1)[1]}: "
                     f"warm median / first run | {_s(r['median'])} (CPU {_s(r['median_cpu'])}) / {_s(r['cold'])} | "
                     f"bare GROUP BY {_s(bare['median'])} (CPU {_s(bare['median_cpu'])}) | "
                     f"{_x(r['median'] / bare['median'])} (CPU {_x(r['median_cpu'] / bare['median_cpu'])}) | "
                     f"≤ {AIM_QUERY_5M_S} s | "
                     f"{'yes' if r['median'] <= AIM_QUERY_5M_S else '**no**'} |")
    lines += [
        "",
        "Details:",
        "",
        f"- Import: {_n(n)} respondents imported of {_n(built.rows_read)} read, "
        f"{_n(sum(f.rows_rejected for f in built.files))} rejected; {built.n_offices} offices, "
        f"{built.months} months. Import time = `importer.ingest` per file, reading the file's bytes included. "
        f"Outside the rate: the office master (`office_master.import_master`, {built.n_offices} offices) "
        f"{_s(built.master_seconds)}; closing the connection (checkpoint) {_s(built.close_seconds)}. "
        f"Store size {db_bytes / 1e6:.0f} MB ({db_bytes / 1e6 / (n / 1e6):.0f} MB per million respondents).",
    ]
    limit_mb = (args.max_file_mb or synthetic._import_limit() / 2**20)
    limit_mb = f"{limit_mb:g}"
    if len(built.files) > 1:
        lines.append(f"- The data exceeds the per-file limit ({limit_mb} MB), so it was split into "
                     f"{len(built.files)} files of whole months, imported one after another; the rate is "
                     "aggregate (all rows ÷ the sum of the ingest times).")
    else:
        lines.append(f"- One file ({built.csv_bytes / 1e6:.0f} MB), within the per-file limit ({limit_mb} MB).")
    for f in built.files:
        lines.append(f"  - {f.name}: {f.bytes / 1e6:.0f} MB, {_n(f.rows_imported)} rows, {_s(f.seconds)} "
                     f"(CPU {_s(f.cpu_seconds)}) → {_n(f.rows_imported / f.seconds)} rows/s")
    lines += [
        "- Queries: each in its own fresh process (`store.connect(read_only=True)`: "
        f"{_s(om['connect'])}); the first run includes loading the instrument registry. Office × month warm "
        "runs: " + ", ".join(f"{t:.3f}" for t in om["warm"]) + " s. Result rows: "
        + ", ".join(f"{QUERIES[k][0]} {_n(q[k]['rows'])}" for k in QUERIES) + ".",
        f"- pandas: `read_csv` {_s(base['read'])} ({_n(base['rows'])} rows); groupby runs "
        + ", ".join(f"{t:.3f}" for t in [base["first"]] + base["warm"]) + " s (first run first).",
        f"- Cross-check: Dasbor's office × month indices equal pandas' to within {max_diff:.1e} "
        "(Dasbor rounds half-up to 4 decimals).",
        f"- Generating the synthetic CSV took {_s(built.write_seconds)} (not part of any figure).",
    ]
    if max(load_before[1], load_after[1]) > 20:
        lines.append("- **Other processes competed for the CPUs during this run** (see the machine load above): "
                     "wall times are inflated; the CPU times and the same-run ratios are the figures to compare.")
    lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--offices", type=int, default=900)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=7, help="warm runs per query (median reported)")
    parser.add_argument("--max-file-mb", type=float, help="split the export into files of whole months no "
                        "larger than this (default: the importer's limit, setting max_upload_mb)")
    parser.add_argument("--work-dir", help="where the CSV files and the store go (default: a temporary "
                        "directory, removed afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--cached", action="store_true", help="use (or build once) the store cached under "
                        "benchmarks/out/stores; its import figures are those of the build")
    parser.add_argument("--out", default=str(OUT), help="Markdown output (default benchmarks/out/core.md)")
    parser.add_argument("--query-worker", nargs=3, metavar=("DB", "NAME", "REPEATS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.query_worker:
        db, name, repeats = args.query_worker
        _query_worker(db, name, int(repeats))
        return 0

    load_before = machine_load()
    say = lambda message: print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
    if args.cached:
        work, args.keep = None, True
        built = cached_build(args)
        db = built.db_path
    else:
        work = Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="bench_core_"))
        work.mkdir(parents=True, exist_ok=True)
        db = work / "bench.duckdb"
        if db.exists():
            sys.exit(f"{db} exists; use an empty --work-dir")
    try:
        if not args.cached:
            say(f"building a store of {args.respondents:,} respondents in {work}")
            max_bytes = int(args.max_file_mb * 2**20) if args.max_file_mb else None
            built = synthetic.build_store(db, args.respondents, args.offices, args.months, args.seed,
                                          work_dir=work, max_file_bytes=max_bytes, progress=say)
        db_bytes = db.stat().st_size
        say("baselines: DuckDB read_csv, pandas read_csv + groupby")
        base = pandas_baseline(built.csv_paths, args.repeats)
        base["duckdb_read"] = duckdb_read_csv(built.csv_paths)
        q = {}
        for name in QUERIES:
            say(f"query {name}")
            q[name] = time_query(db, name, args.repeats)
        max_diff = cross_check(db, base.pop("result"))
        text = report(args, built, base, q, max_diff, db_bytes, load_before, machine_load())
    finally:
        if work is not None and not args.keep and not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    say(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
