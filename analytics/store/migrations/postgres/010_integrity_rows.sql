-- 010 on PostgreSQL: the same tables and backfill (the vector's code from unnest WITH ORDINALITY instead
-- of DuckDB's list lambdas), and an index for the signal query's office × instrument × month lookups.
CREATE TABLE integrity_rows (
    respondent_id BIGINT NOT NULL,
    batch_id      INTEGER NOT NULL,
    office_id     INTEGER NOT NULL,
    instrument    VARCHAR NOT NULL,
    month         DATE NOT NULL,
    response_date DATE NOT NULL,
    response_ts   TIMESTAMP,
    pattern       BIGINT NOT NULL,
    min_score     SMALLINT NOT NULL,
    profile       VARCHAR
);
CREATE TABLE trash_integrity_rows (
    respondent_id BIGINT NOT NULL,
    batch_id      INTEGER NOT NULL,
    office_id     INTEGER NOT NULL,
    instrument    VARCHAR NOT NULL,
    month         DATE NOT NULL,
    response_date DATE NOT NULL,
    response_ts   TIMESTAMP,
    pattern       BIGINT NOT NULL,
    min_score     SMALLINT NOT NULL,
    profile       VARCHAR
);
CREATE TABLE integrity_bursts (
    office_id       INTEGER NOT NULL,
    month           DATE NOT NULL,
    instrument      VARCHAR NOT NULL,
    burst_seconds   INTEGER NOT NULL,     -- the window these rows were computed for (rules: burst.window_minutes)
    double_seconds  INTEGER NOT NULL,     -- and the double-submit reach (double_submit.window_minutes)
    count_x         BIGINT NOT NULL,      -- x: the next month's forms counted too (it is read)
    start_x         TIMESTAMP NOT NULL,
    pattern_count_x BIGINT NOT NULL,
    pattern_x       BIGINT NOT NULL,
    count_m         BIGINT NOT NULL,      -- m: the month's own forms only (it ends what is read)
    start_m         TIMESTAMP NOT NULL,
    pattern_count_m BIGINT NOT NULL,
    pattern_m       BIGINT NOT NULL,
    double_pairs    BIGINT NOT NULL,
    double_first    TIMESTAMP,
    PRIMARY KEY (office_id, month, instrument)
);
CREATE TABLE integrity_months (
    office_id     INTEGER NOT NULL,
    month         DATE NOT NULL,
    instrument    VARCHAR NOT NULL,
    n             BIGINT NOT NULL,
    min_counts    BIGINT[] NOT NULL,
    day_counts    BIGINT[] NOT NULL,
    n_timed       BIGINT NOT NULL,
    active_days   INTEGER NOT NULL,
    modal_count   BIGINT NOT NULL,
    modal_pattern BIGINT NOT NULL,
    PRIMARY KEY (office_id, month, instrument)
);
CREATE INDEX integrity_rows_key ON integrity_rows (office_id, instrument, month);
CREATE INDEX integrity_rows_batch ON integrity_rows (batch_id);

-- Existing stores: integrity_rows from the stored rows (the trash's too), integrity_months from those.
INSERT INTO integrity_rows (respondent_id, batch_id, office_id, instrument, month, response_date, response_ts, pattern, min_score, profile)
SELECT a.respondent_id, a.batch_id, r.office_id, a.instrument, r.month, r.response_date, r.response_ts,
       v.pattern, v.min_score,
       CASE WHEN r.response_ts IS NOT NULL THEN concat_ws('|', coalesce(r.gender, ''), coalesce(r.age_band, ''),
                 coalesce(r.education, ''), coalesce(r.occupation, ''), coalesce(r.service_type, '')) END
FROM answer_rows a JOIN respondents r ON r.respondent_id = a.respondent_id,
     LATERAL (SELECT CAST(sum(CAST(coalesce(x, 7) AS BIGINT) << CAST(3 * (21 - i) AS INTEGER)) AS BIGINT) AS pattern,
                     min(x) AS min_score
              FROM unnest(a.scores) WITH ORDINALITY AS u(x, i)) AS v;
INSERT INTO trash_integrity_rows (respondent_id, batch_id, office_id, instrument, month, response_date, response_ts, pattern, min_score, profile)
SELECT a.respondent_id, a.batch_id, r.office_id, a.instrument, r.month, r.response_date, r.response_ts,
       v.pattern, v.min_score,
       CASE WHEN r.response_ts IS NOT NULL THEN concat_ws('|', coalesce(r.gender, ''), coalesce(r.age_band, ''),
                 coalesce(r.education, ''), coalesce(r.occupation, ''), coalesce(r.service_type, '')) END
FROM trash_answer_rows a JOIN trash_respondents r ON r.respondent_id = a.respondent_id,
     LATERAL (SELECT CAST(sum(CAST(coalesce(x, 7) AS BIGINT) << CAST(3 * (21 - i) AS INTEGER)) AS BIGINT) AS pattern,
                     min(x) AS min_score
              FROM unnest(a.scores) WITH ORDINALITY AS u(x, i)) AS v;
INSERT INTO integrity_months (office_id, month, instrument, n, min_counts, day_counts, n_timed, active_days, modal_count, modal_pattern)
SELECT c.office_id, c.month, c.instrument, c.n, c.min_counts, c.day_counts, c.n_timed, c.active_days,
       p.c, p.pattern
FROM (SELECT office_id, month, instrument, count(*) AS n, ARRAY[count(*) FILTER (WHERE min_score = 1), count(*) FILTER (WHERE min_score = 2), count(*) FILTER (WHERE min_score = 3), count(*) FILTER (WHERE min_score = 4), count(*) FILTER (WHERE min_score = 5), count(*) FILTER (WHERE min_score = 6)] AS min_counts,
             ARRAY[count(*) FILTER (WHERE extract(day FROM response_date) = 1), count(*) FILTER (WHERE extract(day FROM response_date) = 2), count(*) FILTER (WHERE extract(day FROM response_date) = 3), count(*) FILTER (WHERE extract(day FROM response_date) = 4), count(*) FILTER (WHERE extract(day FROM response_date) = 5), count(*) FILTER (WHERE extract(day FROM response_date) = 6), count(*) FILTER (WHERE extract(day FROM response_date) = 7), count(*) FILTER (WHERE extract(day FROM response_date) = 8), count(*) FILTER (WHERE extract(day FROM response_date) = 9), count(*) FILTER (WHERE extract(day FROM response_date) = 10), count(*) FILTER (WHERE extract(day FROM response_date) = 11), count(*) FILTER (WHERE extract(day FROM response_date) = 12), count(*) FILTER (WHERE extract(day FROM response_date) = 13), count(*) FILTER (WHERE extract(day FROM response_date) = 14), count(*) FILTER (WHERE extract(day FROM response_date) = 15), count(*) FILTER (WHERE extract(day FROM response_date) = 16), count(*) FILTER (WHERE extract(day FROM response_date) = 17), count(*) FILTER (WHERE extract(day FROM response_date) = 18), count(*) FILTER (WHERE extract(day FROM response_date) = 19), count(*) FILTER (WHERE extract(day FROM response_date) = 20), count(*) FILTER (WHERE extract(day FROM response_date) = 21), count(*) FILTER (WHERE extract(day FROM response_date) = 22), count(*) FILTER (WHERE extract(day FROM response_date) = 23), count(*) FILTER (WHERE extract(day FROM response_date) = 24), count(*) FILTER (WHERE extract(day FROM response_date) = 25), count(*) FILTER (WHERE extract(day FROM response_date) = 26), count(*) FILTER (WHERE extract(day FROM response_date) = 27), count(*) FILTER (WHERE extract(day FROM response_date) = 28), count(*) FILTER (WHERE extract(day FROM response_date) = 29), count(*) FILTER (WHERE extract(day FROM response_date) = 30), count(*) FILTER (WHERE extract(day FROM response_date) = 31)] AS day_counts, count(response_ts) AS n_timed,
             CAST(count(DISTINCT CASE WHEN response_ts IS NOT NULL THEN response_date END) AS INTEGER)
                 AS active_days
      FROM integrity_rows WHERE TRUE GROUP BY 1, 2, 3) AS c
JOIN (SELECT v.office_id, v.month, v.instrument, v.c, min(v.pattern) AS pattern
      FROM (SELECT office_id, month, instrument, pattern, count(*) AS c
            FROM integrity_rows WHERE TRUE GROUP BY 1, 2, 3, 4) AS v
      JOIN (SELECT office_id, month, instrument, max(c) AS c
            FROM (SELECT office_id, month, instrument, count(*) AS c
                  FROM integrity_rows WHERE TRUE GROUP BY office_id, month, instrument, pattern) AS cs
            GROUP BY 1, 2, 3) AS top
        ON top.office_id = v.office_id AND top.month = v.month AND top.instrument = v.instrument
       AND top.c = v.c
      GROUP BY 1, 2, 3, 4) AS p
  ON p.office_id = c.office_id AND p.month = c.month AND p.instrument = c.instrument;
INSERT INTO integrity_bursts (office_id, month, instrument, burst_seconds, double_seconds, count_x, start_x, pattern_count_x, pattern_x, count_m, start_m, pattern_count_m, pattern_m, double_pairs, double_first)
WITH t AS (SELECT office_id, instrument, month, response_ts AS ts, pattern, profile, 1 AS is_key FROM integrity_rows WHERE response_ts IS NOT NULL),
w0 AS (SELECT office_id, instrument, month, ts, pattern, is_key,
              count(*) OVER (PARTITION BY office_id, instrument ORDER BY ts RANGE BETWEEN CURRENT ROW AND INTERVAL '599 seconds' FOLLOWING) AS in_x,
              rank() OVER o AS position,
              CASE WHEN ts - lag(ts) OVER o <= INTERVAL '120 seconds' AND pattern = lag(pattern) OVER o
                        AND profile = lag(profile) OVER o THEN 1 ELSE 0 END AS is_double
       FROM t WINDOW o AS (PARTITION BY office_id, instrument ORDER BY ts)),
sizes AS (SELECT office_id, instrument, month, count(*) AS m_total,
                 CAST(sum(count(*)) OVER (PARTITION BY office_id, instrument ORDER BY month) - count(*) + 1
                      AS BIGINT) AS m_first
          FROM t GROUP BY 1, 2, 3),
w AS (SELECT w0.office_id, w0.instrument, w0.month, w0.ts, w0.pattern, w0.is_key, w0.in_x, w0.is_double,
             CASE WHEN w0.ts < CAST(w0.month + INTERVAL '1 month' AS TIMESTAMP) - INTERVAL '599 seconds'
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
         FROM starts s JOIN w ON w.office_id = s.office_id AND w.instrument = s.instrument AND w.month = s.month
              AND w.ts >= s.start_x AND w.ts <= s.start_x + INTERVAL '599 seconds'
         UNION ALL
         SELECT s.office_id, s.instrument, s.month, w.pattern
         FROM starts s JOIN w ON w.office_id = s.office_id AND w.instrument = s.instrument AND w.month = s.next_month
              AND w.ts >= s.start_x AND w.ts <= s.start_x + INTERVAL '599 seconds'),
pat AS (SELECT office_id, instrument, month, 'x' AS variant, pattern, count(*) AS c
        FROM in_x GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        SELECT s.office_id, s.instrument, s.month, 'm' AS variant, w.pattern, count(*) AS c
        FROM starts s JOIN w ON w.office_id = s.office_id AND w.instrument = s.instrument AND w.month = s.month
             AND w.ts >= s.start_m AND w.ts <= s.start_m + INTERVAL '599 seconds'
        GROUP BY 1, 2, 3, 4, 5),
top AS (SELECT office_id, instrument, month, variant, pattern, c
        FROM (SELECT *, row_number() OVER (PARTITION BY office_id, instrument, month, variant
                                           ORDER BY c DESC, pattern) AS rank_in_month FROM pat) AS ranked
        WHERE rank_in_month = 1)
SELECT p.office_id, p.month, p.instrument, 600, 120, p.count_x, s.start_x, tx.c, tx.pattern,
       p.count_m, s.start_m, tm.c, tm.pattern, p.double_pairs, p.double_first
FROM peak p
JOIN starts s ON s.office_id = p.office_id AND s.instrument = p.instrument AND s.month = p.month
JOIN top tx ON tx.office_id = p.office_id AND tx.instrument = p.instrument AND tx.month = p.month
           AND tx.variant = 'x'
JOIN top tm ON tm.office_id = p.office_id AND tm.instrument = p.instrument AND tm.month = p.month
           AND tm.variant = 'm';
