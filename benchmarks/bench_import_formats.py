"""Import speed against bare parsing, measured in the same run.

    .venv/bin/python benchmarks/bench_import_formats.py [--xlsx-rows 100000] [--csv-rows 1000000] [--profile]

Generates (once; reused while the row counts match) a canonical-layout XLSX and CSV in benchmarks/out/
(git-ignored), then times
  * bare parsing: pandas.read_excel(engine="calamine") for the XLSX, duckdb read_csv for the CSV;
  * importer.ingest into a fresh on-disk store, split into read (readers.read_file), prepare
    (mapping + validation) and commit (the one-transaction write).
Prints one table with the ratio ingest / bare parse. --profile adds the top cProfile entries of ingest.
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
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


def bare_parse(path: Path) -> float:
    if path.suffix == ".xlsx":
        _, seconds = timed(lambda: pd.read_excel(path, engine="calamine"))
    else:
        con = duckdb.connect()
        _, seconds = timed(lambda: con.execute(f"SELECT count(*) FROM (SELECT * FROM read_csv('{path}'))").fetchall())
        # Materialising the table is closer to what an import has to do; report the slower of the two.
        _, table_seconds = timed(lambda: con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}')"))
        seconds = max(seconds, table_seconds)
    return seconds


def run_ingest(path: Path, profile: bool) -> dict:
    registry = load_registry()
    content = path.read_bytes()
    options = importer.ImportOptions(today=TODAY, source="bench")
    con = fresh_store(OUT / "bench.duckdb")
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    _, read_s = timed(lambda: readers.read_file(content, path.name, registry))
    prepared, prepare_s = timed(lambda: importer.prepare(con, content, path.name, options, registry))
    report, commit_s = timed(lambda: importer.commit(con, prepared, options))
    if profiler:
        profiler.disable()
        stats = pstats.Stats(profiler, stream=io.StringIO())
        stats.sort_stats("cumulative").print_stats(25)
        print(stats.stream.getvalue())
    con.close()
    assert report.status == "imported", report.message
    # prepare() reads the file again: the ingest time is prepare + commit, read is shown for the split.
    return {"rows": report.rows_imported, "read": read_s, "prepare": prepare_s, "commit": commit_s,
            "ingest": prepare_s + commit_s}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    files = [make_xlsx(OUT / f"bench_{args.xlsx_rows}.xlsx", args.xlsx_rows),
             make_csv(OUT / f"bench_{args.csv_rows}.csv", args.csv_rows)]
    print(f"{'file':<22}{'rows':>10}{'MB':>7}{'parse s':>9}{'read s':>8}{'prepare s':>10}"
          f"{'commit s':>9}{'ingest s':>9}{'ratio':>7}")
    for path in files:
        parse_s = bare_parse(path)
        result = run_ingest(path, args.profile)
        print(f"{path.name:<22}{result['rows']:>10}{path.stat().st_size / 1e6:>7.0f}{parse_s:>9.2f}"
              f"{result['read']:>8.2f}{result['prepare']:>10.2f}{result['commit']:>9.2f}"
              f"{result['ingest']:>9.2f}{result['ingest'] / parse_s:>7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
