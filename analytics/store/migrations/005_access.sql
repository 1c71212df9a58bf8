-- 005: accounts, sessions, share links and the audit log (issue 8; rules in analytics/domain/access.py).
-- Secrets are never stored: passwords as argon2id hashes, session ids and link tokens as SHA-256.

-- users: one row per account. Scope: kanwils (role kanwil) or offices (role office); admin sees all.
CREATE SEQUENCE user_id_seq START 1;
CREATE TABLE users (
    user_id       INTEGER PRIMARY KEY DEFAULT nextval('user_id_seq'),
    username      VARCHAR NOT NULL UNIQUE,
    display_name  VARCHAR NOT NULL,
    role          VARCHAR NOT NULL,           -- 'admin' | 'kanwil' | 'office'
    kanwils       VARCHAR[] NOT NULL,         -- role kanwil: the Kanwil names it covers
    offices       INTEGER[] NOT NULL,         -- role office: its office_ids
    can_upload    BOOLEAN NOT NULL DEFAULT false,   -- role office: the admin allowed uploads
    password_hash VARCHAR NOT NULL,           -- argon2id, PHC string
    disabled      BOOLEAN NOT NULL DEFAULT false,
    failed_count  INTEGER NOT NULL DEFAULT 0, -- failed logins since the last success
    locked_until  TIMESTAMP,                  -- no login attempt is checked before this time
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    last_login    TIMESTAMP
);

-- share_links: one row per share link; the token itself is shown once and never stored.
CREATE SEQUENCE link_id_seq START 1;
CREATE TABLE share_links (
    link_id      INTEGER PRIMARY KEY DEFAULT nextval('link_id_seq'),
    token_hash   VARCHAR NOT NULL UNIQUE,     -- sha256 hex of the random token
    label        VARCHAR NOT NULL,            -- who it is shared with, e.g. "Ombudsman RI Perwakilan NTT"
    created_by   INTEGER NOT NULL,            -- users.user_id
    offices      INTEGER[] NOT NULL,
    instruments  VARCHAR[] NOT NULL,
    month_from   DATE NOT NULL,
    month_to     DATE NOT NULL,
    pages        VARCHAR[] NOT NULL,
    downloads    BOOLEAN NOT NULL DEFAULT false,
    created_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    expires_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP,
    last_used    TIMESTAMP,
    use_count    INTEGER NOT NULL DEFAULT 0
);

-- sessions: one row per signed-in browser (a user's login or an opened share link).
CREATE TABLE sessions (
    session_hash VARCHAR PRIMARY KEY,         -- sha256 hex of the cookie's random id
    user_id      INTEGER,                     -- exactly one of user_id / link_id is set
    link_id      INTEGER,
    created_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    last_seen    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    expires_at   TIMESTAMP NOT NULL
);

-- audit_log: one row per audited event; append-only (analytics/store/access.py only INSERTs).
CREATE SEQUENCE audit_id_seq START 1;
CREATE TABLE audit_log (
    audit_id      BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
    logged_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor         VARCHAR NOT NULL,           -- username, 'guest:<link label>', 'cli' or '-' (anonymous)
    actor_user_id INTEGER,                    -- the acting account, when there is one
    owner_user_id INTEGER,                    -- the account the entry concerns (a link's creator)
    action        VARCHAR NOT NULL,
    detail        VARCHAR NOT NULL            -- JSON object
);
