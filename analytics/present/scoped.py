"""Page data through a scope: every query a page (and later a report) makes goes through `Scoped`,
which narrows the request to the viewer's scope (offices × months, instruments) BEFORE it reaches
the store, filters the result again AFTER (a row of an office outside the scope is never returned),
and, for guests, blanks figures from fewer than `small_sample` respondents ("data belum cukup").

`Source` is where unscoped results come from: `StoreSource` (a store connection: CLI, tests) or the
UI's cached queries (ui/state.py). A test feeds random principals and tampered requests through it
(tests/test_access_property.py).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Protocol

import numpy as np
import pandas as pd

from analytics import settings
from analytics.domain.access import PERSONAL_FIELDS, Scope
from analytics.domain.instruments import load_registry
from analytics.store import offices as office_store
from analytics.store import queries
from analytics.store.queries import Window


class Source(Protocol):
    def offices(self) -> pd.DataFrame: ...
    def indices(self, by: str, period: str, window: Window, instruments) -> pd.DataFrame: ...
    def items(self, instrument: str, window: Window, by_period: str | None, by_office: bool) -> pd.DataFrame: ...
    def readiness(self, rules: str, window: Window) -> pd.DataFrame: ...
    def months_with_data(self, scope) -> list[date]: ...
    def latest_full_quarter(self, today: date, scope) -> tuple[date, date] | None: ...
    def suggestions(self, window: Window, limit: int, shared_only: bool) -> pd.DataFrame: ...


class StoreSource:
    """Unscoped results straight from a store connection."""

    def __init__(self, con):
        self.con = con

    def offices(self):
        return office_store.list_offices(self.con)

    def indices(self, by, period, window, instruments):
        return queries.indices(self.con, by=by, period=period, window=window,
                               instruments=list(instruments) if instruments else None)

    def items(self, instrument, window, by_period, by_office):
        return queries.items(self.con, instrument, window, by_period=by_period, by_office=by_office)

    def readiness(self, rules, window):
        return queries.readiness(self.con, rules, window)

    def months_with_data(self, scope):
        return queries.months_with_data(self.con, scope)

    def latest_full_quarter(self, today, scope):
        return queries.latest_full_quarter(self.con, today, scope)

    def suggestions(self, window, limit, shared_only):
        return queries.suggestions(self.con, window, limit, shared_only=shared_only)


_NOTHING = Window(scope=())


def batches_within(scope: Scope, frame: pd.DataFrame, held: dict[int, set[int]]) -> pd.DataFrame:
    """The batches (live or in the trash) a scope may see, delete and restore: every one with the
    office master (admin), else those whose rows all belong to offices in scope; a batch without
    rows (held says nothing) only for an admin. Fail closed: an empty scope gets none."""
    if scope.office_master or frame.empty:
        return frame
    allowed = set(scope.offices)
    mine = [bool(held.get(int(b))) and held[int(b)] <= allowed for b in frame["batch_id"]]
    return frame[mine].reset_index(drop=True)


class Scoped:
    """The one door from pages to data, for one viewer's scope."""

    def __init__(self, source: Source, scope: Scope):
        self.source, self.scope = source, scope

    # --- narrowing a request ----------------------------------------------------------------------

    def window(self, window: Window, pooled: bool = False) -> Window:
        """The request's months and offices within the scope (pooled: the comparison pool, which may
        hold offices the viewer may not see by name). Nothing left → a window that selects nothing."""
        allowed = self.scope.pool if pooled else self.scope.offices
        if window.scope is not None:
            allowed = set(allowed)
        offices = allowed if window.scope is None else tuple(o for o in window.scope if o in allowed)
        months = self.scope.months_within(window.start, window.end)
        if not offices or months is None:
            return _NOTHING
        return Window(months[0], months[1], tuple(sorted(offices)))

    @property
    def integrity(self) -> bool:
        """Whether the viewer may see response-integrity signals ("perlu klarifikasi"): only with the
        Integritas page (admin, kanwil; docs/security.md) — anywhere they are shown, Ringkasan too."""
        return "integritas" in self.scope.pages

    def _instruments(self, requested) -> tuple[str, ...] | None:
        return self.scope.instruments_within(requested)

    # --- data --------------------------------------------------------------------------------------

    def offices(self) -> pd.DataFrame:
        frame = self.source.offices()
        frame = frame[frame["office_id"].isin(self.scope.offices)].reset_index(drop=True)
        return frame if self.scope.personal or self.scope.office_master else frame.drop(columns=["aliases"],
                                                                                          errors="ignore")

    def pool_kanwils(self) -> dict[int, str | None]:
        """office_id → Kanwil for the comparison pool (names of pooled offices are not part of it)."""
        frame = self.source.offices()
        frame = frame[frame["office_id"].isin(self.scope.pool)]
        return {int(i): (None if pd.isna(k) else k) for i, k in zip(frame["office_id"], frame["kanwil"])}

    def indices(self, by: str, period: str, window: Window, instruments=None) -> pd.DataFrame:
        """by='office': rows of offices in scope only; 'kanwil'/'all': pooled over the request's offices
        within the comparison pool (an office user's Kanwil figure), no office named."""
        pooled = by != "office"
        narrowed = self.window(window, pooled=pooled)
        wanted = self._instruments(instruments)
        if wanted == ():
            narrowed = _NOTHING
        frame = self.source.indices(by, period, narrowed, wanted)
        if by == "office":
            frame = frame[frame["unit"].astype(str).isin({str(o) for o in self.scope.offices})]
        frame = frame[frame["instrument"].map(self.scope.allows_instrument).astype(bool)] if len(frame) else frame
        return self._mask(frame.reset_index(drop=True), "n", ["index", "converted", "percent"], ["grade"])

    def items(self, instrument: str, window: Window, by_period: str | None = None,
              by_office: bool = False) -> pd.DataFrame:
        narrowed = self.window(window) if self.scope.allows_instrument(instrument) else _NOTHING
        frame = self.source.items(instrument, narrowed, by_period, by_office)
        if by_office:
            frame = frame[frame["office_id"].isin(self.scope.offices)]
        if not self.scope.allows_instrument(instrument):
            frame = frame.iloc[0:0]
        return self._mask(frame.reset_index(drop=True), "n", ["nrr"], [])

    def readiness(self, rules: str, window: Window) -> pd.DataFrame:
        frame = self.source.readiness(rules, self.window(window))
        frame = frame[frame["office_id"].isin(self.scope.offices)]
        if self.scope.instruments is not None and len(frame):
            allowed = frame["service_instrument"].map(lambda i: i is None or self.scope.allows_instrument(i)) & \
                frame["anticorruption_instrument"].map(lambda i: i is None or self.scope.allows_instrument(i))
            frame = frame[allowed.astype(bool)]
        frame = frame.reset_index(drop=True)
        return blank_small_readiness(frame) if self.scope.hide_small else frame

    def months_with_data(self) -> list[date]:
        if self.scope.empty:
            return []
        found = self.source.months_with_data(tuple(self.scope.offices))
        return [m for m in found if self.scope.months_within(m, m) is not None]

    def latest_full_quarter(self, today: date, scope=None) -> tuple[date, date] | None:
        offices = self.window(Window(scope=tuple(scope) if scope is not None else None)).scope
        if not offices:
            return None
        found = self.source.latest_full_quarter(today, offices)
        if found is None or self.scope.months_within(*found) != found:
            return None                  # a quarter reaching outside a link's months is not offered
        return found

    def suggestions(self, window: Window, limit: int = 1000) -> pd.DataFrame:
        """Saran of offices in scope; without personal-data rights (guests, office users who may not
        upload) only those a kanwil user marked as reviewed for sharing, and without respondent ids."""
        shared_only = not self.scope.personal
        frame = self.source.suggestions(self.window(window), limit, shared_only)
        frame = frame[frame["office_id"].isin(self.scope.offices)]
        if shared_only:
            frame = frame[frame["shared"].astype(bool)].drop(columns=["respondent_id"])
        return frame.reset_index(drop=True)

    def report_request(self, request):
        """A meeting report's Request narrowed to the scope: offices listed ⊆ scope, pooled offices ⊆
        the comparison pool, months within, the survey pair within the scope's instruments, saran only
        reviewed ones without personal-data rights, integrity signals only where the Integritas page is
        open, and for guests every figure from fewer than small_sample respondents blanked (hide_small:
        report.content.collect passes its frames through blank_small / blank_small_readiness below).
        None: no download rights, no Laporan page, or nothing left."""
        if not self.scope.downloads or "laporan" not in self.scope.pages:
            return None
        offices = tuple(o for o in request.scope if o in set(self.scope.offices))
        pooled = tuple(o for o in request.pooled_scope if o in set(self.scope.pool))
        months = self.scope.months_within(request.start, request.end)
        if not offices or months is None or None in months:
            return None
        if self.scope.instruments is not None and (
                request.pair is None or not all(self.scope.allows_instrument(i) for i in request.pair)):
            return None                     # a pair chosen from data could hold an instrument not shared
        return replace(request, scope=offices, pooled_scope=pooled or offices, start=months[0], end=months[1],
                       saran_shared_only=not self.scope.personal,
                       integrity="integritas" in self.scope.pages, hide_small=self.scope.hide_small)

    # --- guests: no small figures, no personal fields ----------------------------------------------

    def _mask(self, frame: pd.DataFrame, n: str, values: list[str], labels: list[str]) -> pd.DataFrame:
        frame = frame.drop(columns=[c for c in frame.columns if c in PERSONAL_FIELDS and not self.scope.personal])
        return blank_small(frame, n, values, labels) if self.scope.hide_small else frame


# The figures of a row with fewer than small_sample respondents, for viewers who must not get them
# (guests): the pages and the meeting reports blank them here, and show "data belum cukup".
INDEX_VALUES, INDEX_LABELS = ["index", "converted", "percent"], ["grade"]     # queries.indices
ITEM_VALUES = ["nrr"]                                                         # queries.items


def blank_small(frame: pd.DataFrame, n: str, values: list[str], labels: list[str]) -> pd.DataFrame:
    """`values` → NaN and `labels` → None on every row whose `n` is below small_sample."""
    if frame.empty or n not in frame:
        return frame
    few = frame[n].fillna(0) < settings.get("small_sample")
    if not few.any():
        return frame
    frame = frame.copy()
    for column in values:
        if column in frame:
            frame[column] = frame[column].astype("float64")
            frame.loc[few, column] = np.nan
    for column in labels:
        if column in frame:
            frame[column] = frame[column].astype(object)
            frame.loc[few, column] = None
    return frame


def blank_small_readiness(frame: pd.DataFrame) -> pd.DataFrame:
    """queries.readiness with the nilai of a side below small_sample blanked, and the shortfalls that
    would say it ("IKM 13,05 — kurang 0,45 …") dropped; the respondents shortfall ("n = 12 < 30")
    and the verdict ("data belum cukup") stay."""
    if frame.empty:
        return frame
    small = settings.get("small_sample")
    frame = frame.copy()
    hidden = [set() for _ in range(len(frame))]
    for side in ("service", "anticorruption"):
        few = (frame[f"{side}_n"].fillna(0) < small).to_numpy()
        frame[f"{side}_nilai"] = frame[f"{side}_nilai"].astype("float64").where(~few)
        for i, instrument in enumerate(frame[f"{side}_instrument"]):
            if few[i] and instrument is not None:
                hidden[i].add(load_registry().get(instrument).index_name)
    if "shortfalls" in frame:
        frame["shortfalls"] = [tuple(s for s in shortfalls if not (s.kind == "nilai" and s.instrument in names))
                               for shortfalls, names in zip(frame["shortfalls"], hidden)]
    return frame

