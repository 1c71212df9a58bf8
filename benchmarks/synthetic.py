# =====================================================================================
#  DATA UJI SINTETIS — SYNTHETIC BENCHMARK DATA. Every office, respondent and answer written
#  by this module is invented; nothing comes from a real survey.
# =====================================================================================
"""Fast, deterministic builder of large synthetic survey exports and stores, for benchmarks.

    write_canonical_csv(path, n_respondents, n_offices=900, months=24, seed=1) -> Path
    write_canonical_parts(out_dir, n_respondents, ..., max_file_bytes=<the import limit>) -> [Path]
    write_office_master(path, n_offices) -> Path
    build_store(db_path, n_respondents, ...) -> BuiltStore

The files use the canonical export format of analytics/demo/generator.py (IKM1–21 and IPK1–8 only):
unique respondent ids, ISO timestamps with a time of day, offices "Kantor Uji 001" … spread over
three Kanwil, ~1% blank answers. Rows are in time order; text is built column-wise with numpy's
vectorised string functions (1M rows in a few seconds), never row by row in Python.

`build_store` imports the office master and then every export file through `analytics.importer.ingest`,
exactly as an upload would go; files larger than the importer's limit (setting max_upload_mb) are
split into groups of whole months (e.g. one file per half-year) and the import is timed per file.
Same arguments and seed give byte-identical files.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
from numpy.dtypes import StringDType

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PROFILE_COLUMNS = ["ID Responden", "Tanggal", "Kantor", "Jenis Kelamin", "Usia", "Pendidikan",
                   "Pekerjaan", "Jenis Layanan", "Saran"]
INSTRUMENTS = [("IKM", 21), ("IPK", 8)]               # prefix, number of items; all on a 1–4 scale
ITEM_COLUMNS = [f"{p}{i}" for p, k in INSTRUMENTS for i in range(1, k + 1)]
HEADER = PROFILE_COLUMNS + ITEM_COLUMNS
MASTER_HEADER = ["nama", "kanwil", "jenis", "alias"]

KANWIL = ["Kanwil Uji Barat", "Kanwil Uji Tengah", "Kanwil Uji Timur"]
JENIS = ["Kantor Imigrasi", "Lapas", "Rutan", "Bapas", "LPKA", "Rupbasan"]
GENDER = (["L", "P"], [0.55, 0.45])
PENDIDIKAN = (["SD", "SMP", "SMA", "D3", "S1", "S2", "S3"], [0.08, 0.14, 0.42, 0.10, 0.21, 0.04, 0.01])
PEKERJAAN = (["PNS", "Swasta", "Wiraswasta", "Pelajar/Mahasiswa", "Lainnya"], [0.12, 0.32, 0.28, 0.10, 0.18])
LAYANAN = ["Paspor", "Izin Tinggal", "Kunjungan", "Integrasi (PB/CB/CMB)", "Penitipan Barang", "Litmas",
           "Informasi dan Pengaduan"]
# One suggestion carries a comma (written quoted) and one starts with '=' (formula-injection guard).
SARAN = ["Antrian perlu dipercepat", "Ruang tunggu kurang nyaman", "Petugas kurang cepat, mohon ditingkatkan",
         "=perbanyak loket", "Petugas ramah, pertahankan", "Pelayanan sudah baik", "Informasi kurang jelas"]
SARAN_RATE = 0.12
BLANK_RATE = 0.01
FIRST_MONTH = "2024-01"        # fixed, so the data never depends on the day it is generated
LONG_FIRST_MONTH = "2021-01"   # for more than 24 months (the 5-year national store: 2021-01 … 2025-12)


def first_month(months: int) -> np.datetime64:
    return np.datetime64(FIRST_MONTH if months <= 24 else LONG_FIRST_MONTH, "M")
RESPONDENT_SD, ITEM_SD = 0.35, 0.55

_S = StringDType()
_BLANK_MARK = "_"              # stands for a blank answer while rows are assembled; no other text has it
assert not any(_BLANK_MARK in t for t in [*KANWIL, *JENIS, *GENDER[0], *PENDIDIKAN[0], *PEKERJAAN[0], *LAYANAN,
                                          *SARAN, "Kantor Uji", "UJI-"])


# --- offices --------------------------------------------------------------------------------------

def office_names(n_offices: int) -> list[str]:
    width = max(3, len(str(n_offices)))
    return [f"Kantor Uji {i:0{width}d}" for i in range(1, n_offices + 1)]


def office_kanwil(n_offices: int) -> list[str]:
    return [KANWIL[i % len(KANWIL)] for i in range(n_offices)]


def write_office_master(path: str | Path, n_offices: int) -> Path:
    """Office master CSV (nama, kanwil, jenis, alias) for the offices of write_canonical_csv."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    width = max(3, len(str(n_offices)))
    lines = [",".join(MASTER_HEADER)]
    for i, (name, kanwil) in enumerate(zip(office_names(n_offices), office_kanwil(n_offices))):
        lines.append(f"{name},{kanwil},{JENIS[i % len(JENIS)]},Unit Uji {i + 1:0{width}d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- respondents ----------------------------------------------------------------------------------

@dataclass
class _Plan:
    """Who answers when and where, for all rows (cheap arrays); the text is built per month."""
    month: np.ndarray          # month number 0..months-1 per row, rows in time order
    seconds: np.ndarray        # seconds since the start of the row's month
    office: np.ndarray         # office index per row
    ikm_level: np.ndarray      # per office: mean answer level
    ipk_level: np.ndarray
    item_fx: np.ndarray        # per item (29): fixed effect
    month_starts: np.ndarray   # datetime64[s] of each month's first day


def _plan(n_respondents: int, n_offices: int, months: int, seed: int) -> _Plan:
    rng = np.random.default_rng([seed, 0])
    first = first_month(months)
    last = first + (months - 1)
    today_month = np.datetime64(date.today(), "M")
    if last >= today_month:
        raise ValueError(f"{months} months from {first} reach {last}; the importer refuses future dates")
    size = rng.lognormal(0.0, 0.5, n_offices)            # offices differ in traffic
    office = rng.choice(n_offices, n_respondents, p=size / size.sum())
    month = np.sort(rng.integers(0, months, n_respondents))
    month_starts = (first + np.arange(months)).astype("M8[D]")
    days_in = ((month_starts.astype("M8[M]") + 1).astype("M8[D]") - month_starts).astype(np.int64)
    day = (rng.random(n_respondents) * days_in[month]).astype(np.int64)
    seconds = day * 86400 + rng.integers(8 * 3600, 16 * 3600, n_respondents)   # office hours
    # time order within each month (month is sorted already)
    order = np.lexsort((seconds, month))
    item_fx = np.zeros(len(ITEM_COLUMNS))
    item_fx[[16, 17, 18]] = [-0.22, -0.45, -0.08]          # IKM17–19 weak, as in real exports
    return _Plan(month=month[order], seconds=seconds[order], office=office[order],
                 ikm_level=rng.uniform(3.0, 3.8, n_offices), ipk_level=rng.uniform(3.4, 3.9, n_offices),
                 item_fx=item_fx, month_starts=month_starts.astype("M8[s]"))


def _pick(rng, choices, n: int, p=None) -> np.ndarray:
    """n draws from `choices` (probabilities p, default equal), as a numpy string array."""
    table = np.array(choices, dtype=_S)
    return table[rng.choice(len(choices), n, p=p)]


def _csv_field(text: str) -> str:
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\n') else text


def _month_text(plan: _Plan, m: int, rows: slice, names: np.ndarray, seed: int) -> str:
    """CSV lines (no header) of the rows of month m; their own random stream (seed, m + 1)."""
    rng = np.random.default_rng([seed, m + 1])
    office = plan.office[rows]
    n = len(office)
    if n == 0:
        return ""
    ids = np.strings.add("UJI-", np.strings.zfill(np.arange(rows.start + 1, rows.stop + 1).astype(_S), 8))
    stamps = np.datetime_as_string(plan.month_starts[m] + plan.seconds[rows].astype("m8[s]"), unit="s")
    stamps = np.strings.replace(stamps.astype(_S), "T", " ")
    saran = _pick(rng, [_csv_field(s) for s in SARAN], n)
    saran[rng.random(n) >= SARAN_RATE] = ""
    age = np.clip(np.rint(rng.normal(38, 12, n)), 17, 75).astype(np.int64).astype(_S)
    columns = [ids, stamps, names[office], _pick(rng, GENDER[0], n, GENDER[1]), age,
               _pick(rng, PENDIDIKAN[0], n, PENDIDIKAN[1]), _pick(rng, PEKERJAAN[0], n, PEKERJAAN[1]),
               _pick(rng, LAYANAN, n), saran]
    line = columns[0]
    for column in columns[1:]:
        line = np.strings.add(np.strings.add(line, ","), column)

    # Answers: latent level + respondent leniency + item effect + noise, rounded and clipped to 1–4.
    level = np.where(np.arange(len(ITEM_COLUMNS)) < INSTRUMENTS[0][1],
                     plan.ikm_level[office][:, None], plan.ipk_level[office][:, None])
    latent = (level + plan.item_fx + rng.normal(0, RESPONDENT_SD, (n, 1)).astype(np.float32)
              + rng.standard_normal((n, len(ITEM_COLUMNS)), dtype=np.float32) * ITEM_SD)
    digits = (np.clip(np.rint(latent), 1, 4).astype(np.uint8) + ord("0"))
    digits[rng.random(digits.shape, dtype=np.float32) < BLANK_RATE] = ord(_BLANK_MARK)
    width = 2 * len(ITEM_COLUMNS)
    block = np.full((n, width), ord(","), dtype=np.uint8)    # "d,d,…,d\n" per row, fixed width
    block[:, 0::2] = digits
    block[:, -1] = ord("\n")
    answers = block.view(f"S{width}").ravel().astype(_S)
    line = np.strings.add(np.strings.add(line, ","), answers)
    return "".join(line.tolist()).replace(_BLANK_MARK, "")


def _month_texts(n_respondents: int, n_offices: int, months: int, seed: int) -> list[str]:
    plan = _plan(n_respondents, n_offices, months, seed)
    names = np.array(office_names(n_offices), dtype=_S)
    bounds = np.searchsorted(plan.month, np.arange(months + 1))
    return [_month_text(plan, m, slice(int(bounds[m]), int(bounds[m + 1])), names, seed) for m in range(months)]


def _header_line() -> str:
    return ",".join(HEADER) + "\n"


def write_canonical_csv(path: str | Path, n_respondents: int, n_offices: int = 900, months: int = 24,
                        seed: int = 1) -> Path:
    """One canonical export CSV holding every respondent (no size limit; see write_canonical_parts)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(_header_line())
        for text in _month_texts(n_respondents, n_offices, months, seed):
            f.write(text)
    return path


def _import_limit() -> int:
    from analytics import settings
    return settings.get("max_upload_mb") * 1024 * 1024


def write_canonical_parts(out_dir: str | Path, n_respondents: int, n_offices: int = 900, months: int = 24,
                          seed: int = 1, max_file_bytes: int | None = None,
                          stem: str = "ekspor_uji") -> list[Path]:
    """The same rows as write_canonical_csv, in as few files of whole months as keep each file within
    `max_file_bytes` (default: the importer's limit). Groups have equal numbers of months (a divisor of
    `months`: 24 months → 1 file, 2 per year, 4 per half-year, …). Concatenated, the parts hold exactly
    the rows of the single file."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    limit = max_file_bytes or _import_limit()
    texts = _month_texts(n_respondents, n_offices, months, seed)
    header = _header_line()
    sizes = np.array([len(t) for t in texts]) # ASCII only: characters = bytes
    for per_file in sorted((d for d in range(1, months + 1) if months % d == 0), reverse=True):
        groups = [range(i, i + per_file) for i in range(0, months, per_file)]
        if all(len(header) + sizes[list(g)].sum() <= limit for g in groups):
            break
    else:
        raise ValueError(f"a single month holds more than {limit} bytes; use more months or fewer respondents")
    paths = []
    first = first_month(months)
    for g in groups:
        label = str(first + g[0]) if len(g) == 1 else f"{first + g[0]}_{first + g[-1]}"
        path = out_dir / (f"{stem}.csv" if len(groups) == 1 else f"{stem}_{label}.csv")
        with path.open("w", encoding="utf-8", newline="") as f:
            f.write(header)
            for m in g:
                f.write(texts[m])
        paths.append(path)
    return paths


# --- a whole store --------------------------------------------------------------------------------

@dataclass
class FileImport:
    name: str
    bytes: int
    status: str
    rows_read: int
    rows_imported: int
    rows_rejected: int
    seconds: float             # importer.ingest wall time, reading the file's bytes from disk included
    cpu_seconds: float         # CPU time of this process (all threads) over the same span


@dataclass
class BuiltStore:
    db_path: Path
    master_path: Path
    csv_paths: list[Path]
    n_respondents: int
    n_offices: int
    months: int
    write_seconds: float       # generating and writing the export files
    master_seconds: float      # office_master.import_master
    close_seconds: float       # closing the connection (DuckDB checkpoints the WAL)
    files: list[FileImport] = field(default_factory=list)

    @property
    def csv_bytes(self) -> int:
        return sum(f.bytes for f in self.files)

    @property
    def import_seconds(self) -> float:
        return sum(f.seconds for f in self.files)

    @property
    def import_cpu_seconds(self) -> float:
        return sum(f.cpu_seconds for f in self.files)

    @property
    def rows_imported(self) -> int:
        return sum(f.rows_imported for f in self.files)

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)


def build_store(db_path: str | Path, n_respondents: int, n_offices: int = 900, months: int = 24, seed: int = 1,
                work_dir: str | Path | None = None, max_file_bytes: int | None = None,
                progress=None) -> BuiltStore:
    """Write the exports and the office master to `work_dir` (default: next to the database), then
    import them into a new store at `db_path` the way an upload goes: office_master.import_master, then
    importer.ingest per file. Refuses to touch an existing database file."""
    from analytics.ingest import importer
    from analytics.ingest import office_master
    from analytics import store

    say = progress or (lambda message: None)
    db_path = Path(db_path)
    if db_path.exists():
        raise FileExistsError(f"{db_path} exists; build_store only creates new stores")
    work = Path(work_dir) if work_dir else db_path.parent
    work.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    master = write_office_master(work / "kantor_uji.csv", n_offices)
    paths = write_canonical_parts(work, n_respondents, n_offices, months, seed, max_file_bytes)
    write_seconds = time.perf_counter() - started
    say(f"{len(paths)} file(s), {sum(p.stat().st_size for p in paths) / 1e6:.0f} MB written "
        f"in {write_seconds:.1f} s")

    con = store.connect(db_path)
    try:
        started = time.perf_counter()
        office_master.import_master(con, master)
        master_seconds = time.perf_counter() - started
        options = importer.ImportOptions(source="upload")
        files = []
        for path in paths:
            started, cpu = time.perf_counter(), time.process_time()
            content = path.read_bytes()
            report = importer.ingest(con, content, path.name, options)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            files.append(FileImport(path.name, len(content), report.status, report.rows_read,
                                    report.rows_imported, report.rows_rejected, seconds, cpu))
            say(f"{path.name}: {report.status}, {report.rows_imported} rows in {seconds:.1f} s")
            if report.status != "imported":
                raise RuntimeError(f"{path.name}: {report.message}")
    finally:
        started = time.perf_counter()
        con.close()
        close_seconds = time.perf_counter() - started
    return BuiltStore(db_path, master, paths, n_respondents, n_offices, months, write_seconds,
                      master_seconds, close_seconds, files)


# --- a store cached on disk -----------------------------------------------------------------------

CACHE = ROOT / "benchmarks" / "out" / "stores"


def cached_store(n_respondents: int, n_offices: int = 900, months: int = 24, seed: int = 1,
                 progress=None) -> tuple[Path, dict]:
    """The store of build_store for these arguments under benchmarks/out/stores/ (git-ignored), built
    once and reused by later runs, with its build figures (JSON beside it). A build goes to a
    temporary name and is renamed only when complete, so an interrupted build is never reused."""
    import json
    import shutil
    from dataclasses import asdict

    folder = CACHE / f"{n_respondents}-{n_offices}x{months}-s{seed}"
    db, info_path = folder / "store.duckdb", folder / "build.json"
    if db.exists() and info_path.exists():
        return db, json.loads(info_path.read_text(encoding="utf-8"))
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    built = build_store(partial / "store.duckdb", n_respondents, n_offices, months, seed,
                        work_dir=partial / "exports", progress=progress)
    info = {"n_respondents": n_respondents, "n_offices": n_offices, "months": months, "seed": seed,
            "write_seconds": built.write_seconds, "master_seconds": built.master_seconds,
            "close_seconds": built.close_seconds, "files": [asdict(f) for f in built.files]}
    (partial / "build.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return db, info


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="build (or find) a cached synthetic store")
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--offices", type=int, default=900)
    parser.add_argument("--months", type=int, default=24)
    args = parser.parse_args()
    path, _ = cached_store(args.respondents, args.offices, args.months,
                           progress=lambda m: print(f"[{time.strftime('%H:%M:%S')}] {m}", flush=True))
    print(path)
