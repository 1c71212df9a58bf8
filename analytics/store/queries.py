"""The SQL that reads survey results: indices, items, readiness inputs, months with data.

Every query pools the sums of pooled_sums/pooled_counts (already summed over import batches) over the
window (never an average of indices), restricted to the offices the viewer may see (`scope`, None = all). The SQL
groups on stored keys (office_id, first month of the period); labels, rounding, grades and
verdicts come from analytics/domain on the result.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from analytics import store
from analytics.domain import formulas, grades, periods, readiness as zi, rounding
from analytics.domain.instruments import Registry, load_registry

GROUPINGS = ("office", "kanwil", "all")
PERIODS = periods.PERIODS

# First month of the period holding s.month (NULL for 'all'); written to run on PostgreSQL too.
_PERIOD_KEY = {
    "month": "s.month",
    "quarter": "CAST(date_trunc('quarter', s.month) AS DATE)",
    "semester": "make_date(CAST(extract(year FROM s.month) AS INTEGER), "
                "CASE WHEN extract(month FROM s.month) <= 6 THEN 1 ELSE 7 END, 1)",
    "year": "CAST(date_trunc('year', s.month) AS DATE)",
    "all": "CAST(NULL AS DATE)",
}
# The unit a row pools into; only 'kanwil' needs the offices join.
_UNIT_KEY = {"office": "s.office_id", "kanwil": "coalesce(o.kanwil, '')", "all": "'all'"}


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
        if self.scope is not None and not self.scope:
            clauses.append("FALSE")           # an empty scope sees nothing, never everything
        elif self.scope is not None:
            clauses.append(f"list_contains(?, {alias}.office_id)")
            params.append(list(self.scope))
        return (" AND ".join(clauses) or "TRUE"), params


def _instrument_filter(instruments) -> tuple[str, list]:
    if not instruments:
        return "", []
    return "AND list_contains(?, s.instrument)", [list(instruments)]


def _join(by: str) -> str:
    return "JOIN offices o ON o.office_id = s.office_id" if by == "kanwil" else ""


def _identity(by: str, period: str) -> bool:
    """Office × month is the grain of pooled_units (migration 008): n, k and the float index are read
    as they are, never regrouped from pooled_sums (1,6 M rows into 108 000 groups at 5M respondents)."""
    return by == "office" and period == "month"


def _item_sums_sql(by: str, period: str, where: str, inst_sql: str) -> str:
    """Σ n_i and Σ score per unit × period × instrument × item."""
    if _identity(by, period):
        return f"""
        SELECT s.office_id AS ukey, s.month AS pkey, s.instrument, s.item_no, s.n_answers AS n_i,
               s.score_sum AS total
        FROM pooled_sums s WHERE {where} {inst_sql}"""
    return f"""
        SELECT {_UNIT_KEY[by]} AS ukey, {_PERIOD_KEY[period]} AS pkey, s.instrument, s.item_no,
               CAST(sum(s.n_answers) AS BIGINT) AS n_i, CAST(sum(s.score_sum) AS BIGINT) AS total
        FROM pooled_sums s {_join(by)}
        WHERE {where} {inst_sql}
        GROUP BY 1, 2, 3, 4"""


def _counts_sql(by: str, period: str, where: str, inst_sql: str) -> str:
    """n (respondents with ≥ 1 valid answer) per unit × period × instrument."""
    if _identity(by, period):
        return f"""
        SELECT s.office_id AS ukey, s.month AS pkey, s.instrument, s.n FROM pooled_counts s
        WHERE {where} {inst_sql}"""
    return f"""
        SELECT {_UNIT_KEY[by]} AS ukey, {_PERIOD_KEY[period]} AS pkey, s.instrument,
               CAST(sum(s.n) AS BIGINT) AS n
        FROM pooled_counts s {_join(by)}
        WHERE {where} {inst_sql}
        GROUP BY 1, 2, 3"""


def _units_sql(by: str, period: str, where: str, params: list, inst_sql: str, inst_params: list):
    """(sql, params): ukey, pkey, instrument, n, k, index_float per unit × period × instrument, where
    index_float = the mean over the k answered items of Σ score / n_i (a float; rounded in _finish)."""
    if _identity(by, period):
        return f"""
        SELECT s.office_id AS ukey, s.month AS pkey, s.instrument, s.n, s.k, s.index_float
        FROM pooled_units s WHERE {where} {inst_sql}""", params + inst_params
    return f"""
        SELECT p.ukey, p.pkey, p.instrument, n.n, p.k, p.index_float
        FROM (SELECT ukey, pkey, instrument, avg(CAST(total AS DOUBLE PRECISION) / n_i) AS index_float,
                     count(*) AS k
              FROM ({_item_sums_sql(by, period, where, inst_sql)}) AS items
              WHERE n_i > 0 GROUP BY ukey, pkey, instrument) AS p
        JOIN ({_counts_sql(by, period, where, inst_sql)}) AS n
          ON n.ukey = p.ukey AND n.pkey IS NOT DISTINCT FROM p.pkey AND n.instrument = p.instrument""", \
        params + inst_params + params + inst_params


def indices(con, by: str = "office", period: str = "month", window: Window = Window(),
            instruments=None, registry: Registry | None = None) -> pd.DataFrame:
    """One row per unit × period × instrument: n, k, index, converted, percent, grade.

    index is rounded half-up to 4 dp, converted and percent to 2 dp; converted and grade are only
    defined for 1–4 instruments (NaN/None otherwise). Item sums are fetched (second query) only for
    the rows whose float index lies near a rounding tie, and decided exactly.
    Rows come ordered by Kanwil, office name (offices by their master order), period, instrument.
    """
    if by not in GROUPINGS:
        raise ValueError(f"--by harus salah satu dari {', '.join(GROUPINGS)}")
    if period not in PERIODS:
        raise ValueError(f"--period harus salah satu dari {', '.join(PERIODS)}")
    registry = registry or load_registry()
    where, params = window.where()
    inst_sql, inst_params = _instrument_filter(instruments)
    units, unit_params = _units_sql(by, period, where, params, inst_sql, inst_params)
    if by == "office":
        # Sorted on an integer rank of the offices' (Kanwil, name) and named afterwards from the
        # 900-row office list: sorting and fetching 100 000 name strings was a third of the query.
        frame = con.execute(f"""
            WITH u AS ({units}),
                 ranks AS (SELECT office_id, row_number() OVER (ORDER BY kanwil NULLS FIRST, name NULLS FIRST,
                                                                office_id) AS r FROM offices)
            SELECT u.ukey, u.pkey, u.instrument, u.n, u.k, u.index_float
            FROM u JOIN ranks o ON o.office_id = u.ukey
            ORDER BY o.r, u.pkey, u.instrument""", unit_params).fetchdf()
        names = con.execute("SELECT office_id, name, kanwil FROM offices").fetchdf() if len(frame) else None
    else:
        frame = con.execute(f"""
            SELECT u.ukey, u.pkey, u.instrument, u.n, u.k, u.index_float FROM ({units}) AS u
            ORDER BY u.ukey, u.pkey, u.instrument""", unit_params).fetchdf()
        names = None
    exact = lambda rows: _exact_for(con, frame, rows, by, period, where, params, inst_sql, inst_params)
    return _finish(frame, registry, by, period, exact, names)


def _exact_for(con, frame, rows, by, period, where, params, inst_sql, inst_params) -> dict[int, Fraction]:
    """{row position: exact index} for the given rows: their item sums, from a second query that
    filters pooled_sums to those groups before aggregating (~0,1 % of the rows)."""
    if len(rows) == 0:
        return {}
    keys = frame.iloc[rows][["ukey", "pkey", "instrument"]].reset_index(drop=True)
    keys["row_no"] = rows
    if _identity(by, period):          # the item sums are stored with the row (migration 008)
        with store.registered(con, keys) as name:
            got = con.execute(f"""
                SELECT k.row_no, s.score_sums, s.n_answers FROM pooled_units s
                JOIN {name} k ON k.ukey = s.office_id AND CAST(k.pkey AS DATE) = s.month
                                 AND k.instrument = s.instrument""").fetchall()
        return {int(row): _exact_index(sums, counts) for row, sums, counts in got}
    with store.registered(con, keys) as name:
        got = con.execute(f"""
            WITH items AS (
                SELECT k.row_no, s.item_no, CAST(sum(s.n_answers) AS BIGINT) AS n_i,
                       CAST(sum(s.score_sum) AS BIGINT) AS total
                FROM pooled_sums s {_join(by)}
                JOIN {name} k ON k.ukey = {_UNIT_KEY[by]}
                                 AND CAST(k.pkey AS DATE) IS NOT DISTINCT FROM {_PERIOD_KEY[period]}
                                 AND k.instrument = s.instrument
                WHERE {where} {inst_sql}
                GROUP BY k.row_no, s.item_no)
            SELECT row_no, array_agg(total ORDER BY item_no), array_agg(n_i ORDER BY item_no)
            FROM items WHERE n_i > 0 GROUP BY row_no
        """, params + inst_params).fetchall()
    return {int(row): _exact_index(sums, counts) for row, sums, counts in got}


def _exact_index(sums, counts) -> Fraction:
    return formulas.index_from_sums(list(zip(sums, counts)))


def _labels(keys: pd.Series, period: str) -> pd.Series:
    """Period labels of the key column (first month of each period), each distinct key once."""
    codes, uniques = pd.factorize(keys, use_na_sentinel=False)
    text = pd.Series([periods.label(period, None if pd.isna(k) else pd.Timestamp(k).date()) for k in uniques],
                     dtype="str")
    return text.take(codes).set_axis(keys.index)


def _names(frame: pd.DataFrame, by: str, names: pd.DataFrame | None) -> dict[str, pd.Series]:
    """unit, office and Kanwil columns: for offices taken from the office list by office_id."""
    ukey = frame["ukey"]
    if by == "office":
        at = pd.Index(names["office_id"]).get_indexer(ukey)
        take = lambda column: column.take(at).set_axis(frame.index)     # Arrow take: no Python strings
        return {"unit": take(names["office_id"].astype("str")), "office": take(names["name"]),
                "kanwil": take(names["kanwil"])}
    none = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    if by == "kanwil":
        return {"unit": ukey.astype("str"), "office": none, "kanwil": ukey.astype("str").replace("", np.nan)}
    return {"unit": ukey.astype("str"), "office": none, "kanwil": none.copy()}


def _finish(frame: pd.DataFrame, registry: Registry, by: str, period: str, exact_for,
            names: pd.DataFrame | None) -> pd.DataFrame:
    """Round once, at the end, and classify after rounding (domain.md §4.6–4.7)."""
    columns = ["unit", "office", "kanwil", "period", "instrument", "n", "k", "index", "converted",
               "percent", "grade", "scale_max"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    codes, found = pd.factorize(frame["instrument"])
    insts = [registry.get(i) for i in found]
    scale_max = np.array([inst.scale_max for inst in insts], dtype="int64")[codes]
    four_point = np.array([inst.is_four_point for inst in insts], dtype=bool)[codes]
    raw = frame["index_float"].to_numpy()
    near = (rounding.near_tie(raw, 4) | rounding.near_tie(formulas.percent(raw, scale_max), 2)
            | rounding.near_tie(formulas.converted(raw), 2))                # all three are rounded
    exact = exact_for(np.flatnonzero(near))
    out = pd.DataFrame(_names(frame, by, names))
    out["period"] = _labels(frame["pkey"], period)
    out["instrument"] = frame["instrument"]
    out["n"] = frame["n"].astype("int64")
    out["k"] = frame["k"].astype("int64")
    out["index"] = rounding.half_up_array(raw, 4, lambda i: exact[i])
    out["converted"] = np.where(four_point, rounding.half_up_array(formulas.converted(raw), 2,
                                                                   lambda i: formulas.converted(exact[i])), np.nan)
    out["percent"] = rounding.half_up_array(formulas.percent(raw, scale_max), 2,
                                            lambda i: formulas.percent(exact[i], int(scale_max[i])))
    out["grade"] = grades.letters_of(out["converted"], registry.grades)
    out["scale_max"] = scale_max
    return out[columns].reset_index(drop=True)


def items(con, instrument: str, window: Window = Window(), by_period: str | None = None,
          registry: Registry | None = None, by_office: bool = False) -> pd.DataFrame:
    """Per item (optionally per period, and per office: office_id): code, statement, aspect, n (n_i),
    nrr — weakest first."""
    registry = registry or load_registry()
    sums = item_sums(con, instrument, window, by_period or "all", by_office)
    return items_of(sums, registry.get(instrument), by_period, by_office)


def item_sums(con, instrument: str, window: Window = Window(), period: str = "all",
              by_office: bool = False) -> pd.DataFrame:
    """The sums behind `items`: [office_id,] pkey (first month of the period), item_no, n (n_i), total
    (Σ score), items with at least one answer. Per office they pool exactly (pool_item_sums), so the
    app can compute them once for every office and hand each viewer the sums of their own."""
    where, params = window.where()
    office_sql = "s.office_id, " if by_office else ""
    groups = "1, 2, 3" if by_office else "1, 2"
    return con.execute(f"""
        SELECT {office_sql}{_PERIOD_KEY[period]} AS pkey, s.item_no, CAST(sum(s.n_answers) AS BIGINT) AS n,
               CAST(sum(s.score_sum) AS BIGINT) AS total
        FROM pooled_sums s WHERE {where} AND s.instrument = ?
        GROUP BY {groups} HAVING sum(s.n_answers) > 0
    """, params + [instrument]).fetchdf()


def pool_item_sums(per_office: pd.DataFrame) -> pd.DataFrame:
    """item_sums(by_office=True) pooled over its offices: what item_sums(by_office=False) over the same
    offices returns (integer sums, so exactly)."""
    pooled = per_office.groupby(["pkey", "item_no"], dropna=False, sort=False)[["n", "total"]].sum()
    return pooled.reset_index()


def items_of(sums: pd.DataFrame, inst, by_period: str | None = None, by_office: bool = False) -> pd.DataFrame:
    """The items frame of item sums: NRR, the item's code, statement and aspect, weakest first."""
    frame = sums.copy()
    frame["period"] = _labels(frame["pkey"], by_period or "all") if len(frame) else pd.Series(dtype=object)
    frame["nrr"] = frame["total"] / frame["n"]
    found = {no: inst.item(int(no)) for no in frame["item_no"].unique()}
    for column in ("code", "statement", "aspect"):
        lookup = {no: getattr(item, column) for no, item in found.items()}
        frame[column] = frame["item_no"].map(lookup if len(frame) else lookup.get)   # empty: dtype as before
    frame["n"] = frame["n"].astype("int64")
    keys = (["office_id"] if by_office else []) + ["period"]
    frame = frame.sort_values(keys + ["nrr", "item_no"]).reset_index(drop=True)
    columns = ["code", "statement", "aspect", "n", "nrr"]
    return frame[(["office_id"] if by_office else []) + (["period"] if by_period else []) + ["item_no"] + columns]


def months_with_data(con, scope=None) -> list[date]:
    """Months that hold respondents among the offices in scope, oldest first."""
    where, params = Window(scope=scope).where()
    rows = con.execute(f"SELECT DISTINCT s.month FROM pooled_counts s WHERE {where} ORDER BY s.month",
                       params).fetchall()
    return [month for (month,) in rows]


def latest_full_quarter(con, today: date, scope=None) -> tuple[date, date] | None:
    """The latest calendar quarter that has ended by `today` and holds data: the default ZI window."""
    where, params = Window(scope=scope).where()
    latest = store.fetch_one(con, f"SELECT max(s.month) FROM pooled_counts s WHERE {where} AND s.month < ?",
                             params + [periods.latest_full_quarter_start(today)])[0]
    return periods.bucket("quarter", latest) if latest is not None else None


READINESS_COLUMNS = ["office_id", "office", "kanwil", "rules", "service_instrument", "service_n", "service_nilai",
                     "anticorruption_instrument", "anticorruption_n", "anticorruption_nilai", "wbk", "wbbm",
                     "shortfalls"]


def readiness(con, rules_id: str, window: Window = Window(), registry: Registry | None = None) -> pd.DataFrame:
    """Per office: the pair of instruments the rule set takes, their n and nilai, WBK/WBBM verdicts and
    the shortfalls (analytics.domain.readiness.Shortfall) behind them.

    Float first: the SQL gives each office × instrument its float index over the window; the nilai is
    rounded in numpy, and only a nilai within a hair of a rounding tie is decided from the exact item
    sums (a second query for those rows alone), as `indices` does."""
    registry = registry or load_registry()
    rules = registry.rule_set(rules_id)
    where, params = window.where()
    units, unit_params = _units_sql("office", "all", where, params, "", [])
    frame = con.execute(f"""
        SELECT u.ukey, u.pkey, u.instrument, u.n, u.index_float, o.name AS office, o.kanwil
        FROM ({units}) AS u JOIN offices o ON o.office_id = u.ukey
        ORDER BY o.kanwil, o.name, u.instrument""", unit_params).fetchdf()
    frame = frame[frame["instrument"].isin(list(registry.instruments))].reset_index(drop=True)
    insts = [registry.get(i) for i in frame["instrument"]]
    scale_max = np.array([inst.scale_max for inst in insts], dtype="int64")
    weight = [zi.rule_for(rules, inst).weight for inst in insts]
    raw = formulas.nilai(frame["index_float"].to_numpy(dtype="float64"), scale_max, weight)
    exact = _exact_for(con, frame, np.flatnonzero(rounding.near_tie(raw, 2)), "office", "all", where, params, "", [])
    rounded = rounding.half_up_array(raw, 2, lambda i: formulas.nilai(exact[i], int(scale_max[i]), weight[i]))
    # Plain tuples, grouped in a dict: a pandas groupby over hundreds of offices costs more than this.
    by_office: dict[tuple, dict] = {}
    for at, (office_id, office, kanwil, inst, n) in enumerate(zip(
            frame["ukey"].tolist(), frame["office"].tolist(), frame["kanwil"].tolist(), insts,
            frame["n"].tolist())):
        by_office.setdefault((office_id, office, kanwil), {})[inst.id] = (inst, int(n), Decimal(f"{rounded[at]:.2f}"))
    rows = []
    for (office_id, office, kanwil), parts in by_office.items():
        pair = zi.pair_for(rules, {i: n for i, (_, n, _) in parts.items()})
        if pair is None:
            continue
        sides = [parts.get(i) or (registry.get(i), 0, None) for i in pair]
        verdict = zi.readiness(rules, *(zi.SurveyPart(inst, n, None) for inst, n, _ in sides),
                               nilai=tuple(value if n else None for _, n, value in sides))
        rows.append({
            "office_id": office_id, "office": office, "kanwil": None if pd.isna(kanwil) else kanwil,
            "rules": rules.id,
            "service_instrument": pair[0], "service_n": verdict.service.n, "service_nilai": _float(verdict.service_nilai),
            "anticorruption_instrument": pair[1], "anticorruption_n": verdict.anticorruption.n,
            "anticorruption_nilai": _float(verdict.anticorruption_nilai),
            "wbk": verdict.wbk, "wbbm": verdict.wbbm, "shortfalls": verdict.shortfalls,
        })
    return pd.DataFrame(rows, columns=READINESS_COLUMNS)


def _float(value):
    return None if value is None else float(value)


def batches_in(con, window: Window = Window()) -> pd.DataFrame:
    """The import batches whose respondents fall in the window (scope and months): batch_id, is_demo.
    A report names them in its stamp and is marked as demo data when any of them is."""
    where, params = window.where()
    return con.execute(f"""
        SELECT b.batch_id, b.is_demo FROM batches b
        WHERE b.batch_id IN (SELECT DISTINCT s.batch_id FROM respondent_counts s WHERE {where})
        ORDER BY b.batch_id
    """, params).fetchdf()


def suggestions(con, window: Window = Window(), limit: int = 1000, shared_only: bool = False) -> pd.DataFrame:
    """Respondents' free-text saran in the window, newest first (at most `limit`): respondent_id,
    office_id, office, response_date, saran, shared (a kanwil user marked it for sharing; migration
    007). shared_only: only those. The text is returned as stored; every writer must keep it text."""
    where, params = window.where("r")
    return con.execute(f"""
        SELECT r.respondent_id, r.office_id, o.name AS office, r.response_date, r.saran,
               s.respondent_id IS NOT NULL AS shared
        FROM respondents r JOIN offices o ON o.office_id = r.office_id
        LEFT JOIN saran_reviews s ON s.respondent_id = r.respondent_id
        WHERE {where} AND r.saran IS NOT NULL AND trim(r.saran) <> ''
          AND (s.respondent_id IS NOT NULL OR NOT ?)
        ORDER BY r.response_date DESC, o.name, r.respondent_id
        LIMIT ?
    """, params + [bool(shared_only), int(limit)]).fetchdf()
