-- 008: one row per office × month × instrument with what the office × month indices need, so that
-- query reads rows instead of grouping pooled_sums (1,6 M rows at 5 M respondents) into 108 000 groups
-- on every call (issue 12): n (as pooled_counts), k = items with at least one answer, the index as a
-- float (mean over those items of score_sum / n_answers), and those items' sums in item order, from which
-- the exact index of a row near a rounding tie is computed (~0,1 % of rows; reading them from here costs a
-- quarter of regrouping pooled_sums for them). Kept current for the keys a batch touches by
-- writes.pool_batch, inside the import, delete and restore transactions; equal to a rebuild from
-- pooled_sums/pooled_counts after each (tests). The float is never shown as it is: the reading query
-- rounds it half-up and re-decides it from the exact item sums when it lies near a tie (domain.md §4.6).
CREATE TABLE pooled_units (
    office_id   INTEGER NOT NULL,
    month       DATE NOT NULL,
    instrument  VARCHAR NOT NULL,
    n           BIGINT NOT NULL,
    k           INTEGER NOT NULL,
    index_float DOUBLE PRECISION NOT NULL,
    score_sums  BIGINT[] NOT NULL,      -- Σ score of each answered item, in item order
    n_answers   BIGINT[] NOT NULL,      -- n_i of the same items
    PRIMARY KEY (office_id, month, instrument)
);

INSERT INTO pooled_units (office_id, month, instrument, n, k, index_float, score_sums, n_answers)
SELECT c.office_id, c.month, c.instrument, c.n, CAST(count(*) AS INTEGER),
       avg(CAST(s.score_sum AS DOUBLE PRECISION) / s.n_answers),
       array_agg(s.score_sum ORDER BY s.item_no), array_agg(s.n_answers ORDER BY s.item_no)
FROM pooled_counts c
JOIN pooled_sums s ON s.office_id = c.office_id AND s.month = c.month AND s.instrument = c.instrument
WHERE s.n_answers > 0
GROUP BY c.office_id, c.month, c.instrument, c.n;
