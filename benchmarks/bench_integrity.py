"""Integrity benchmark: the response-integrity signals for every office over 12 months, timed next to
the office × month indices query on the same store in the same run (the same-run baseline).

    python benchmarks/bench_integrity.py [--respondents 1000000] [--offices 900] [--months 24]
                                         [--repeats 5] [--db EXISTING.duckdb] [--work-dir DIR --keep]

Builds the synthetic store of benchmarks/synthetic.py through the real import path (as bench_core.py
does), unless --db names a store built before. Then, in a fresh process on a read-only connection:
  * store.integrity.examine(con, Window(last 12 months))  — every office × instrument × month unit,
    with the 12 history months before it fetched for the jumps (so 24 months are read);
  * queries.indices(con, by="office", period="month") over the same 12 months, the baseline.
First run and the median of warm runs of each; prints Markdown and writes benchmarks/out/integrity.md.
"""
from __future__ import annotations

import argparse
import json
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
from benchmarks.bench_core import code_fingerprint, hardware, machine_load  # noqa: E402

OUT = HERE / "out" / "integrity.md"


def _worker(db: str, repeats: int, before: bool = False) -> None:
    from analytics import store
    from analytics.domain import periods
    from analytics.store import integrity, queries

    con = store.connect(db, read_only=True)
    months = queries.months_with_data(con)
    window = queries.Window(months[-12], months[-1])
    calls = {"integrity": lambda: integrity.examine(con, window),
             "indices": lambda: queries.indices(con, by="office", period="month", window=window)}
    out = {}
    for name in ("integrity", "indices", "integrity", "indices"):       # interleaved: same load for both
        got = out.setdefault(name, {"times": [], "cpu": []})
        for _ in range(repeats if got["times"] else repeats + 1):
            started, cpu = time.perf_counter(), time.process_time()
            result = calls[name]()
            got["times"].append(time.perf_counter() - started)
            got["cpu"].append(time.process_time() - cpu)
            got["rows"] = len(result)
    if before:      # the query before migration 010 (tests/integrity_reference_sql.py), once: same store, same run
        from tests.integrity_reference_sql import old_examine
        started, cpu = time.perf_counter(), time.process_time()
        rows = len(old_examine(con, window))
        out["before"] = {"times": [time.perf_counter() - started], "cpu": [time.process_time() - cpu], "rows": rows}
    results = integrity.examine(con, window)
    out["clarify"] = sum(r.clarify for r in results)
    out["with_signal"] = sum(bool(r.signals) for r in results)
    out["window"] = f"{periods.month_text(window.start)} – {periods.month_text(window.end)}"
    con.close()
    print(json.dumps(out))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--offices", type=int, default=900)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--db", help="an existing synthetic store (skips the build)")
    parser.add_argument("--work-dir")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--before", action="store_true",
                        help="also time the query before migration 010 once (tests/integrity_reference_sql.py)")
    parser.add_argument("--worker", nargs=3, metavar=("DB", "REPEATS", "BEFORE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker[0], int(args.worker[1]), args.worker[2] == "1")
        return 0
    say = lambda message: print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
    load_before = machine_load()
    work = None
    if args.db:
        db, built_note = Path(args.db), f"existing store {args.db}"
    else:
        work = Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="bench_integrity_"))
        work.mkdir(parents=True, exist_ok=True)
        db = work / "bench.duckdb"
        say(f"building a store of {args.respondents:,} respondents in {work}")
        started = time.perf_counter()
        built = synthetic.build_store(db, args.respondents, args.offices, args.months, args.seed,
                                      work_dir=work, progress=say)
        built_note = (f"built for this run: {built.rows_imported:_} respondents".replace("_", " ")
                      + f", {built.n_offices} offices, {built.months} months ({time.perf_counter() - started:.0f} s)")
    try:
        say("timing")
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", str(db), str(args.repeats),
                               "1" if args.before else "0"],
                              capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            raise RuntimeError(done.stderr)
        r = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        if work is not None and not args.keep and not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)
    load_after = machine_load()
    med = {k: statistics.median(r[k]["times"][1:]) for k in ("integrity", "indices")}
    cpu = {k: statistics.median(r[k]["cpu"][1:]) for k in ("integrity", "indices")}
    first = {k: r[k]["times"][0] for k in ("integrity", "indices")}
    lines = [
        "# Integrity benchmark — signals for every office over 12 months",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M}; {hardware()}.",
        f"Machine load: before {load_before[0]}; after {load_after[0]}.",
        f"Code measured: {code_fingerprint()}. Store: {built_note}. Window {r['window']}.",
        "",
        "| measure | integrity signals (`store.integrity.examine`) | indices office × month (baseline, same run) | ratio |",
        "|---|---:|---:|---:|",
        f"| warm median of {args.repeats * 2} | **{med['integrity']:.3f} s** (CPU {cpu['integrity']:.3f} s) | "
        f"{med['indices']:.3f} s (CPU {cpu['indices']:.3f} s) | {med['integrity'] / med['indices']:.1f}× |",
        f"| first run, fresh process | {first['integrity']:.3f} s | {first['indices']:.3f} s | "
        f"{first['integrity'] / first['indices']:.1f}× |",
        f"| result rows | {r['integrity']['rows']} units | {r['indices']['rows']} rows | — |",
    ] + ([
        f"| before migration 010 (old query, one run after the above) | {r['before']['times'][0]:.3f} s "
        f"(CPU {r['before']['cpu'][0]:.3f} s) | {med['indices']:.3f} s | {r['before']['times'][0] / med['indices']:.1f}× |",
    ] if "before" in r else []) + [
        f"| machine load (1 min) before / after | {load_before[0]} / {load_after[0]} | | |",
        "",
        f"Units needing clarification: {r['clarify']} of {r['integrity']['rows']} "
        f"({r['with_signal']} with any signal) — synthetic data, no fabrication injected.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
