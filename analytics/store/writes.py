"""The import's writes: batch, respondents, answer rows, sums, counts and rejects. The caller
(analytics.ingest.importer.commit) runs them inside one `store.transaction()`."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics import store
from analytics.domain import integrity as integrity_rules, periods
from analytics.store import fetch_one, registered

RESPONDENT_COLUMNS = ("respondent_id", "batch_id", "sheet", "source_row", "office_id", "response_date", "month",
                      "response_ts", "external_id", "dedup_key", "gender", "gender_raw", "age_band", "age_raw",
                      "education", "education_raw", "occupation", "service_type", "saran",
                      "saran_masked")


def already_imported(con, sha256: str):
    """(batch_id, file_name, imported_at) of the batch holding identical content, or None."""
    return fetch_one(con, "SELECT batch_id, file_name, imported_at FROM batches WHERE file_sha256 = ? "
                          "ORDER BY batch_id LIMIT 1", [sha256])


def next_batch_id(con) -> int:
    return fetch_one(con, "SELECT nextval('batch_id_seq')")[0]


def next_respondent_id(con) -> int:
    """Past every id in use, the trash's too: a restored batch keeps its respondents' ids."""
    return fetch_one(con, "SELECT coalesce(max(m), 0) + 1 FROM (SELECT max(respondent_id) AS m FROM respondents "
                          "UNION ALL SELECT max(respondent_id) FROM trash_respondents) AS ids")[0]


def stored_dedup_keys(con, keys: pd.Series) -> set[str]:
    """Which of these dedup keys the store already holds."""
    # The keys as they are (an Arrow table: no per-value conversion); a key held twice gives one hit.
    frame = pa.table({"dedup_key": pa.array(keys.to_numpy(dtype=object), pa.large_string())}) \
        if not isinstance(keys.dtype, pd.StringDtype) else pa.table({"dedup_key": pa.array(keys.array)})
    with registered(con, frame) as name:
        return {k for (k,) in con.execute(
            f"SELECT dedup_key FROM {name} WHERE dedup_key IN (SELECT dedup_key FROM respondents)").fetchall()}


def insert_batch(con, batch_id: int, file_name: str, sha256: str, source: str, is_demo: bool, rows_read: int,
                 rows_imported: int, rows_rejected: int, rows_duplicate: int, instruments, notes) -> None:
    con.execute("INSERT INTO batches (batch_id, file_name, file_sha256, source, is_demo, rows_read, "
                "rows_imported, rows_rejected, rows_duplicate, instruments, notes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [batch_id, file_name, sha256, source, is_demo, rows_read, rows_imported, rows_rejected,
                 rows_duplicate, list(instruments), list(notes)])


def insert_respondents(con, good: pd.DataFrame, batch_id: int) -> None:
    """good: one row per respondent (importer's frame; `age` is stored as age_band)."""
    columns = [c if c != "age_band" else "age" for c in RESPONDENT_COLUMNS if c != "batch_id"]
    # An Arrow table of the columns written: the engine reads its text columns as they are (a pandas
    # frame of Arrow-backed text is converted value by value: ~3 s per million rows).
    table = pa.Table.from_pandas(good[columns], preserve_index=False)
    with registered(con, table) as name:
        con.execute(f"""
            INSERT INTO respondents ({', '.join(RESPONDENT_COLUMNS)})
            SELECT respondent_id, ?, sheet, source_row, office_id, CAST(response_date AS DATE),
                   CAST(month AS DATE), response_ts, external_id, dedup_key, gender, gender_raw, age, age_raw,
                   education, education_raw, occupation, service_type, saran, saran_masked
            FROM {name}
        """, [batch_id])


def insert_answers(con, good: pd.DataFrame, batch_id: int, instrument: str, k: int) -> None:
    """One answer_rows row per respondent with an answer (scores[i] = item i, NULL = blank), and the
    instrument's sums and counts per office × month, aggregated from the wide frame (no unpivot).
    good: respondent_id, office_id, month and one column `<instrument>__<item no>` per mapped item."""
    cols = [c for c in good.columns if c.startswith(f"{instrument}__")]
    nos = [int(c.split("__")[1]) for c in cols]
    scores = np.zeros((len(good), k), dtype=np.uint8)      # list positions = item numbers, length = k
    blank = np.ones((len(good), k), dtype=bool)
    for col, no in zip(cols, nos):
        scores[:, no - 1] = good[col].to_numpy(dtype="int16", na_value=0)
        blank[:, no - 1] = good[col].isna().to_numpy()
    answered = ~blank.all(axis=1)
    offsets = pa.array(np.arange(0, (int(answered.sum()) + 1) * k, k, dtype=np.int32))
    lists = pa.ListArray.from_arrays(offsets, pa.array(scores[answered].ravel(), mask=blank[answered].ravel()))
    rows = pa.table({"respondent_id": good["respondent_id"].to_numpy()[answered], "scores": lists})
    with registered(con, rows) as name:
        con.execute(f"INSERT INTO answer_rows (respondent_id, batch_id, instrument, scores) "
                    f"SELECT respondent_id, ?, ?, scores FROM {name}", [batch_id, instrument])
    _insert_integrity_rows(con, good[answered], scores[answered], blank[answered], batch_id, instrument)
    wide = pa.Table.from_pandas(good[["office_id", "month"] + cols], preserve_index=False)
    aggs = ", ".join(f'count("{c}") AS "n_{no}", CAST(sum("{c}") AS BIGINT) AS "s_{no}"' for c, no in zip(cols, nos))
    any_answer = " OR ".join(f'"{c}" IS NOT NULL' for c in cols)
    with registered(con, wide) as name:
        con.execute(f"""CREATE TEMP TABLE staged_sums AS
                        SELECT office_id, CAST(month AS DATE) AS month,
                               count(*) FILTER (WHERE {any_answer}) AS n_resp, {aggs}
                        FROM {name} GROUP BY office_id, month""")
    try:
        con.execute("INSERT INTO answer_sums (batch_id, office_id, month, instrument, item_no, n_answers, score_sum) "
                    "SELECT ?, office_id, month, ?, item_no, n, s FROM ("
                    + " UNION ALL ".join(f'SELECT office_id, month, CAST({no} AS SMALLINT) AS item_no, '
                                         f'"n_{no}" AS n, "s_{no}" AS s FROM staged_sums' for no in nos)
                    + ") AS per_item WHERE n > 0", [batch_id, instrument])
        con.execute("INSERT INTO respondent_counts (batch_id, office_id, month, instrument, n) "
                    "SELECT ?, office_id, month, ?, n_resp FROM staged_sums WHERE n_resp > 0",
                    [batch_id, instrument])
    finally:
        con.execute("DROP TABLE staged_sums")
    pool_batch(con, batch_id, instrument)


# The five profile fields as the double-submit rule compares them (what the signal query built from
# respondents before migration 010), for rows with a time of day only: the rule reads no other row.
_PROFILE = ("CASE WHEN response_ts IS NOT NULL THEN concat_ws('|', "
            + ", ".join(f"coalesce(CAST({c} AS VARCHAR), '')" for c in ("gender", "age", "education", "occupation",
                                                                      "service_type")) + ") END")


def _text(values: pd.Series) -> pa.Array:
    """A profile column as Arrow text (pandas' own strings as they are; a column with no value at all may
    arrive as floats)."""
    if values.isna().all():
        return pa.nulls(len(values), pa.string())
    if pd.api.types.is_string_dtype(values.dtype):
        return pa.Array.from_pandas(values).cast(pa.string())
    return pa.Array.from_pandas(values.astype("object"), type=pa.string())


def _insert_integrity_rows(con, good: pd.DataFrame, scores: np.ndarray, blank: np.ndarray, batch_id: int,
                           instrument: str) -> None:
    """integrity_rows (migration 010) of one instrument: one row per respondent with an answer, from the
    importer's frame and the score matrix insert_answers built (no list, no join)."""
    frame = pa.table({
        "respondent_id": good["respondent_id"].to_numpy(dtype="int64"),
        "office_id": good["office_id"].to_numpy(dtype="int64"),
        "month": pa.Array.from_pandas(good["month"]), "response_date": pa.Array.from_pandas(good["response_date"]),
        "response_ts": pa.Array.from_pandas(good["response_ts"]),
        "pattern": integrity_rules.encode_patterns(scores, blank),
        "min_score": np.where(blank, 255, scores).min(axis=1).astype("int16"),
        **{c: _text(good[c]) for c in ("gender", "age", "education", "occupation", "service_type")}})
    with registered(con, frame) as name:
        con.execute(f"""INSERT INTO integrity_rows (respondent_id, batch_id, office_id, instrument, month, response_date,
                                                    response_ts, pattern, min_score, profile)
                        SELECT respondent_id, ?, office_id, ?, CAST(month AS DATE), CAST(response_date AS DATE),
                               CAST(response_ts AS TIMESTAMP), pattern, min_score, {_PROFILE}
                        FROM {name}""", [batch_id, instrument])


def pool_batch(con, batch_id: int, instrument: str, sign: int = 1) -> None:
    """Add (sign 1) or take away (sign -1) one batch's sums of one instrument in the pooled tables;
    rows that reach zero go. Runs inside the import's or the delete's transaction."""
    # An UPDATE of the keys held, then an INSERT of the new ones: on DuckDB an ON CONFLICT upsert
    # checks its index row by row (~0,5 s per 600 000 office × month × item rows of a national file).
    con.execute(f"""
        UPDATE pooled_sums SET n_answers = pooled_sums.n_answers + {sign} * b.n_answers,
                               score_sum = pooled_sums.score_sum + {sign} * b.score_sum
        FROM answer_sums b
        WHERE b.batch_id = ? AND b.instrument = ? AND pooled_sums.office_id = b.office_id
          AND pooled_sums.month = b.month AND pooled_sums.instrument = b.instrument
          AND pooled_sums.item_no = b.item_no""", [batch_id, instrument])
    con.execute(f"""
        INSERT INTO pooled_sums (office_id, month, instrument, item_no, n_answers, score_sum)
        SELECT office_id, month, instrument, item_no, {sign} * n_answers, {sign} * score_sum
        FROM answer_sums b WHERE batch_id = ? AND instrument = ?
          AND NOT EXISTS (SELECT 1 FROM pooled_sums p WHERE p.office_id = b.office_id AND p.month = b.month
                          AND p.instrument = b.instrument AND p.item_no = b.item_no)""", [batch_id, instrument])
    con.execute(f"""
        INSERT INTO pooled_counts (office_id, month, instrument, n)
        SELECT office_id, month, instrument, {sign} * n FROM respondent_counts WHERE batch_id = ? AND instrument = ?
        ON CONFLICT (office_id, month, instrument) DO UPDATE SET n = pooled_counts.n + excluded.n""",
                [batch_id, instrument])
    if sign < 0:
        con.execute("DELETE FROM pooled_sums WHERE n_answers = 0")
        con.execute("DELETE FROM pooled_counts WHERE n = 0")
    _refresh_units(con, batch_id, instrument)
    _refresh_integrity(con, batch_id, instrument, leaving=sign < 0)
    _refresh_bursts(con, batch_id, instrument, leaving=sign < 0)


# The office × month × instrument keys of one batch and instrument (its rows are still there when a
# delete takes its sums away: trash.move_to_trash pools before it moves the rows).
_TOUCHED = """EXISTS (SELECT 1 FROM respondent_counts r WHERE r.batch_id = ? AND r.instrument = ?
                     AND r.office_id = {t}.office_id AND r.month = {t}.month AND r.instrument = {t}.instrument)"""


def _refresh_units(con, batch_id: int, instrument: str) -> None:
    """Recompute pooled_units (migration 008) for the keys this batch touches, from the pooled tables
    just updated: the same statement as the migration's, limited to those keys. On DuckDB the rows
    are read in key and item order and cut into lists in numpy (`_insert_units_from_rows`): building
    the lists in SQL (ordered array_agg) cost ~0,9 CPU-s per instrument for a 1,25 M-row file at 5M."""
    con.execute(f"DELETE FROM pooled_units WHERE {_TOUCHED.format(t='pooled_units')}", [batch_id, instrument])
    if store.dialect(con) == "duckdb":
        _insert_units_from_rows(con, batch_id, instrument)
        return
    con.execute(f"""
        INSERT INTO pooled_units (office_id, month, instrument, n, k, index_float, score_sums, n_answers)
        SELECT c.office_id, c.month, c.instrument, c.n, CAST(count(*) AS INTEGER),
               avg(CAST(s.score_sum AS DOUBLE PRECISION) / s.n_answers),
               array_agg(s.score_sum ORDER BY s.item_no), array_agg(s.n_answers ORDER BY s.item_no)
        FROM pooled_counts c
        JOIN pooled_sums s ON s.office_id = c.office_id AND s.month = c.month AND s.instrument = c.instrument
        WHERE s.n_answers > 0 AND {_TOUCHED.format(t='c')}
        GROUP BY c.office_id, c.month, c.instrument, c.n""", [batch_id, instrument])


def _insert_units_from_rows(con, batch_id: int, instrument: str) -> None:
    """pooled_units rows of the touched keys (DuckDB): the same n, k, float index (mean of the items'
    score_sum / n_answers) and item-ordered lists as the SQL statement gives."""
    rows = con.execute("""
        SELECT c.office_id, c.month, c.n, s.score_sum, s.n_answers
        FROM respondent_counts r
        JOIN pooled_counts c ON c.office_id = r.office_id AND c.month = r.month AND c.instrument = r.instrument
        JOIN pooled_sums s ON s.office_id = r.office_id AND s.month = r.month AND s.instrument = r.instrument
        WHERE r.batch_id = ? AND r.instrument = ? AND s.n_answers > 0
        ORDER BY c.office_id, c.month, s.item_no""", [batch_id, instrument]).fetchnumpy()
    office, month = np.asarray(rows["office_id"]), np.asarray(rows["month"])
    if not len(office):
        return
    score = np.asarray(rows["score_sum"], dtype=np.int64)
    answers = np.asarray(rows["n_answers"], dtype=np.int64)
    first = np.ones(len(office), dtype=bool)               # the first item row of each key
    first[1:] = (office[1:] != office[:-1]) | (month[1:] != month[:-1])
    starts = np.flatnonzero(first)
    bounds = np.append(starts, len(office)).astype(np.int32)
    k = np.diff(bounds)
    units = pa.table({
        "office_id": office[starts], "month": month[starts], "n": np.asarray(rows["n"])[starts],
        "k": k.astype(np.int32), "index_float": np.add.reduceat(score / answers, starts) / k,
        "score_sums": pa.ListArray.from_arrays(bounds, pa.array(score)),
        "n_answers": pa.ListArray.from_arrays(bounds, pa.array(answers))})
    with registered(con, units) as name:
        con.execute(f"INSERT INTO pooled_units (office_id, month, instrument, n, k, index_float, score_sums, n_answers) "
                    f"SELECT office_id, CAST(month AS DATE), ?, n, k, index_float, score_sums, n_answers FROM {name}",
                    [instrument])


def integrity_months_sql(rows: str) -> str:
    """The SELECT of integrity_months (migration 010) over the integrity_rows matching `rows` (an SQL
    condition on integrity_rows): the migration's statement, written once more here for a set of keys."""
    mins = ", ".join(f"count(*) FILTER (WHERE min_score = {s})" for s in range(1, 7))
    days = ", ".join(f"count(*) FILTER (WHERE extract(day FROM response_date) = {d})" for d in range(1, 32))
    return f"""
        SELECT c.office_id, c.month, c.instrument, c.n, c.min_counts, c.day_counts, c.n_timed, c.active_days,
               p.c, p.pattern
        FROM (SELECT office_id, month, instrument, count(*) AS n, ARRAY[{mins}] AS min_counts,
                     ARRAY[{days}] AS day_counts, count(response_ts) AS n_timed,
                     CAST(count(DISTINCT CASE WHEN response_ts IS NOT NULL THEN response_date END) AS INTEGER)
                         AS active_days
              FROM integrity_rows WHERE {rows} GROUP BY 1, 2, 3) AS c
        JOIN (SELECT v.office_id, v.month, v.instrument, v.c, min(v.pattern) AS pattern
              FROM (SELECT office_id, month, instrument, pattern, count(*) AS c
                    FROM integrity_rows WHERE {rows} GROUP BY 1, 2, 3, 4) AS v
              JOIN (SELECT office_id, month, instrument, max(c) AS c
                    FROM (SELECT office_id, month, instrument, count(*) AS c
                          FROM integrity_rows WHERE {rows} GROUP BY office_id, month, instrument, pattern) AS cs
                    GROUP BY 1, 2, 3) AS top
                ON top.office_id = v.office_id AND top.month = v.month AND top.instrument = v.instrument
               AND top.c = v.c
              GROUP BY 1, 2, 3, 4) AS p
          ON p.office_id = c.office_id AND p.month = c.month AND p.instrument = c.instrument"""


INTEGRITY_MONTHS_COLUMNS = ("office_id, month, instrument, n, min_counts, day_counts, n_timed, active_days, "
                            "modal_count, modal_pattern")


def _refresh_integrity(con, batch_id: int, instrument: str, leaving: bool) -> None:
    """Recompute integrity_months for the keys this batch touches from integrity_rows — without the
    batch's own rows when it is leaving (a delete pools before it moves the rows to the trash)."""
    con.execute(f"DELETE FROM integrity_months WHERE {_TOUCHED.format(t='integrity_months')}", [batch_id, instrument])
    rows = _TOUCHED.format(t="integrity_rows") + (" AND integrity_rows.batch_id <> ?" if leaving else "")
    params = [batch_id, instrument] + ([batch_id] if leaving else [])
    con.execute(f"INSERT INTO integrity_months ({INTEGRITY_MONTHS_COLUMNS}) {integrity_months_sql(rows)}",
                params * 3)


# integrity_bursts (migration 010): computed for the rules file's windows, which each row records; the
# signal query uses the rows only when its rules have the same windows (else it reads integrity_rows).
INTEGRITY_BURSTS_COLUMNS = ("office_id, month, instrument, burst_seconds, double_seconds, count_x, start_x, "
                            "pattern_count_x, pattern_x, count_m, start_m, pattern_count_m, pattern_m, "
                            "double_pairs, double_first")


def integrity_bursts_sql(source: str, burst_seconds: int, double_seconds: int) -> str:
    """The SELECT of integrity_bursts over `source`: timed rows (office_id, instrument, month, ts,
    pattern, profile, is_key) holding every row the key months' windows reach (their neighbour months).
    Per key month, as the signal query computes them over the office × instrument's timeline: the
    busiest window [t, t + burst) starting at one of the month's forms (its count, its first start, the
    most common vector in it) once counting the next month's forms too (x: the next month is read) and
    once only the month's own (m: the month ends the window read); double submits (a form with the
    same vector and profile as the form before it, within double_seconds), and the first."""
    # The window's forms are joined month by month (its own, the next): equal keys, not a range join of
    # every start with every form of the office × instrument (48 M pairs at 1M respondents). The month's
    # own count (in_m) needs no second window pass (1,5 s at 1M): it is in_x when the window ends inside
    # the month, else the month's forms from this one on (the month's size less the forms before it).
    b, d = int(burst_seconds) - 1, int(double_seconds)
    window = f"RANGE BETWEEN CURRENT ROW AND INTERVAL '{b} seconds' FOLLOWING"
    same = "w.office_id = s.office_id AND w.instrument = s.instrument"
    return f"""
        WITH t AS ({source}),
        w0 AS (SELECT office_id, instrument, month, ts, pattern, is_key,
                      count(*) OVER (PARTITION BY office_id, instrument ORDER BY ts {window}) AS in_x,
                      rank() OVER o AS position,
                      CASE WHEN ts - lag(ts) OVER o <= INTERVAL '{d} seconds' AND pattern = lag(pattern) OVER o
                                AND profile = lag(profile) OVER o THEN 1 ELSE 0 END AS is_double
               FROM t WINDOW o AS (PARTITION BY office_id, instrument ORDER BY ts)),
        sizes AS (SELECT office_id, instrument, month, count(*) AS m_total,
                         CAST(sum(count(*)) OVER (PARTITION BY office_id, instrument ORDER BY month) - count(*) + 1
                              AS BIGINT) AS m_first
                  FROM t GROUP BY 1, 2, 3),
        w AS (SELECT w0.office_id, w0.instrument, w0.month, w0.ts, w0.pattern, w0.is_key, w0.in_x, w0.is_double,
                     CASE WHEN w0.ts < CAST(w0.month + INTERVAL '1 month' AS TIMESTAMP) - INTERVAL '{b} seconds'
                          THEN w0.in_x ELSE s.m_total - (w0.position - s.m_first) END AS in_m
              FROM w0 JOIN sizes s ON s.office_id = w0.office_id AND s.instrument = w0.instrument
                                  AND s.month = w0.month),
        peak AS (SELECT office_id, instrument, month, max(in_x) AS count_x, max(in_m) AS count_m,
                        sum(is_double) AS double_pairs, min(CASE WHEN is_double = 1 THEN ts END) AS double_first
                 FROM w WHERE is_key = 1 GROUP BY 1, 2, 3),
        starts AS (SELECT p.office_id, p.instrument, p.month, CAST(p.month + INTERVAL '1 month' AS DATE) AS next_month,
                          min(CASE WHEN w.in_x = p.count_x THEN w.ts END) AS start_x,
                          min(CASE WHEN w.in_m = p.count_m THEN w.ts END) AS start_m
                   FROM peak p JOIN w ON w.office_id = p.office_id AND w.instrument = p.instrument AND w.month = p.month
                   GROUP BY 1, 2, 3, 4),
        in_x AS (SELECT s.office_id, s.instrument, s.month, w.pattern
                 FROM starts s JOIN w ON {same} AND w.month = s.month
                      AND w.ts >= s.start_x AND w.ts <= s.start_x + INTERVAL '{b} seconds'
                 UNION ALL
                 SELECT s.office_id, s.instrument, s.month, w.pattern
                 FROM starts s JOIN w ON {same} AND w.month = s.next_month
                      AND w.ts >= s.start_x AND w.ts <= s.start_x + INTERVAL '{b} seconds'),
        pat AS (SELECT office_id, instrument, month, 'x' AS variant, pattern, count(*) AS c
                FROM in_x GROUP BY 1, 2, 3, 4, 5
                UNION ALL
                SELECT s.office_id, s.instrument, s.month, 'm' AS variant, w.pattern, count(*) AS c
                FROM starts s JOIN w ON {same} AND w.month = s.month
                     AND w.ts >= s.start_m AND w.ts <= s.start_m + INTERVAL '{b} seconds'
                GROUP BY 1, 2, 3, 4, 5),
        top AS (SELECT office_id, instrument, month, variant, pattern, c
                FROM (SELECT *, row_number() OVER (PARTITION BY office_id, instrument, month, variant
                                                   ORDER BY c DESC, pattern) AS rank_in_month FROM pat) AS ranked
                WHERE rank_in_month = 1)
        SELECT p.office_id, p.month, p.instrument, {b + 1}, {d}, p.count_x, s.start_x, tx.c, tx.pattern,
               p.count_m, s.start_m, tm.c, tm.pattern, p.double_pairs, p.double_first
        FROM peak p
        JOIN starts s ON s.office_id = p.office_id AND s.instrument = p.instrument AND s.month = p.month
        JOIN top tx ON tx.office_id = p.office_id AND tx.instrument = p.instrument AND tx.month = p.month
                   AND tx.variant = 'x'
        JOIN top tm ON tm.office_id = p.office_id AND tm.instrument = p.instrument AND tm.month = p.month
                   AND tm.variant = 'm'"""


def _refresh_bursts(con, batch_id: int, instrument: str, leaving: bool) -> None:
    """Recompute integrity_bursts for the months this batch touches and their neighbours (a form
    changes the next month's first double submit and the month before's window over the turn of the
    month), reading two months either side — without the batch's rows when it is leaving."""
    touched = con.execute("SELECT DISTINCT office_id, month FROM respondent_counts WHERE batch_id = ? AND instrument = ?",
                          [batch_id, instrument]).fetchall()
    if not touched:
        return
    reach: dict[tuple, int] = {}
    for office_id, month in touched:
        for shift in range(-2, 3):
            key = (int(office_id), periods.add_months(month, shift))
            reach[key] = max(reach.get(key, 0), int(abs(shift) <= 1))
    keys = pa.table({"office_id": pa.array([k[0] for k in reach], pa.int64()),
                     "month": pa.array([k[1] for k in reach], pa.date32()),
                     "is_key": pa.array(list(reach.values()), pa.int32())})
    rules = integrity_rules.load_rules()
    with registered(con, keys) as name:
        con.execute(f"""DELETE FROM integrity_bursts WHERE instrument = ? AND EXISTS (
                            SELECT 1 FROM {name} k WHERE k.is_key = 1 AND k.office_id = integrity_bursts.office_id
                            AND k.month = integrity_bursts.month)""", [instrument])
        source = (f"SELECT r.office_id, r.instrument, r.month, r.response_ts AS ts, r.pattern, r.profile, k.is_key "
                  f"FROM integrity_rows r JOIN {name} k ON k.office_id = r.office_id AND k.month = r.month "
                  f"WHERE r.instrument = ? AND r.response_ts IS NOT NULL" + (" AND r.batch_id <> ?" if leaving else ""))
        sql = integrity_bursts_sql(source, int(rules.signal("burst")["window_minutes"]) * 60,
                                   int(rules.signal("double_submit")["window_minutes"]) * 60)
        con.execute(f"INSERT INTO integrity_bursts ({INTEGRITY_BURSTS_COLUMNS}) {sql}",
                    [instrument] + ([batch_id] if leaving else []))


def insert_rejects(con, rejected: pd.DataFrame, errors: pd.DataFrame, batch_id: int) -> None:
    """rejected: sheet, source_row, reasons, row_data; errors: sheet, row, column, value, message."""
    if rejected.empty:
        return
    with registered(con, rejected) as rows, registered(con, errors) as problems:
        con.execute(f"INSERT INTO rejected_rows (batch_id, sheet, source_row, reasons, row_data) "
                    f"SELECT ?, sheet, source_row, reasons, row_data FROM {rows}", [batch_id])
        con.execute(f"INSERT INTO reject_errors (batch_id, sheet, source_row, column_name, value, message) "
                    f'SELECT ?, sheet, "row", "column", value, message FROM {problems}', [batch_id])
