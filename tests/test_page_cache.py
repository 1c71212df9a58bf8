"""The shared page-data cache (ui/state.page_data): one entry per page part, store, data version,
viewer scope and filters, shared across sessions — and never across scopes."""
from __future__ import annotations

import threading
import time

import pandas as pd
import pytest

from analytics.domain.access import Scope
from analytics.present import scoped
from analytics.store import queries
from tests.test_access_app import DEPOK, JABAR, ROLE_PAGES, every_text
from streamlit.testing.v1 import AppTest

from tests import access_support
from tests.test_app import APP, TIMEOUT, _clear_caches, app, demo_store  # noqa: F401 — fixtures
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


def test_sessions_asking_at_once_share_one_computation_and_a_failed_one_is_retried(monkeypatch):
    state.invalidate()
    _viewer(monkeypatch, KANWIL_A)
    started, release, calls = threading.Event(), threading.Event(), []

    def slow():
        calls.append(1)
        started.set()
        release.wait(10)
        return "shared rows"

    results = []
    threads = [threading.Thread(target=lambda: results.append(state.page_data("uji.bersama", slow)))
               for _ in range(8)]
    threads[0].start()
    started.wait(10)                          # the first session computes; seven more arrive meanwhile
    for thread in threads[1:]:
        thread.start()
    time.sleep(0.3)
    release.set()
    for thread in threads:
        thread.join(10)
    assert results == ["shared rows"] * 8 and calls == [1]

    def failing():
        raise RuntimeError("store busy")
    with pytest.raises(RuntimeError):
        state.page_data("uji.gagal", failing)
    assert state.page_data("uji.gagal", lambda: "computed by the next session") == "computed by the next session"


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


@pytest.fixture
def demo_connection(demo_store, monkeypatch):
    """The app's connection (ui/state) to the demo store, closed afterwards: later CLI runs open the file."""
    monkeypatch.setenv("DASBOR_DB", str(demo_store[0]))
    _clear_caches()
    yield demo_store[0]
    _clear_caches()


def test_an_office_user_served_from_the_shared_every_office_results_sees_only_its_office(demo_connection,
                                                                                        monkeypatch):
    """Per-office results are computed once over every office and filtered per viewer (ui/state
    _CachedSource): an office user's rows come from that shared result — no query of their own — and
    hold their office only, equal to what a query narrowed to that office returns, even when the
    request names every office."""
    monkeypatch.setattr(state, "data_version", lambda: "v-every-office")
    with state.cursor() as cur:
        every = tuple(int(o) for o in cur.execute("SELECT office_id FROM offices ORDER BY 1").fetchdf()["office_id"])
        months = queries.months_with_data(cur)
    window = queries.Window(months[-4], months[-1], every)
    _as_viewer(monkeypatch, Scope(offices=every, pool=every, instruments=None))      # an admin fills the cache
    state.indices("office", "month", window)
    state.readiness("zi-2019", window)
    for by_office in (True, False):
        state.items("ikm", window, by_period="month", by_office=by_office)
    computed, counting, shown = [], [False], []
    for name in ("indices", "readiness", "item_sums", "items"):
        real = getattr(queries, name)
        monkeypatch.setattr(queries, name, lambda *a, _real=real, _name=name, **k:
                            (counting[0] and computed.append(_name)) or _real(*a, **k))
    for office in every:
        _as_viewer(monkeypatch, Scope(offices=(office,), pool=every, instruments=None))
        counting[0] = True
        got = {"indices": state.indices("office", "month", window),
               "readiness": state.readiness("zi-2019", window),
               "per_office": state.items("ikm", window, by_period="month", by_office=True),
               "pooled": state.items("ikm", window, by_period="month")}
        counting[0] = False
        shown.append(len(got["indices"]))
        assert set(got["indices"]["unit"]) <= {str(office)} and set(got["indices"]["office"]) <= {_name(office)}
        assert set(got["readiness"]["office_id"]) <= {office}
        assert set(got["per_office"]["office_id"]) <= {office}
        mine = queries.Window(window.start, window.end, (office,))
        with state.cursor() as cur:
            door = scoped.Scoped(scoped.StoreSource(cur), Scope(offices=(office,), pool=every, instruments=None))
            pd.testing.assert_frame_equal(got["indices"], door.indices("office", "month", mine))
            pd.testing.assert_frame_equal(got["readiness"], door.readiness("zi-2019", mine))
            pd.testing.assert_frame_equal(got["per_office"], door.items("ikm", mine, "month", by_office=True))
            pd.testing.assert_frame_equal(got["pooled"], door.items("ikm", mine, "month"), check_dtype=False)
    assert computed == []                # every office user was served from the admin's computation
    assert sum(shown) > len(every)       # and there were rows to serve


def _as_viewer(monkeypatch, scope: Scope) -> None:
    monkeypatch.setattr(state, "viewer_scope", lambda: scope)


def _name(office: int) -> str:
    with state.cursor() as cur:
        return cur.execute("SELECT name FROM offices WHERE office_id = ?", [office]).fetchall()[0][0]
