"""The dashboard's server-side state: the one store connection, the data version that keys every
cached query, the cached queries themselves, and the viewer's scope.

The app process is the single writer of the store: one cached root connection, a cursor per use
(DuckDB 2.0 refuses concurrent calls on one connection object), and a lock around writes.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, datetime

import pandas as pd
import streamlit as st

from analytics import settings, store
from analytics.domain import access
from analytics.domain.access import Scope
from analytics.domain.instruments import load_registry
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


def forget_connection() -> None:
    """Close the cached root connection and forget it: the next run opens the store again. After a
    fatal write error (a full disk at COMMIT) DuckDB invalidates the open database, and connecting again
    while a connection to it is open returns the same invalid database (checked)."""
    try:
        _root_connection(db_path()).close()
    except Exception:           # noqa: BLE001 — not open, or not openable: nothing to close
        pass
    _root_connection.clear()
    invalidate()


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


# How long a reading of the data version serves every run of this process. Fifty sessions each
# reading it (four small subqueries, ~10 ms) was a tenth of their page runs. Writes made here call
# invalidate(), which drops the reading at once; a write by another process (a CLI import) is seen at
# most this long after it — as if the run had started that much earlier, never a mix of versions.
VERSION_TTL_S = 1.0
_VERSION: dict = {"generation": 0}       # path → (time read, version); generation: invalidate() calls
_VERSION_LOCK = threading.Lock()


def _read_version() -> str:
    path, now = db_path(), time.monotonic()
    with _VERSION_LOCK:
        found, generation = _VERSION.get(path), _VERSION["generation"]
    if found is not None and now - found[0] < VERSION_TTL_S:
        return found[1]
    with cursor() as cur:
        version = store.data_version(cur)
    with _VERSION_LOCK:
        if _VERSION["generation"] == generation:     # no write since this reading began
            _VERSION[path] = (now, version)
    return version


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
    with _VERSION_LOCK:
        _VERSION.clear()
        _VERSION["generation"] = time.monotonic_ns()
    st.cache_data.clear()
    _PAGE_DATA.clear()
    _EVERY_OFFICE.clear()
    with _STARTED_LOCK:
        _STARTED.clear()
    st.session_state.pop("_data_version", None)


# --- page data, shared by every session with the same scope and filters ---------------------------

class _PageData:
    """A bounded, thread-safe LRU of finished page data. The key holds the viewer's whole Scope (a
    frozen dataclass, compared field by field), so two sessions share an entry only when they may see
    exactly the same thing; the data version is in the key too, so a write is never served stale.
    Values are shared, not copied: page code only reads them (views.* build new frames).

    One computation per key: sessions asking for a key being computed wait for it instead of computing
    it again (40 office heads opening the dashboard at once); if it fails or its run is stopped, a
    waiting session computes it itself (and sees the error itself if there is one)."""

    def __init__(self, max_entries: int):
        self.max_entries, self._lock, self._entries = max_entries, threading.Lock(), OrderedDict()
        self._pending: dict = {}

    def get(self, key, compute):
        while True:
            with self._lock:
                if key in self._entries:
                    self._entries.move_to_end(key)
                    return self._entries[key]
                pending = self._pending.get(key)
                owner = pending is None
                if owner:
                    pending = self._pending[key] = _Pending()
            if owner:
                return self._compute(key, compute, pending)
            pending.done.wait()
            if pending.value is not _MISSING:
                return pending.value

    def _compute(self, key, compute, pending):
        try:
            value = compute()       # outside the lock: sessions of other keys are not held up
            with self._lock:
                self._entries[key] = value
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
            pending.value = value
            return value
        finally:
            with self._lock:
                self._pending.pop(key, None)
            pending.done.set()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_MISSING = object()


class _Pending:
    """A computation in progress: `done` is set when it ended, `value` holds its result if it succeeded."""

    def __init__(self):
        self.done, self.value = threading.Event(), _MISSING


_PAGE_DATA = _PageData(max_entries=256)
# Query results over every office, from which each viewer's rows are filtered (see _CachedSource).
_EVERY_OFFICE = _PageData(max_entries=64)


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


def _every_office(kind: str, compute, *key):
    """compute(cursor) over every office of the store, once per (kind, store, data version, key) for
    all sessions: each viewer gets the rows of the offices in their window (_of_offices). An office's
    row in these results depends on its own data only, so filtering the whole gives what a query
    narrowed to the office gives (tests/test_page_cache.py checks it)."""
    def run():
        with cursor() as cur:
            return compute(cur)
    return _EVERY_OFFICE.get((kind, db_path(), data_version()) + key, run)


def _of_offices(frame: pd.DataFrame, column: str, offices, as_text: bool = False) -> pd.DataFrame:
    """The rows of `frame` whose `column` is one of `offices` (a window's scope; None = every office),
    as a new frame: the shared one is never handed out."""
    if offices is None:
        return frame.copy()
    wanted = {str(o) for o in offices} if as_text else set(offices)
    return frame[frame[column].isin(wanted)].reset_index(drop=True)


class _CachedSource:
    """The cached queries as a scoped.Source: the results are shared across sessions, the scope is
    applied around them by scoped.Scoped. Per-office results (indices by office, readiness, item sums)
    are computed once over every office for the window's months and each request's offices filtered
    from them, so fifty office users of fifty offices share one computation; pooled results (Kanwil,
    all) depend on the set of offices and are cached per narrowed window. An empty window (scope ())
    never widens: the store answers it with nothing at once."""

    def offices(self):
        return office_list()

    def indices(self, by, period, window, instruments):
        wanted = tuple(instruments) if instruments else None
        if by != "office" or window.scope == ():
            return _indices(db_path(), data_version(), by, period, window, wanted)
        every = queries.Window(window.start, window.end)
        frame = _every_office("indices", lambda cur: queries.indices(
            cur, by="office", period=period, window=every, instruments=list(wanted) if wanted else None),
            period, every, wanted)
        return _of_offices(frame, "unit", window.scope, as_text=True)

    def items(self, instrument, window, by_period, by_office):
        registry = load_registry()
        if window.scope == ():
            with cursor() as cur:
                return queries.items(cur, instrument, window, by_period=by_period, by_office=by_office)
        every = queries.Window(window.start, window.end)
        sums = _every_office("item_sums", lambda cur: queries.item_sums(cur, instrument, every, by_period or "all",
                                                                         by_office=True),
                             instrument, every, by_period)
        mine = _of_offices(sums, "office_id", window.scope)
        if not by_office:
            mine = queries.pool_item_sums(mine.drop(columns="office_id"))
        return queries.items_of(mine, registry.get(instrument), by_period, by_office)

    def readiness(self, rules, window):
        if window.scope == ():
            with cursor() as cur:
                return queries.readiness(cur, rules, window)
        every = queries.Window(window.start, window.end)
        frame = _every_office("readiness", lambda cur: queries.readiness(cur, rules, every), rules, every)
        return _of_offices(frame, "office_id", window.scope)

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


def integrity_results(window: queries.Window, instruments=None, wait: bool = True) -> list | None:
    """The integrity signals of every office × instrument × period unit in the window (peers: the
    window's offices; pass a whole Kanwil's scope), the window narrowed to the viewer's scope first.
    Keyed by the time-zone settings too. wait=False: None while they are still being computed in the
    background (started here if need be), so a page can show the rest first (Ringkasan's badge)."""
    if not data().integrity:
        return []                 # fail closed: no signals for a viewer without the Integritas page
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
