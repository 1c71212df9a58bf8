"""Who is looking, decided again on EVERY rerun: the `dasbor_session` cookie (set by ui/web.py's
routes) is read from st.context — fixed for the tab's lifetime — and its session row is checked in
the store each time, so a revoked link, a disabled account or a logout stops the next interaction.

`cookie()` is the one seam tests patch (AppTest cannot send cookies); everything after it runs for
real.
"""
from __future__ import annotations

import streamlit as st

from analytics import accounts
from analytics.domain import access
from analytics.domain.access import Principal, Scope
from ui import state

COOKIE = "dasbor_session"


def cookie() -> str | None:
    """The session id the browser sent with this tab's WebSocket handshake."""
    try:
        return st.context.cookies.get(COOKIE)
    except Exception:           # no browser context (bare script run)
        return None


def resolve() -> tuple[Principal | None, str]:
    """(principal, reason) for this run; also remembered for the run's other callers."""
    token = cookie()
    with state.writer() as cur:
        principal, reason = accounts.resolve_session(cur, token, accounts.now())
        if principal is None and reason != "none" and st.session_state.get("_refused") != reason:
            # Once per tab and reason: a tampered cookie, an expired or revoked session is logged.
            accounts.audit(cur, None, "session_refused", {"why": reason})
            st.session_state["_refused"] = reason
    scope = access.scope_for(principal, state.office_list()) if principal else access.EMPTY
    st.session_state["_principal"] = principal
    st.session_state["_scope"] = scope
    return principal, reason


def principal() -> Principal | None:
    return st.session_state.get("_principal")


def scope() -> Scope:
    """The scope of this run's principal; the empty scope when nobody is signed in (fail closed)."""
    found = st.session_state.get("_scope")
    return found if isinstance(found, Scope) else access.EMPTY


def audit(action: str, **detail) -> None:
    with state.writer() as cur:
        accounts.audit(cur, principal(), action, detail)
