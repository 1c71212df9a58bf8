"""The dashboard's server-side state: the one store connection, the data version that keys every
cached query, the cached queries themselves, and the viewer's scope.

The app process is the single writer of the store: one cached root connection, a cursor per use
(DuckDB 2.0 refuses concurrent calls on one connection object), and a lock around writes.
"""
from __future__ import annotations

import logging
import threading
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


def data_version() -> str:
    """Changes whenever an import, a delete or an office-master import changes the data; part of
    every cache key, so a stale cached result is never served (cheap: two tiny tables)."""
    with cursor() as cur:
        return store.data_version(cur)


def invalidate() -> None:
    """After a write: drop every cached result (the version changes too; this frees the memory)."""
    st.cache_data.clear()


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


def integrity_results(window: queries.Window, instruments=None) -> list:
    """The integrity signals of every office × instrument × period unit in the window (peers: the
    window's offices; pass a whole Kanwil's scope), the window narrowed to the viewer's scope first.
    Keyed by the time-zone settings too."""
    zones = (settings.get("export_tz"), settings.get("office_tz"))
    window = data().window(window)
    wanted = viewer_scope().instruments_within(instruments)
    return _integrity(db_path(), data_version(), window, tuple(wanted) if wanted else None, zones)


def months_with_data(scope=None) -> list[date]:
    return data().months_with_data()


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
