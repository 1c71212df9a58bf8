-- 001: initial schema. Every table states its grain (what one row is).
-- No primary-key indexes on the large tables: DuckDB's ART indexes slow bulk appends and the
-- importer assigns ids itself inside the import transaction (the app process is the single writer).

-- offices: one row per office (unit kerja), with its Kanwil and type.
CREATE SEQUENCE office_id_seq START 1;
CREATE TABLE offices (
    office_id        INTEGER PRIMARY KEY DEFAULT nextval('office_id_seq'),
    name             VARCHAR NOT NULL UNIQUE,
    kanwil           VARCHAR,
    office_type      VARCHAR,
    created_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by_batch INTEGER            -- the import that created it, when it was not in the master
);

-- office_aliases: one row per normalised name variant pointing to an office (its own name included).
CREATE TABLE office_aliases (
    alias_key VARCHAR PRIMARY KEY,      -- analytics.offices.name_key(alias)
    alias     VARCHAR NOT NULL,
    office_id INTEGER NOT NULL
);

-- batches: one row per import batch (one uploaded file).
CREATE SEQUENCE batch_id_seq START 1;
CREATE TABLE batches (
    batch_id       INTEGER PRIMARY KEY DEFAULT nextval('batch_id_seq'),
    file_name      VARCHAR NOT NULL,
    file_sha256    VARCHAR NOT NULL,    -- re-importing identical content is refused by this
    imported_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    source         VARCHAR NOT NULL,    -- 'cli' | 'upload' | 'demo'
    is_demo        BOOLEAN NOT NULL DEFAULT false,
    rows_read      INTEGER NOT NULL,
    rows_imported  INTEGER NOT NULL,
    rows_rejected  INTEGER NOT NULL,
    rows_duplicate INTEGER NOT NULL,
    instruments    VARCHAR[] NOT NULL,
    notes          VARCHAR[] NOT NULL   -- mapping and reading notes shown with the batch
);

-- respondents: one row per respondent per import batch (an imported row of a survey export).
CREATE TABLE respondents (
    respondent_id BIGINT NOT NULL,      -- unique across the store, assigned at import
    batch_id      INTEGER NOT NULL,
    sheet         VARCHAR,              -- workbook sheet, NULL for CSV
    source_row    INTEGER NOT NULL,     -- row number as the user sees it in Excel
    office_id     INTEGER NOT NULL,
    response_date DATE NOT NULL,
    month         DATE NOT NULL,        -- first day of response_date's month
    response_ts   TIMESTAMP,            -- only when the export carried a time of day
    external_id   VARCHAR,              -- the export's respondent id, if any
    dedup_key     VARCHAR,              -- office + id, or office + timestamp + answers; else NULL
    gender        VARCHAR, gender_raw VARCHAR,
    age_band      VARCHAR, age_raw    VARCHAR,
    education     VARCHAR, education_raw VARCHAR,
    occupation    VARCHAR,
    service_type  VARCHAR,
    saran         VARCHAR               -- free text, stored and shown as text only
);

-- answers: one row per respondent × instrument × answered item (blank answers are not stored).
CREATE TABLE answers (
    respondent_id BIGINT NOT NULL,
    batch_id      INTEGER NOT NULL,
    instrument    VARCHAR NOT NULL,
    item_no       SMALLINT NOT NULL,
    score         SMALLINT NOT NULL
);

-- answer_sums: one row per batch × office × month × instrument × item, derived from answers in the
-- import transaction and deleted with its batch. Indices pool these sums over any window, so a query
-- over millions of respondents reads thousands of rows.
CREATE TABLE answer_sums (
    batch_id   INTEGER NOT NULL,
    office_id  INTEGER NOT NULL,
    month      DATE NOT NULL,
    instrument VARCHAR NOT NULL,
    item_no    SMALLINT NOT NULL,
    n_answers  BIGINT NOT NULL,         -- n_i: valid answers on the item
    score_sum  BIGINT NOT NULL          -- Σ scores on the item
);

-- respondent_counts: one row per batch × office × month × instrument; n = respondents with at least
-- one valid answer on the instrument.
CREATE TABLE respondent_counts (
    batch_id   INTEGER NOT NULL,
    office_id  INTEGER NOT NULL,
    month      DATE NOT NULL,
    instrument VARCHAR NOT NULL,
    n          BIGINT NOT NULL
);

-- rejected_rows: one row per rejected source row, with its original cells (JSON object header → text)
-- so the operator can download, fix and re-upload only those.
CREATE TABLE rejected_rows (
    batch_id   INTEGER NOT NULL,
    sheet      VARCHAR,
    source_row INTEGER NOT NULL,
    reasons    VARCHAR NOT NULL,        -- all problems of the row, "; "-joined
    row_data   VARCHAR NOT NULL
);

-- reject_errors: one row per problem found in a rejected row (a row may have several).
CREATE TABLE reject_errors (
    batch_id    INTEGER NOT NULL,
    sheet       VARCHAR,
    source_row  INTEGER NOT NULL,
    column_name VARCHAR,
    value       VARCHAR,
    message     VARCHAR NOT NULL
);
