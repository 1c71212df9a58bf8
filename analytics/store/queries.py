"""Index computation over the store: all the SQL that reads survey results lives here.

Every query pools the per-batch sums of answer_sums/respondent_counts over the window (never an
average of indices), restricted to the offices the viewer may see (`scope`, None = all).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
import uuid

import numpy as np
import pandas as pd

from analytics.domain import formulas
from analytics import store
from analytics.domain.instruments import Registry, load_registry
from analytics.errors import BadValue

PERIODS = ("month", "quarter", "semester", "year", "all")
GROUPINGS = ("office", "kanwil", "all")

# Period label of a month (first day of month) column: 2024-03, 2024-Q1, 2024-S1, 2024, all.
_PERIOD_SQL = {
    "month": "strftime(s.month, '%Y-%m')",
    "quarter": "strftime(s.month, '%Y') || '-Q' || quarter(s.month)",
    "semester": "strftime(s.month, '%Y') || '-S' || CASE WHEN month(s.month) <= 6 THEN 1 ELSE 2 END",
    "year": "strftime(s.month, '%Y')",
    "all": "'all'",
}
# (unit key, office name, kanwil) per grouping.
_UNIT_SQL = {
    "office": ("o.office_id::VARCHAR", "o.name", "o.kanwil"),
    "kanwil": ("coalesce(o.kanwil, '')", "NULL", "o.kanwil"),
    "all": ("'all'", "NULL", "NULL"),
}


@dataclass(frozen=True)
class Window:
    """Which rows a query pools: months [start, end] (inclusive) of the offices in scope."""
    start: date | None = None
    end: date | None = None
    scope: tuple[int, ...] | None = None     # office_ids the viewer may see; None = all

    def where(self, alias: str = "s") -> tuple[str, list]:
        clauses, params = [], []
        if self.start:
            clauses.append(f"{alias}.month >= ?")
            params.append(self.start)
        if self.end:
            clauses.append(f"{alias}.month <= ?")
            params.append(self.end)
        if self.scope is not None:
            clauses.append(f"list_contains(?, {alias}.office_id)")
            params.append(list(self.scope))
        return (" AND ".join(clauses) or "TRUE"), params


def parse_month(text: str | None, end: bool = False) -> date | None:
    """'2024-03' → date(2024, 3, 1). Raises ValueError with the expected form."""
    if not text:
        return None
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        raise BadValue("bad_month", text=text) from None


def _item_sums_sql(by: str, period: str, where: str, instrument_filter: str) -> str:
    unit, office, kanwil = _UNIT_SQL[by]
    return f"""
        SELECT {unit} AS unit, any_value({office}) AS office, any_value({kanwil}) AS kanwil,
               {_PERIOD_SQL[period]} AS period, s.instrument, s.item_no,
               sum(s.n_answers)::BIGINT AS n_i, sum(s.score_sum)::BIGINT AS total
        FROM answer_sums s JOIN offices o USING (office_id)
        WHERE {where} {instrument_filter}
        GROUP BY unit, period, s.instrument, s.item_no
    """


def _counts_sql(by: str, period: str, where: str, instrument_filter: str) -> str:
    unit = _UNIT_SQL[by][0]
    return f"""
        SELECT {unit} AS unit, {_PERIOD_SQL[period]} AS period, s.instrument, sum(s.n)::BIGINT AS n
        FROM respondent_counts s JOIN offices o USING (office_id)
        WHERE {where} {instrument_filter}
        GROUP BY unit, period, s.instrument
    """


def _instrument_filter(instruments) -> tuple[str, list]:
    if not instruments:
        return "", []
    return "AND list_contains(?, s.instrument)", [list(instruments)]


def _exact_index(sums, counts) -> Fraction:
    return formulas.index_from_sums([(int(s), int(n)) for s, n in zip(sums, counts)])


_PERIOD_KEY = {
    "month": "s.month",
    "quarter": "date_trunc('quarter', s.month)::DATE",
    "semester": "(date_trunc('year', s.month) + CASE WHEN month(s.month) <= 6 THEN INTERVAL 0 MONTH "
                "ELSE INTERVAL 6 MONTH END)::DATE",
    "year": "date_trunc('year', s.month)::DATE",
    "all": "NULL::DATE",
}
_PERIOD_LABEL = {   # from the key column p.pkey
    "month": "strftime(p.pkey, '%Y-%m')",
    "quarter": "strftime(p.pkey, '%Y') || '-Q' || quarter(p.pkey)",
    "semester": "strftime(p.pkey, '%Y') || '-S' || CASE WHEN month(p.pkey) <= 6 THEN 1 ELSE 2 END",
    "year": "strftime(p.pkey, '%Y')",
    "all": "'all'",
}
# unit key inside the aggregation (needs the offices join only for kanwil)
_UNIT_KEY = {"office": "s.office_id", "kanwil": "coalesce(o.kanwil, '')", "all": "'all'"}


def _key_items_sql(by, period, where, inst_sql):
    join = "JOIN offices o USING (office_id)" if by == "kanwil" else ""
    return f"""
        SELECT {_UNIT_KEY[by]} AS ukey, {_PERIOD_KEY[period]} AS pkey, s.instrument, s.item_no,
               sum(s.n_answers)::BIGINT AS n_i, sum(s.score_sum)::BIGINT AS total
        FROM answer_sums s {join}
        WHERE {where} {inst_sql}
        GROUP BY ALL"""


def _key_counts_sql(by, period, where, inst_sql):
    join = "JOIN offices o USING (office_id)" if by == "kanwil" else ""
    return f"""
        SELECT {_UNIT_KEY[by]} AS ukey, {_PERIOD_KEY[period]} AS pkey, s.instrument, sum(s.n)::BIGINT AS n
        FROM respondent_counts s {join}
        WHERE {where} {inst_sql}
        GROUP BY ALL"""


def indices(con, by: str = "office", period: str = "month", window: Window = Window(),
            instruments=None, registry: Registry | None = None) -> pd.DataFrame:
    """One row per unit × period × instrument: n, k, index, converted, percent, grade.

    index is rounded half-up to 4 dp, converted and percent to 2 dp; converted and grade are only
    defined for 1–4 instruments (NaN/None otherwise). Aggregates on the stored keys (office_id, month)
    and formats unit/period texts on the result only; item sums are fetched (second query) only for the
    rows whose float index lies within _TIE_MARGIN of a rounding tie, and decided exactly.
    """
    if by not in GROUPINGS:
        raise ValueError(f"--by harus salah satu dari {', '.join(GROUPINGS)}")
    if period not in PERIODS:
        raise ValueError(f"--period harus salah satu dari {', '.join(PERIODS)}")
    registry = registry or load_registry()
    where, params = window.where()
    inst_sql, inst_params = _instrument_filter(instruments)
    if by == "office":
        outer = ("JOIN offices o ON o.office_id = p.ukey", "p.ukey::VARCHAR", "o.name", "o.kanwil")
    elif by == "kanwil":
        outer = ("", "p.ukey", "NULL::VARCHAR", "nullif(p.ukey, '')")
    else:
        outer = ("", "p.ukey", "NULL::VARCHAR", "NULL::VARCHAR")
    join, unit, office, kanwil = outer
    sql = f"""
        WITH items AS ({_key_items_sql(by, period, where, inst_sql)}),
             per_unit AS (
                SELECT ukey, pkey, instrument, avg(total / n_i) AS index_float, count(*) AS k
                FROM items WHERE n_i > 0 GROUP BY ukey, pkey, instrument),
             n AS ({_key_counts_sql(by, period, where, inst_sql)})
        SELECT {unit} AS unit, {office} AS office, {kanwil} AS kanwil, {_PERIOD_LABEL[period]} AS period,
               p.instrument, n.n, p.k, p.index_float, p.ukey, p.pkey
        FROM per_unit p JOIN n ON n.ukey = p.ukey AND n.pkey IS NOT DISTINCT FROM p.pkey
                                  AND n.instrument = p.instrument
        {join}
        ORDER BY kanwil NULLS FIRST, office NULLS FIRST, period, p.instrument
    """
    frame = con.execute(sql, params + inst_params + params + inst_params).fetchdf()
    return _finish(con, frame, registry, by, period, where, params, inst_sql, inst_params)


def _near_tie(values, places):
    scaled = np.asarray(values, dtype="float64") * 10**places
    return np.abs(scaled - np.floor(scaled) - 0.5) < formulas._TIE_MARGIN


def _exact_for(con, frame, rows, by, period, where, params, inst_sql, inst_params):
    """{row position: exact index} for the given rows: their item sums, from a second query that
    filters answer_sums to those groups before aggregating (a few hundred of ~43k rows)."""
    if len(rows) == 0:
        return {}
    keys = frame.iloc[rows][["ukey", "pkey", "instrument"]].reset_index(drop=True)
    keys["row"] = rows
    name = f"near_ties_{uuid.uuid4().hex}"
    join = "JOIN offices o USING (office_id)" if by == "kanwil" else ""
    con.register(name, keys)
    try:
        got = con.execute(f"""
            WITH items AS (
                SELECT k.row, s.item_no, sum(s.n_answers)::BIGINT AS n_i, sum(s.score_sum)::BIGINT AS total
                FROM answer_sums s {join}
                JOIN {name} k ON k.ukey = {_UNIT_KEY[by]} AND k.pkey IS NOT DISTINCT FROM {_PERIOD_KEY[period]}
                                 AND k.instrument = s.instrument
                WHERE {where} {inst_sql}
                GROUP BY k.row, s.item_no)
            SELECT row, list([total, n_i]) AS pairs FROM items WHERE n_i > 0 GROUP BY row
        """, params + inst_params).fetchall()
    finally:
        con.unregister(name)
    return {int(r): _exact_index([s for s, _ in pairs], [n for _, n in pairs]) for r, pairs in got}


def _finish(con, frame, registry, by, period, where, params, inst_sql, inst_params) -> pd.DataFrame:
    """Round once, at the end, and classify after rounding (domain.md §4.6–4.7)."""
    columns = ["unit", "office", "kanwil", "period", "instrument", "n", "k", "index", "converted",
               "percent", "grade", "scale_max"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    insts = {i: registry.get(i) for i in frame["instrument"].unique()}
    scale_max = frame["instrument"].map({i: inst.scale_max for i, inst in insts.items()}).to_numpy()
    four_point = frame["instrument"].map({i: inst.is_four_point for i, inst in insts.items()}).to_numpy(dtype=bool)
    raw = frame["index_float"].to_numpy()
    near = _near_tie(raw, 4) | _near_tie(raw / scale_max * 100, 2) | _near_tie(raw * 25, 2)  # all three are rounded
    exact = _exact_for(con, frame, np.flatnonzero(near), by, period, where, params, inst_sql, inst_params)
    frame["index"] = formulas.half_up_array(raw, 4, lambda i: exact[i])
    frame["percent"] = formulas.half_up_array(raw / scale_max * 100, 2,
                                              lambda i: exact[i] / int(scale_max[i]) * 100)
    converted = formulas.half_up_array(raw * 25, 2, lambda i: exact[i] * 25)
    frame["converted"] = np.where(four_point, converted, np.nan)
    frame["grade"] = grades_of(frame["converted"], registry)
    frame["scale_max"] = scale_max
    frame["n"] = frame["n"].astype("int64")
    frame["k"] = frame["k"].astype("int64")
    return frame[columns].reset_index(drop=True)


def grades_of(converted: pd.Series, registry: Registry) -> pd.Series:
    """Grade letter of rounded converted values (None where not defined)."""
    hundredths = np.round(converted.to_numpy(dtype="float64") * 100)
    result = np.full(len(hundredths), None, dtype=object)
    for grade in reversed(registry.grades):          # lowest first, so higher grades overwrite
        result[hundredths >= int(grade.min * 100)] = grade.grade
    result[np.isnan(hundredths)] = None
    return pd.Series(result, index=converted.index)


def items(con, instrument: str, window: Window = Window(), by_period: str | None = None,
          registry: Registry | None = None, by_office: bool = False) -> pd.DataFrame:
    """Per item (optionally per period, and per office: office_id): code, statement, aspect, n (n_i),
    nrr — weakest first."""
    registry = registry or load_registry()
    inst = registry.get(instrument)
    where, params = window.where()
    period_sql = _PERIOD_SQL[by_period] if by_period else "'all'"
    office_sql = "s.office_id, " if by_office else ""
    frame = con.execute(f"""
        SELECT {office_sql}{period_sql} AS period, s.item_no, sum(s.n_answers)::BIGINT AS n,
               sum(s.score_sum)::BIGINT AS total
        FROM answer_sums s WHERE {where} AND s.instrument = ?
        GROUP BY ALL HAVING sum(s.n_answers) > 0
    """, params + [instrument]).fetchdf()
    frame["nrr"] = frame["total"] / frame["n"]
    frame["code"] = frame["item_no"].map(lambda no: inst.item(int(no)).code)
    frame["statement"] = frame["item_no"].map(lambda no: inst.item(int(no)).statement)
    frame["aspect"] = frame["item_no"].map(lambda no: inst.item(int(no)).aspect)
    frame["n"] = frame["n"].astype("int64")
    keys = (["office_id"] if by_office else []) + ["period"]
    frame = frame.sort_values(keys + ["nrr", "item_no"]).reset_index(drop=True)
    columns = ["code", "statement", "aspect", "n", "nrr"]
    return frame[(["office_id"] if by_office else []) + (["period"] if by_period else []) + ["item_no"] + columns]


def latest_full_quarter(con, today: date, scope=None) -> tuple[date, date] | None:
    """The latest calendar quarter that has ended by `today` and holds data: the default ZI window."""
    where, params = Window(scope=scope).where()
    latest = store.fetch_one(con, f"SELECT max(month) FROM respondent_counts s WHERE {where} AND month < ?",
                         params + [date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)])[0]
    if latest is None:
        return None
    start = date(latest.year, 3 * ((latest.month - 1) // 3) + 1, 1)
    return start, date(start.year, start.month + 2, 1)


def readiness(con, rules_id: str, window: Window = Window(), registry: Registry | None = None) -> pd.DataFrame:
    """Per office: the pair of instruments the rule set takes, their n and nilai, WBK/WBBM verdicts."""
    registry = registry or load_registry()
    rules = registry.rule_set(rules_id)
    where, params = window.where()
    fetched = con.execute(f"""
        WITH items AS ({_item_sums_sql('office', 'all', where, '')}),
             per_unit AS (SELECT unit, instrument, list(total ORDER BY item_no) AS sums,
                                 list(n_i ORDER BY item_no) AS counts
                          FROM items WHERE n_i > 0 GROUP BY ALL),
             n AS ({_counts_sql('office', 'all', where, '')})
        SELECT o.office_id, o.name AS office, o.kanwil, n.instrument, n.n, p.sums, p.counts
        FROM n JOIN offices o ON o.office_id::VARCHAR = n.unit
        LEFT JOIN per_unit p USING (unit, instrument)
        ORDER BY o.kanwil, o.name
    """, params + params).fetchall()
    # Plain tuples, grouped in a dict: a pandas groupby over hundreds of offices costs more than the SQL.
    by_office: dict[tuple, list] = {}
    for office_id, office, kanwil, instrument, n, sums, counts in fetched:
        by_office.setdefault((office_id, office, kanwil), []).append((instrument, n, sums, counts))
    rows = []
    for (office_id, office, kanwil), group in by_office.items():
        parts = {instrument: formulas.SurveyPart(registry.get(instrument), int(n),
                                                 _exact_index(sums, counts) if n else None)
                 for instrument, n, sums, counts in group if instrument in registry.instruments}
        pair = _pair_for(rules, parts)
        if pair is None:
            continue
        service, anti = parts.get(pair[0]), parts.get(pair[1])
        verdict = formulas.readiness(rules, service, anti)
        rows.append({
            "office_id": office_id, "office": office, "kanwil": None if pd.isna(kanwil) else kanwil,
            "rules": rules.id,
            "service_instrument": pair[0], "service_n": service.n if service else 0,
            "service_nilai": _float(verdict.service_nilai),
            "anticorruption_instrument": pair[1], "anticorruption_n": anti.n if anti else 0,
            "anticorruption_nilai": _float(verdict.anticorruption_nilai),
            "wbk": verdict.wbk, "wbbm": verdict.wbbm, "reasons": list(verdict.reasons),
        })
    return pd.DataFrame(rows, columns=[
        "office_id", "office", "kanwil", "rules", "service_instrument", "service_n", "service_nilai",
        "anticorruption_instrument", "anticorruption_n", "anticorruption_nilai", "wbk", "wbbm", "reasons"])


def _pair_for(rules, parts: dict) -> tuple[str, str] | None:
    """The first pair with data on both sides; else the first with data on either (shown as short)."""
    for pair in rules.pairs:
        if all(parts.get(i) and parts[i].n > 0 for i in pair):
            return pair
    for pair in rules.pairs:
        if any(parts.get(i) and parts[i].n > 0 for i in pair):
            return pair
    return None


def _float(value):
    return None if value is None else float(value)
