"""Integrity signals end to end: CSV exports with times of day → import → store SQL → CLI JSON, and the
store's counts checked against tests/integrity_sim.py's plain-numpy reference on the same answers."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

import numpy as np
import pytest

from analytics import cli, store
from analytics.domain import integrity as rules_mod
from analytics.store import integrity, offices, queries
from analytics.ingest import importer
from tests.conftest import ENGINES, store_target


def ingest_bytes(con, content: bytes, name: str):
    return importer.ingest(con, content, name, importer.ImportOptions(today=date(2026, 11, 21)))

KANWIL = "Kanwil Uji Integritas"
OFFICES = [f"Lapas Uji {i}" for i in range(1, 7)]
MONTHS = [datetime(2025, m, 1) for m in range(7, 13)] + [datetime(2026, 1, 1)]
HEADER = ["ID Responden", "Tanggal", "Kantor", "Jenis Kelamin"] + [f"IPK{i}" for i in range(1, 9)]


def _export(rows, with_time=True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for rid, moment, office, gender, scores in rows:
        writer.writerow([rid, moment.strftime("%Y-%m-%d %H:%M:%S" if with_time else "%Y-%m-%d"), office, gender,
                         *scores])
    return out.getvalue().encode("utf-8")


def _honest_rows(rng, office_no: int, office: str):
    rows = []
    lenient = rng.normal(0, 0.3)
    for month in MONTHS:
        for i in range(int(rng.integers(40, 60))):
            day = int(rng.integers(1, 28))
            moment = month.replace(day=day) + timedelta(hours=int(rng.integers(8, 15)), minutes=int(rng.integers(0, 60)),
                                                        seconds=int(rng.integers(0, 60)))
            if moment.isoweekday() == 7:                                  # offices are closed on Sunday
                moment += timedelta(days=1)
            level = 3.1 + lenient + rng.normal(0, 0.5)
            scores = np.clip(np.rint(level + rng.normal(0, 0.5, 8)), 1, 4).astype(int).tolist()
            rows.append((f"{office_no}-{month:%Y%m}-{i}", moment, office, "L" if rng.random() < 0.55 else "P", scores))
    return rows


@pytest.fixture(params=ENGINES)
def db(tmp_path, request):
    """The store on both engines: the signals' SQL is one text for DuckDB and PostgreSQL."""
    path = store_target(request.param, tmp_path)
    con = store.connect(path)
    for name in OFFICES + ["Rutan Tanpa Jam"]:
        offices.add_office(con, name, KANWIL)
    rng = np.random.default_rng(7)
    for number, office in enumerate(OFFICES, start=1):
        rows = _honest_rows(rng, number, office)
        if office == "Lapas Uji 1":       # 25 identical all-maximum forms on 14 January, 13:05–13:12
            start = datetime(2026, 1, 14, 13, 5)
            rows += [(f"burst-{i}", start + timedelta(seconds=17 * i), office, "L", [4] * 8) for i in range(25)]
        assert ingest_bytes(con, _export(rows), f"{office}.csv").status == "imported"
    dated = _honest_rows(rng, 9, "Rutan Tanpa Jam")                     # an export with dates only
    assert ingest_bytes(con, _export(dated, with_time=False), "tanpa-jam.csv").status == "imported"
    con.close()
    return path


def test_cli_json_flags_the_burst_with_its_evidence(db, capsys):
    assert cli.main(["integrity", "--db", db, "--kanwil", KANWIL, "--from", "2026-01", "--to", "2026-01",
                     "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["period"] for r in records} == {"2026-01"}
    assert {r["office"] for r in records} == set(OFFICES) | {"Rutan Tanpa Jam"}
    assert all(set(r) >= {"office", "kanwil", "instrument", "period", "n", "signals"} for r in records)
    burst = next(r for r in records if r["office"] == "Lapas Uji 1")
    assert burst["kanwil"] == KANWIL and burst["instrument"] == "ipk" and burst["clarify"] is True
    fired = {s["id"]: s for s in burst["signals"]}
    assert {"burst", "burst_pattern"} <= set(fired)
    assert all(set(s) == {"id", "value", "threshold", "evidence"} for s in burst["signals"])
    assert fired["burst"]["value"] >= 25 and fired["burst"]["threshold"] >= 20
    assert fired["burst"]["evidence"]["start"] == "2026-01-14 13:05"
    assert fired["burst_pattern"]["evidence"]["pattern"] == "4 4 4 4 4 4 4 4"
    assert fired["burst_pattern"]["evidence"]["count"] >= 25
    quiet = [r for r in records if r["office"] != "Lapas Uji 1"]
    assert not any(r["clarify"] for r in quiet)
    no_time = next(r for r in records if r["office"] == "Rutan Tanpa Jam")
    assert {"burst", "burst_pattern", "out_of_hours", "double_submit"} <= set(no_time["unavailable"])
    assert cli.main(["integrity", "--db", db, "--office", "Lapas Uji 1", "--from", "2026-01",
                     "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == '"office","kanwil","instrument","period","n","clarify","signals","evidence"' and len(lines) == 2
    assert "burst" in lines[1] and "13:05" in lines[1]
    assert cli.main(["integrity", "--db", db, "--office", "Tidak Ada"]) == 2


def test_store_counts_equal_a_plain_python_count(db):
    con = store.connect(db, read_only=True)
    try:
        units = {(u.office, u.start.strftime("%Y-%m")): u for u in integrity.unit_inputs(con)}
        rows = con.execute("""
            SELECT o.name, r.response_ts, a.scores FROM answer_rows a
            JOIN respondents r USING (respondent_id) JOIN offices o ON o.office_id = r.office_id
            WHERE o.name = 'Lapas Uji 1' AND r.month = DATE '2026-01-01' ORDER BY r.response_ts""").fetchall()
    finally:
        con.close()
    u = units[("Lapas Uji 1", "2026-01")]
    vectors = [tuple(s) for _, _, s in rows]
    assert u.n == len(rows) and u.all_max == sum(all(v == 4 for v in s) for s in vectors)
    assert u.modal_count == max(vectors.count(v) for v in set(vectors)) and u.modal_pattern == (4,) * 8
    times = [ts for _, ts, _ in rows]
    most = max(sum(1 for other in times if t <= other < t + timedelta(minutes=10)) for t in times)
    assert u.burst_count == most >= 25 and u.burst_start == datetime(2026, 1, 14, 13, 5)
    assert u.n_timed == u.n and u.active_days == len({t.date() for t in times})
    assert units[("Rutan Tanpa Jam", "2026-01")].n_timed == 0


def test_out_of_hours_reads_the_export_time_zone(db, monkeypatch):
    con = store.connect(db, read_only=True)
    try:
        wib = {u.office: u.out_of_hours for u in integrity.unit_inputs(con, queries.Window(MONTHS[-1].date()))
               if u.start == MONTHS[-1].date()}
        monkeypatch.setenv("DASBOR_EXPORT_TZ", "UTC")       # 08:00–14:59 UTC is 15:00–21:59 WIB: in hours
        monkeypatch.setenv("DASBOR_OFFICE_TZ", "WIT")       # … and 17:00–23:59 WIT: partly at night
        shifted = {u.office: u.out_of_hours for u in integrity.unit_inputs(con, queries.Window(MONTHS[-1].date()))
                   if u.start == MONTHS[-1].date()}
    finally:
        con.close()
    assert wib["Lapas Uji 2"] == 0 < shifted["Lapas Uji 2"]
    assert rules_mod.local_offset_hours("UTC", "WIT") == 9
