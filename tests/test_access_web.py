"""The HTTP routes of ui/web.py through Starlette's TestClient: sign-in (cookie flags, lockout with
backoff), sign-out, share links (valid, unknown, expired, revoked) and the security headers. The
routes run on the same store code as the app (ui.state's cached connection on DASBOR_DB)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import streamlit as st
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from analytics import accounts
from analytics.domain import access
from analytics.store import access as db
from analytics.store import offices
from tests import access_support
from ui import state, web

JABAR = "Kanwil Kemenkumham Jawa Barat"


@pytest.fixture
def site(tmp_path, monkeypatch):
    """(TestClient of the routes + a stand-in page at /, a cursor factory) on a fresh store."""
    monkeypatch.setenv("DASBOR_DB", str(tmp_path / "web.duckdb"))
    st.cache_resource.clear()
    with state.writer() as cur:
        for name in ("Lapas Kelas IIA Bogor", "Rutan Kelas I Depok"):
            offices.add_office(cur, name, JABAR)
        accounts.add_user(cur, "siti", "kanwil", access_support.PASSWORD, kanwils=(JABAR,), actor="test")
    home = Route("/", lambda request: PlainTextResponse("dashboard"))
    app = Starlette(routes=[*web.routes(), home], middleware=[Middleware(web.SecurityHeaders)])
    with TestClient(app, follow_redirects=False) as client:
        yield client
    st.cache_resource.clear()


def audit_actions() -> list[str]:
    with state.cursor() as cur:
        return db.audit_entries(cur)["action"].tolist()


def session_rows() -> int:
    with state.cursor() as cur:
        return cur.execute("SELECT count(*) FROM sessions").fetchall()[0][0]


def test_every_response_carries_the_security_headers(site):
    for path in ("/", "/masuk", "/s/nope"):
        response = site.get(path)
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"] == "frame-ancestors 'self'"


def test_the_login_form_is_plain_html(site):
    response = site.get("/masuk")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert 'name="username"' in response.text and 'type="password"' in response.text
    assert "Masuk ke Dasbor" in response.text
    assert "Sign in" in site.get("/masuk?lang=en").text


def test_a_good_login_sets_an_httponly_strict_cookie_and_redirects(site, monkeypatch):
    response = site.post("/masuk", data={"username": "siti", "password": access_support.PASSWORD})
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("dasbor_session=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    with state.cursor() as cur:                      # only the hash is stored
        assert db.session(cur, access.token_hash(token)) is not None
        assert cur.execute("SELECT count(*) FROM sessions WHERE session_hash = ?", [token]).fetchall()[0][0] == 0
    assert audit_actions()[0] == "login"
    monkeypatch.setenv("DASBOR_COOKIE_SECURE", "1")
    again = site.post("/masuk", data={"username": "siti", "password": access_support.PASSWORD})
    assert "Secure" in again.headers["set-cookie"]


def test_a_wrong_password_gets_a_clear_page_and_an_audit_entry(site):
    response = site.post("/masuk", data={"username": "siti", "password": "salah-sekali"})
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah" in response.text and "Traceback" not in response.text
    assert "set-cookie" not in response.headers
    unknown = site.post("/masuk", data={"username": "tidakada", "password": "salah-sekali"})
    assert unknown.status_code == 401 and "kata sandi salah" in unknown.text      # the same answer
    assert audit_actions()[:2] == ["login_failed", "login_failed"]
    garbage = site.post("/masuk", content=b"\xff\xfe=%%%", headers={"content-type": "application/x-www-form-urlencoded"})
    assert garbage.status_code == 401


def test_repeated_failures_lock_the_account_with_backoff(site, monkeypatch):
    monkeypatch.setenv("DASBOR_LOGIN_MAX_FAILURES", "3")
    codes = [site.post("/masuk", data={"username": "siti", "password": "salah-sekali"}).status_code
             for _ in range(3)]
    assert codes == [401, 401, 429]
    locked = site.post("/masuk", data={"username": "siti", "password": access_support.PASSWORD})
    assert locked.status_code == 429 and "dikunci sampai" in locked.text          # even the right password
    assert "login_locked" in audit_actions()
    now = accounts.now()
    assert access.lockout_until(3, now, 3, 1) == now + timedelta(minutes=1)
    assert access.lockout_until(5, now, 3, 1) == now + timedelta(minutes=4)       # doubles
    assert access.lockout_until(40, now, 3, 1) == now + timedelta(days=1)         # at most a day
    assert access.lockout_until(2, now, 3, 1) is None


def test_logout_deletes_the_session_row_and_clears_the_cookie(site):
    site.post("/masuk", data={"username": "siti", "password": access_support.PASSWORD})
    assert session_rows() == 1
    response = site.get("/keluar")
    assert response.status_code == 303 and response.headers["location"].startswith("/masuk")
    assert 'dasbor_session=""' in response.headers["set-cookie"] and "Max-Age=0" in response.headers["set-cookie"]
    assert session_rows() == 0
    assert "logout" in audit_actions()


def _link(days=14):
    with state.writer() as cur:
        return access_support.guest_session(cur, ["Lapas Kelas IIA Bogor"], days=days, creator_kanwils=(JABAR,))


def test_a_share_link_sets_a_guest_cookie_and_redirects_to_a_clean_url(site):
    _, token, link_id = _link()
    response = site.get(f"/s/{token}")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert response.headers["referrer-policy"] == "no-referrer"
    with state.cursor() as cur:
        guest, reason = accounts.resolve_session(cur, cookie.split(";")[0].split("=", 1)[1], accounts.now())
        assert reason == "ok" and guest.role == "guest" and guest.link_id == link_id
        assert db.link(cur, link_id)["use_count"] == 2           # the helper opened it once too
        assert cur.execute("SELECT count(*) FROM share_links WHERE token_hash = ?", [token]).fetchall()[0][0] == 0
    assert audit_actions()[0] == "link_used"


def test_unknown_expired_and_revoked_links_are_refused_with_a_page_and_an_audit_entry(site):
    unknown = site.get("/s/tidak-ada-tautan-seperti-ini")
    assert unknown.status_code == 404 and "tidak dikenal" in unknown.text and "set-cookie" not in unknown.headers
    guest_token, token, link_id = _link(days=1)
    with state.writer() as cur:                     # the clock moves past the expiry
        later = accounts.now() + timedelta(days=2)
        assert accounts.resolve_session(cur, guest_token, later)[1] in ("expired",)
        assert accounts.open_link(cur, token, later)[1] == "expired"
        cur.execute("UPDATE share_links SET expires_at = ? WHERE link_id = ?", [accounts.now() - timedelta(minutes=1), link_id])
    expired = site.get(f"/s/{token}")
    assert expired.status_code == 410 and "kedaluwarsa" in expired.text
    guest_token, token, link_id = _link()
    with state.writer() as cur:
        kanwil = accounts.principal_of_user(db.user(cur, "siti"))
        scope = access.scope_for(kanwil, offices.list_offices(cur))
        assert not accounts.revoke_link(cur, kanwil, scope, link_id, accounts.now())   # not her link
        creator = accounts.principal_of_user(db.user_by_id(cur, db.link(cur, link_id)["created_by"]))
        assert accounts.revoke_link(cur, creator, access.scope_for(creator, offices.list_offices(cur)), link_id,
                                    accounts.now())
        assert accounts.resolve_session(cur, guest_token, accounts.now()) == (None, "revoked")  # refused at once
    revoked = site.get(f"/s/{token}")
    assert revoked.status_code == 410 and "dicabut" in revoked.text and "Traceback" not in revoked.text
    actions = audit_actions()
    assert actions.count("link_refused") >= 3 and "link_revoked" in actions and "scope_violation" in actions


def test_links_cannot_reach_beyond_their_creator_or_ninety_days(site):
    with state.writer() as cur:
        everything = offices.list_offices(cur)
        kanwil = accounts.principal_of_user(db.user(cur, "siti"))
        scope = access.scope_for(kanwil, everything)
        spec = access.LinkSpec("x", (999,), ("ikm",), date(2026, 1, 1), date(2026, 3, 1), ("ringkasan",))
        with pytest.raises(ValueError, match="office 999"):
            accounts.create_link(cur, kanwil, scope, spec, accounts.now())
        spec = access.LinkSpec("x", scope.offices, ("ikm",), date(2026, 1, 1), date(2026, 3, 1), ("unggah",))
        with pytest.raises(ValueError, match="page unggah"):
            accounts.create_link(cur, kanwil, scope, spec, accounts.now())
        spec = access.LinkSpec("x", scope.offices, ("ikm",), date(2026, 1, 1), date(2026, 3, 1), ("tren",), days=91)
        with pytest.raises(ValueError, match="days"):
            accounts.create_link(cur, kanwil, scope, spec, accounts.now())
