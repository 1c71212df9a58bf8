-- 006: the trash of deleted batches (issue 13, restorable for `trash_days`) and the saran mask flag.

-- respondents.saran_masked: the importer replaced a phone number or e-mail address in the saran
-- (analytics/domain/privacy.py); the stored saran is the masked text. Rows imported before: false.
ALTER TABLE respondents ADD COLUMN saran_masked BOOLEAN DEFAULT false;

-- trash_batches: one row per deleted batch, with who deleted it when and the offices it had created.
CREATE TABLE trash_batches AS
    SELECT *, CAST(NULL AS TIMESTAMP) AS deleted_at, CAST(NULL AS VARCHAR) AS deleted_by,
           CAST(NULL AS INTEGER[]) AS created_offices
    FROM batches WHERE false;

-- trash_<table>: the deleted batches' rows of each batch table, same columns, moved back on restore.
CREATE TABLE trash_respondents AS SELECT * FROM respondents WHERE false;
CREATE TABLE trash_answer_rows AS SELECT * FROM answer_rows WHERE false;
CREATE TABLE trash_answer_sums AS SELECT * FROM answer_sums WHERE false;
CREATE TABLE trash_respondent_counts AS SELECT * FROM respondent_counts WHERE false;
CREATE TABLE trash_rejected_rows AS SELECT * FROM rejected_rows WHERE false;
CREATE TABLE trash_reject_errors AS SELECT * FROM reject_errors WHERE false;
