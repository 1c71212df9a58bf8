# =====================================================================================
#  DATA DEMO SINTETIS — SYNTHETIC DEMO DATA. Every office profile, respondent, answer and
#  suggestion written by this module is invented; nothing comes from a real survey.
# =====================================================================================
"""Deterministic generator of synthetic demo survey exports for Dasbor IKM–IPK.

    write_demo_exports(out_dir, today, seed=2026) -> [kantor_demo.csv, demo_<slug>.csv, ...]
    python -m analytics.demo.generator OUT_DIR         # uses today's date

The exports use the project's canonical export format (one CSV per office, 24 full months
before `today`). Office names carry no "demo" marker: the app marks demo batches itself;
only the file names start with ``demo_``. Same `today` and `seed` give byte-identical files.

Realism built in (see OFFICES): each office has its own IKM level, three trend up, three
trend down; IKM18 (ruang kunjungan) and IKM17 (pengaduan) are weak almost everywhere; IPK is
high except at four offices; the latest quarter mixes offices passing WBBM, only WBK, and
failing; 8 offices also answer SPKP/SPAK (1–6) in the last 6 months.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MASTER_NAME = "kantor_demo.csv"
MASTER_HEADER = ["nama", "kanwil", "jenis", "alias"]
N_MONTHS = 24
SPKP_MONTHS = 6  # SPKP/SPAK only in the last 6 months, and only for offices with spkp=True

# (prefix, number of items, scale max); all scales start at 1.
INSTRUMENTS = [("IKM", 21, 4), ("IPK", 8, 4), ("SPKP", 8, 6), ("SPAK", 5, 6)]
PROFILE_COLUMNS = ["ID Responden", "Tanggal", "Kantor", "Jenis Kelamin", "Usia", "Pendidikan",
                   "Pekerjaan", "Jenis Layanan", "Saran"]
EXPORT_HEADER = PROFILE_COLUMNS + [f"{p}{i}" for p, k, _ in INSTRUMENTS for i in range(1, k + 1)]

JABAR = "Kanwil Kemenkumham Jawa Barat"
JATIM = "Kanwil Kemenkumham Jawa Timur"
SULSEL = "Kanwil Kemenkumham Sulawesi Selatan"


@dataclass(frozen=True)
class Office:
    nama: str
    kanwil: str
    jenis: str
    alias: str          # ';'-separated, may be empty
    slug: str           # used in the file name and the respondent ids
    size: int           # typical respondents per month
    ikm_start: float    # IKM index (1–4) in the first month; moves linearly to ikm_end
    ikm_end: float      # IKM index in the last month (>=3.70 WBBM, 3.30–3.50 WBK, <=3.10 fail)
    ipk: float          # IPK index (1–4), flat; below 3.60 fails the ZI anticorruption criterion
    spkp: bool = False  # also answers SPKP/SPAK in the last SPKP_MONTHS months


KANIM, LAPAS, RUTAN, BAPAS, LPKA, RUPBASAN = (
    "Kantor Imigrasi", "Lapas", "Rutan", "Bapas", "LPKA", "Rupbasan")

# Targets keep >= 0.08 distance from the ZI thresholds so the intended mix survives sampling noise.
OFFICES = (
    Office("Kantor Imigrasi Kelas I TPI Bandung", JABAR, KANIM, "Kanim Bandung;Imigrasi Bandung",
           "kanim-bandung", 92, 3.68, 3.74, 3.80, spkp=True),
    Office("Kantor Imigrasi Kelas II Non TPI Depok", JABAR, KANIM, "Kanim Depok",
           "kanim-depok", 86, 3.68, 3.32, 3.52),                         # trending down
    Office("Lapas Kelas IIA Cirebon", JABAR, LAPAS, "Lapas Cirebon",
           "lapas-cirebon", 63, 3.00, 3.45, 3.70, spkp=True),            # trending up
    Office("Lapas Kelas I Sukamiskin", JABAR, LAPAS, "Lapas Sukamiskin",
           "lapas-sukamiskin", 69, 3.38, 3.42, 3.72, spkp=True),
    Office("Lapas Kelas IIB Garut", JABAR, LAPAS, "",
           "lapas-garut", 40, 3.12, 3.08, 3.50),
    Office("Rutan Kelas I Bandung", JABAR, RUTAN, "Rutan Bandung;Rutan Kebonwaru",
           "rutan-bandung", 75, 3.36, 3.35, 3.68),
    Office("Bapas Kelas I Bandung", JABAR, BAPAS, "Bapas Bandung",
           "bapas-bandung", 46, 3.70, 3.74, 3.84),
    Office("LPKA Kelas II Bandung", JABAR, LPKA, "LPKA Bandung",
           "lpka-bandung", 25, 3.45, 3.46, 3.76),
    Office("Rupbasan Kelas I Bandung", JABAR, RUPBASAN, "Rupbasan Bandung",
           "rupbasan-bandung", 17, 3.34, 3.32, 3.70),
    Office("Kantor Imigrasi Kelas I TPI Surabaya", JATIM, KANIM, "Kanim Surabaya;Imigrasi Tanjung Perak",
           "kanim-surabaya", 92, 3.72, 3.76, 3.78, spkp=True),
    Office("Kantor Imigrasi Kelas I TPI Malang", JATIM, KANIM, "Kanim Malang",
           "kanim-malang", 80, 3.70, 3.72, 3.74),
    Office("Kantor Imigrasi Kelas II Non TPI Jember", JATIM, KANIM, "Kanim Jember",
           "kanim-jember", 52, 3.44, 3.48, 3.70),
    Office("Lapas Kelas I Malang", JATIM, LAPAS, "Lapas Malang;Lapas Lowokwaru",
           "lapas-malang", 69, 3.40, 3.38, 3.66),
    Office("Lapas Kelas IIA Jember", JATIM, LAPAS, "Lapas Jember",
           "lapas-jember", 52, 3.38, 3.00, 3.48),                        # trending down
    Office("Rutan Kelas I Surabaya", JATIM, RUTAN, "Rutan Surabaya;Rutan Medaeng",
           "rutan-surabaya", 80, 3.10, 3.76, 3.74, spkp=True),           # trending up
    Office("Bapas Kelas I Surabaya", JATIM, BAPAS, "Bapas Surabaya",
           "bapas-surabaya", 46, 3.42, 3.45, 3.78),
    Office("LPKA Kelas I Blitar", JATIM, LPKA, "LPKA Blitar",
           "lpka-blitar", 32, 3.74, 3.78, 3.84, spkp=True),
    Office("Rupbasan Kelas I Surabaya", JATIM, RUPBASAN, "Rupbasan Surabaya",
           "rupbasan-surabaya", 18, 3.76, 3.78, 3.80),
    Office("Kantor Imigrasi Kelas I TPI Makassar", SULSEL, KANIM, "Kanim Makassar",
           "kanim-makassar", 92, 3.25, 3.76, 3.72, spkp=True),           # trending up
    Office("Kantor Imigrasi Kelas II TPI Parepare", SULSEL, KANIM, "Kanim Parepare",
           "kanim-parepare", 40, 3.40, 3.40, 3.68),
    Office("Lapas Kelas I Makassar", SULSEL, LAPAS, "Lapas Makassar",
           "lapas-makassar", 63, 3.32, 3.34, 3.66),
    Office("Lapas Kelas IIA Watampone", SULSEL, LAPAS, "Lapas Bone;Lapas Watampone",
           "lapas-watampone", 34, 3.32, 2.96, 3.64),                     # trending down
    Office("Rutan Kelas I Makassar", SULSEL, RUTAN, "Rutan Makassar",
           "rutan-makassar", 63, 3.08, 3.10, 3.50),
    Office("Bapas Kelas I Makassar", SULSEL, BAPAS, "Bapas Makassar",
           "bapas-makassar", 40, 3.46, 3.50, 3.76, spkp=True),
    Office("LPKA Kelas II Maros", SULSEL, LPKA, "LPKA Maros",
           "lpka-maros", 21, 3.12, 3.08, 3.70),
)

LAYANAN = {
    KANIM: ["Paspor", "Paspor", "Paspor", "Izin Tinggal", "Informasi dan Pengaduan"],
    LAPAS: ["Kunjungan", "Kunjungan", "Kunjungan", "Integrasi (PB/CB/CMB)", "Penitipan Barang"],
    RUTAN: ["Kunjungan", "Kunjungan", "Kunjungan", "Integrasi (PB/CB/CMB)", "Penitipan Barang"],
    BAPAS: ["Litmas", "Litmas", "Bimbingan Klien", "Wajib Lapor"],
    LPKA: ["Kunjungan", "Kunjungan", "Integrasi (PB/CB)", "Layanan Pendidikan Anak"],
    RUPBASAN: ["Penitipan Basan/Baran", "Pengambilan Basan/Baran", "Informasi"],
}
PENDIDIKAN = (["SD", "SMP", "SMA", "D3", "S1", "S2", "S3"], [0.08, 0.14, 0.42, 0.10, 0.21, 0.04, 0.01])
PEKERJAAN = (["PNS", "Swasta", "Wiraswasta", "Pelajar/Mahasiswa", "Lainnya"], [0.12, 0.32, 0.28, 0.10, 0.18])

# Suggestions: unhappy respondents complain, happy ones mostly praise. Two start with '=' / '+'
# on purpose, to exercise the app's formula-injection guard.
SARAN_KELUHAN = ["Antrian perlu dipercepat", "Ruang tunggu kurang nyaman", "Ruang kunjungan terlalu sempit",
                 "Nomor pengaduan sering tidak aktif", "Informasi persyaratan kurang jelas",
                 "=perbanyak loket", "Petugas kurang cepat, mohon ditingkatkan", "Toilet kurang bersih",
                 "Parkir sempit, perlu diperluas"]
SARAN_PUJIAN = ["Petugas ramah, pertahankan", "Pelayanan sudah baik", "Terima kasih, prosesnya cepat",
                "+tambah kursi di ruang tunggu", "Mantap, semoga makin baik", "Sudah bagus, pertahankan"]
SARAN_RATE = 0.12
BLANK_RATE = 0.01   # share of unanswered score cells (realistic skips)

# Fixed item effects (index points on the 1–4 scale). Centred per office so the office-month
# target stays the instrument index. IKM18 is the persistently weak element; pengaduan follows.
IKM_EFFECTS = {17: -0.22, 18: -0.45, 19: -0.08, 20: -0.06, 21: -0.10, 16: -0.05, 14: 0.06, 9: 0.05}
IKM18_EFFECT = {KANIM: -0.25}   # passport applicants rarely use a visiting room: milder
IPK_EFFECTS = {4: -0.08, 5: -0.06, 2: 0.05, 7: 0.04}
RESPONDENT_SD = 0.35  # shared by all items of one respondent (lenient vs. strict raters)
ITEM_SD = 0.55        # independent per answer


def last_full_months(today: dt.date, n: int = N_MONTHS) -> list[tuple[int, int]]:
    """The n full calendar months before today's month, oldest first."""
    index = today.year * 12 + today.month - 1  # months since year 0, 0-based
    return [(m // 12, m % 12 + 1) for m in range(index - n, index)]


def _expected_answer(mu: np.ndarray, sd: float, top: int) -> np.ndarray:
    """E[clip(round(N(mu, sd)), 1, top)] = 1 + sum over t of P(X >= t + 0.5)."""
    erf = np.vectorize(math.erf)
    total = np.ones_like(mu)
    for t in range(1, top):
        total += 0.5 * (1 - erf((t + 0.5 - mu) / (sd * math.sqrt(2))))
    return total


@functools.lru_cache(maxsize=None)
def _mean_table(top: int) -> tuple[np.ndarray, np.ndarray]:
    """(expected answer, latent mean) pairs on a grid; expected answer rises with the latent mean."""
    sd = math.hypot(RESPONDENT_SD, ITEM_SD) * (top - 1) / 3
    grid = np.linspace(-2.0, top + 3.0, 1401)
    return _expected_answer(grid, sd, top), grid


def _latent_means(targets: np.ndarray, top: int) -> np.ndarray:
    """Latent normal means whose clipped-rounded answers average to `targets` (inverse of the table)."""
    expected, latent = _mean_table(top)
    return np.interp(np.clip(targets, 1.05, top - 0.05), expected, latent)


def _item_targets(office: Office, ikm: float, ipk: float, office_jitter: np.ndarray) -> dict[str, np.ndarray]:
    """Per-item mean answers for one office-month, by instrument prefix."""
    ikm_fx = np.array([IKM_EFFECTS.get(i, 0.0) for i in range(1, 22)])
    ikm_fx[18 - 1] = IKM18_EFFECT.get(office.jenis, IKM_EFFECTS[18])
    ikm_fx += office_jitter[:21]
    ipk_fx = np.array([IPK_EFFECTS.get(i, 0.0) for i in range(1, 9)]) + office_jitter[21:29] / 2
    ikm_items = ikm + ikm_fx - ikm_fx.mean()
    ipk_items = ipk + ipk_fx - ipk_fx.mean()
    # SPKP/SPAK (1–6) keep the same percentage of the scale maximum as IKM/IPK.
    return {"IKM": ikm_items, "IPK": ipk_items, "SPKP": ikm_items[:8] * 1.5, "SPAK": ipk_items[:5] * 1.5}


def _answers(rng: np.random.Generator, targets: np.ndarray, top: int, leniency: np.ndarray) -> list[list[str]]:
    """One row of answer strings per respondent; ~1% blanks."""
    scale = (top - 1) / 3
    latent = (_latent_means(targets, top)[None, :] + leniency[:, None] * scale
              + rng.normal(0.0, ITEM_SD * scale, size=(len(leniency), len(targets))))
    scores = np.clip(np.rint(latent), 1, top).astype(int)
    blank = rng.random(scores.shape) < BLANK_RATE
    return [[("" if b else str(s)) for s, b in zip(row, brow)] for row, brow in zip(scores.tolist(), blank.tolist())]


def _timestamps(rng: np.random.Generator, year: int, month: int, n: int) -> list[str]:
    """Sorted weekday timestamps within office hours (08:00–15:59)."""
    first = dt.date(year, month, 1)
    days = [first + dt.timedelta(d) for d in range(31) if (first + dt.timedelta(d)).month == month]
    workdays = [d for d in days if d.weekday() < 5]
    picks = rng.integers(0, len(workdays), n)
    seconds = rng.integers(8 * 3600, 16 * 3600, n)
    stamps = sorted(dt.datetime.combine(workdays[p], dt.time()) + dt.timedelta(seconds=int(s))
                    for p, s in zip(picks.tolist(), seconds.tolist()))
    return [s.strftime("%Y-%m-%d %H:%M:%S") for s in stamps]


def _saran(rng: np.random.Generator, mean_score: float) -> str:
    """Mostly blank; unhappy respondents (mean IKM answer < 3) pick a complaint."""
    if rng.random() >= SARAN_RATE:
        return ""
    pool = SARAN_KELUHAN if mean_score < 3.0 or rng.random() < 0.3 else SARAN_PUJIAN
    return pool[int(rng.integers(len(pool)))]


def _month_rows(rng: np.random.Generator, office: Office, year: int, month: int, first_no: int,
                targets: dict[str, np.ndarray], with_spkp: bool) -> list[list[str]]:
    n = int(np.clip(round(office.size * math.exp(rng.normal(0, 0.18))), 10, 120))
    leniency = rng.normal(0.0, RESPONDENT_SD, n)
    scores = {}
    for prefix, k, top in INSTRUMENTS:
        answered = prefix in ("IKM", "IPK") or with_spkp
        scores[prefix] = _answers(rng, targets[prefix], top, leniency) if answered else [[""] * k] * n
    stamps = _timestamps(rng, year, month, n)
    gender = rng.choice(["L", "P"], n, p=[0.55, 0.45]).tolist()
    age = np.clip(np.rint(rng.normal(38, 12, n)), 17, 75).astype(int).tolist()
    pendidikan = rng.choice(PENDIDIKAN[0], n, p=PENDIDIKAN[1]).tolist()
    pekerjaan = rng.choice(PEKERJAAN[0], n, p=PEKERJAAN[1]).tolist()
    layanan = rng.choice(LAYANAN[office.jenis], n).tolist()
    rows = []
    for i in range(n):
        ikm = [int(s) for s in scores["IKM"][i] if s]
        saran = _saran(rng, sum(ikm) / len(ikm) if ikm else 4.0)
        profile = [f"DEMO-{office.slug}-{first_no + i:06d}", stamps[i], office.nama, gender[i], str(age[i]),
                   pendidikan[i], pekerjaan[i], layanan[i], saran]
        rows.append(profile + [s for p, _, _ in INSTRUMENTS for s in scores[p][i]])
    return rows


def office_rows(office: Office, months: list[tuple[int, int]], seed: int, office_no: int) -> list[list[str]]:
    """All export rows of one office. Each office has its own random stream (seed, office_no)."""
    rng = np.random.default_rng([seed, office_no])
    office_jitter = rng.normal(0.0, 0.04, 29)
    rows: list[list[str]] = []
    for m, (year, month) in enumerate(months):
        progress = m / (len(months) - 1)
        ikm = office.ikm_start + (office.ikm_end - office.ikm_start) * progress + rng.normal(0, 0.03)
        ipk = office.ipk + rng.normal(0, 0.02)
        targets = _item_targets(office, ikm, ipk, office_jitter)
        with_spkp = office.spkp and m >= len(months) - SPKP_MONTHS
        rows += _month_rows(rng, office, year, month, len(rows) + 1, targets, with_spkp)
    return rows


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_demo_exports(out_dir: Path, today: dt.date, seed: int = 2026) -> list[Path]:
    """Writes the office master CSV first, then one export file per office (CSV), returns paths in that order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    months = last_full_months(today)
    master = [[o.nama, o.kanwil, o.jenis, o.alias] for o in OFFICES]
    paths = [_write_csv(out_dir / MASTER_NAME, MASTER_HEADER, master)]
    for no, office in enumerate(OFFICES):
        rows = office_rows(office, months, seed, no)
        paths.append(_write_csv(out_dir / f"demo_{office.slug}.csv", EXPORT_HEADER, rows))
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m analytics.demo.generator OUT_DIR")
    written = write_demo_exports(Path(sys.argv[1]), dt.date.today())
    print(f"{len(written)} files written to {sys.argv[1]} (DATA DEMO SINTETIS)")
