"""Signing in for tests: accounts and sessions made with the real code (analytics/accounts.py) on the
app's own store connection, and the one seam AppTest needs — AppTest cannot send cookies, so
`ui.session.cookie` is patched to return the session id a browser would send; the session row is
still checked on every rerun. Browser tests set a real cookie instead (tests/e2e)."""
from __future__ import annotations

import itertools
from datetime import date

from argon2 import PasswordHasher

from analytics import accounts
from analytics.domain import access
from analytics.store import access as db

# argon2id at its cheapest: the tests check behaviour, not the cost (the app keeps the defaults).
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "rahasia-uji-123"
_serial = itertools.count(1)


def user_session(cur, role: str = "admin", kanwils=(), offices=(), can_upload: bool = False,
                 username: str | None = None) -> tuple[str, int]:
    """A new account (offices by name) and a signed-in session of it: (session id, user_id)."""
    username = username or f"{role}{next(_serial)}"
    user_id = accounts.add_user(cur, username, role, PASSWORD, None, tuple(kanwils), tuple(offices), can_upload,
                                actor="test")
    result = accounts.login(cur, username, PASSWORD, accounts.now())
    assert result.ok, result
    return result.token, user_id


def guest_session(cur, offices, instruments=("ikm", "ipk"), month_from=date(2026, 7, 1), month_to=date(2026, 9, 1),
                  pages=access.GUEST_PAGES, downloads=False, label="Ombudsman RI Perwakilan Uji",
                  days=14, creator_kanwils=None) -> tuple[str, str, int]:
    """A kanwil (or admin) user makes a link for `offices` (names) and a guest opens it:
    (guest session id, link token, link_id)."""
    frame = db_offices(cur)
    ids = tuple(int(frame.loc[frame["name"] == name, "office_id"].iloc[0]) for name in offices)
    if creator_kanwils:
        _, creator_id = user_session(cur, "kanwil", kanwils=creator_kanwils)
    else:
        _, creator_id = user_session(cur, "admin")
    creator = accounts.principal_of_user(db.user_by_id(cur, creator_id))
    scope = access.scope_for(creator, frame)
    spec = access.LinkSpec(label, ids, tuple(instruments), month_from, month_to, tuple(pages), downloads, days)
    token = accounts.create_link(cur, creator, scope, spec, accounts.now())
    session_token, reason, link = accounts.open_link(cur, token, accounts.now())
    assert reason == "ok", reason
    return session_token, token, link["link_id"]


def db_offices(cur):
    from analytics.store import offices
    return offices.list_offices(cur)
