"""The shared page-data cache (ui/state.page_data): one entry per page part, store, data version,
viewer scope and filters, shared across sessions — and never across scopes."""
from __future__ import annotations

from analytics.domain.access import Scope
from tests.test_access_app import DEPOK, JABAR, ROLE_PAGES, every_text
from streamlit.testing.v1 import AppTest

from tests import access_support
from tests.test_app import APP, TIMEOUT, app, demo_store  # noqa: F401 — fixtures
from ui import session, state

KANWIL_A = Scope(offices=(1, 2, 3), pool=(1, 2, 3), instruments=None, downloads=True)
OFFICE_1 = Scope(offices=(1,), pool=(1, 2, 3), instruments=None, hide_small=True)


def _viewer(monkeypatch, scope: Scope, version: str = "v1") -> None:
    monkeypatch.setattr(state, "viewer_scope", lambda: scope)
    monkeypatch.setattr(state, "data_version", lambda: version)
    monkeypatch.setattr(state, "db_path", lambda: "/tmp/uji.duckdb")


def test_same_scope_and_filters_share_one_computation(monkeypatch):
    state.invalidate()
    calls = []
    compute = lambda month: calls.append(month) or f"rows of {month}"
    _viewer(monkeypatch, KANWIL_A)
    assert state.page_data("uji", compute, "2026-09") == "rows of 2026-09"
    assert state.page_data("uji", compute, "2026-09") == "rows of 2026-09"     # a second session, same view
    assert state.page_data("uji", compute, "2026-10") == "rows of 2026-10"     # another filter window
    assert calls == ["2026-09", "2026-10"]


def test_another_scope_with_the_same_filters_never_gets_the_cached_entry(monkeypatch):
    state.invalidate()
    _viewer(monkeypatch, KANWIL_A)
    assert state.page_data("uji", lambda: "offices 1, 2, 3") == "offices 1, 2, 3"
    _viewer(monkeypatch, OFFICE_1)
    assert state.page_data("uji", lambda: "office 1 only") == "office 1 only"
    _viewer(monkeypatch, KANWIL_A)
    assert state.page_data("uji", lambda: "recomputed") == "offices 1, 2, 3"


def test_a_new_data_version_recomputes_and_invalidate_empties(monkeypatch):
    state.invalidate()
    _viewer(monkeypatch, KANWIL_A, version="v1")
    assert state.page_data("uji", lambda: "before") == "before"
    _viewer(monkeypatch, KANWIL_A, version="v2")
    assert state.page_data("uji", lambda: "after import") == "after import"
    state.invalidate()
    _viewer(monkeypatch, KANWIL_A, version="v2")
    assert state.page_data("uji", lambda: "after invalidate") == "after invalidate"


def test_an_office_user_after_a_kanwil_user_sees_only_its_office(app, demo_store, monkeypatch):
    """Two sessions in one process; the second starts with the page data of the first left cached."""
    first = app(demo_store[0], role="kanwil", kanwils=(JABAR,))
    first.run()
    for page in ROLE_PAGES["office"]:
        first.switch_page(f"ui/pages/{page}.py").run()
        assert not first.exception
    with state.writer() as cur:
        token = access_support.user_session(cur, "office", offices=(DEPOK,))[0]
        others = set(cur.execute("SELECT name FROM offices WHERE name <> ?", [DEPOK]).fetchdf()["name"])
    monkeypatch.setattr(session, "cookie", lambda: token)
    second = AppTest.from_file(APP, default_timeout=TIMEOUT)
    second.run()
    assert second.dataframe[0].value["Kantor"].tolist() == [DEPOK]
    for page in ROLE_PAGES["office"]:
        second.switch_page(f"ui/pages/{page}.py").run()
        assert not second.exception
        shown = every_text(second)
        assert not [o for o in others if o in shown], page
