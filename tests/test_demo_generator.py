"""Tests for analytics/demo/generator.py (synthetic demo exports, DATA DEMO SINTETIS)."""
from __future__ import annotations

import csv
import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from analytics.demo import generator as demo

# A date in March makes the 24-month window cross two year boundaries.
TODAY = dt.date(2025, 3, 10)
FIRST_MONTH, LAST_MONTH = "2023-03", "2025-02"
SCALES = {"IKM": (21, 4), "IPK": (8, 4), "SPKP": (8, 6), "SPAK": (5, 6)}


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    paths = demo.write_demo_exports(out, TODAY)
    return out, paths


@pytest.fixture(scope="module")
def rows(generated):
    _, paths = generated
    return [row for path in paths[1:] for row in _read(path)[1]]


def _month(row):
    return row["Tanggal"][:7]


def _index(rows, prefix):
    """Pooled index: mean over items of the per-item mean of the answered cells (domain.md §4)."""
    k, _ = SCALES[prefix]
    nrr = []
    for i in range(1, k + 1):
        answers = [int(r[f"{prefix}{i}"]) for r in rows if r[f"{prefix}{i}"]]
        if answers:
            nrr.append(sum(answers) / len(answers))
    return sum(nrr) / len(nrr)


def test_same_inputs_give_identical_bytes(generated, tmp_path):
    out, paths = generated
    again = demo.write_demo_exports(tmp_path, TODAY)
    assert [p.name for p in again] == [p.name for p in paths]
    for first, second in zip(paths, again):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_other_seed_gives_other_answers(generated, tmp_path):
    _, paths = generated
    other = demo.write_demo_exports(tmp_path, TODAY, seed=7)
    assert other[0].read_bytes() == paths[0].read_bytes()  # the office master does not depend on the seed
    assert other[1].read_bytes() != paths[1].read_bytes()


def test_files_and_headers(generated):
    out, paths = generated
    assert paths[0] == out / "kantor_demo.csv"
    assert all(p.name.startswith("demo_") and p.suffix == ".csv" for p in paths[1:])
    assert len(paths) == 1 + len(demo.OFFICES) >= 21
    header, _ = _read(paths[0])
    assert header == ["nama", "kanwil", "jenis", "alias"]
    expected = (["ID Responden", "Tanggal", "Kantor", "Jenis Kelamin", "Usia", "Pendidikan", "Pekerjaan",
                 "Jenis Layanan", "Saran"] + [f"IKM{i}" for i in range(1, 22)] + [f"IPK{i}" for i in range(1, 9)]
                + [f"SPKP{i}" for i in range(1, 9)] + [f"SPAK{i}" for i in range(1, 6)])
    for path in paths[1:]:
        assert _read(path)[0] == expected, path.name


def test_master_lists_every_exported_office(generated, rows):
    _, paths = generated
    _, master = _read(paths[0])
    names = [m["nama"] for m in master]
    assert len(names) == len(set(names))
    assert {r["Kantor"] for r in rows} == set(names)
    assert len({m["kanwil"] for m in master}) == 3
    assert {m["jenis"] for m in master} == {"Kantor Imigrasi", "Lapas", "Rutan", "Bapas", "LPKA", "Rupbasan"}
    assert not any("demo" in n.lower() for n in names)
    assert any(";" in m["alias"] for m in master) and any(m["alias"] == "" for m in master)
    for path in paths[1:]:  # one office per file
        assert len({r["Kantor"] for r in _read(path)[1]}) == 1


def test_24_full_months_before_today(rows):
    months = sorted({_month(r) for r in rows})
    assert len(months) == 24
    assert (months[0], months[-1]) == (FIRST_MONTH, LAST_MONTH)
    assert demo.last_full_months(dt.date(2026, 11, 21))[0] == (2024, 11)
    assert demo.last_full_months(dt.date(2026, 11, 21))[-1] == (2026, 10)
    assert demo.last_full_months(dt.date(2026, 1, 1))[-1] == (2025, 12)


def test_respondent_fields(rows):
    ids = [r["ID Responden"] for r in rows]
    assert len(ids) == len(set(ids)) and all(i.startswith("DEMO-") for i in ids)
    for r in rows:
        stamp = dt.datetime.strptime(r["Tanggal"], "%Y-%m-%d %H:%M:%S")
        assert 8 <= stamp.hour < 16 and stamp.weekday() < 5
        assert r["Jenis Kelamin"] in {"L", "P"}
        assert 17 <= int(r["Usia"]) <= 75
        assert r["Pendidikan"] in {"SD", "SMP", "SMA", "D3", "S1", "S2", "S3"}
        assert r["Jenis Layanan"]
    passport = {r["Jenis Layanan"] for r in rows if r["Kantor"].startswith("Kantor Imigrasi")}
    assert "Paspor" in passport and "Kunjungan" not in passport
    assert 20_000 <= len(rows) <= 50_000


def test_respondents_per_office_month(rows):
    counts = Counter((r["Kantor"], _month(r)) for r in rows)
    assert len(counts) == 24 * len(demo.OFFICES)
    assert all(10 <= n <= 120 for n in counts.values())
    small = [n for n in counts.values() if n < 30]
    assert 0 < len(small) < len(counts) / 2


def test_scores_within_scale_and_mostly_answered(rows):
    for prefix, (k, top) in SCALES.items():
        for r in rows:
            for i in range(1, k + 1):
                value = r[f"{prefix}{i}"]
                assert value == "" or 1 <= int(value) <= top, (prefix, i, value)
    cells = [r[f"{p}{i}"] for r in rows for p in ("IKM", "IPK") for i in range(1, SCALES[p][0] + 1)]
    blank_share = cells.count("") / len(cells)
    assert 0.002 < blank_share < 0.03


def test_spkp_spak_only_last_6_months_for_a_subset(rows):
    last6 = sorted({_month(r) for r in rows})[-6:]
    answering = defaultdict(set)
    for r in rows:
        has = [r[f"{p}{i}"] != "" for p in ("SPKP", "SPAK") for i in range(1, SCALES[p][0] + 1)]
        if any(has):
            assert _month(r) in last6, r["ID Responden"]
            answering[r["Kantor"]].add(_month(r))
    assert 3 <= len(answering) < len(demo.OFFICES)
    assert all(months == set(last6) for months in answering.values())
    # Those offices answered on the 1–6 scale, with values above 4 present.
    assert any(r["SPKP1"] in {"5", "6"} for r in rows)


def test_latest_quarter_mixes_wbbm_wbk_and_fail(rows):
    last3 = sorted({_month(r) for r in rows})[-3:]
    by_office = defaultdict(list)
    for r in rows:
        if _month(r) in last3:
            by_office[r["Kantor"]].append(r)
    ikm = {o: _index(rs, "IKM") for o, rs in by_office.items()}
    ipk = {o: _index(rs, "IPK") for o, rs in by_office.items()}
    levels = Counter("WBBM" if v >= 3.60 else "WBK" if v >= 3.20 else "fail" for v in ikm.values())
    assert levels["WBBM"] >= 3 and levels["WBK"] >= 3 and levels["fail"] >= 3, levels
    ipk_pass = sum(v >= 3.60 for v in ipk.values())
    assert len(ipk) / 2 < ipk_pass < len(ipk)


def test_trends_and_weak_element(rows):
    months = sorted({_month(r) for r in rows})
    def ikm(office_slug, window):
        nama = next(o.nama for o in demo.OFFICES if o.slug == office_slug)
        return _index([r for r in rows if r["Kantor"] == nama and _month(r) in window], "IKM")
    assert ikm("rutan-surabaya", months[-3:]) - ikm("rutan-surabaya", months[:3]) > 0.3
    assert ikm("lapas-jember", months[:3]) - ikm("lapas-jember", months[-3:]) > 0.2
    nrr = {i: sum(int(r[f"IKM{i}"]) for r in rows if r[f"IKM{i}"]) / sum(1 for r in rows if r[f"IKM{i}"])
           for i in range(1, 22)}
    assert sorted(nrr, key=nrr.get)[:2] == [18, 17]


def test_saran_mostly_blank_with_formula_like_entries(rows):
    saran = [r["Saran"] for r in rows]
    filled = [s for s in saran if s]
    assert 0.03 < len(filled) / len(saran) < 0.3
    assert any(s.startswith("=") for s in filled) and any(s.startswith("+") for s in filled)
