"""Browser tests: one `streamlit run server.py` per session on a demo database, driven by Debian's chromium.

Accounts (E2E_USERS) are made in the database before the server starts (it holds the file's lock);
every browser context signs in through the real /masuk form as admin unless a test asks otherwise,
so the session cookie is a real HttpOnly cookie set by the server.

These tests are part of the normal `make test` run and are never skipped: a missing chromium, a server
that does not start or a page that never finishes its run fails the test with the reason (and the
server's log) in the message.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from analytics import accounts, store
from analytics.domain import access
from analytics.store import access as store_access, offices as store_offices
from tests import hostile_names as names
from tests import servers
from e2e_support import CHROMIUM, CHROMIUM_ARGS, E2E_USERS, RUN_COUNTER_JS, RUN_MS

SERVER_START_S = 90

# expect() waits 5 s by default, too short for a rerun on the 2-core machine under load.
expect.set_options(timeout=RUN_MS)


def pytest_collection_modifyitems(items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


# --- the server -----------------------------------------------------------------------------------

class Server:
    def __init__(self, url: str, proc: subprocess.Popen, log: Path, db: Path):
        self.url, self.proc, self.log, self.db = url, proc, log, db
        self.passwords = {name: spec["password"] for name, spec in E2E_USERS.items()}

    def page_url(self, path: str = "", **params) -> str:
        """URL of a page by its url path ('' = default page), with query params (lists repeat)."""
        query = urlencode(params, doseq=True)
        return f"{self.url}/{path}" + (f"?{query}" if query else "")

    def log_tail(self) -> str:
        return servers.log_tail(self.log)


def _start_server(tmp: Path, db: Path):
    """The app (tests/servers.py) on a free port with DASBOR_DB=db; yields a Server once it is healthy
    and stops the whole process group afterwards."""
    port = servers.free_port()
    log = tmp / "streamlit.log"
    try:
        proc = servers.start_app(db, port, log, SERVER_START_S)
    except servers.ServerError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield Server(f"http://127.0.0.1:{port}", proc, log, db)
    finally:
        servers.stop(proc)


@pytest.fixture(scope="session")
def server(tmp_path_factory, demo_db) -> Server:
    """The app on the session's demo database (tests/conftest.py, built as of DEMO_TODAY). The server
    holds its file's write lock and the upload tests write to it: it runs on a copy of its own, with
    the accounts of E2E_USERS."""
    tmp = tmp_path_factory.mktemp("e2e_server")
    db = tmp / "dasbor.duckdb"
    shutil.copyfile(demo_db, db)
    con = store.connect(db)
    try:
        for name, spec in E2E_USERS.items():
            accounts.add_user(con, name, spec["role"], spec["password"], kanwils=spec.get("kanwils", ()),
                              office_names=spec.get("offices", ()), actor="e2e")
    finally:
        con.close()
    yield from _start_server(tmp, db)


@pytest.fixture(scope="session")
def hostile_server(tmp_path_factory) -> Server:
    """The app on a store whose office, Kanwil and share link are named in Markdown/HTML
    (tests/hostile_names.py), with the E2E_USERS admin; `server.guest_path` is the link's /s/… path."""
    tmp = tmp_path_factory.mktemp("e2e_hostile_server")
    db = names.build_store(tmp / "dasbor.duckdb")
    con = store.connect(db)
    try:
        spec = E2E_USERS["admin"]
        user_id = accounts.add_user(con, "admin", spec["role"], spec["password"], actor="e2e")
        creator = accounts.principal_of_user(store_access.user_by_id(con, user_id))
        frame = store_offices.list_offices(con)
        link = access.LinkSpec(names.LABEL, tuple(int(i) for i in frame["office_id"]), ("ikm", "ipk"),
                               date(2026, 9, 1), date(2026, 10, 1), access.GUEST_PAGES, False, 14)
        token = accounts.create_link(con, creator, access.scope_for(creator, frame), link, accounts.now())
    finally:
        con.close()
    for server in _start_server(tmp, db):
        server.guest_path = f"/s/{token}"
        yield server


@pytest.fixture(scope="session")
def empty_server(tmp_path_factory) -> Server:
    """The app on a database file that does not exist yet (a fresh install): the server creates the
    `admin` account and prints its password once in its log, where the sign-in reads it."""
    tmp = tmp_path_factory.mktemp("e2e_empty_server")
    for server in _start_server(tmp, tmp / "dasbor.duckdb"):
        printed = re.search(r"password: (\S+)", server.log.read_text(encoding="utf-8", errors="replace"))
        assert printed, f"no admin password printed at first start:\n{server.log_tail()}"
        server.passwords = {"admin": printed.group(1)}
        yield server


# --- the browser ----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        found = shutil.which("chromium")
        pytest.fail(f"{CHROMIUM} not found (which chromium: {found}); install Debian's chromium "
                    "(`make chromium`, run by `make test`). Browser tests are never skipped.",
                    pytrace=False)
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        pw.stop()


def sign_in(ctx, server: Server, username: str = "admin", password: str | None = None) -> None:
    """Sign a browser context in through the real form: POST /masuk, the server's Set-Cookie lands in
    the context's cookie jar (shared by context.request and its pages)."""
    response = ctx.request.post(f"{server.url}/masuk", form={
        "username": username, "password": password or server.passwords[username]}, max_redirects=0)
    assert response.status == 303, f"sign-in as {username}: HTTP {response.status} {response.text()[:300]}"
    assert any(c["name"] == "dasbor_session" and c["httpOnly"] for c in ctx.cookies()), ctx.cookies()


def _new_context(browser, server: Server | None = None, username: str | None = "admin"):
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="id-ID",
                              timezone_id="Asia/Jakarta")
    ctx.set_default_timeout(RUN_MS)
    ctx.add_init_script(RUN_COUNTER_JS)
    if server is not None and username is not None:
        sign_in(ctx, server, username)
    return ctx


def _server_of(request) -> Server | None:
    for name in ("server", "empty_server", "hostile_server"):
        if name in request.fixturenames:
            return request.getfixturevalue(name)
    return None


@pytest.fixture
def context(browser, request):
    """A browser context signed in as admin on the test's server."""
    ctx = _new_context(browser, _server_of(request))
    yield ctx
    ctx.close()


@pytest.fixture
def page(context) -> Page:
    return context.new_page()


@pytest.fixture
def new_context(browser, request):
    """Factory of further, independent browser contexts (fresh cookies/storage), closed at the end."""
    made = []
    server = _server_of(request)

    def make(username: str | None = "admin"):
        """username=None: not signed in (a guest opening a share link, say)."""
        made.append(_new_context(browser, server, username))
        return made[-1]

    yield make
    for ctx in made:
        ctx.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test carries the end of the server's log (tracebacks land there)."""
    report = yield
    for name, server in getattr(item, "funcargs", {}).items():     # server, empty_server, cluster, …
        if report.failed and callable(getattr(server, "log_tail", None)):
            report.sections.append((f"{name}: log (tail)", server.log_tail()))
    return report
