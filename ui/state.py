"""The dashboard's server-side state: the one store connection, the data version that keys every
cached query, the cached queries themselves, and the viewer's scope.

The app process is the single writer of the store: one cached root connection, a cursor per use
(DuckDB 2.0 refuses concurrent calls on one connection object), and a lock around writes.
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, datetime

import pandas as pd
import streamlit as st

from analytics import settings, store
from analytics.domain import access
from analytics.domain.access import Scope
from analytics.present import scoped
from analytics.store import integrity, offices, queries, trash

log = logging.getLogger("dasbor")


# --- connection, version, writes ----------------------------------------------------------------

def db_path() -> str:
    return str(settings.db_path())


@st.cache_resource(show_spinner=False)
def _root_connection(path: str):
    """Opened once per process and database file; creates and migrates a missing file (a backup of an
    existing one first) and applies the retention periods of the trash and the rejected rows."""
    con = store.connect(path, on_backup=lambda made: log.warning("backup before schema migration: %s", made))
    trash.expire(con, datetime.now(), settings.get("trash_days"), settings.get("rejects_days"))
    return con


@st.cache_resource(show_spinner=False)
def _write_lock(path: str) -> threading.Lock:
    return threading.Lock()


@contextmanager
def cursor():
    """A cursor of the root connection for one use (one per rerun and thread)."""
    cur = _root_connection(db_path()).cursor()
    try:
        yield cur
    finally:
        cur.close()


@contextmanager
def writer():
    """A cursor for a write; writes of concurrent sessions run one after another."""
    with _write_lock(db_path()), cursor() as cur:
        yield cur


def _read_version() -> str:
    with cursor() as cur:
        return store.data_version(cur)


def begin_run() -> None:
    """Once at the top of every run (app.py): the data version is read once per run, not once per
    cached call (a dozen reads were a third of a warm page run)."""
    st.session_state["_data_version"] = _read_version()


def data_version() -> str:
    """Changes whenever an import, a delete or an office-master import changes the data; part of
    every cache key, so a stale cached result is never served. This run's reading (begin_run), else
    read now."""
    found = st.session_state.get("_data_version")
    return found if isinstance(found, str) else _read_version()


def invalidate() -> None:
    """After a write: drop every cached result (the version changes too; this frees the memory), and
    this run reads the new version."""
    st.cache_data.clear()
    _PAGE_DATA.clear()
    with _STARTED_LOCK:
        _STARTED.clear()
    st.session_state.pop("_data_version", None)


# --- page data, shared by every session with the same scope and filters ---------------------------

class _PageData:
    """A bounded, thread-safe LRU of finished page data. The key holds the viewer's whole Scope (a
    frozen dataclass, compared field by field), so two sessions share an entry only when they may see
    exactly the same thing; the data version is in the key too, so a write is never served stale.
    Values are shared, not copied: page code only reads them (views.* build new frames)."""

    def __init__(self, max_entries: int):
        self.max_entries, self._lock, self._entries = max_entries, threading.Lock(), OrderedDict()

    def get(self, key, compute):
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = compute()           # outside the lock: sessions of other scopes are not held up
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_PAGE_DATA = _PageData(max_entries=256)


def page_data(name: str, compute, *args):
    """compute(*args) for this viewer, once per (page part, store, data version, viewer scope, args)
    across all sessions: a monev meeting of 40 offices of one Kanwil computes each view once.
    `compute` must depend only on its arguments and the viewer's data (it runs through data())."""
    key = (name, db_path(), data_version(), viewer_scope(), args)
    return _PAGE_DATA.get(key, lambda: compute(*args))


# --- cached queries (keyed by database path and data version) -----------------------------------

@st.cache_data(show_spinner=False, max_entries=64)
def _offices(path: str, version: str) -> pd.DataFrame:
    with cursor() as cur:
        return offices.list_offices(cur)


@st.cache_data(show_spinner=False, max_entries=64)
def _has_data(path: str, version: str) -> bool:
    with cursor() as cur:
        return store.has_data(cur)


@st.cache_data(show_spinner=False, max_entries=64)
def _batches(path: str, version: str) -> pd.DataFrame:
    with cursor() as cur:
        return store.list_batches(cur)


@st.cache_data(show_spinner=False, max_entries=512)
def _indices(path: str, version: str, by: str, period: str, window: queries.Window,
             instruments: tuple[str, ...] | None) -> pd.DataFrame:
    with cursor() as cur:
        return queries.indices(cur, by=by, period=period, window=window,
                               instruments=list(instruments) if instruments else None)


@st.cache_data(show_spinner=False, max_entries=512)
def _items(path: str, version: str, instrument: str, window: queries.Window, by_period: str | None,
           by_office: bool) -> pd.DataFrame:
    with cursor() as cur:
        return queries.items(cur, instrument, window, by_period=by_period, by_office=by_office)


@st.cache_data(show_spinner=False, max_entries=256)
def _readiness(path: str, version: str, rules: str, window: queries.Window) -> pd.DataFrame:
    with cursor() as cur:
        return queries.readiness(cur, rules, window)


@st.cache_data(show_spinner=False, max_entries=64)
def _integrity(path: str, version: str, window: queries.Window, instruments: tuple[str, ...] | None,
               zones: tuple[str, str]) -> list:
    with cursor() as cur:
        return integrity.examine(cur, window, instruments=list(instruments) if instruments else None)


@st.cache_data(show_spinner=False, max_entries=64)
def _months_with_data(path: str, version: str, scope) -> list[date]:
    with cursor() as cur:
        return queries.months_with_data(cur, scope)


@st.cache_data(show_spinner=False, max_entries=64)
def _latest_full_quarter(path: str, version: str, today: date, scope) -> tuple[date, date] | None:
    with cursor() as cur:
        return queries.latest_full_quarter(cur, today, scope)


def office_list() -> pd.DataFrame:
    """Every office (unscoped): for the scope function and the audit only; pages use scoped_offices()."""
    return _offices(db_path(), data_version())


def has_data() -> bool:
    return _has_data(db_path(), data_version())


def batches() -> pd.DataFrame:
    return _batches(db_path(), data_version())


class _CachedSource:
    """The cached queries as a scoped.Source: the results are shared across sessions (cached per
    narrowed window), the scope is applied around them by scoped.Scoped."""

    def offices(self):
        return office_list()

    def indices(self, by, period, window, instruments):
        return _indices(db_path(), data_version(), by, period, window, tuple(instruments) if instruments else None)

    def items(self, instrument, window, by_period, by_office):
        return _items(db_path(), data_version(), instrument, window, by_period, by_office)

    def readiness(self, rules, window):
        return _readiness(db_path(), data_version(), rules, window)

    def months_with_data(self, scope):
        return _months_with_data(db_path(), data_version(), scope)

    def latest_full_quarter(self, today, scope):
        return _latest_full_quarter(db_path(), data_version(), today, scope)

    def suggestions(self, window, limit, shared_only):
        with cursor() as cur:             # not cached: the review list must show the marks just saved
            return queries.suggestions(cur, window, limit, shared_only=shared_only)


def data() -> scoped.Scoped:
    """Page data for the current viewer: every call below goes through the viewer's scope."""
    return scoped.Scoped(_CachedSource(), viewer_scope())


def scoped_offices() -> pd.DataFrame:
    return data().offices()


def indices(by: str, period: str, window: queries.Window, instruments=None) -> pd.DataFrame:
    return data().indices(by, period, window, instruments)


def items(instrument: str, window: queries.Window, by_period: str | None = None,
          by_office: bool = False) -> pd.DataFrame:
    return data().items(instrument, window, by_period=by_period, by_office=by_office)


def readiness(rules: str, window: queries.Window) -> pd.DataFrame:
    return data().readiness(rules, window)


def suggestions(window: queries.Window, limit: int = 1000) -> pd.DataFrame:
    return data().suggestions(window, limit)


def may_see_integrity() -> bool:
    """The integrity signals are prompts for a Kanwil's own follow-up ('perlu klarifikasi'), shown
    only to viewers whose scope has the Integritas page (admin, kanwil; docs/security.md)."""
    return "integritas" in viewer_scope().pages


def integrity_results(window: queries.Window, instruments=None, wait: bool = True) -> list | None:
    """The integrity signals of every office × instrument × period unit in the window (peers: the
    window's offices; pass a whole Kanwil's scope), the window narrowed to the viewer's scope first.
    Keyed by the time-zone settings too. wait=False: None while they are still being computed in the
    background (started here if need be), so a page can show the rest first (Ringkasan's badge)."""
    if not may_see_integrity():
        return []                                # fail closed: no signals without the Integritas page
    zones = (settings.get("export_tz"), settings.get("office_tz"))
    window = data().window(window)
    wanted = viewer_scope().instruments_within(instruments)
    wanted = tuple(wanted) if wanted else None
    path, version = db_path(), data_version()
    if not wait and not _in_background(("integrity", path, version, window, wanted, zones),
                                       lambda: _integrity(path, version, window, wanted, zones)):
        return None
    # Through the shared page data too: a hit hands out the records without unpickling ~18 000 of them.
    return page_data("integrity", lambda w, i, z: _integrity(path, version, w, i, z), window, wanted, zones)


# One worker: the signals of several views queue rather than share two cores with the page runs.
_BACKGROUND = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dasbor-integrity")
_STARTED: "OrderedDict[tuple, Future]" = OrderedDict()
_STARTED_LOCK = threading.Lock()


def _in_background(key: tuple, compute) -> bool:
    """Whether compute() (which fills the shared st.cache_data) has finished; starts it once per key
    if not. A failure counts as finished: the caller then computes in the foreground and shows the error."""
    with _STARTED_LOCK:
        future = _STARTED.get(key)
        if future is None:
            future = _STARTED[key] = _BACKGROUND.submit(compute)
            while len(_STARTED) > 64:
                _STARTED.popitem(last=False)
    return future.done()


def months_with_data(scope=None) -> list[date]:
    return page_data("months_with_data", lambda: data().months_with_data())


def latest_full_quarter(scope=None) -> tuple[date, date] | None:
    return data().latest_full_quarter(date.today(), scope)


def is_demo_data() -> bool:
    frame = batches()
    return bool(not frame.empty and frame["is_demo"].any())


# --- who may see what ---------------------------------------------------------------------------

def viewer_scope() -> Scope:
    """THE hook: the scope of the principal of this run (ui/session.py re-checks the session row on
    every rerun and computes it with analytics.domain.access.scope_for). Nobody signed in → the empty
    scope: nothing, never everything."""
    found = st.session_state.get("_scope")
    return found if isinstance(found, Scope) else access.EMPTY
