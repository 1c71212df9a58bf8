"""A real-looking survey export (canonical IKM/IPK CSV) for a NEW office, and the figures it must give.

The expected figures are computed here from the rows as written, independently of the analytics
package: plain Fractions (Σ scores_i / n_i per item, mean over the k answered items, × 25) and half-up
rounding to 2 decimals, formatted the Indonesian way (87,56). The header is spelled out here too (what
an office's export says, not what the registry says); only the CSV bytes come from the tests' shared
writer (tests/fixtures/make_fixtures.py).
"""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from tests.fixtures.make_fixtures import write_csv

OFFICE = "Kantor Imigrasi Kelas II TPI Uji Coba"
N_IKM, N_IPK = 21, 8
HEADER = (["ID Responden", "Tanggal", "Kantor", "Jenis Kelamin", "Usia", "Pendidikan", "Pekerjaan",
           "Jenis Layanan", "Saran"]
          + [f"IKM{i}" for i in range(1, N_IKM + 1)] + [f"IPK{i}" for i in range(1, N_IPK + 1)])
NOT_ANSWERED = ("", "-", "Tidak menjawab")


@dataclass(frozen=True)
class Export:
    path: Path
    office: str
    n: int
    month: str                 # YYYY-MM of every response
    ikm_converted: str         # "87,56"
    ipk_converted: str
    ikm_index: Fraction
    ipk_index: Fraction


def half_up(value: Fraction, places: int = 2) -> Fraction:
    scaled = value * 10**places
    units = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)   # floor(x + 1/2)
    return Fraction(units, 10**places)


def fmt_id(value: Fraction) -> str:
    """Indonesian format, 2 decimals: 1.234,56 (value already rounded to 2 decimals)."""
    cents = int(value * 100)
    whole, frac = divmod(cents, 100)
    return f"{whole:,}".replace(",", ".") + f",{frac:02d}"


def _index(rows: list[list[str]], columns: list[int]) -> Fraction:
    nrrs = []
    for col in columns:
        scores = [int(r[col]) for r in rows if r[col] not in NOT_ANSWERED]
        if scores:
            nrrs.append(Fraction(sum(scores), len(scores)))
    return sum(nrrs, Fraction(0)) / len(nrrs)


def write_export(directory: Path, n: int = 40, seed: int = 20260921, office: str = OFFICE,
                 file_name: str = "ekspor_survei_kanim_uji_coba_2026-09.csv") -> Export:
    rng = random.Random(seed)
    genders = ["Laki-laki", "Perempuan"]
    education = ["SMA/SMK", "D3", "S1", "S2", "SMP"]
    jobs = ["Wiraswasta", "Pegawai Swasta", "PNS", "Mahasiswa", "Ibu Rumah Tangga"]
    services = ["Paspor Baru", "Penggantian Paspor", "Izin Tinggal Terbatas", "Izin Tinggal Kunjungan"]
    saran = ["", "Pelayanan cepat, petugas ramah", "Ruang tunggu perlu AC tambahan",
             "Antrean online sering penuh; mohon ditambah kuota", "Mantap, pertahankan!"]
    rows = []
    for i in range(n):
        day = 1 + (i * 29) // n                    # 1..30 September, day > 12 decides day-first
        stamp = datetime.datetime(2026, 9, day, 8 + i % 8, (i * 7) % 60)
        row = [f"UJI-{i + 1:03d}", stamp.strftime("%d/%m/%Y %H:%M"), office, rng.choice(genders),
               str(rng.randint(19, 66)), rng.choice(education), rng.choice(jobs), rng.choice(services),
               rng.choice(saran)]
        # Mostly 3s and 4s, now and then a 2 or a 1, and a few items not answered (blank, "-", text).
        for _ in range(N_IKM + N_IPK):
            r = rng.random()
            if r < 0.03:
                row.append(rng.choice(NOT_ANSWERED))
            else:
                row.append(str(rng.choices([1, 2, 3, 4], weights=[1, 4, 45, 50])[0]))
        rows.append(row)
    first_ikm = len(HEADER) - N_IKM - N_IPK
    ikm = _index(rows, list(range(first_ikm, first_ikm + N_IKM)))
    ipk = _index(rows, list(range(first_ikm + N_IKM, first_ikm + N_IKM + N_IPK)))
    path = write_csv(Path(directory) / file_name, [HEADER] + rows, newline="\r\n")
    return Export(path=path, office=office, n=n, month="2026-09",
                  ikm_converted=fmt_id(half_up(ikm * 25)), ipk_converted=fmt_id(half_up(ipk * 25)),
                  ikm_index=ikm, ipk_index=ipk)
