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
INSERT INTO integrity_months (office_id, month, instrument, n, min_counts, day_counts, n_timed, active_days,
                              modal_count, modal_pattern)
SELECT c.office_id, c.month, c.instrument, c.n, c.min_counts, c.day_counts, c.n_timed, c.active_days,
       p.c, p.pattern
FROM (SELECT office_id, month, instrument, count(*) AS n,
             ARRAY[count(*) FILTER (WHERE min_score = 1),
                   count(*) FILTER (WHERE min_score = 2),
                   count(*) FILTER (WHERE min_score = 3),
                   count(*) FILTER (WHERE min_score = 4),
                   count(*) FILTER (WHERE min_score = 5),
                   count(*) FILTER (WHERE min_score = 6)] AS min_counts,
             ARRAY[count(*) FILTER (WHERE extract(day FROM response_date) = 1),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 2),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 3),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 4),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 5),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 6),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 7),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 8),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 9),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 10),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 11),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 12),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 13),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 14),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 15),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 16),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 17),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 18),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 19),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 20),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 21),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 22),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 23),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 24),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 25),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 26),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 27),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 28),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 29),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 30),
                   count(*) FILTER (WHERE extract(day FROM response_date) = 31)] AS day_counts,
             count(response_ts) AS n_timed,
             CAST(count(DISTINCT CASE WHEN response_ts IS NOT NULL THEN response_date END) AS INTEGER) AS active_days
      FROM integrity_rows WHERE TRUE GROUP BY 1, 2, 3) AS c
JOIN (SELECT office_id, month, instrument, pattern, c
      FROM (SELECT office_id, month, instrument, pattern, count(*) AS c,
                   row_number() OVER (PARTITION BY office_id, month, instrument ORDER BY count(*) DESC, pattern) AS rank_in_month
            FROM integrity_rows WHERE TRUE GROUP BY 1, 2, 3, 4) AS ranked
      WHERE rank_in_month = 1) AS p
  ON p.office_id = c.office_id AND p.month = c.month AND p.instrument = c.instrument;
