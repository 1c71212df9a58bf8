-- 007: saran (free-text comments) a kanwil user reviewed and marked for sharing (issue 8). Guests and
-- reports for viewers without personal-data rights see only these. One row per marked respondent;
-- batch_id so that deleting a batch deletes its marks with it (store.BATCH_TABLES).
CREATE TABLE saran_reviews (
    respondent_id BIGINT PRIMARY KEY,
    batch_id      INTEGER NOT NULL,
    reviewed_by   INTEGER,                    -- users.user_id
    reviewed_at   TIMESTAMP NOT NULL
);
-- Its twin in the trash (migration 006): a deleted batch's marks move there and come back on restore.
CREATE TABLE trash_saran_reviews AS SELECT * FROM saran_reviews WHERE false;
