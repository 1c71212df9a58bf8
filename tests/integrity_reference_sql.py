"""The integrity signals' SQL as it was before migration 010 (answer_rows × respondents, lists grouped
per unit), kept here only as the reference tests/test_integrity_rows.py compares the new query with: the
same units, counts and signals for the same data, windows, scopes and instruments, on both engines."""
from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import settings, store
from analytics.domain import integrity as rules_mod, periods
from analytics.domain.instruments import Registry, load_registry
from analytics.store import queries
from analytics.store.integrity import _history_window, _month_percent, monthly_counts


def _same(alias: str) -> str:
    """Join condition of a unit-level CTE to `counts c` on the unit key."""
    return " AND ".join(f"{alias}.{k} = c.{k}" for k in ("office_id", "instrument", "ukind", "ustart"))


def _most_common(patterns: str, count: str, pattern: str) -> str:
    """Per unit the most frequent answer vector and its count (DuckDB's arg_max, which PostgreSQL
    lacks); among equally frequent vectors the smallest, so both engines name the same one."""
    return f"""SELECT office_id, instrument, ukind, ustart, c AS {count}, scores AS {pattern}
                  FROM (SELECT *, row_number() OVER (PARTITION BY office_id, instrument, ukind, ustart
                                                     ORDER BY c DESC, scores) AS rank_in_unit
                        FROM {patterns}) AS ranked
                  WHERE rank_in_unit = 1"""


# 1 when every answered item is at the scale maximum (blank items are NULL and do not count). The one
# expression written per engine: PostgreSQL has list_min only as a SQL function (~20 µs a row against
# ~0,5 µs for `> ANY`), and on DuckDB `> ANY(list)` took twice as long as its native list_min.
_ALL_MAX = {"duckdb": "CASE WHEN list_min(a.scores) = sc.scale_max THEN 1 ELSE 0 END",
            "postgres": "CASE WHEN sc.scale_max > ANY(a.scores) THEN 0 ELSE 1 END"}


def _sql(units: str, scales: str, where: str, inst_sql: str, rules: rules_mod.Rules, offset: int,
         dialect: str = "duckdb") -> str:
    burst, night = rules.signal("burst"), rules.signal("out_of_hours")
    double, rush = rules.signal("double_submit"), rules.signal("end_rush")
    window_s = int(burst["window_minutes"]) * 60 - 1             # [t, t + 10 min)
    double_s = int(double["window_minutes"]) * 60
    closed = ", ".join(str(int(d)) for d in night["closed_days"]) or "0"
    local = f"(ts + CAST('{int(offset)} hours' AS INTERVAL))"
    last_days = int(rush["last_days"])
    # the month's last day, as both engines write it (PostgreSQL has no last_day())
    last_day = "CAST(date_trunc('month', response_date) + INTERVAL '1 month' - INTERVAL '1 day' AS DATE)"
    return f"""
        WITH base AS (
            SELECT r.office_id, a.instrument, u.ukind, u.ustart, r.response_date, r.response_ts AS ts, a.scores,
                   concat_ws('|', coalesce(r.gender, ''), coalesce(r.age_band, ''), coalesce(r.education, ''),
                             coalesce(r.occupation, ''), coalesce(r.service_type, '')) AS profile,
                   {_ALL_MAX[dialect]} AS is_max
            FROM answer_rows a
            JOIN respondents r ON r.respondent_id = a.respondent_id
            JOIN {units} u ON u.office_id = r.office_id AND u.instrument = a.instrument AND u.month = r.month
            JOIN {scales} sc ON sc.instrument = a.instrument
            WHERE {where} {inst_sql}),
        counts AS (
            SELECT office_id, instrument, ukind, ustart, count(*) AS n, sum(is_max) AS all_max, count(ts) AS n_timed,
                   count(DISTINCT CASE WHEN ts IS NOT NULL THEN response_date END) AS active_days,
                   sum(CASE WHEN ts IS NOT NULL AND (extract(hour FROM {local}) >= {int(night['night_from'])}
                                 OR extract(hour FROM {local}) < {int(night['night_to'])}
                                 OR extract(isodow FROM {local}) IN ({closed}))
                       THEN 1 ELSE 0 END) AS out_of_hours,
                   sum(CASE WHEN response_date > {last_day} - {last_days} THEN 1 ELSE 0 END) AS rush,
                   avg({last_days} / CAST(extract(day FROM {last_day}) AS DOUBLE PRECISION))
                       AS rush_expected
            FROM base GROUP BY 1, 2, 3, 4),
        patterns AS (SELECT office_id, instrument, ukind, ustart, scores, count(*) AS c FROM base
                     GROUP BY 1, 2, 3, 4, 5),
        modal AS ({_most_common('patterns', 'modal_count', 'modal_pattern')}),
        timed AS (
            SELECT office_id, instrument, ukind, ustart, ts, scores,
                   count(*) OVER (PARTITION BY office_id, instrument ORDER BY ts
                                  RANGE BETWEEN CURRENT ROW AND INTERVAL '{window_s} seconds' FOLLOWING) AS in_window,
                   CASE WHEN ts - lag(ts) OVER w <= INTERVAL '{double_s} seconds'
                             AND scores IS NOT DISTINCT FROM lag(scores) OVER w
                             AND profile = lag(profile) OVER w THEN 1 ELSE 0 END AS is_double
            FROM base WHERE ts IS NOT NULL
            WINDOW w AS (PARTITION BY office_id, instrument ORDER BY ts)),
        peak AS (SELECT office_id, instrument, ukind, ustart, max(in_window) AS burst_count, sum(is_double) AS double_pairs,
                        min(CASE WHEN is_double = 1 THEN ts END) AS double_first
                 FROM timed GROUP BY 1, 2, 3, 4),
        burst AS (SELECT t.office_id, t.instrument, t.ukind, t.ustart, p.burst_count, min(t.ts) AS burst_start
                  FROM timed t JOIN peak p ON p.office_id = t.office_id AND p.instrument = t.instrument
                                           AND p.ukind = t.ukind AND p.ustart = t.ustart AND t.in_window = p.burst_count
                  WHERE p.burst_count >= ? GROUP BY 1, 2, 3, 4, 5),
        burst_patterns AS (
            SELECT b.office_id, b.instrument, b.ukind, b.ustart, t.scores, count(*) AS c
            FROM burst b JOIN timed t ON t.office_id = b.office_id AND t.instrument = b.instrument
                 AND t.ts >= b.burst_start AND t.ts <= b.burst_start + INTERVAL '{window_s} seconds'
            GROUP BY 1, 2, 3, 4, 5),
        burst_modal AS ({_most_common('burst_patterns', 'burst_pattern_count', 'burst_pattern')})
        SELECT c.office_id, o.name AS office, o.kanwil, c.instrument, c.ukind, c.ustart, c.n, c.all_max, m.modal_count,
               m.modal_pattern, c.n_timed, c.active_days, c.out_of_hours, c.rush, c.rush_expected,
               coalesce(p.burst_count, 0) AS burst_count, b.burst_start,
               coalesce(bm.burst_pattern_count, 0) AS burst_pattern_count, bm.burst_pattern,
               coalesce(p.double_pairs, 0) AS double_pairs, p.double_first
        FROM counts c
        JOIN modal m ON {_same('m')}
        LEFT JOIN peak p ON {_same('p')}
        LEFT JOIN burst b ON {_same('b')}
        LEFT JOIN burst_modal bm ON {_same('bm')}
        JOIN offices o ON o.office_id = c.office_id
        ORDER BY o.kanwil NULLS FIRST, o.name, c.instrument, c.ustart, c.ukind"""


def old_unit_inputs(con, window: queries.Window = queries.Window(), rules: rules_mod.Rules | None = None,
                registry: Registry | None = None, instruments=None) -> list[rules_mod.UnitInputs]:
    """The counts of every office × instrument × period unit in the window and in the history months
    before it (offices in window.scope)."""
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
    where, params = wide.where("r")
    inst_sql, inst_params = ("AND list_contains(?, a.instrument)", [list(instruments)]) if instruments else ("", [])
    offset = rules_mod.local_offset_hours(settings.get("export_tz"), settings.get("office_tz"))
    with store.registered(con, units) as u, store.registered(con, scales) as sc:
        rows = con.execute(_sql(u, sc, where, inst_sql, rules, offset, store.dialect(con)),
                           params + inst_params + [int(rules.signal("burst_pattern")["min_count"])]).fetchall()
    percent = _month_percent(con, wide, instruments, registry)
    out = []
    for (office_id, office, kanwil, instrument, kind, ustart, n, all_max, modal_count, modal_pattern, n_timed,
         active_days, out_of_hours, rush, rush_expected, burst_count, burst_start, burst_pattern_count,
         burst_pattern, double_pairs, double_first) in rows:
        months = tuple(sorted(months_of[(office_id, instrument, kind, ustart)]))
        out.append(rules_mod.UnitInputs(
            office_id=int(office_id), office=office, kanwil=kanwil, instrument=instrument, kind=kind,
            start=ustart, months=months, n=int(n), all_max=int(all_max), modal_count=int(modal_count),
            modal_pattern=tuple(modal_pattern) if modal_pattern is not None else None,
            percent=percent.get((int(office_id), instrument, ustart)) if kind == "month" else None,
            n_timed=int(n_timed), active_days=int(active_days), out_of_hours=int(out_of_hours or 0),
            rush=int(rush or 0), rush_expected=float(rush_expected or 0.0), burst_count=int(burst_count),
            burst_start=burst_start, burst_pattern_count=int(burst_pattern_count),
            burst_pattern=tuple(burst_pattern) if burst_pattern is not None else None,
            double_pairs=int(double_pairs), double_first=double_first))
    return out


def old_examine(con, window: queries.Window = queries.Window(), rules: rules_mod.Rules | None = None,
                registry: Registry | None = None, instruments=None) -> list[rules_mod.Result]:
    rules = rules or rules_mod.load_rules()
    units = old_unit_inputs(con, window, rules, registry, instruments)
    start = periods.bucket("quarter", window.start)[0] if window.start else None
    results = rules_mod.evaluate(units, rules, start)
    return [r for r in results if window.start is None or max(r.unit.months) >= window.start]
