"""Store fixtures shared by every test, browser tests included.

The repository root is on sys.path through pyproject.toml ([tool.pytest.ini_options] pythonpath).
Export files are written by tests/fixtures/make_fixtures.py; its DEMO_TODAY is the demo's fixed date.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from analytics import demo, store
from analytics.ingest import office_master
from analytics.store import offices
from analytics.domain import access
from tests.access_support import FAST_HASHER
from tests.fixtures.make_fixtures import DEMO_TODAY
from tests import pg_server as pg
from tests.pg_server import Server

# The engines the store-level tests run on: make_store(path=POSTGRES) opens a fresh database on the
# throwaway PostgreSQL this session starts on first use (tests/pg_server.py) and stops at the end.
POSTGRES = "postgresql"
ENGINES = (":memory:", POSTGRES)


def pg_server() -> Server:
    return pg.shared()


def store_target(engine: str, tmp_path: Path | None = None) -> str:
    """Where a store of this engine lives: a fresh PostgreSQL database URL, or the DuckDB path."""
    if engine == POSTGRES:
        return pg_server().new_database()
    return engine if tmp_path is None else str(tmp_path / "store.duckdb")


@pytest.fixture(scope="session", autouse=True)
def _stop_postgres():
    yield
    pg.stop_shared()


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """argon2id at its cheapest in this process (the browser tests' server keeps the defaults)."""
    previous = access.set_hasher(FAST_HASHER)
    yield
    access.set_hasher(previous)


@pytest.fixture(scope="session")
def make_store():
    """make_store({office: kanwil}, path=":memory:", master=None) → an open store holding those offices
    (and those of the office master file `master`, aliases included); the caller closes it.
    Session-scoped, so module fixtures and hypothesis tests can use it too."""
    def make(office_kanwil: dict[str, str | None] | None = None, path=":memory:", master: Path | None = None):
        con = store.connect(store_target(path) if path == POSTGRES else path)
        for name, kanwil in (office_kanwil or {}).items():
            offices.add_office(con, name, kanwil)
        if master is not None:
            office_master.import_master(con, master)
        return con
    return make


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A store file holding the demo data as of DEMO_TODAY, built once per session (the slowest setup
    of the suite). Tests only read it; whatever writes, or holds the file's write lock from another
    process (the browser tests' server), works on a copy of it."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = store.connect(path)
    try:
        demo.load_demo(con, today=DEMO_TODAY)
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def demo_pg() -> str:
    """The demo data as of DEMO_TODAY in a PostgreSQL database of the session's throwaway server (its
    URL): the pages' AppTests run on it as on demo_db. Tests only read it (accounts and sessions aside)."""
    url = pg_server().new_database()
    con = store.connect(url)
    try:
        demo.load_demo(con, today=DEMO_TODAY)
    finally:
        con.close()
    return url

