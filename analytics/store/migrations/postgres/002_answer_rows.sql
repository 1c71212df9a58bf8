-- 002 on PostgreSQL: the same answer_rows table (scores SMALLINT[], PostgreSQL has no unsigned tinyint),
-- created empty — a PostgreSQL store starts at this code, it never held the old one-row-per-item answers.
-- Also the DuckDB functions the shared queries call, so one SQL text serves both engines.
CREATE TABLE answer_rows (
    respondent_id BIGINT NOT NULL,
    batch_id      INTEGER NOT NULL,
    instrument    VARCHAR NOT NULL,
    scores        SMALLINT[] NOT NULL
);
DROP TABLE answers;

-- list_contains(list, x): true when x is an element (anycompatible: an int[] parameter meets an INTEGER column).
CREATE FUNCTION list_contains(anycompatiblearray, anycompatible) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS 'SELECT $2 = ANY($1)';
-- list_min(list): the smallest non-NULL element.
CREATE FUNCTION list_min(anyarray) RETURNS anyelement
    LANGUAGE sql IMMUTABLE AS 'SELECT min(x) FROM unnest($1) AS x';
