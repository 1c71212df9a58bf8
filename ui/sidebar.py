"""The sidebar filters, drawn once per run by app.py and bound to the URL (a copied address reproduces
the view), and the Filters value the pages read."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from analytics import i18n, settings
from analytics.domain import access, periods
from analytics.domain.instruments import Registry, load_registry
from analytics.i18n import LANGS
from analytics.store import queries
from ui import session, state
from ui.text import t

ALL = ""                        # the "all Kanwil / all offices" choice of a filter
NO_KANWIL = "(tanpa Kanwil)"    # offices created by an upload without a Kanwil


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
    pool_scope: tuple[int, ...] = ()    # offices pooled into the Kanwil comparison figure (may hold
                                        # offices an office user may not see by name)

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
    return [periods.month_text(m) for m in state.months_with_data()]


def drop_out_of_scope_params(visible: pd.DataFrame) -> None:
    """URL parameters carry filters only: a value the viewer's scope does not offer (an office or Kanwil
    outside it, a month outside a link's period) is dropped before the widgets read it — the viewer
    sees their own scope — and logged once per tab as a scope_violation."""
    params = {key: st.query_params.get(key) for key in ("office", "kanwil", "start", "end")}
    found = access.out_of_scope_params(params, visible["name"], _kanwil_of(visible).unique(), _month_options())
    for violation in found:
        del st.query_params[violation.param]
        st.session_state.pop(violation.param, None)
        seen = st.session_state.setdefault("_violations", set())
        if (violation.param, violation.value) not in seen:
            seen.add((violation.param, violation.value))
            session.audit("scope_violation", param=violation.param, value=violation.value[:200])


TRANSLATED_CHOICES = ("kanwil", "office", "granularity")   # bound selectboxes whose labels are translated


def _relabel_after_language_change() -> None:
    """A bound selectbox keeps its value when the language changes, but the browser and the URL hold
    the option's *label*: set each value again so both receive the label in the new language (else a
    copied link would carry an Indonesian label into an English page and lose the choice)."""
    for key in TRANSLATED_CHOICES:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def _month_range(bar, lang: str) -> tuple[date | None, date | None]:
    """From/to month, among the months with data (default: the last `default_months`, a setting). Not
    drawn on an empty store, so the widgets start from their defaults once data arrives."""
    months = _month_options()
    if not months:
        return None, None
    first = max(len(months) - settings.get("default_months"), 0)
    start = bar.selectbox(i18n.t("start", lang), months, index=first, key="start",
                          bind="query-params") or months[first]
    end = bar.selectbox(i18n.t("end", lang), months, index=len(months) - 1, key="end", bind="query-params") \
        or months[-1]
    start, end = periods.parse_month(start), periods.parse_month(end)
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
    visible = state.scoped_offices()
    drop_out_of_scope_params(visible)
    kanwils = sorted(_kanwil_of(visible).unique().tolist())
    kanwil = bar.selectbox(i18n.t("kanwil", lang), [ALL, *kanwils], key="kanwil", bind="query-params",
                           format_func=lambda k: i18n.t("all_kanwil", lang) if k == ALL else k)
    in_kanwil = visible if kanwil == ALL else visible[_kanwil_of(visible) == kanwil]
    office = bar.selectbox(i18n.t("office", lang), [ALL, *sorted(in_kanwil["name"])], key="office",
                           bind="query-params", format_func=lambda o: i18n.t("all_offices", lang) if o == ALL else o)
    scope = state.viewer_scope()
    pairs = {label: pair for label, pair in instrument_pairs(registry).items()
             if all(scope.allows_instrument(i) for i in pair)}
    if not pairs:
        raise RuntimeError("no instrument pair in scope")
    pair = bar.selectbox(i18n.t("pair", lang), list(pairs), key="pair", bind="query-params")
    granularity = bar.selectbox(i18n.t("granularity", lang), periods.GRANULARITIES, key="granularity",
                                bind="query-params", format_func=lambda g: i18n.t(f"g_{g}", lang) if g in periods.GRANULARITIES else str(g))
    start, end = _month_range(bar, lang)
    rule_ids = sorted(registry.rules)
    default_rules = rule_ids.index(settings.get("default_rules"))
    rules = bar.selectbox(i18n.t("rules", lang), rule_ids, index=default_rules, key="rules",
                          bind="query-params", help=" · ".join(f"{r.id}: {r.name}" for r in registry.rules.values()))
    bar.caption(i18n.t("share_hint", lang))
    office_row = in_kanwil[in_kanwil["name"] == office]
    office_id = int(office_row["office_id"].iloc[0]) if office != ALL and not office_row.empty else None
    kanwil_scope = tuple(int(i) for i in in_kanwil["office_id"])
    pool = state.data().pool_kanwils()
    chosen = None if kanwil in (ALL, None) else kanwil
    pool_scope = tuple(sorted(o for o, k in pool.items() if chosen is None or (k or NO_KANWIL) == chosen))
    return Filters(lang=lang or "id", kanwil=None if kanwil in (ALL, None) else kanwil,
                   office=None if office_id is None else office, office_id=office_id,
                   pair=pairs[pair], granularity=granularity, start=start, end=end, rules=rules,
                   kanwil_scope=kanwil_scope, scope=(office_id,) if office_id is not None else kanwil_scope,
                   pool_scope=pool_scope)


def remember(filters: Filters) -> None:
    st.session_state["_filters"] = filters


def filters() -> Filters:
    found = st.session_state.get("_filters")
    if found is None:
        raise RuntimeError(t("filters_unavailable"))
    return found
