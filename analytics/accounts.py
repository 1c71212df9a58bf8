"""Sign-in, sessions, share links and the admin bootstrap: the rules of analytics/domain/access.py
applied to the rows of analytics/store/access.py, with an audit entry for every event. Used by the
web routes (ui/web.py), the Streamlit script (ui/session.py) and the CLI (`users …`); no Streamlit.

Every function takes `now` (naive local time, as the store's TIMESTAMP columns hold it) so tests can
move the clock; callers pass `now()`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from analytics import settings, store
from analytics.domain import access as rules
from analytics.errors import BadValue
from analytics.domain.access import Principal, Scope
from analytics.store import access as db
from analytics.store import offices as office_store

BOOTSTRAP_ADMIN = "admin"


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


# --- accounts -------------------------------------------------------------------------------------

def add_user(con, username: str, role: str, password: str, display_name: str | None = None, kanwils=(),
             office_names=(), can_upload: bool = False, actor: str = "cli", actor_user_id: int | None = None) -> int:
    """Create an account; a BadValue naming what is wrong (name, role, scope, unknown office, password)."""
    username = (username or "").strip()
    if not username or any(c.isspace() for c in username):
        raise BadValue("user_name", username=username)
    if db.user(con, username) is not None:
        raise BadValue("user_exists", username=username)
    kanwils, office_ids = _account_scope(con, role, kanwils, office_names)
    user_id = db.add_user(con, username, display_name or username, role, _hash(password), kanwils, office_ids,
                          can_upload and role == "office")
    db.audit(con, actor, "user_added", {"username": username, "role": role, "kanwils": list(kanwils),
                                        "offices": list(office_names)}, actor_user_id, user_id)
    return user_id


def update_user(con, username: str, role: str, display_name: str, kanwils=(), office_names=(),
                can_upload: bool = False, actor: str = "cli", actor_user_id: int | None = None) -> None:
    """Change an account's role, Kanwil/office assignment, upload right and name. Its sessions stay:
    the scope is computed from the account row on every rerun, so the change applies at once."""
    found = _user(con, username)
    kanwils, office_ids = _account_scope(con, role, kanwils, office_names)
    db.update_user(con, found["user_id"], display_name or username, role, kanwils, office_ids,
                   can_upload and role == "office")
    db.audit(con, actor, "user_changed", {"username": username, "role": role, "kanwils": list(kanwils),
                                          "offices": list(office_names), "can_upload": bool(can_upload)},
             actor_user_id, found["user_id"])


def _account_scope(con, role: str, kanwils, office_names) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """(kanwils, office ids) an account of `role` keeps; BadValue when the role or the scope is wrong."""
    if role not in rules.ROLES:
        raise BadValue("user_role", role=role)
    office_ids = ()
    if office_names:
        resolved = office_store.resolve(con, list(office_names))
        unknown = [name for name, found in resolved.items() if found is None]
        if unknown:
            raise BadValue("user_offices", names=", ".join(unknown))
        office_ids = tuple(int(resolved[name]) for name in office_names)
    if role == "kanwil" and not kanwils:
        raise BadValue("user_needs_kanwil", hint="user_kanwil")
    if role == "office" and not office_ids:
        raise BadValue("user_needs_office", hint="user_office")
    return (tuple(kanwils) if role == "kanwil" else ()), (office_ids if role == "office" else ())


def _hash(password: str) -> str:
    if not password or len(password) < 8:
        raise BadValue("user_password")
    return rules.hash_password(password)


def _user(con, username: str) -> dict:
    found = db.user(con, username)
    if found is None:
        raise BadValue("user_unknown", username=username)
    return found


def ensure_admin(con) -> str | None:
    """First start: with no account at all, create `admin` with a generated password and return it
    (the caller prints it once; it is written nowhere else). None when accounts exist."""
    if db.count_users(con):
        return None
    password = rules.new_password()
    add_user(con, BOOTSTRAP_ADMIN, "admin", password, display_name="Administrator", actor="bootstrap")
    return password


def set_disabled(con, username: str, disabled: bool = True, actor: str = "cli") -> None:
    found = _user(con, username)
    db.set_disabled(con, found["user_id"], disabled)
    db.audit(con, actor, "user_disabled" if disabled else "user_enabled", {"username": username},
             owner_user_id=found["user_id"])


def reset_password(con, username: str, password: str | None = None, actor: str = "cli") -> str:
    found = _user(con, username)
    password = password or rules.new_password()
    db.set_password(con, found["user_id"], _hash(password))
    db.audit(con, actor, "password_reset", {"username": username}, owner_user_id=found["user_id"])
    return password


def principal_of_user(row: dict) -> Principal:
    return Principal(role=row["role"], name=row["username"], user_id=row["user_id"],
                     display_name=row["display_name"], kanwils=tuple(row["kanwils"] or ()),
                     offices=tuple(int(o) for o in row["offices"] or ()), can_upload=bool(row["can_upload"]))


def principal_of_link(link: dict) -> Principal:
    return Principal(role="guest", name=link["label"], user_id=link["created_by"], display_name=link["label"],
                     offices=tuple(int(o) for o in link["offices"] or ()),
                     instruments=tuple(link["instruments"] or ()), month_from=link["month_from"],
                     month_to=link["month_to"], pages=tuple(link["pages"] or ()),
                     downloads=bool(link["downloads"]), link_id=link["link_id"], expires_at=link["expires_at"])


# --- sign-in --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Login:
    ok: bool
    reason: str                          # 'ok' | 'bad_credentials' | 'locked' | 'disabled'
    token: str | None = None             # the new session id (the cookie's value) when ok
    locked_until: datetime | None = None


def login(con, username: str, password: str, at: datetime, client: str = "") -> Login:
    """Check a password (argon2id) with lockout and backoff; a session on success. Every outcome is
    audited; an unknown user and a wrong password get the same answer."""
    username = (username or "").strip()
    found = db.user(con, username) if username else None
    detail = {"username": username[:80], "client": client}
    if found is None:
        rules.verify_password(_dummy_hash(), password or "x")       # the same work as a real check
        db.audit(con, "-", "login_failed", {**detail, "why": "unknown user"})
        return Login(False, "bad_credentials")
    user_id = found["user_id"]
    if found["locked_until"] is not None and found["locked_until"] > at:
        db.audit(con, username, "login_locked", {**detail, "until": found["locked_until"]}, user_id)
        return Login(False, "locked", locked_until=found["locked_until"])
    if not rules.verify_password(found["password_hash"], password or ""):
        failures = int(found["failed_count"]) + 1
        until = rules.lockout_until(failures, at, settings.get("login_max_failures"), settings.get("lockout_minutes"))
        db.record_failure(con, user_id, failures, until)
        db.audit(con, username, "login_failed", {**detail, "why": "wrong password", "failures": failures,
                                                 "locked_until": until}, user_id)
        return Login(False, "locked" if until else "bad_credentials", locked_until=until)
    if found["disabled"]:
        db.audit(con, username, "login_failed", {**detail, "why": "account disabled"}, user_id)
        return Login(False, "disabled")
    token = rules.new_token()
    db.record_success(con, user_id, at)
    db.create_session(con, rules.token_hash(token), at, at + timedelta(hours=settings.get("session_hours")),
                      user_id=user_id)
    db.audit(con, username, "login", detail, user_id)
    return Login(True, "ok", token=token)


_DUMMY = {}


def _dummy_hash() -> str:
    if "hash" not in _DUMMY:
        _DUMMY["hash"] = rules.hash_password("not-a-real-password")
    return _DUMMY["hash"]


def logout(con, token: str | None, at: datetime) -> None:
    if not token:
        return
    found = db.session(con, rules.token_hash(token))
    if db.delete_session(con, rules.token_hash(token)) and found:
        who = found["user"]["username"] if found["user"] and not found["link"] else \
            f"guest:{found['link']['label']}" if found["link"] else "-"
        db.audit(con, who, "logout", {}, found["session"]["user_id"],
                 found["user"]["user_id"] if found["user"] else None, at=at)


def resolve_session(con, token: str | None, at: datetime) -> tuple[Principal | None, str]:
    """The principal of a session id, checked against the store on every call (a revoked link, a
    disabled account, an expired session stop at once). Reason: 'ok', 'none' (no cookie), 'unknown'
    (no such session: tampered or logged out), 'expired', 'revoked', 'disabled'."""
    if not token:
        return None, "none"
    found = db.session(con, rules.token_hash(token))
    if found is None:
        return None, "unknown"
    if found["session"]["expires_at"] <= at:
        return None, "expired"
    if found["link"] is not None:
        state = rules.link_state(found["link"]["revoked_at"], found["link"]["expires_at"], at)
        if state != "ok":
            return None, state
        creator = found["user"]
        if creator is None or creator["disabled"]:
            return None, "revoked"       # a link dies with its creator's account
        return principal_of_link(found["link"]), "ok"
    if found["user"] is None:
        return None, "unknown"
    if found["user"]["disabled"]:
        return None, "disabled"
    seen = found["session"]["last_seen"]
    if seen is None or at - seen > timedelta(minutes=1):
        db.touch_session(con, rules.token_hash(token), at)
    return principal_of_user(found["user"]), "ok"


# --- share links ----------------------------------------------------------------------------------

def create_link(con, creator: Principal, creator_scope: Scope, spec: rules.LinkSpec, at: datetime) -> str:
    """A new link within the creator's scope; returns the token (shown once, only its hash is kept)."""
    if not creator_scope.can_share or creator.user_id is None:
        raise PermissionError("this account may not share")
    problems = spec.problems(creator_scope)
    if problems:
        raise ValueError("; ".join(problems))
    token = rules.new_token()
    link_id = db.create_link(con, rules.token_hash(token), spec.label.strip(), creator.user_id, spec.offices,
                             spec.instruments, spec.month_from, spec.month_to, spec.pages, spec.downloads, at,
                             rules.link_expiry(spec.days, at))
    db.audit(con, creator.actor, "link_created", {
        "link_id": link_id, "label": spec.label, "offices": list(spec.offices), "instruments": list(spec.instruments),
        "from": spec.month_from, "to": spec.month_to, "pages": list(spec.pages), "downloads": spec.downloads,
        "days": spec.days}, creator.user_id)
    return token


def open_link(con, token: str, at: datetime, client: str = "") -> tuple[str | None, str, dict | None]:
    """A share link opened: (new guest session id, 'ok', link) or (None, 'unknown'|'expired'|'revoked', link)."""
    found = db.link_by_hash(con, rules.token_hash(token)) if token else None
    if found is None:
        db.audit(con, "-", "link_refused", {"why": "unknown", "token_hash": rules.token_hash(token or "")[:12],
                                            "client": client})
        return None, "unknown", None
    state = rules.link_state(found["revoked_at"], found["expires_at"], at)
    creator = db.user_by_id(con, found["created_by"])
    if state == "ok" and (creator is None or creator["disabled"]):
        state = "revoked"
    if state != "ok":
        db.audit(con, f"guest:{found['label']}", "link_refused", {"why": state, "link_id": found["link_id"],
                                                                  "client": client},
                 owner_user_id=found["created_by"])
        return None, state, found
    session_token = rules.new_token()
    expires = min(found["expires_at"], at + timedelta(hours=settings.get("session_hours")))
    db.create_session(con, rules.token_hash(session_token), at, expires, link_id=found["link_id"])
    db.record_link_use(con, found["link_id"], at)
    db.audit(con, f"guest:{found['label']}", "link_used", {"link_id": found["link_id"], "client": client},
             owner_user_id=found["created_by"])
    return session_token, "ok", found


def links_of(con, principal: Principal, scope: Scope) -> pd.DataFrame:
    """The links a principal manages: an admin all of them, a kanwil user their own."""
    return db.list_links(con, None if scope.audit_all else principal.user_id)


def revoke_link(con, principal: Principal, scope: Scope, link_id: int, at: datetime) -> bool:
    found = db.link(con, link_id)
    if found is None or not scope.can_share or (not scope.audit_all and found["created_by"] != principal.user_id):
        db.audit(con, principal.actor, "scope_violation", {"what": "revoke", "link_id": link_id},
                 principal.user_id)
        return False
    done = db.revoke_link(con, link_id, at)
    if done:
        db.audit(con, principal.actor, "link_revoked", {"link_id": link_id, "label": found["label"]},
                 principal.user_id, found["created_by"])
    return done


def review_saran(con, principal: Principal, scope: Scope, respondent_ids, shared: bool, at: datetime) -> int:
    """Mark (or unmark) saran as reviewed for sharing: only a viewer who may share (kanwil, admin) and
    only saran of offices in their scope; anything else is refused as a scope violation. Returns how
    many were changed."""
    ids = sorted({int(i) for i in respondent_ids})
    held = db.respondent_offices(con, ids)
    outside = [i for i in ids if held.get(i) not in set(scope.offices)]
    if not scope.can_share or outside:
        db.audit(con, principal.actor, "scope_violation", {"what": "saran_review", "respondents": outside[:20]},
                 principal.user_id)
        raise PermissionError("saran outside the scope")
    if ids:
        with store.transaction(con):
            db.set_saran_shared(con, ids, shared, principal.user_id, at)
        db.audit(con, principal.actor, "saran_shared" if shared else "saran_unshared",
                 {"respondents": len(ids), "first": ids[:20]}, principal.user_id)
    return len(ids)


def audit(con, principal: Principal | None, action: str, detail: dict | None = None) -> None:
    """An audit entry by whoever is looking (anonymous: '-')."""
    if principal is None:
        db.audit(con, "-", action, detail)
    else:
        db.audit(con, principal.actor, action, detail, None if principal.is_guest else principal.user_id,
                 principal.user_id)


def audit_entries(con, principal: Principal, scope: Scope) -> pd.DataFrame:
    if scope.audit_all:
        return db.audit_entries(con)
    if principal.is_guest or principal.user_id is None:
        return db.audit_entries(con, user_id=-1)
    return db.audit_entries(con, user_id=principal.user_id)


def month_of(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(f"{value}-01")
