"""Streamlit-side state of the dashboard: the one store connection, the data version that keys every
cached query, the viewer's scope, the sidebar filters (bound to the URL), and the page wrapper that
turns errors into a plain message.

The app process is the single writer of the store: one cached root connection, a cursor per use
(DuckDB 2.0 refuses concurrent calls on one connection object), and a lock around writes.
"""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Callable

import pandas as pd
import streamlit as st

from analytics import settings, demo, store
from analytics.store import offices, queries
from analytics.present import views
from analytics import i18n
from analytics.i18n import LANGS
from analytics.errors import DasborError, render
from ui.text import current_lang, integer, t
from analytics.domain.instruments import Registry, load_registry

log = logging.getLogger("dasbor")
ALL = ""                        # the "all Kanwil / all offices" choice of a filter
NO_KANWIL = "(tanpa Kanwil)"    # offices created by an upload without a Kanwil


# --- connection, version, writes ----------------------------------------------------------------

def db_path() -> str:
    return str(settings.db_path())


@st.cache_resource(show_spinner=False)
def _root_connection(path: str):
    """Opened once per process and database file; creates and migrates a missing file."""
    return store.connect(path)


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
        row = store.fetch_one(cur, """
            SELECT (SELECT coalesce(max(batch_id), 0) || ':' || count(*) FROM batches),
                   (SELECT count(*) || ':' || coalesce(sum(hash(office_id, name, kanwil, office_type)), 0)
                    FROM offices),
                   (SELECT count(*) FROM office_aliases)
        """)
    return "|".join(str(part) for part in row)


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
def _latest_full_quarter(path: str, version: str, today: date, scope) -> tuple[date, date] | None:
    with cursor() as cur:
        return queries.latest_full_quarter(cur, today, scope)


def office_list() -> pd.DataFrame:
    return _offices(db_path(), data_version())


def has_data() -> bool:
    return _has_data(db_path(), data_version())


def batches() -> pd.DataFrame:
    return _batches(db_path(), data_version())


def indices(by: str, period: str, window: queries.Window, instruments=None) -> pd.DataFrame:
    return _indices(db_path(), data_version(), by, period, window, tuple(instruments) if instruments else None)


def items(instrument: str, window: queries.Window, by_period: str | None = None,
          by_office: bool = False) -> pd.DataFrame:
    return _items(db_path(), data_version(), instrument, window, by_period, by_office)


def readiness(rules: str, window: queries.Window) -> pd.DataFrame:
    return _readiness(db_path(), data_version(), rules, window)


def latest_full_quarter(scope) -> tuple[date, date] | None:
    return _latest_full_quarter(db_path(), data_version(), date.today(), scope)


def is_demo_data() -> bool:
    frame = batches()
    return bool(not frame.empty and frame["is_demo"].any())


# --- who may see what ---------------------------------------------------------------------------

def table(data, **options) -> None:
    """st.dataframe as every page shows tables: no index, full width, '—' for a missing value
    (Streamlit would print 'None')."""
    st.dataframe(data, **{"hide_index": True, "width": "stretch", "placeholder": "—", **options})


def viewer_scope() -> tuple[int, ...]:
    """Office ids the current viewer may see. Today every viewer sees every office; accounts and
    scoped share links plug in here (e.g. from st.user or a signed share token)."""
    return tuple(int(i) for i in office_list()["office_id"])


# --- filters ------------------------------------------------------------------------------------

def instrument_pairs(registry: Registry) -> dict[str, tuple[str, str]]:
    """'IKM/IPK' → ('ikm', 'ipk'), from the rule sets' pairs (data files), in their order."""
    pairs = {}
    for rules in registry.rules.values():
        for service, anti in rules.pairs:
            label = f"{registry.get(service).index_name}/{registry.get(anti).index_name}"
            pairs.setdefault(label, (service, anti))
    return pairs


@dataclass(frozen=True)
class Filters:
    lang: str
    kanwil: str | None              # None = all Kanwil in the viewer's scope
    office: str | None              # office name; None = every office of the Kanwil
    office_id: int | None
    pair: tuple[str, str]           # (service instrument, anticorruption instrument)
    granularity: str
    start: date | None
    end: date | None
    rules: str
    kanwil_scope: tuple[int, ...]   # offices of the chosen Kanwil the viewer may see
    scope: tuple[int, ...]          # … narrowed to the chosen office

    def window(self, start: date | None = None, end: date | None = None, scope=None) -> queries.Window:
        return queries.Window(start or self.start, end or self.end, self.scope if scope is None else scope)

    @property
    def unit_name(self) -> str:
        return self.office or self.kanwil or t("unit_all")

    @property
    def kanwil_name(self) -> str:
        return self.kanwil or t("all_kanwil")


def _kanwil_of(frame: pd.DataFrame) -> pd.Series:
    return frame["kanwil"].fillna(NO_KANWIL)


def _month_options() -> list[str]:
    """Months with data in the viewer's scope, as YYYY-MM (also the URL values)."""
    frame = indices("all", "month", queries.Window(scope=viewer_scope()))
    return sorted(frame["period"].unique().tolist()) if not frame.empty else []


TRANSLATED_CHOICES = ("kanwil", "office", "granularity")   # bound selectboxes whose labels are translated


def _relabel_after_language_change() -> None:
    """A bound selectbox keeps its value when the language changes, but the browser and the URL hold
    the option's *label*: set each value again so both receive the label in the new language (else a
    copied link would carry an Indonesian label into an English page and lose the choice)."""
    for key in TRANSLATED_CHOICES:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def _month_range(bar, lang: str) -> tuple[date | None, date | None]:
    """From/to month, among the months with data (default: the last 12). Not drawn on an empty store,
    so the widgets start from their defaults once data arrives."""
    months = _month_options()
    if not months:
        return None, None
    start = bar.selectbox(i18n.t("start", lang), months, index=max(len(months) - 12, 0), key="start",
                          bind="query-params") or months[max(len(months) - 12, 0)]
    end = bar.selectbox(i18n.t("end", lang), months, index=len(months) - 1, key="end", bind="query-params") \
        or months[-1]
    start, end = queries.parse_month(start), queries.parse_month(end)
    if start > end:
        bar.warning(i18n.t("start_after_end", lang))
        start, end = end, start
    return start, end


def sidebar(registry: Registry | None = None) -> Filters:
    """Draw the filters once (app.py), bound to the URL so a copied address reproduces the view."""
    registry = registry or load_registry()
    bar = st.sidebar
    lang = bar.radio("Bahasa / Language", LANGS, key="lang", bind="query-params", horizontal=True,
                     on_change=_relabel_after_language_change)
    everything = office_list()
    visible = everything[everything["office_id"].isin(viewer_scope())]
    kanwils = sorted(_kanwil_of(visible).unique().tolist())
    kanwil = bar.selectbox(i18n.t("kanwil", lang), [ALL, *kanwils], key="kanwil", bind="query-params",
                           format_func=lambda k: i18n.t("all_kanwil", lang) if k == ALL else k)
    in_kanwil = visible if kanwil == ALL else visible[_kanwil_of(visible) == kanwil]
    office = bar.selectbox(i18n.t("office", lang), [ALL, *sorted(in_kanwil["name"])], key="office",
                           bind="query-params", format_func=lambda o: i18n.t("all_offices", lang) if o == ALL else o)
    pairs = instrument_pairs(registry)
    pair = bar.selectbox(i18n.t("pair", lang), list(pairs), key="pair", bind="query-params")
    granularity = bar.selectbox(i18n.t("granularity", lang), views.GRANULARITIES, key="granularity",
                                bind="query-params", format_func=lambda g: i18n.t(f"g_{g}", lang) if g in views.GRANULARITIES else str(g))
    start, end = _month_range(bar, lang)
    rule_ids = sorted(registry.rules)
    rules = bar.selectbox(i18n.t("rules", lang), rule_ids, index=rule_ids.index(settings.DEFAULT_RULES), key="rules",
                          bind="query-params", help=" · ".join(f"{r.id}: {r.name}" for r in registry.rules.values()))
    bar.caption(i18n.t("share_hint", lang))
    office_row = in_kanwil[in_kanwil["name"] == office]
    office_id = int(office_row["office_id"].iloc[0]) if office != ALL and not office_row.empty else None
    kanwil_scope = tuple(int(i) for i in in_kanwil["office_id"])
    return Filters(lang=lang or "id", kanwil=None if kanwil in (ALL, None) else kanwil,
                   office=None if office_id is None else office, office_id=office_id,
                   pair=pairs[pair], granularity=granularity, start=start, end=end, rules=rules,
                   kanwil_scope=kanwil_scope, scope=(office_id,) if office_id is not None else kanwil_scope)


def remember(filters: Filters) -> None:
    st.session_state["_filters"] = filters


def filters() -> Filters:
    found = st.session_state.get("_filters")
    if found is None:
        raise RuntimeError(t("filters_unavailable"))
    return found


# --- page furniture -----------------------------------------------------------------------------

def run_page(body: Callable[[], None]) -> None:
    """Run a page body; an error becomes a plain message (the traceback goes to the server log)."""
    try:
        demo_banner()
        body()
    except Exception as exc:   # Streamlit's own rerun/stop signals are BaseException and pass through
        show_error(exc, "page failed")


def show_error(exc: Exception, what: str) -> None:
    """A DasborError in the page's language, naming the control to use (surface "ui"); any other
    exception is a bug: a plain 'unexpected error' message, the traceback in the server log."""
    if isinstance(exc, DasborError):
        log.warning("%s: %s", what, exc)
        st.error(t("error_input", message=render(exc, current_lang(), "ui").rstrip(".")))
    else:
        log.exception(what)
        st.error(t("error_page"))


def demo_banner() -> None:
    if is_demo_data():
        st.warning(t("demo_banner"), icon=":material/science:")


def empty_state() -> bool:
    """Tell a new user what to do when the store holds no survey data. True when it was shown."""
    if has_data():
        return False
    st.subheader(t("empty_title"))
    st.markdown(t("empty_body"))
    left, right = st.columns([1, 1])
    if left.button(t("load_demo"), key="load_demo", type="primary", icon=":material/play_circle:"):
        load_demo()
    right.page_link("ui/pages/unggah.py", label=t("go_upload"), icon=":material/upload:")
    return True


def load_demo() -> None:
    with st.spinner(t("loading_demo")), writer() as cur:
        reports = demo.load_demo(cur)
    invalidate()
    st.session_state["_flash"] = t("demo_loaded", n=integer(sum(r.rows_imported for r in reports)))
    st.rerun()


def flash() -> None:
    """A one-time message left by the previous run (e.g. after loading the demo)."""
    message = st.session_state.pop("_flash", None)
    if message:
        st.success(message)
