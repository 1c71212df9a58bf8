"""The SQL behind the response-integrity signals (issue 11): per office × instrument × period the counts
analytics.domain.integrity judges — all-maximum forms, the most common answer vector, the busiest
10-minute window and its shared vector, out-of-hours forms, double submits, the end-of-month rush.

Periods: each office × instrument × month, its quarter's small months (n < min_n) pooled into one unit
(domain.integrity.assign_units); the months before the window (history.within) are fetched too, as the
jumps' history and the funnels' peers.

What is read (migration 010; issues 12, 14): the counts of every unit from integrity_months (one row per
office × month × instrument, kept current by the import, delete and restore), the most common vector of a
pooled quarter from its few integrity_rows; the time-of-day signals (bursts, double submits,
out-of-hours, which depend on the rules and on the export/office time-zone settings) from integrity_rows
of the examined months only — the units whose signals are evaluated, from the first month of the
window's quarter on, plus the rows just before them that a double submit could pair with. History
units carry no time-of-day counts (n_timed 0): nothing reads them. Vectors are exact integer codes
(domain.integrity.encode_patterns), decoded only for the units' most common ones.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

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
    same one."""
    return f"""SELECT office_id, instrument, ukind, ustart, c AS {count}, pattern AS {pattern}
                  FROM (SELECT *, row_number() OVER (PARTITION BY office_id, instrument, ukind, ustart
                                                     ORDER BY c DESC, pattern) AS rank_in_unit
                        FROM {patterns}) AS ranked
                  WHERE rank_in_unit = 1"""


def _rush_terms(last_days: int) -> str:
    """The forms of a month's last `last_days` days from its day_counts (dim = days in the month)."""
    return " + ".join(f"CASE WHEN dim - {i} >= 1 THEN coalesce(day_counts[dim - {i}], 0) ELSE 0 END"
                      for i in range(last_days)) or "0"


def _sql(units: str, scales: str, where_m: str, where_r: str, inst_m: str, inst_r: str, timing: str,
         examined: str, rules: rules_mod.Rules, offset: int) -> str:
    burst, night = rules.signal("burst"), rules.signal("out_of_hours")
    double, rush = rules.signal("double_submit"), rules.signal("end_rush")
    window_s = int(burst["window_minutes"]) * 60 - 1             # [t, t + 10 min)
    double_s = int(double["window_minutes"]) * 60
    closed = ", ".join(str(int(d)) for d in night["closed_days"]) or "0"
    local = f"(ts + CAST('{int(offset)} hours' AS INTERVAL))"
    last_days = int(rush["last_days"])
    return f"""
        WITH months AS (
            SELECT u.office_id, u.instrument, u.ukind, u.ustart, m.n, m.min_counts[sc.scale_max] AS all_max,
                   m.day_counts, m.modal_count, m.modal_pattern,
                   CAST(extract(day FROM CAST(m.month + INTERVAL '1 month' - INTERVAL '1 day' AS DATE)) AS INTEGER)
                       AS dim
            FROM integrity_months m
            JOIN {units} u ON u.office_id = m.office_id AND u.instrument = m.instrument AND u.month = m.month
            JOIN {scales} sc ON sc.instrument = m.instrument
            WHERE {where_m} {inst_m}),
        counts AS (
            SELECT office_id, instrument, ukind, ustart, sum(n) AS n, sum(coalesce(all_max, 0)) AS all_max,
                   sum({_rush_terms(last_days)}) AS rush,
                   sum(n * ({last_days} / CAST(dim AS DOUBLE PRECISION))) / sum(n) AS rush_expected,
                   max(CASE WHEN ukind = 'month' THEN modal_count END) AS month_modal_count,
                   max(CASE WHEN ukind = 'month' THEN modal_pattern END) AS month_modal_pattern
            FROM months GROUP BY 1, 2, 3, 4),
        pooled_patterns AS (
            SELECT u.office_id, u.instrument, u.ukind, u.ustart, r.pattern, count(*) AS c
            FROM integrity_rows r
            JOIN {units} u ON u.office_id = r.office_id AND u.instrument = r.instrument AND u.month = r.month
            WHERE u.ukind <> 'month' AND {where_r} {inst_r}
            GROUP BY 1, 2, 3, 4, 5),
        pooled_modal AS ({_most_common('pooled_patterns', 'modal_count', 'modal_pattern')}),
        base AS (
            SELECT u.office_id, u.instrument, u.ukind, u.ustart, r.response_date, r.response_ts AS ts, r.pattern,
                   r.profile
            FROM integrity_rows r
            JOIN {units} u ON u.office_id = r.office_id AND u.instrument = r.instrument AND u.month = r.month
            WHERE r.response_ts IS NOT NULL AND {where_r} {inst_r} {timing}),
        timed AS (
            SELECT office_id, instrument, ukind, ustart, response_date, ts, pattern,
                   count(*) OVER (PARTITION BY office_id, instrument ORDER BY ts
                                  RANGE BETWEEN CURRENT ROW AND INTERVAL '{window_s} seconds' FOLLOWING) AS in_window,
                   CASE WHEN ts - lag(ts) OVER w <= INTERVAL '{double_s} seconds'
                             AND pattern = lag(pattern) OVER w
                             AND profile = lag(profile) OVER w THEN 1 ELSE 0 END AS is_double
            FROM base
            WINDOW w AS (PARTITION BY office_id, instrument ORDER BY ts)),
        peak AS (SELECT office_id, instrument, ukind, ustart, max(in_window) AS burst_count, sum(is_double) AS double_pairs,
                        min(CASE WHEN is_double = 1 THEN ts END) AS double_first, count(*) AS n_timed,
                        count(DISTINCT response_date) AS active_days,
                        sum(CASE WHEN extract(hour FROM {local}) >= {int(night['night_from'])}
                                      OR extract(hour FROM {local}) < {int(night['night_to'])}
                                      OR extract(isodow FROM {local}) IN ({closed})
                            THEN 1 ELSE 0 END) AS out_of_hours
                 FROM timed WHERE {examined} GROUP BY 1, 2, 3, 4),
        burst AS (SELECT t.office_id, t.instrument, t.ukind, t.ustart, p.burst_count, min(t.ts) AS burst_start
                  FROM timed t JOIN peak p ON p.office_id = t.office_id AND p.instrument = t.instrument
                                           AND p.ukind = t.ukind AND p.ustart = t.ustart AND t.in_window = p.burst_count
                  WHERE p.burst_count >= ? GROUP BY 1, 2, 3, 4, 5),
        burst_patterns AS (
            SELECT b.office_id, b.instrument, b.ukind, b.ustart, t.pattern, count(*) AS c
            FROM burst b JOIN timed t ON t.office_id = b.office_id AND t.instrument = b.instrument
                 AND t.ts >= b.burst_start AND t.ts <= b.burst_start + INTERVAL '{window_s} seconds'
            GROUP BY 1, 2, 3, 4, 5),
        burst_modal AS ({_most_common('burst_patterns', 'burst_pattern_count', 'burst_pattern')})
        SELECT c.office_id, o.name AS office, o.kanwil, c.instrument, c.ukind, c.ustart, c.n, c.all_max,
               coalesce(c.month_modal_count, pm.modal_count) AS modal_count,
               coalesce(c.month_modal_pattern, pm.modal_pattern) AS modal_pattern,
               coalesce(p.n_timed, 0) AS n_timed, coalesce(p.active_days, 0) AS active_days,
               p.out_of_hours, c.rush, c.rush_expected,
               coalesce(p.burst_count, 0) AS burst_count, b.burst_start,
               coalesce(bm.burst_pattern_count, 0) AS burst_pattern_count, bm.burst_pattern,
               coalesce(p.double_pairs, 0) AS double_pairs, p.double_first
        FROM counts c
        LEFT JOIN pooled_modal pm ON {_same('pm')}
        LEFT JOIN peak p ON {_same('p')}
        LEFT JOIN burst b ON {_same('b')}
        LEFT JOIN burst_modal bm ON {_same('bm')}
        JOIN offices o ON o.office_id = c.office_id
        ORDER BY o.kanwil NULLS FIRST, o.name, c.instrument, c.ustart, c.ukind"""


def _timing_filter(timing_from: date | None, rules: rules_mod.Rules) -> tuple[str, list, str, list]:
    """Which timed rows the time-of-day signals read: those of the examined months (from timing_from on),
    and the rows of the month before within a double submit's reach of its start — the only earlier rows
    a double submit of an examined row can pair with (the exported time and the month agree: both come
    from the same value). Then the units whose counts are kept: the examined ones."""
    if timing_from is None:
        return "", [], "TRUE", []
    reach = timedelta(minutes=int(rules.signal("double_submit")["window_minutes"]))
    cutoff = datetime.combine(timing_from, datetime.min.time()) - reach
    return ("AND r.month >= ? AND (r.month >= ? OR r.response_ts >= ?)",
            [periods.add_months(timing_from, -1), timing_from, cutoff], "ustart >= ?", [timing_from])


def unit_inputs(con, window: queries.Window = queries.Window(), rules: rules_mod.Rules | None = None,
                registry: Registry | None = None, instruments=None) -> list[rules_mod.UnitInputs]:
    """The counts of every office × instrument × period unit in the window and in the history months
    before it (offices in window.scope). Time-of-day counts only for the units examine evaluates (from
    the first month of the window's quarter on); the earlier units serve as history and peers."""
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
    where_m, params_m = wide.where("m")
    where_r, params_r = wide.where("r")
    inst = [list(instruments)] if instruments else []
    inst_m, inst_r = (("AND list_contains(?, m.instrument)", "AND list_contains(?, r.instrument)") if instruments
                      else ("", ""))
    timing_from = periods.bucket("quarter", window.start)[0] if window.start else None
    timing, timing_params, examined, examined_params = _timing_filter(timing_from, rules)
    offset = rules_mod.local_offset_hours(settings.get("export_tz"), settings.get("office_tz"))
    params = (params_m + inst + params_r + inst + params_r + inst + timing_params + examined_params
              + [int(rules.signal("burst_pattern")["min_count"])])
    with store.registered(con, units) as u, store.registered(con, scales) as sc:
        rows = con.execute(_sql(u, sc, where_m, where_r, inst_m, inst_r, timing, examined, rules, offset),
                           params).fetchall()
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
