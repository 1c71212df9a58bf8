"""Migration 010: the integrity signals read integrity_rows / integrity_months instead of re-joining every
answer vector. The signals must be exactly those of the query before it (tests/integrity_reference_sql.py)
on a store with bursts, double submits (one across a month boundary), blanks, small pooled months, an
export without times, night forms and an end-of-month rush — for several windows, scopes and instrument
filters, on both engines; the tables the import writes must equal the migration's backfill."""
from __future__ import annotations

import csv
import dataclasses
import io
import re
from datetime import date, datetime, timedelta
from itertools import product

import numpy as np
import pytest

from analytics import store
from analytics.domain import integrity as rules_mod
from analytics.ingest import importer
from analytics.store import integrity, offices, queries
from tests.conftest import ENGINES, store_target
from tests.integrity_reference_sql import old_examine
from analytics.store import trash
from tests.test_importer import _integrity_rebuilt, _integrity_rows, _pooled, _rebuilt

KANWIL, OTHER = "Kanwil Uji Pola", "Kanwil Lain"
OFFICES = [f"Lapas Pola {i}" for i in range(1, 7)]
HEADER = (["ID Responden", "Tanggal", "Kantor", "Jenis Kelamin", "Pendidikan"] + [f"IPK{i}" for i in range(1, 9)]
          + [f"IKM{i:02d}" for i in range(1, 22)])
MONTHS = [date(2025, m, 1) for m in range(7, 13)] + [date(2026, 1, 1), date(2026, 2, 1)]


def _export(rows, with_time=True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for rid, moment, office, gender, school, ipk, ikm in rows:
        cells = ["" if v is None else v for v in list(ipk) + list(ikm)]
        writer.writerow([rid, moment.strftime("%Y-%m-%d %H:%M:%S" if with_time else "%Y-%m-%d"), office, gender,
                         school, *cells])
    return out.getvalue().encode("utf-8")


def _vector(rng, k, level, blanks=0.08):
    scores = np.clip(np.rint(level + rng.normal(0, 0.6, k)), 1, 4).astype(int).tolist()
    out = [None if rng.random() < blanks else s for s in scores]
    return out if any(v is not None for v in out) else scores


def _rows(rng, number: int, office: str):
    """An office's forms: every one at its own second (ties in time would leave the old query's pair order
    to the engine), 8–60 a month (small months are pooled into their quarter)."""
    rows, used = [], set()
    small = number == 2
    for month in MONTHS:
        days = (date(month.year + month.month // 12, month.month % 12 + 1, 1) - month).days
        for i in range(int(rng.integers(8, 20) if small else rng.integers(35, 60))):
            while True:
                day = int(rng.integers(1, days + 1))
                if number == 5 and rng.random() < 0.7:          # the end-of-month rush
                    day = days - int(rng.integers(0, 3))
                hour = int(rng.integers(22, 24)) if number == 4 and rng.random() < 0.5 else int(rng.integers(8, 15))
                moment = datetime(month.year, month.month, day, hour, int(rng.integers(0, 60)), int(rng.integers(0, 60)))
                if moment not in used:
                    break
            used.add(moment)
            ipk = _vector(rng, 8, 3.1)
            ikm = _vector(rng, 21, 3.0) if rng.random() < 0.8 else [None] * 21     # some answer IPK only
            rows.append((f"{number}-{month:%Y%m}-{i}", moment, office, "L" if rng.random() < 0.5 else "P",
                         "SMA" if rng.random() < 0.5 else "", ipk, ikm))
    if number == 1:          # a burst of 25 identical all-maximum forms, a double across Dec → Jan
        start = datetime(2026, 1, 14, 13, 5, 1)
        rows += [(f"b-{i}", start + timedelta(seconds=17 * i), office, "L", "SMA", [4] * 8, [4] * 21)
                 for i in range(25)]
        same = ([3, None, 3, 3, 2, 3, 3, 3], [3] * 21)
        rows += [("x-1", datetime(2025, 12, 31, 23, 59, 20), office, "P", "", *same),
                 ("x-2", datetime(2026, 1, 1, 0, 0, 40), office, "P", "", *same)]
    if number == 3:          # double submits in November (pairs 1 minute apart), a burst over New Year
        for j in range(5):
            at = datetime(2025, 11, 3 + j, 10, 0, 7)
            vec = _vector(rng, 8, 3.0, blanks=0)
            rows += [(f"d-{j}-{k}", at + timedelta(seconds=60 * k), office, "L", "SMA", vec, [2] * 21)
                     for k in range(2)]
        start = datetime(2025, 12, 31, 23, 55, 3)
        rows += [(f"n-{i}", start + timedelta(seconds=29 * i), office, "P", "SMA", [4, 4, 4, 4, 4, 4, 4, 3],
                  [None] * 21) for i in range(20)]
    return rows


@pytest.fixture(scope="module", params=ENGINES)
def db(request, tmp_path_factory):
    path = store_target(request.param, tmp_path_factory.mktemp("pola"))
    con = store.connect(path)
    for name in OFFICES:
        offices.add_office(con, name, KANWIL)
    offices.add_office(con, "Rutan Tanpa Jam", KANWIL)
    offices.add_office(con, "Lapas Seberang", OTHER)
    rng = np.random.default_rng(11)
    options = importer.ImportOptions(today=date(2026, 11, 21))
    for number, office in enumerate(OFFICES, start=1):
        assert importer.ingest(con, _export(_rows(rng, number, office)), f"{office}.csv", options).status == "imported"
    dated = _rows(rng, 7, "Rutan Tanpa Jam")
    assert importer.ingest(con, _export(dated, with_time=False), "tanpa-jam.csv", options).status == "imported"
    assert importer.ingest(con, _export(_rows(rng, 8, "Lapas Seberang")), "seberang.csv", options).status == "imported"
    yield con
    con.close()


def _plain(value):
    """A result as plain data, floats to 9 significant digits: rush_expected is a float average whose
    last bits depend on the order the engine sums in (the old query's own value is not reproducible)."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return float(f"{value:.9g}")
    return value


WINDOWS = [(None, None), (date(2026, 1, 1), date(2026, 1, 1)), (date(2025, 12, 1), date(2025, 12, 1)),
           (date(2025, 10, 1), date(2025, 12, 1)), (date(2025, 11, 1), date(2026, 2, 1)),
           (date(2026, 2, 1), None)]


def _other_windows(rules: rules_mod.Rules) -> rules_mod.Rules:
    """The rules with a 15-minute burst window and 3-minute double submits: integrity_bursts holds the
    rules file's 10 and 2 minutes, so the signal query computes these from integrity_rows."""
    signals = dict(rules.signals)
    for signal_id, minutes in (("burst", 15), ("double_submit", 3)):
        signals[signal_id] = dataclasses.replace(signals[signal_id],
                                                 params={**signals[signal_id].params, "window_minutes": minutes})
    return dataclasses.replace(rules, signals=signals)


@pytest.mark.parametrize("stored", [True, False], ids=["bursts-stored", "bursts-from-rows"])
@pytest.mark.parametrize("span", WINDOWS, ids=lambda s: f"{s[0]}..{s[1]}")
def test_examine_equals_the_query_before_migration_010(db, span, stored):
    rules = rules_mod.load_rules() if stored else _other_windows(rules_mod.load_rules())
    assert integrity._bursts_stored_for(db, rules) is stored
    ids = {name: oid for oid, name in db.execute("SELECT office_id, name FROM offices").fetchall()}
    scopes = [None, (ids["Lapas Pola 1"], ids["Lapas Pola 3"], ids["Rutan Tanpa Jam"]), ()]
    checked = 0
    for scope, instruments in product(scopes, [None, ["ipk"], ["ikm", "ipk"], ["ikm"]]):
        window = queries.Window(span[0], span[1], scope)
        new = integrity.examine(db, window, rules, instruments=instruments)
        assert _plain(new) == _plain(old_examine(db, window, rules, instruments=instruments)), (scope, instruments)
        checked += len(new)
    assert checked >= 30


def test_the_crafted_store_exercises_every_count(db):
    """The comparison above means something only if the store holds what it is meant to."""
    results = integrity.examine(db, queries.Window(date(2025, 10, 1), date(2026, 1, 1)))
    by = {(r.unit.office, r.unit.instrument, r.unit.start): r.unit for r in results}
    burst = by[("Lapas Pola 1", "ipk", date(2026, 1, 1))]
    assert burst.burst_count >= 25 and burst.burst_pattern == (4,) * 8 and burst.double_pairs >= 1
    assert burst.double_first == datetime(2026, 1, 1, 0, 0, 40)          # paired with a December form
    assert by[("Lapas Pola 3", "ipk", date(2025, 11, 1))].double_pairs >= 5
    assert by[("Lapas Pola 3", "ipk", date(2025, 12, 1))].burst_count >= 10      # runs into January
    assert {u.kind for (o, _, _), u in by.items() if o == "Lapas Pola 2"} == {"quarter"}
    assert any(None in (u.modal_pattern or ()) for u in by.values())
    assert by[("Lapas Pola 4", "ipk", date(2025, 12, 1))].out_of_hours > 0
    assert by[("Lapas Pola 5", "ipk", date(2025, 12, 1))].rush > 0
    assert by[("Rutan Tanpa Jam", "ipk", date(2025, 12, 1))].n_timed == 0


def test_the_tables_equal_the_migration_backfill(db):
    """What the import wrote equals what migration 010 computes from answer_rows × respondents (on an
    existing store) and a plain-Python rebuild."""
    rows, months = _integrity_rows(db), db.execute(
        "SELECT office_id, month, instrument, n, min_counts, day_counts, n_timed, active_days, modal_count, "
        "modal_pattern FROM integrity_months ORDER BY 1, 2, 3").fetchall()
    rebuilt_rows, rebuilt_months = _integrity_rebuilt(db)
    assert rows == rebuilt_rows and [(*m[:4], list(m[4]), list(m[5]), *m[6:]) for m in months] == rebuilt_months
    folder = store.MIGRATIONS_DIR
    path = folder / store.dialect(db) / "010_integrity_rows.sql"
    sql = (path if path.exists() else folder / "010_integrity_rows.sql").read_text(encoding="utf-8")
    inserts = [s for s in re.split(r";\s*\n", re.sub(r"--[^\n]*", "", sql)) if s.strip().startswith("INSERT")]
    assert len(inserts) == 4
    bursts = db.execute("SELECT * FROM integrity_bursts ORDER BY 1, 2, 3").fetchall()
    assert bursts
    with store.transaction(db):                     # undone at the end: the module's store stays as imported
        db.execute("DELETE FROM integrity_rows")
        db.execute("DELETE FROM integrity_months")
        db.execute("DELETE FROM integrity_bursts")
        for statement in inserts:
            db.execute(statement)
        assert _integrity_rows(db) == rows
        assert db.execute("SELECT office_id, month, instrument, n, min_counts, day_counts, n_timed, active_days, "
                          "modal_count, modal_pattern FROM integrity_months ORDER BY 1, 2, 3").fetchall() == months
        assert db.execute("SELECT * FROM integrity_bursts ORDER BY 1, 2, 3").fetchall() == bursts
        raise store.Rollback()
    assert _integrity_rows(db) == rows


def test_pattern_codes_are_exact_and_sort_as_the_vectors():
    rng = np.random.default_rng(3)
    scores = rng.integers(1, 7, size=(400, 21)).astype(np.uint8)
    blank = rng.random((400, 21)) < 0.2
    codes = rules_mod.encode_patterns(scores, blank)
    vectors = [tuple(None if b else int(s) for s, b in zip(row, mask)) for row, mask in zip(scores, blank)]
    assert [rules_mod.decode_pattern(c) for c in codes] == vectors
    key = lambda v: [7 if x is None else x for x in v]                 # a blank sorts above every score
    assert sorted(range(400), key=lambda i: codes[i]) == sorted(range(400), key=lambda i: key(vectors[i]))
    short = rules_mod.encode_patterns(np.array([[4, 4]], np.uint8), np.zeros((1, 2), bool))[0]
    longer = rules_mod.encode_patterns(np.array([[4, 4, 1]], np.uint8), np.zeros((1, 3), bool))[0]
    assert short < longer and rules_mod.decode_pattern(short) == (4, 4)


def test_an_instrument_whose_vectors_have_no_code_is_refused():
    from analytics.domain.instruments import _instrument
    doc = {"id": "besar", "name": "Besar", "role": "service", "scale": {"min": 1, "max": 10},
           "items": [{"number": 1, "code": "B1", "statement": "x"}]}
    with pytest.raises(ValueError, match="1–6"):
        _instrument(doc)
    assert rules_mod.pattern_fits(1, 6, 21) and not rules_mod.pattern_fits(1, 4, 22)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_tables_equal_a_rebuild_through_imports_deletes_and_restores(tmp_path, engine):
    """Two files of one office that meet at the turn of the year (December's busiest window runs into
    January's forms, January's first double submit pairs with a December form): deleting or restoring
    either changes the other's months, and every table equals a rebuild after each step."""
    con = store.connect(store_target(engine, tmp_path))
    offices.add_office(con, OFFICES[0], KANWIL)
    offices.add_office(con, OFFICES[2], KANWIL)
    rows = _rows(np.random.default_rng(5), 1, OFFICES[0]) + _rows(np.random.default_rng(6), 3, OFFICES[2])
    early = [r for r in rows if r[1] < datetime(2026, 1, 1)]
    late = [r for r in rows if r[1] >= datetime(2026, 1, 1)]
    options = importer.ImportOptions(today=date(2026, 11, 21))
    first = importer.ingest(con, _export(early), "tahun-lalu.csv", options)
    second = importer.ingest(con, _export(late), "januari.csv", options)
    assert (first.status, second.status) == ("imported", "imported")
    full = _pooled(con)
    assert full == _rebuilt(con) and full[-1]
    december = lambda: {(m, i): (cx, cm) for _, m, i, _, _, cx, _, _, _, cm, *_ in _pooled(con)[-1]
                        if m == date(2025, 12, 1)}
    with_january = december()
    assert any(cx > cm for cx, cm in with_january.values())          # the window over New Year
    store.delete_batch(con, second.batch_id)
    assert _pooled(con) == _rebuilt(con)
    assert december() and all(cx == cm for cx, cm in december().values())   # January gone: nothing to run into
    trash.restore(con, second.batch_id)
    assert _pooled(con) == full
    store.delete_batch(con, first.batch_id)
    assert _pooled(con) == _rebuilt(con) and not december()
    trash.restore(con, first.batch_id)
    assert _pooled(con) == full
    con.close()
