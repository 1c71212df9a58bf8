"""Store fixtures shared by every test.

The repository root is on sys.path through pyproject.toml ([tool.pytest.ini_options] pythonpath).
Export files are written by tests/fixtures/make_fixtures.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from analytics import store
from analytics.store import offices


@pytest.fixture(scope="session")
def make_store():
    """make_store({office: kanwil}, path=":memory:", master=None) → an open store holding those offices
    (and those of the office master file `master`, aliases included); the caller closes it.
    Session-scoped, so module fixtures and hypothesis tests can use it too."""
    def make(office_kanwil: dict[str, str | None] | None = None, path=":memory:", master: Path | None = None):
        con = store.connect(path)
        for name, kanwil in (office_kanwil or {}).items():
            offices.add_office(con, name, kanwil)
        if master is not None:
            offices.import_master(con, master)
        return con
    return make
