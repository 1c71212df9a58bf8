"""The SQL behind the response-integrity signals (issue 11): per office × instrument × period the counts
analytics.domain.integrity judges — all-maximum forms, the most common answer vector, the busiest
10-minute window and its shared vector, out-of-hours forms, double submits, the end-of-month rush.

Periods: each office × instrument × month, its quarter's small months (n < min_n) pooled into one unit
(domain.integrity.assign_units); the months before the window (history.within) are fetched too, as the
jumps' history and the funnels' peers.

What is read (migration 010; issues 12, 14): the counts of every unit from integrity_months (one row per
office × month × instrument, kept current by the import, delete and restore; timed forms and their
days included), the most common vector of a pooled quarter from its few integrity_rows. Bursts and
double submits only for the units examine evaluates (from the first month of the window's quarter on):
from integrity_bursts when it holds the windows of the rules in use (a month's busiest window with the
next month's forms when that month is read too), else from the examined months' integrity_rows plus the
rows just before them that a double submit could pair with. Out-of-hours from the examined months'
timed integrity_rows, shifted by the export/office time-zone settings at query time. History units
carry no burst, double or out-of-hours counts: nothing reads them. Vectors are exact integer codes
(domain.integrity.encode_patterns), decoded only for the units' most common ones.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pyarrow as pa

from analytics import settings, store
from analytics.domain import integrity as rules_mod, periods
from analytics.domain.instruments import Registry, load_registry
from analytics.store import queries


def _history_window(window: queries.Window, rules: rules_mod.Rules) -> queries.Window:
    start = periods.add_months(window.start, -rules.history_within) if window.start else None
    return queries.Window(start, window.end, window.scope)


def monthly_counts(con, window: queries.Window, instruments=None) -> list[tuple]:
    """(office_id, instrument, month, n) for every office × instrument × month in the window."""
    where, params = window.where()
    inst_sql, inst_params = queries._instrument_filter(instruments)
    return con.execute(f"""
        SELECT s.office_id, s.instrument, s.month, CAST(sum(s.n) AS BIGINT) AS n
        FROM pooled_counts s WHERE {where} {inst_sql}
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    """, params + inst_params).fetchall()


def _same(alias: str) -> str:
    """Join condition of a unit-level CTE to `c` on the unit key."""
    return " AND ".join(f"{alias}.{k} = c.{k}" for k in ("office_id", "instrument", "ukind", "ustart"))


def _most_common(patterns: str, count: str, pattern: str) -> str:
    """Per unit the most frequent vector code and its count; among equally frequent vectors the smallest
    code, which is the smallest vector (the codes sort as the vectors do), so both engines name the
    same one. Two groupings, not a row_number() ranking: DuckDB's window over 230 000 pattern counts
    took 2 s of the query at 1M."""
    unit = "office_id, instrument, ukind, ustart"
    return f"""SELECT p.office_id, p.instrument, p.ukind, p.ustart, top.c AS {count}, min(p.pattern) AS {pattern}
                  FROM {patterns} p
                  JOIN (SELECT {unit}, max(c) AS c FROM {patterns} GROUP BY 1, 2, 3, 4) AS top
                    ON top.office_id = p.office_id AND top.instrument = p.instrument AND top.ukind = p.ukind
                   AND top.ustart = p.ustart AND top.c = p.c
                  GROUP BY 1, 2, 3, 4, 5"""


def _rush_terms(last_days: int) -> str:
    """The forms of a month's last `last_days` days from its day_counts (dim = days in the month)."""
    return " + ".join(f"CASE WHEN dim - {i} >= 1 THEN coalesce(day_counts[dim - {i}], 0) ELSE 0 END"
                      for i in range(last_days)) or "0"


def _join_units(units: str, alias: str) -> str:
    return (f"JOIN {units} u ON u.office_id = {alias}.office_id AND u.instrument = {alias}.instrument "
            f"AND u.month = {alias}.month")


def _out_of_hours(rules: rules_mod.Rules, offset: int) -> str:
    """1 for a form outside office hours in the office's local time (the exported time shifted by the
    export/office time-zone settings: read at query time, so a changed setting applies at once)."""
    night = rules.signal("out_of_hours")
    closed = ", ".join(str(int(d)) for d in night["closed_days"]) or "0"
    local = f"(r.response_ts + CAST('{int(offset)} hours' AS INTERVAL))"
    return (f"CASE WHEN extract(hour FROM {local}) >= {int(night['night_from'])} "
            f"OR extract(hour FROM {local}) < {int(night['night_to'])} "
            f"OR extract(isodow FROM {local}) IN ({closed}) THEN 1 ELSE 0 END")


class _Query:
    """The signal query's text and its parameters, in the order the text uses them."""

    def __init__(self):
        self.parts: list[str] = []
        self.params: list = []

    def add(self, text: str, params=()) -> None:
        self.parts.append(text)
        self.params += list(params)


def _counts(q: _Query, units: str, scales: str, f: dict, rules: rules_mod.Rules) -> None:
    """Every unit's counts from integrity_months; the most common vector of a pooled quarter from its
    few integrity_rows (a month unit's is stored)."""
    last_days = int(rules.signal("end_rush")["last_days"])
    q.add(f"""
        WITH months AS (
            SELECT u.office_id, u.instrument, u.ukind, u.ustart, m.n, m.min_counts[sc.scale_max] AS all_max,
                   m.day_counts, m.n_timed, m.active_days, m.modal_count, m.modal_pattern,
                   CAST(extract(day FROM CAST(m.month + INTERVAL '1 month' - INTERVAL '1 day' AS DATE)) AS INTEGER)
                       AS dim
            FROM integrity_months m {_join_units(units, 'm')}
            JOIN {scales} sc ON sc.instrument = m.instrument
            WHERE {f['where_m']} {f['inst_m']}),
        counts AS (
            SELECT office_id, instrument, ukind, ustart, sum(n) AS n, sum(coalesce(all_max, 0)) AS all_max,
                   sum(n_timed) AS n_timed, sum(active_days) AS active_days, sum({_rush_terms(last_days)}) AS rush,
                   sum(n * ({last_days} / CAST(dim AS DOUBLE PRECISION))) / sum(n) AS rush_expected,
                   max(CASE WHEN ukind = 'month' THEN modal_count END) AS month_modal_count,
                   max(CASE WHEN ukind = 'month' THEN modal_pattern END) AS month_modal_pattern
            FROM months GROUP BY 1, 2, 3, 4),
        pooled_patterns AS (    -- every pooled unit is a quarter: grouped on integer keys, no text
            SELECT r.office_id, r.instrument, 'quarter' AS ukind, u.ustart, r.pattern, count(*) AS c
            FROM integrity_rows r {_join_units(f['pooled'], 'r')}
            WHERE {f['where_r']} {f['inst_r']}
            GROUP BY r.office_id, r.instrument, u.ustart, r.pattern),
        pooled_modal AS ({_most_common('pooled_patterns', 'modal_count', 'modal_pattern')}),""",
          f["params_m"] + f["inst"] + f["params_r"] + f["inst"])


def _timing_from_bursts(q: _Query, units: str, f: dict, rules: rules_mod.Rules, offset: int) -> None:
    """Bursts and double submits of the examined units from integrity_bursts (a month's busiest window
    with the next month's forms when the next month is read, without them when the month ends the
    window); out-of-hours counted from the examined months' timed rows."""
    min_count = int(rules.signal("burst_pattern")["min_count"])
    pick = lambda column: f"CASE WHEN {f['with_next']} THEN b.{column}_x ELSE b.{column}_m END"
    q.add(f"""
        night_months AS (       -- counted per month before the join: the join then meets ≤ 1 row a month
            SELECT r.office_id, r.instrument, r.month, sum({_out_of_hours(rules, offset)}) AS out_of_hours
            FROM integrity_rows r
            WHERE r.response_ts IS NOT NULL AND {f['where_r']} {f['inst_r']} {f['examined_r']}
            GROUP BY 1, 2, 3),
        night AS (
            SELECT u.office_id, u.instrument, u.ukind, u.ustart, sum(r.out_of_hours) AS out_of_hours
            FROM night_months r {_join_units(units, 'r')} GROUP BY 1, 2, 3, 4),
        month_bursts AS (
            SELECT u.office_id, u.instrument, u.ukind, u.ustart, {pick('count')} AS burst_count,
                   {pick('start')} AS burst_start, {pick('pattern_count')} AS pattern_count, {pick('pattern')} AS pattern,
                   b.double_pairs, b.double_first
            FROM integrity_bursts b {_join_units(units, 'b')}
            WHERE {f['where_b']} {f['inst_b']} {f['examined_b']}),
        peak AS (SELECT office_id, instrument, ukind, ustart, max(burst_count) AS burst_count,
                        sum(double_pairs) AS double_pairs, min(double_first) AS double_first
                 FROM month_bursts GROUP BY 1, 2, 3, 4),
        busiest AS (SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY office_id, instrument, ukind, ustart
                                                               ORDER BY burst_count DESC, burst_start) AS rank_in_unit
                                   FROM month_bursts) AS ranked WHERE rank_in_unit = 1),
        timing AS (
            SELECT p.office_id, p.instrument, p.ukind, p.ustart, p.burst_count,
                   CASE WHEN p.burst_count >= {min_count} THEN b.burst_start END AS burst_start,
                   CASE WHEN p.burst_count >= {min_count} THEN b.pattern_count ELSE 0 END AS burst_pattern_count,
                   CASE WHEN p.burst_count >= {min_count} THEN b.pattern END AS burst_pattern,
                   p.double_pairs, p.double_first, n.out_of_hours
            FROM peak p JOIN busiest b ON {_same('b').replace('c.', 'p.')}
            LEFT JOIN night n ON {_same('n').replace('c.', 'p.')})""",
          f["params_r"] + f["inst"] + f["examined_params"]                    # night
          + f["with_next_params"] * 4 + f["params_b"] + f["inst"] + f["examined_params"])   # month_bursts


def _timing_from_rows(q: _Query, units: str, f: dict, rules: rules_mod.Rules, offset: int) -> None:
    """Bursts, double submits and out-of-hours of the examined units from integrity_rows, as the
    windows of `rules` define them (the rules file's windows are stored in integrity_bursts)."""
    window_s = int(rules.signal("burst")["window_minutes"]) * 60 - 1             # [t, t + 10 min)
    double_s = int(rules.signal("double_submit")["window_minutes"]) * 60
    q.add(f"""
        base AS (
            SELECT u.office_id, u.instrument, u.ukind, u.ustart, r.response_ts AS ts, r.pattern, r.profile,
                   {_out_of_hours(rules, offset)} AS night
            FROM integrity_rows r {_join_units(units, 'r')}
            WHERE r.response_ts IS NOT NULL AND {f['where_r']} {f['inst_r']} {f['context']}),
        timed AS (
            SELECT office_id, instrument, ukind, ustart, ts, pattern, night,
                   count(*) OVER (PARTITION BY office_id, instrument ORDER BY ts
                                  RANGE BETWEEN CURRENT ROW AND INTERVAL '{window_s} seconds' FOLLOWING) AS in_window,
                   CASE WHEN ts - lag(ts) OVER w <= INTERVAL '{double_s} seconds'
                             AND pattern = lag(pattern) OVER w
                             AND profile = lag(profile) OVER w THEN 1 ELSE 0 END AS is_double
            FROM base
            WINDOW w AS (PARTITION BY office_id, instrument ORDER BY ts)),
        peak AS (SELECT office_id, instrument, ukind, ustart, max(in_window) AS burst_count, sum(is_double) AS double_pairs,
                        min(CASE WHEN is_double = 1 THEN ts END) AS double_first, sum(night) AS out_of_hours
                 FROM timed WHERE {f['examined']} GROUP BY 1, 2, 3, 4),
        burst AS (SELECT t.office_id, t.instrument, t.ukind, t.ustart, p.burst_count, min(t.ts) AS burst_start
                  FROM timed t JOIN peak p ON p.office_id = t.office_id AND p.instrument = t.instrument
                                           AND p.ukind = t.ukind AND p.ustart = t.ustart AND t.in_window = p.burst_count
                  WHERE p.burst_count >= ? GROUP BY 1, 2, 3, 4, 5),
        burst_patterns AS (
            SELECT b.office_id, b.instrument, b.ukind, b.ustart, t.pattern, count(*) AS c
            FROM burst b JOIN timed t ON t.office_id = b.office_id AND t.instrument = b.instrument
                 AND t.ts >= b.burst_start AND t.ts <= b.burst_start + INTERVAL '{window_s} seconds'
            GROUP BY 1, 2, 3, 4, 5),
        burst_modal AS ({_most_common('burst_patterns', 'burst_pattern_count', 'burst_pattern')}),
        timing AS (
            SELECT p.office_id, p.instrument, p.ukind, p.ustart, p.burst_count, b.burst_start,
                   coalesce(bm.burst_pattern_count, 0) AS burst_pattern_count, bm.burst_pattern,
                   p.double_pairs, p.double_first, p.out_of_hours
            FROM peak p
            LEFT JOIN burst b ON {_same('b').replace('c.', 'p.')}
            LEFT JOIN burst_modal bm ON {_same('bm').replace('c.', 'p.')})""",
          f["params_r"] + f["inst"] + f["context_params"] + f["examined_params"]
          + [int(rules.signal("burst_pattern")["min_count"])])


_RESULT = f"""
        SELECT c.office_id, o.name AS office, o.kanwil, c.instrument, c.ukind, c.ustart, c.n, c.all_max,
               coalesce(c.month_modal_count, pm.modal_count) AS modal_count,
               coalesce(c.month_modal_pattern, pm.modal_pattern) AS modal_pattern,
               c.n_timed, c.active_days, t.out_of_hours, c.rush, c.rush_expected,
               coalesce(t.burst_count, 0) AS burst_count, t.burst_start,
               coalesce(t.burst_pattern_count, 0) AS burst_pattern_count, t.burst_pattern,
               coalesce(t.double_pairs, 0) AS double_pairs, t.double_first
        FROM counts c
        LEFT JOIN pooled_modal pm ON {_same('pm')}
        LEFT JOIN timing t ON {_same('t')}
        JOIN offices o ON o.office_id = c.office_id
        ORDER BY o.kanwil NULLS FIRST, o.name, c.instrument, c.ustart, c.ukind"""


def _bursts_stored_for(con, rules: rules_mod.Rules) -> bool:
    """Whether integrity_bursts holds every month for the windows of `rules` (the rules file's, unless a
    caller passes others)."""
    burst_s = int(rules.signal("burst")["window_minutes"]) * 60
    double_s = int(rules.signal("double_submit")["window_minutes"]) * 60
    return store.fetch_one(con, "SELECT count(*) FROM integrity_bursts WHERE burst_seconds <> ? OR double_seconds <> ?",
                           [burst_s, double_s])[0] == 0


def _filters(wide: queries.Window, instruments, timing_from: date | None, rules: rules_mod.Rules) -> dict:
    """The WHERE pieces of the signal query. The time-of-day signals read the examined months only
    (timing_from on: the units examine evaluates); the row path also reads the rows of the month
    before within a double submit's reach of its start — the only earlier rows an examined form can
    pair with (the exported time and the month come from the same value)."""
    f = {}
    for alias in ("m", "r", "b"):
        f[f"where_{alias}"], f[f"params_{alias}"] = wide.where(alias)
        f[f"inst_{alias}"] = f"AND list_contains(?, {alias}.instrument)" if instruments else ""
    f["inst"] = [list(instruments)] if instruments else []
    if timing_from is None:
        f.update(examined="TRUE", examined_r="", examined_b="", examined_params=[], context="", context_params=[])
    else:
        reach = timedelta(minutes=int(rules.signal("double_submit")["window_minutes"]))
        f.update(examined="ustart >= ?", examined_r="AND r.month >= ?", examined_b="AND b.month >= ?",
                 examined_params=[timing_from],
                 context="AND r.month >= ? AND (r.month >= ? OR r.response_ts >= ?)",
                 context_params=[periods.add_months(timing_from, -1), timing_from,
                                 datetime.combine(timing_from, datetime.min.time()) - reach])
    # a month's window counts the next month's forms when the next month is read (it is not the last)
    f["with_next"], f["with_next_params"] = ("b.month < ?", [wide.end]) if wide.end else ("TRUE", [])
    return f


_UNITS = pa.schema([("office_id", pa.int32()), ("instrument", pa.string()), ("month", pa.date32()),
                    ("ukind", pa.string()), ("ustart", pa.date32())])


def _arrow(units: pd.DataFrame) -> pa.Table:
    """Units as Arrow with fixed types (an empty frame too), which DuckDB scans faster than pandas objects."""
    return pa.Table.from_pandas(units, schema=_UNITS, preserve_index=False)


def unit_inputs(con, window: queries.Window = queries.Window(), rules: rules_mod.Rules | None = None,
                registry: Registry | None = None, instruments=None) -> list[rules_mod.UnitInputs]:
    """The counts of every office × instrument × period unit in the window and in the history months
    before it (offices in window.scope). Bursts, double submits and out-of-hours only for the units
    examine evaluates (from the first month of the window's quarter on); the earlier units serve as
    history and peers."""
    rules = rules or rules_mod.load_rules()
    registry = registry or load_registry()
    wide = _history_window(window, rules)
    monthly = monthly_counts(con, wide, instruments)
    if not monthly:
        return []
    assigned = rules_mod.assign_units(monthly, rules.min_n)
    units = pd.DataFrame([(o, i, m, kind, start) for (o, i, m), (kind, start) in assigned.items()],
                         columns=["office_id", "instrument", "month", "ukind", "ustart"])
    months_of: dict[tuple, list[date]] = {}
    for (o, i, m), (kind, start) in assigned.items():
        months_of.setdefault((o, i, kind, start), []).append(m)
    scales = pd.DataFrame([(i.id, i.scale_max) for i in registry.instruments.values()],
                          columns=["instrument", "scale_max"])
    timing_from = periods.bucket("quarter", window.start)[0] if window.start else None
    f = _filters(wide, instruments, timing_from, rules)
    offset = rules_mod.local_offset_hours(settings.get("export_tz"), settings.get("office_tz"))
    pooled = units[units["ukind"] != "month"]
    with store.registered(con, _arrow(units)) as u, store.registered(con, _arrow(pooled)) as f["pooled"], \
            store.registered(con, scales) as sc:
        q = _Query()
        _counts(q, u, sc, f, rules)
        if _bursts_stored_for(con, rules):
            _timing_from_bursts(q, u, f, rules, offset)
        else:
            _timing_from_rows(q, u, f, rules, offset)
        q.add(_RESULT)
        rows = con.execute("".join(q.parts), q.params).fetchall()
    percent = _month_percent(con, wide, instruments, registry)
    out = []
    for (office_id, office, kanwil, instrument, kind, ustart, n, all_max, modal_count, modal_pattern, n_timed,
         active_days, out_of_hours, rush, rush_expected, burst_count, burst_start, burst_pattern_count,
         burst_pattern, double_pairs, double_first) in rows:
        months = tuple(sorted(months_of[(office_id, instrument, kind, ustart)]))
        out.append(rules_mod.UnitInputs(
            office_id=int(office_id), office=office, kanwil=kanwil, instrument=instrument, kind=kind,
            start=ustart, months=months, n=int(n), all_max=int(all_max), modal_count=int(modal_count),
            modal_pattern=rules_mod.decode_pattern(modal_pattern),
            percent=percent.get((int(office_id), instrument, ustart)) if kind == "month" else None,
            n_timed=int(n_timed), active_days=int(active_days), out_of_hours=int(out_of_hours or 0),
            rush=int(rush or 0), rush_expected=float(rush_expected or 0.0), burst_count=int(burst_count),
            burst_start=burst_start, burst_pattern_count=int(burst_pattern_count),
            burst_pattern=rules_mod.decode_pattern(burst_pattern),
            double_pairs=int(double_pairs), double_first=double_first))
    return out


def _month_percent(con, window, instruments, registry) -> dict[tuple[int, str, date], float]:
    """(office_id, instrument, month) → index as percent of the scale maximum (the dashboard's index)."""
    frame = queries.indices(con, by="office", period="month", window=window, instruments=instruments,
                            registry=registry)
    months = {p: periods.parse_month(p) for p in frame["period"].unique().tolist()}
    columns = (frame[c].tolist() for c in ("unit", "instrument", "period", "percent"))
    return {(int(u), i, months[p]): float(v) for u, i, p, v in zip(*columns)}


def examine(con, window: queries.Window = queries.Window(), rules: rules_mod.Rules | None = None,
            registry: Registry | None = None, instruments=None) -> list[rules_mod.Result]:
    """The signals of every unit of the window (history and peers fetched as needed)."""
    rules = rules or rules_mod.load_rules()
    units = unit_inputs(con, window, rules, registry, instruments)
    start = periods.bucket("quarter", window.start)[0] if window.start else None
    results = rules_mod.evaluate(units, rules, start)
    return [r for r in results if window.start is None or max(r.unit.months) >= window.start]
