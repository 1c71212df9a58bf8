"""Import speed against bare parsing, measured in the same run.

    .venv/bin/python benchmarks/bench_import_formats.py [--xlsx-rows 100000] [--csv-rows 1000000] [--profile]
    .venv/bin/python benchmarks/bench_import_formats.py --export FILE.csv --master kantor.csv [--before F.csv …]

Generates (once; reused while the row counts match) a canonical-layout XLSX and CSV in benchmarks/out/
(git-ignored), then times
  * bare parsing: pandas.read_excel(engine="calamine") for the XLSX, duckdb read_csv for the CSV;
  * importer.ingest into a fresh on-disk store, split into read (readers.read_file), prepare
    (mapping + validation) and commit (the one-transaction write).
Prints one table with the ratio ingest / bare parse, wall and CPU seconds (time.process_time: every
thread of the process), and the load average before and after. --profile adds the top cProfile entries.
--export times one export of a cached national-scale store instead (benchmarks/out/stores/*/exports/:
copy them, never open the cached store): a fresh store gets the office master (--master) and the
--before files (untimed: the store the file lands in, e.g. the first three quarters of the 5M exports),
then the file is imported as above, with the write split per SQL statement (--statements).
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from analytics.ingest import importer, readers  # noqa: E402
from analytics.store import offices
from analytics import store
from analytics.domain.instruments import load_registry  # noqa: E402
from benchmarks import synthetic  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
OFFICES = ["Kantor Imigrasi Kelas I TPI Bandung", "Lapas Kelas IIA Cirebon", "Rutan Kelas I Bandung",
           "Bapas Kelas I Bandung"]
# The canonical layout of the synthetic exports (benchmarks/synthetic.py), spelled out once.
PROFILE, ITEMS = synthetic.PROFILE_COLUMNS, synthetic.ITEM_COLUMNS
TODAY = dt.date(2026, 11, 21)


def synthetic_frame(n: int, seed: int = 1) -> pd.DataFrame:
    """n respondents in the canonical layout (38 columns), 1% blank answers, 2025 timestamps."""
    rng = np.random.default_rng(seed)
    seconds = rng.integers(0, 365 * 86400, n).astype("m8[s]")
    frame = pd.DataFrame({
        "ID Responden": [f"R{i:08d}" for i in range(n)],
        "Tanggal": pd.Series(np.datetime64("2025-01-01T00:00:00") + seconds).dt.strftime("%Y-%m-%d %H:%M:%S"),
        "Kantor": rng.choice(OFFICES, n),
        "Jenis Kelamin": rng.choice(["L", "P"], n),
        "Usia": rng.integers(17, 75, n).astype(str),
        "Pendidikan": rng.choice(["SD", "SMP", "SMA", "D3", "S1", "S2"], n),
        "Pekerjaan": rng.choice(["PNS", "Swasta", "Wiraswasta", "Lainnya"], n),
        "Jenis Layanan": rng.choice(["Paspor", "Kunjungan", "Izin Tinggal"], n),
        "Saran": rng.choice(["", "", "", "", "Pelayanan sudah baik", "=perbanyak loket"], n),
    })
    scores = rng.integers(1, 5, (n, len(ITEMS))).astype("float64")
    scores[rng.random(scores.shape) < 0.01] = np.nan
    return pd.concat([frame, pd.DataFrame(scores, columns=ITEMS).astype("Int8")], axis=1)


def make_csv(path: Path, n: int) -> Path:
    if not path.exists():
        synthetic_frame(n).to_csv(path, index=False)
    return path


def make_xlsx(path: Path, n: int) -> Path:
    """openpyxl write-only mode: the slow part of the benchmark, done once."""
    if path.exists():
        return path
    import openpyxl

    frame = synthetic_frame(n)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(list(frame.columns))
    profile = frame[PROFILE].to_numpy().tolist()
    scores = frame[ITEMS].astype("float64").to_numpy()
    for row, values in zip(profile, scores.tolist()):
        sheet.append(row + [None if v != v else int(v) for v in values])
    book.save(path)
    return path


def fresh_store(path: Path):
    for suffix in ("", ".wal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    con = store.connect(path)
    for name in OFFICES:
        offices.add_office(con, name, "Kanwil Uji")
    return con


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def timed_cpu(fn):
    """(result, wall seconds, CPU seconds of the process: every thread)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - start, time.process_time() - cpu


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def bare_parse(path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds: calamine for a workbook; for a CSV the slower of DuckDB read_csv counted and
    read_csv into an in-memory table (materialising is closer to what an import has to do)."""
    if path.suffix == ".xlsx":
        _, seconds, cpu = timed_cpu(lambda: pd.read_excel(path, engine="calamine"))
    else:
        con = duckdb.connect()
        _, seconds, cpu = timed_cpu(
            lambda: con.execute(f"SELECT count(*) FROM (SELECT * FROM read_csv('{path}'))").fetchall())
        _, table_seconds, table_cpu = timed_cpu(lambda: con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}')"))
        seconds, cpu = max(seconds, table_seconds), max(cpu, table_cpu)
        con.close()
    return seconds, cpu


class Statements:
    """A connection that times each SQL statement (the write split); everything else passes through."""

    def __init__(self, con):
        self._con, self.log = con, []

    def execute(self, sql, *args):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return self._con.execute(sql, *args)
        finally:
            self.log.append((time.perf_counter() - start, time.process_time() - cpu, " ".join(str(sql).split())))

    def __getattr__(self, name):
        return getattr(self._con, name)


def run_ingest(path: Path, profile: bool, con=None, statements: bool = False) -> dict:
    registry = load_registry()
    content = path.read_bytes()
    options = importer.ImportOptions(today=TODAY, source="bench")
    con = con or fresh_store(OUT / "bench.duckdb")
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    _, read_s, read_cpu = timed_cpu(lambda: readers.read_file(content, path.name, registry))
    timed_con = Statements(con) if statements else con
    prepared, prepare_s, prepare_cpu = timed_cpu(lambda: importer.prepare(timed_con, content, path.name, options,
                                                                          registry))
    if statements:
        timed_con.log.clear()
    report, commit_s, commit_cpu = timed_cpu(lambda: importer.commit(timed_con, prepared, options))
    if profiler:
        profiler.disable()
        stats = pstats.Stats(profiler, stream=io.StringIO())
        stats.sort_stats("cumulative").print_stats(25)
        print(stats.stream.getvalue())
    con.close()
    assert report.status == "imported", report.message
    # prepare() reads the file again: the ingest time is prepare + commit, read is shown for the split.
    return {"rows": report.rows_imported, "read": read_s, "read_cpu": read_cpu, "prepare": prepare_s,
            "prepare_cpu": prepare_cpu, "commit": commit_s, "commit_cpu": commit_cpu,
            "ingest": prepare_s + commit_s, "ingest_cpu": prepare_cpu + commit_cpu,
            "statements": timed_con.log if statements else []}


HEADER = (f"{'file':<34}{'rows':>10}{'MB':>6}{'parse s (cpu)':>15}{'read s':>8}{'prepare s':>10}"
          f"{'commit s':>9}{'ingest s (cpu)':>16}{'ratio wall (cpu)':>18}")


def row(path: Path, parse: tuple[float, float], result: dict) -> str:
    return (f"{path.name:<34}{result['rows']:>10}{path.stat().st_size / 1e6:>6.0f}"
            f"{parse[0]:>8.2f} ({parse[1]:.2f}){result['read']:>8.2f}{result['prepare']:>10.2f}"
            f"{result['commit']:>9.2f}{result['ingest']:>9.2f} ({result['ingest_cpu']:.2f})"
            f"{result['ingest'] / parse[0]:>10.1f} ({result['ingest_cpu'] / parse[1]:.1f})")


def run_export(args) -> int:
    """One export of a national-scale store, into a store holding the office master and --before files."""
    from analytics.ingest import office_master

    path = OUT / "bench_export.duckdb"
    for suffix in ("", ".wal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    con = store.connect(path)
    office_master.import_master(con, Path(args.master))
    for before in args.before:
        report = importer.ingest(con, Path(before).read_bytes(), Path(before).name,
                                 importer.ImportOptions(today=TODAY, source="bench"))
        print(f"before: {Path(before).name} {report.status} {report.rows_imported} rows")
    stored = con.execute("SELECT count(*) FROM respondents").fetchone()[0]
    export = Path(args.export)
    print(f"store holds {stored} respondents; load average before: {load()}")
    print(HEADER)
    parse = bare_parse(export)
    result = run_ingest(export, args.profile, con=con, statements=args.statements)
    print(row(export, parse, result))
    print(f"read {result['read_cpu']:.2f} CPU-s, prepare {result['prepare_cpu']:.2f}, commit {result['commit_cpu']:.2f}")
    for wall, cpu, sql in result["statements"]:
        if wall >= 0.05 or cpu >= 0.05:
            print(f"  {wall:6.2f} s (CPU {cpu:5.2f})  {sql[:100]}")
    print(f"load average after: {load()}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--export", help="time this export (CSV) of a cached store instead")
    parser.add_argument("--master", help="the office master the export's store was built with (with --export)")
    parser.add_argument("--before", nargs="*", default=[], help="exports imported first, untimed (with --export)")
    parser.add_argument("--statements", action="store_true", help="split the write per SQL statement")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.export:
        if not args.master:
            parser.error("--export needs --master")
        return run_export(args)
    files = [make_xlsx(OUT / f"bench_{args.xlsx_rows}.xlsx", args.xlsx_rows),
             make_csv(OUT / f"bench_{args.csv_rows}.csv", args.csv_rows)]
    print(f"load average before: {load()}")
    print(HEADER)
    for path in files:
        parse = bare_parse(path)
        result = run_ingest(path, args.profile, statements=args.statements)
        print(row(path, parse, result))
        for wall, cpu, sql in result["statements"]:
            if wall >= 0.05 or cpu >= 0.05:
                print(f"  {wall:6.2f} s (CPU {cpu:5.2f})  {sql[:100]}")
    print(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
