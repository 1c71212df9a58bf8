"""What a meeting report holds, gathered once for both formats (PDF and workbook) from the same
queries (analytics.store.queries) and page functions (analytics.present.views) the pages use: the
report never computes a figure of its own.

A Request names the scope (office ids the viewer may see, narrowed to an office or a Kanwil), the
window (from/to months and the granularity), the survey pair, the ZI rule set and the language.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import pandas as pd

import analytics
from analytics import settings, store
from analytics.errors import BadValue, UnknownName
from analytics.domain import periods, readiness as zi
from analytics.domain.instruments import Instrument, Registry, RuleSet, load_registry
from analytics.i18n import t
from analytics.present import integrity as integrity_view, scoped, views
from analytics.store import integrity as store_integrity, offices as office_store, queries


@dataclass(frozen=True)
class Request:
    """What to report on. `scope`: the offices listed (the viewer's scope narrowed by the filters);
    `pooled_scope`: the offices pooled into the Kanwil summary (an office user sees the pooled figure
    of their Kanwil too); `kanwil`/`office`: the names shown (None = all). `pair` None: the first pair
    of the rule set with data in the scope (domain.readiness.pair_for)."""
    scope: tuple[int, ...]
    pooled_scope: tuple[int, ...]
    start: date
    end: date
    granularity: str = "month"
    rules: str = "zi-2019"
    lang: str = "id"
    kanwil: str | None = None
    office: str | None = None
    pair: tuple[str, str] | None = None
    saran_shared_only: bool = False       # only saran reviewed for sharing (viewers without personal data)
    integrity: bool = True                # the integrity section (only where the Integritas page is open)
    hide_small: bool = False              # guests: figures from < small_sample respondents blanked

    def cache_key(self) -> tuple:
        return (self.scope, self.pooled_scope, self.start, self.end, self.granularity, self.rules, self.lang,
                self.kanwil, self.office, self.pair, self.saran_shared_only, self.integrity, self.hide_small)


@dataclass
class Summary:
    """The pooled figures of one unit (a Kanwil, or all offices): views.headline tiles."""
    name: str
    tiles: list[views.Headline]


@dataclass
class Report:
    request: Request
    registry: Registry
    rules: RuleSet
    pair: tuple[Instrument, Instrument]
    period: periods.Period
    generated_at: datetime
    time_zone: str
    data_version: str
    version: str
    batches: list[int]
    is_demo: bool
    offices: pd.DataFrame                 # office_id, name, kanwil of the scope
    summaries: list[Summary]
    overview: pd.DataFrame                # views.overview
    readiness: pd.DataFrame               # views.readiness_table over the report period
    indices: pd.DataFrame                 # queries.indices by office × granularity over the window
    pooled: pd.DataFrame                  # queries.indices of the pooled unit(s) × granularity, window
    trends: dict[str, list[tuple[str, pd.DataFrame]]]       # instrument → [(office, views.trend)]
    pooled_trends: dict[str, pd.DataFrame]                   # instrument → views.trend of the summary unit
    items: dict[str, pd.DataFrame]        # instrument → queries.items over the window, weakest first
    suggestions: pd.DataFrame             # queries.suggestions over the report period
    # Integrity signals: (title, DataFrame) sections the PDF and the workbook render after the weakest
    # elements (present.integrity.table of the units with a signal, those needing clarification first).
    integrity: list[tuple[str, pd.DataFrame]] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.request.lang

    def hides(self, value, n) -> bool:
        """Whether this figure was blanked for the viewer (a guest's n < small_sample, present.scoped):
        both formats then say "data belum cukup" instead of a number."""
        return self.request.hide_small and (value is None or pd.isna(value)) and n is not None \
            and pd.notna(n) and 0 < int(n) < settings.get("small_sample")

    @property
    def scope_text(self) -> str:
        r = self.request
        return " · ".join([r.kanwil or t("all_kanwil", r.lang), r.office or t("all_offices", r.lang)])

    @property
    def window_text(self) -> str:
        return views.months_text(self.request.start, self.request.end)

    @property
    def generated_text(self) -> str:
        return f"{self.generated_at:%Y-%m-%d %H:%M} {self.time_zone}"

    def filters_text(self) -> str:
        r = self.request
        return t("r_filters", r.lang, scope=self.scope_text, pair="/".join(i.index_name for i in self.pair),
                 granularity=t(f"g_{r.granularity}", r.lang), window=self.window_text, rules=self.rules.id)

    def stamp(self) -> list[tuple[str, str]]:
        """The provenance printed on every PDF page and on the workbook's Info sheet."""
        lang = self.lang
        return [(t("r_stamp_filters", lang), self.filters_text()),
                (t("r_stamp_generated", lang), self.generated_text),
                (t("r_stamp_batches", lang), id_ranges(self.batches) or "—"),
                (t("r_stamp_rules", lang), self.rules.id),
                (t("r_stamp_version", lang), self.version),
                (t("r_stamp_data", lang), self.data_version)]

    def stamp_text(self) -> str:
        """The stamp in three lines: filters; time, batches, rules, version; the data fingerprint on a
        line of its own (it holds no space, so it must never be the part a line break falls into)."""
        parts = [f"{label}: {value}" for label, value in self.stamp()]
        return "\n".join([parts[0], " · ".join(parts[1:5]), parts[5]])


def id_ranges(ids) -> str:
    """[1, 2, 3, 7, 9, 10] → '1–3, 7, 9–10' (a stamp stays one line for hundreds of batches)."""
    ids = sorted(set(int(i) for i in ids))
    parts, start = [], None
    for i, value in enumerate(ids):
        if start is None:
            start = value
        if i + 1 == len(ids) or ids[i + 1] != value + 1:
            parts.append(str(start) if start == value else f"{start}–{value}")
            start = None
    return ", ".join(parts)


def now_in(zone: str | None = None) -> tuple[datetime, str]:
    """The current time in the configured Indonesian time zone (setting report_timezone)."""
    zone = zone or settings.get("report_timezone")
    return datetime.now(timezone(timedelta(hours=settings.TIME_ZONES[zone]), zone)), zone


def request_for(con, *, kanwil: str | None = None, office: str | None = None, start: date | None = None,
                end: date | None = None, granularity: str = "month", rules: str | None = None,
                lang: str = "id", viewer_scope: tuple[int, ...] | None = None,
                pair: tuple[str, str] | None = None) -> Request:
    """A Request from names as a user gives them (the CLI): the viewer's scope (None = every office,
    the administrator) narrowed to a Kanwil and/or an office; without from/to, the last
    `default_months` months with data (as the sidebar). An InputError names what cannot be used."""
    everything = office_store.list_offices(con)
    visible = everything if viewer_scope is None else everything[everything["office_id"].isin(viewer_scope)]
    office_id = None
    if office:
        found = office_store.resolve(con, [office])[office]
        if found is None or found not in set(visible["office_id"]):
            raise UnknownName("unknown_office", office=office)
        office_id = int(found)
        row = visible[visible["office_id"] == office_id].iloc[0]
        office = row["name"]
        own_kanwil = None if pd.isna(row["kanwil"]) else row["kanwil"]
        if kanwil and kanwil != own_kanwil:
            raise BadValue("office_not_in_kanwil", office=office, kanwil=kanwil)
        kanwil = own_kanwil
    if kanwil:
        in_kanwil = visible[visible["kanwil"] == kanwil]
        if in_kanwil.empty:
            raise UnknownName("unknown_kanwil", kanwil=kanwil)
    else:
        in_kanwil = visible
    pooled_scope = tuple(int(i) for i in in_kanwil["office_id"])
    scope = (office_id,) if office_id is not None else pooled_scope
    if start is None or end is None:
        months = queries.months_with_data(con, scope)
        if not months:
            raise BadValue("no_data_in_scope")
        end = end or months[-1]
        eligible = [m for m in months if m <= end]
        start = start or (eligible[max(len(eligible) - settings.get("default_months"), 0)] if eligible else end)
    if start > end:
        raise BadValue("start_after_end", start=f"{start:%Y-%m}", end=f"{end:%Y-%m}")
    return Request(scope=scope, pooled_scope=pooled_scope, start=start, end=end, granularity=granularity,
                   rules=rules or settings.get("default_rules"), lang=lang, kanwil=kanwil, office=office, pair=pair)


def _pair(con, request: Request, registry: Registry, rules: RuleSet) -> tuple[str, str]:
    if request.pair:
        return request.pair
    counts = queries.indices(con, by="all", period="all",
                             window=queries.Window(request.start, request.end, request.scope), registry=registry)
    found = zi.pair_for(rules, dict(zip(counts["instrument"], counts["n"])))
    return found or rules.pairs[0]


def _integrity(con, request: Request, period: periods.Period, registry: Registry) -> list[tuple[str, pd.DataFrame]]:
    """The Integritas page's table for the report period: peers are the pooled scope (the Kanwil),
    rows are the offices in scope; one section, also when no signal fires (it says so by being empty)."""
    window = queries.Window(period.start, period.end, request.pooled_scope)
    results = [r for r in store_integrity.examine(con, window, registry=registry)
               if r.unit.office_id in set(request.scope)]
    title = t("r_integrity", request.lang, n=sum(r.clarify for r in results))
    return [(title, integrity_view.table(results, request.lang))]


def _two_periods(frame: pd.DataFrame, period: periods.Period) -> pd.DataFrame:
    """The rows of the report period and the one before it, from a frame over a window holding both."""
    return frame[frame["period"].isin([period.label, period.previous_label])].reset_index(drop=True)


class _Reads:
    """The queries a report makes; for a request with hide_small (guests) every figure from fewer than
    small_sample respondents is blanked by the data door's own rule (present.scoped) as it is read, so
    nothing downstream (tables, trends, charts, workbook) ever holds it."""

    def __init__(self, con, request: Request, registry: Registry):
        self.con, self.hide, self.registry = con, request.hide_small, registry

    def indices(self, **query) -> pd.DataFrame:
        frame = queries.indices(self.con, registry=self.registry, **query)
        return scoped.blank_small(frame, "n", scoped.INDEX_VALUES, scoped.INDEX_LABELS) if self.hide else frame

    def items(self, instrument: str, window: queries.Window) -> pd.DataFrame:
        frame = queries.items(self.con, instrument, window, registry=self.registry)
        if not self.hide:
            return frame
        frame = scoped.blank_small(frame, "n", scoped.ITEM_VALUES, [])
        return frame.sort_values("nrr", na_position="last", kind="stable").reset_index(drop=True)   # no order by hidden values

    def suggestions(self, window: queries.Window, limit: int, shared_only: bool) -> pd.DataFrame:
        """Saran; reviewed ones only and without respondent ids for viewers without personal data."""
        frame = queries.suggestions(self.con, window, limit, shared_only=shared_only)
        if shared_only:
            frame = frame[frame["shared"].astype(bool)].drop(columns=["respondent_id"]).reset_index(drop=True)
        return frame

    def readiness(self, rules: str, window: queries.Window) -> pd.DataFrame:
        frame = queries.readiness(self.con, rules, window, self.registry)
        return scoped.blank_small_readiness(frame) if self.hide else frame


def collect(con, request: Request, registry: Registry | None = None, generated_at: datetime | None = None,
            time_zone: str | None = None) -> Report:
    """Everything both formats show, from the store as it is now."""
    registry = registry or load_registry()
    reads = _Reads(con, request, registry)
    rules = registry.rule_set(request.rules)
    pair_ids = _pair(con, request, registry, rules)
    pair = tuple(registry.get(i) for i in pair_ids)
    if generated_at is None:
        generated_at, time_zone = now_in(time_zone)
    period = periods.report_period(request.granularity, request.end)
    scope_window = queries.Window(request.start, request.end, request.scope)
    everything = office_store.list_offices(con)
    offices = everything[everything["office_id"].isin(request.scope)].reset_index(drop=True)

    # Trends and elements over the whole window (the Tren and Unsur pages).
    pooled_by = "kanwil" if request.kanwil else "all"
    window_indices = reads.indices(by="office", period=request.granularity, window=scope_window,
                                   instruments=pair_ids)
    pooled_window = reads.indices(by=pooled_by, period=request.granularity,
                                  window=queries.Window(request.start, request.end, request.pooled_scope),
                                  instruments=pair_ids)

    # Summary and office table: exactly the Ringkasan page (period ending at `end`, and the one before).
    # When the window holds both periods whole, their rows are those of the window's frames (the same
    # query, grouping and rounding per row); otherwise they are asked for.
    compare = queries.Window(period.previous_start, period.end, request.pooled_scope)
    inside = request.granularity != "all" and request.start <= period.previous_start
    pooled_now = _two_periods(pooled_window, period) if inside else \
        reads.indices(by=pooled_by, period=request.granularity, window=compare, instruments=pair_ids)
    # A guest's pool is the link's offices, not the Kanwil: say so instead of the Kanwil's name.
    unit = t("r_pooled_link", request.lang, n=len(request.pooled_scope)) if request.hide_small \
        else request.kanwil or t("all_kanwil", request.lang)
    summaries = [Summary(unit, views.headline(pooled_now, pair_ids, period, registry))]
    if not request.kanwil and request.office is None and not request.hide_small:
        by_kanwil = reads.indices(by="kanwil", period=request.granularity, window=compare, instruments=pair_ids)
        for kanwil, rows in by_kanwil.groupby(by_kanwil["kanwil"].fillna(""), sort=True):
            summaries.append(Summary(kanwil or "—", views.headline(rows, pair_ids, period, registry)))
    by_office = _two_periods(window_indices, period) if inside else \
        reads.indices(by="office", period=request.granularity,
                      window=queries.Window(period.previous_start, period.end, request.scope), instruments=pair_ids)
    ready_raw = reads.readiness(rules.id, queries.Window(period.start, period.end, request.scope))
    overview = views.overview(by_office, offices, pair_ids, period, ready_raw, registry)
    ready = views.readiness_table(ready_raw, registry, request.lang)

    names = dict(zip(offices["office_id"], offices["name"]))
    trends, pooled_trends, items = {}, {}, {}
    for inst in pair:
        by_unit = {int(unit): trend for unit, trend in views.trends(window_indices, inst, request.granularity,
                                                                      request.start, request.end).items()}
        trends[inst.id] = [(names[office_id], by_unit[office_id]) for office_id in sorted(by_unit, key=names.get)]
        pooled_trends[inst.id] = views.trend(pooled_window, inst, request.granularity, request.start, request.end)
        items[inst.id] = reads.items(inst.id, scope_window)

    batches = queries.batches_in(con, scope_window)
    shown_integrity = request.integrity and not request.hide_small
    return Report(integrity=_integrity(con, request, period, registry) if shown_integrity else [],
        request=request, registry=registry, rules=rules, pair=pair, period=period, generated_at=generated_at,
        time_zone=time_zone, data_version=store.data_version(con), version=analytics.__version__,
        batches=[int(b) for b in batches["batch_id"]], is_demo=bool(batches["is_demo"].any()),
        offices=offices, summaries=summaries, overview=overview, readiness=ready, indices=window_indices,
        pooled=pooled_window, trends=trends, pooled_trends=pooled_trends, items=items,
        suggestions=reads.suggestions(queries.Window(period.start, period.end, request.scope),
                                      settings.get("report_saran_rows"), request.saran_shared_only),
    )
