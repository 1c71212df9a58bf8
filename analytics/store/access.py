"""The SQL of accounts, sessions, share links and the audit log (migration 005). The rules — roles,
scope, link validity, lockout — are in analytics/domain/access.py; this module only reads and writes
rows. The audit log is append-only: there is an INSERT here and no UPDATE or DELETE of it.
"""
from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd

from analytics import store

_USER_COLUMNS = ("user_id", "username", "display_name", "role", "kanwils", "offices", "can_upload",
                 "password_hash", "disabled", "failed_count", "locked_until", "created_at", "last_login")
_LINK_COLUMNS = ("link_id", "token_hash", "label", "created_by", "offices", "instruments", "month_from",
                 "month_to", "pages", "downloads", "created_at", "expires_at", "revoked_at", "last_used",
                 "use_count")


def _record(columns, row) -> dict | None:
    return dict(zip(columns, row)) if row is not None else None


# --- users ----------------------------------------------------------------------------------------

def count_users(con) -> int:
    return store.fetch_one(con, "SELECT count(*) FROM users")[0]


def add_user(con, username: str, display_name: str, role: str, password_hash: str, kanwils=(), offices=(),
             can_upload: bool = False) -> int:
    row = store.fetch_one(con, """
        INSERT INTO users (username, display_name, role, kanwils, offices, can_upload, password_hash)
        VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING user_id
    """, [username, display_name, role, list(kanwils), [int(o) for o in offices], bool(can_upload),
          password_hash])
    return int(row[0])


def user(con, username: str) -> dict | None:
    return _record(_USER_COLUMNS, store.fetch_one(
        con, f"SELECT {', '.join(_USER_COLUMNS)} FROM users WHERE username = ?", [username]))


def user_by_id(con, user_id: int) -> dict | None:
    return _record(_USER_COLUMNS, store.fetch_one(
        con, f"SELECT {', '.join(_USER_COLUMNS)} FROM users WHERE user_id = ?", [user_id]))


def list_users(con) -> pd.DataFrame:
    return con.execute("""
        SELECT user_id, username, display_name, role, array_to_string(kanwils, '; ') AS kanwils,
               array_to_string(offices, ', ') AS offices, can_upload, disabled, failed_count, locked_until,
               last_login
        FROM users ORDER BY username
    """).fetchdf()


def update_user(con, user_id: int, display_name: str, role: str, kanwils, offices, can_upload: bool) -> None:
    con.execute("""
        UPDATE users SET display_name = ?, role = ?, kanwils = ?, offices = ?, can_upload = ? WHERE user_id = ?
    """, [display_name, role, list(kanwils), [int(o) for o in offices], bool(can_upload), int(user_id)])


def set_disabled(con, user_id: int, disabled: bool) -> None:
    with store.transaction(con):
        con.execute("UPDATE users SET disabled = ? WHERE user_id = ?", [bool(disabled), user_id])
        if disabled:
            con.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])


def set_password(con, user_id: int, password_hash: str) -> None:
    """A new password ends every session of the account and lifts a lockout."""
    with store.transaction(con):
        con.execute("UPDATE users SET password_hash = ?, failed_count = 0, locked_until = NULL "
                    "WHERE user_id = ?", [password_hash, user_id])
        con.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])


def record_failure(con, user_id: int, failed_count: int, locked_until: datetime | None) -> None:
    con.execute("UPDATE users SET failed_count = ?, locked_until = ? WHERE user_id = ?",
                [failed_count, locked_until, user_id])


def record_success(con, user_id: int, now: datetime) -> None:
    con.execute("UPDATE users SET failed_count = 0, locked_until = NULL, last_login = ? WHERE user_id = ?",
                [now, user_id])


# --- sessions -------------------------------------------------------------------------------------

def create_session(con, session_hash: str, now: datetime, expires_at: datetime, user_id: int | None = None,
                   link_id: int | None = None) -> None:
    if (user_id is None) == (link_id is None):
        raise ValueError("a session belongs to exactly one user or one link")
    con.execute("INSERT INTO sessions (session_hash, user_id, link_id, created_at, last_seen, expires_at) "
                "VALUES (?, ?, ?, ?, ?, ?)", [session_hash, user_id, link_id, now, now, expires_at])


def session(con, session_hash: str) -> dict | None:
    """The session row with its account or link: {'session': …, 'user': … | None, 'link': … | None}."""
    row = store.fetch_one(con, "SELECT user_id, link_id, created_at, last_seen, expires_at FROM sessions "
                          "WHERE session_hash = ?", [session_hash])
    if row is None:
        return None
    found = {"session": dict(zip(("user_id", "link_id", "created_at", "last_seen", "expires_at"), row)),
             "user": None, "link": None}
    if row[0] is not None:
        found["user"] = user_by_id(con, row[0])
    if row[1] is not None:
        found["link"] = link(con, row[1])
        if found["link"] is not None:
            found["user"] = user_by_id(con, found["link"]["created_by"])
    return found


def touch_session(con, session_hash: str, now: datetime) -> None:
    con.execute("UPDATE sessions SET last_seen = ? WHERE session_hash = ?", [now, session_hash])


def delete_session(con, session_hash: str) -> bool:
    return bool(store.fetch_one(con, "DELETE FROM sessions WHERE session_hash = ? RETURNING 1", [session_hash]))


def delete_expired_sessions(con, now: datetime) -> None:
    con.execute("DELETE FROM sessions WHERE expires_at <= ?", [now])


# --- share links ----------------------------------------------------------------------------------

def create_link(con, token_hash: str, label: str, created_by: int, offices, instruments, month_from: date,
                month_to: date, pages, downloads: bool, now: datetime, expires_at: datetime) -> int:
    row = store.fetch_one(con, """
        INSERT INTO share_links (token_hash, label, created_by, offices, instruments, month_from, month_to,
                                 pages, downloads, created_at, expires_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING link_id
    """, [token_hash, label, created_by, [int(o) for o in offices], list(instruments), month_from, month_to,
          list(pages), bool(downloads), now, expires_at])
    return int(row[0])


def link(con, link_id: int) -> dict | None:
    return _record(_LINK_COLUMNS, store.fetch_one(
        con, f"SELECT {', '.join(_LINK_COLUMNS)} FROM share_links WHERE link_id = ?", [link_id]))


def link_by_hash(con, token_hash: str) -> dict | None:
    return _record(_LINK_COLUMNS, store.fetch_one(
        con, f"SELECT {', '.join(_LINK_COLUMNS)} FROM share_links WHERE token_hash = ?", [token_hash]))


def record_link_use(con, link_id: int, now: datetime) -> None:
    con.execute("UPDATE share_links SET last_used = ?, use_count = use_count + 1 WHERE link_id = ?",
                [now, link_id])


def list_links(con, created_by: int | None = None) -> pd.DataFrame:
    """Links (of one creator, or all), newest first; the token hash is not part of it."""
    where, params = ("WHERE l.created_by = ?", [created_by]) if created_by is not None else ("", [])
    return con.execute(f"""
        SELECT l.link_id, l.label, u.username AS created_by, l.offices, l.instruments, l.month_from,
               l.month_to, l.pages, l.downloads, l.created_at, l.expires_at, l.revoked_at, l.last_used,
               l.use_count
        FROM share_links l LEFT JOIN users u ON u.user_id = l.created_by
        {where} ORDER BY l.link_id DESC
    """, params).fetchdf()


def revoke_link(con, link_id: int, now: datetime) -> bool:
    """Revoke a link; False when unknown or already revoked. Its guests' sessions stay until they
    expire, so their next rerun can say the link was revoked (the session check refuses them)."""
    done = store.fetch_one(con, "UPDATE share_links SET revoked_at = ? WHERE link_id = ? AND revoked_at IS NULL "
                           "RETURNING 1", [now, link_id])
    return bool(done)


# --- audit log (append-only) ----------------------------------------------------------------------

def audit(con, actor: str, action: str, detail: dict | None = None, actor_user_id: int | None = None,
          owner_user_id: int | None = None, at: datetime | None = None) -> None:
    con.execute("INSERT INTO audit_log (logged_at, actor, actor_user_id, owner_user_id, action, detail) "
                "VALUES (coalesce(?, current_timestamp), ?, ?, ?, ?, ?)",
                [at, actor, actor_user_id, owner_user_id if owner_user_id is not None else actor_user_id,
                 action, json.dumps(detail or {}, ensure_ascii=False, default=str, sort_keys=True)])


def audit_entries(con, user_id: int | None = None, limit: int = 2000) -> pd.DataFrame:
    """Newest first: every entry (user_id None) or those a user made or that concern them."""
    where, params = ("WHERE actor_user_id = ? OR owner_user_id = ?", [user_id, user_id]) \
        if user_id is not None else ("", [])
    return con.execute(f"SELECT audit_id, logged_at, actor, action, detail FROM audit_log {where} "
                       f"ORDER BY audit_id DESC LIMIT ?", [*params, limit]).fetchdf()


def respondent_offices(con, respondent_ids) -> dict[int, int]:
    """respondent_id → office_id of the given respondents (unknown ids are left out)."""
    ids = [int(i) for i in respondent_ids]
    if not ids:
        return {}
    rows = con.execute("SELECT respondent_id, office_id FROM respondents WHERE list_contains(?, respondent_id)",
                       [ids]).fetchall()
    return {int(r): int(o) for r, o in rows}


def set_saran_shared(con, respondent_ids, shared: bool, user_id: int | None, now: datetime) -> None:
    """Mark (shared) or unmark the saran of these respondents as reviewed for sharing (migration 007)."""
    ids = [int(i) for i in respondent_ids]
    if not ids:
        return
    con.execute("DELETE FROM saran_reviews WHERE list_contains(?, respondent_id)", [ids])
    if shared:
        con.execute("""
            INSERT INTO saran_reviews (respondent_id, batch_id, reviewed_by, reviewed_at)
            SELECT respondent_id, batch_id, ?, ? FROM respondents WHERE list_contains(?, respondent_id)
        """, [user_id, now, ids])


def batch_offices(con) -> dict[int, set[int]]:
    """The offices each batch holds rows of (who may see and delete it)."""
    found: dict[int, set[int]] = {}
    for batch_id, office_id in con.execute("SELECT DISTINCT batch_id, office_id FROM respondent_counts").fetchall():
        found.setdefault(int(batch_id), set()).add(int(office_id))
    return found
