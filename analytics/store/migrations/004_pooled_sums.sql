-- Sums pooled over batches: one row per office × month × instrument × item (pooled_sums) and per
-- office × month × instrument (pooled_counts), equal at every commit to Σ over batches of answer_sums /
-- respondent_counts. Kept current inside the import and delete transactions (store/writes.py,
-- store.delete_batch), so reading queries never regroup per-batch rows (issue 12). Number 003 is left
-- for the accounts migration being written beside this one.
CREATE TABLE pooled_sums (
    office_id  INTEGER NOT NULL,
    month      DATE NOT NULL,
    instrument VARCHAR NOT NULL,
    item_no    SMALLINT NOT NULL,
    n_answers  BIGINT NOT NULL,         -- n_i over every batch
    score_sum  BIGINT NOT NULL,         -- Σ scores over every batch
    PRIMARY KEY (office_id, month, instrument, item_no)
);

CREATE TABLE pooled_counts (
    office_id  INTEGER NOT NULL,
    month      DATE NOT NULL,
    instrument VARCHAR NOT NULL,
    n          BIGINT NOT NULL,         -- respondents with ≥ 1 valid answer, over every batch
    PRIMARY KEY (office_id, month, instrument)
);

INSERT INTO pooled_sums (office_id, month, instrument, item_no, n_answers, score_sum)
SELECT office_id, month, instrument, item_no, sum(n_answers), sum(score_sum)
FROM answer_sums GROUP BY office_id, month, instrument, item_no;

INSERT INTO pooled_counts (office_id, month, instrument, n)
SELECT office_id, month, instrument, sum(n) FROM respondent_counts GROUP BY office_id, month, instrument;
