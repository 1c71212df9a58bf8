"""Page-level data shaping: the frames the pages show, built from analytics.store.queries results.

Pure pandas (no Streamlit), so every rule a user relies on — change against the previous period,
small-sample marks, distances to the ZI thresholds, persistent weak items — is unit-tested here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from analytics import export, settings
from analytics.domain import formulas, grades, periods
from analytics.domain.instruments import Instrument, Registry
from analytics.domain.readiness import LEVELS, Shortfall
from analytics.i18n import integer, num, t

# Small-sample mark (domain.md §6) and heatmap office limit: settings small_sample, heatmap_offices.


def months_text(start: date, end: date) -> str:
    return f"{start:%Y-%m}" if start == end else f"{start:%Y-%m} – {end:%Y-%m}"


# --- values -------------------------------------------------------------------------------------

def change(now, before) -> float:
    """now − before of two values already rounded to 2 decimals, exactly (no float noise: the
    change shown must equal the difference of the figures shown)."""
    if now is None or before is None or pd.isna(now) or pd.isna(before):
        return float("nan")
    return float(Decimal(f"{float(now):.2f}") - Decimal(f"{float(before):.2f}"))


def is_small(n) -> bool:
    return pd.notna(n) and int(n) < settings.get("small_sample")


def is_withheld(value, n) -> bool:
    """A figure the viewer may not see: respondents exist but too few, so the scope blanked it
    (guests, analytics/present/scoped.py). Every other viewer gets a value whenever n > 0."""
    return pd.isna(value) and pd.notna(n) and 0 < int(n) < settings.get("small_sample")


def figure_text(value, n, lang: str | None, places: int = 2) -> str:
    """A figure as shown: '87,56', '—' when there is none, 'data belum cukup' when it is withheld."""
    return t("zi_insufficient", lang) if is_withheld(value, n) else num(value, places, lang)


def grade_label(grade: str | None, registry: Registry, lang: str | None) -> str | None:
    """'B Baik' (or 'B Good'); None when no grade is defined."""
    found = grades.by_letter(grade if isinstance(grade, str) else None, registry.grades)
    if found is None:
        return None
    return f"{found.grade} {found.label_en if lang == 'en' else found.label}"


def _unit_values(frame: pd.DataFrame, inst: Instrument, period: str, key: str) -> pd.DataFrame:
    rows = frame[(frame["instrument"] == inst.id) & (frame["period"] == period)]
    return rows.set_index(key)[["n", formulas.shown_column(inst), "grade"]].rename(
        columns={formulas.shown_column(inst): "value"})


def overview(indices_frame: pd.DataFrame, offices_frame: pd.DataFrame, pair: tuple[str, str],
             period: periods.Period, readiness_frame: pd.DataFrame | None, registry: Registry,
             clarify: dict[int, int] | None = None) -> pd.DataFrame:
    """One row per office in `offices_frame` (office_id, name): n, value, grade and change against the
    previous period for the service and anticorruption instrument of `pair`, the ZI verdict, and
    (`clarify`: present.integrity.clarify_counts) how many of its units need clarification.

    indices_frame: queries.indices(by="office", period=<granularity>) over both periods.
    Offices without data in the period keep their row (n = 0): a monev meeting asks about them too.
    """
    base = pd.DataFrame({"office_id": offices_frame["office_id"].astype("int64").to_numpy(),
                         "office": offices_frame["name"].to_numpy()})
    frame = indices_frame.assign(unit=pd.to_numeric(indices_frame["unit"]).astype("int64")) \
        if not indices_frame.empty else indices_frame.assign(unit=pd.Series(dtype="int64"))
    for side, inst_id in zip(("svc", "anti"), pair):
        inst = registry.get(inst_id)
        now = _unit_values(frame, inst, period.label, "unit")
        before = _unit_values(frame, inst, period.previous_label, "unit")
        ids = base["office_id"]
        base[f"{side}_n"] = ids.map(now["n"]).fillna(0).astype("int64")
        base[f"{side}_value"] = ids.map(now["value"]).astype("float64")
        base[f"{side}_grade"] = ids.map(now["grade"])
        previous = ids.map(before["value"]).astype("float64")
        base[f"{side}_delta"] = [change(a, b) for a, b in zip(base[f"{side}_value"], previous)]
    base["zi"] = base["office_id"].map(zi_levels(readiness_frame)) if readiness_frame is not None else None
    base = with_integrity(base, clarify or {})
    return base.sort_values(["svc_value", "office"], ascending=[False, True], na_position="last") \
        .reset_index(drop=True)


def with_integrity(frame: pd.DataFrame, clarify: dict[int, int] | None) -> pd.DataFrame:
    """The overview with its integrity column: units needing clarification per office, or NA for
    every office while the signals are still being computed (shown as such, never as 'none')."""
    if clarify is None:
        return frame.assign(integrity=pd.array([pd.NA] * len(frame), dtype="Int64"))
    return frame.assign(integrity=frame["office_id"].map(clarify).fillna(0).astype("int64"))


def zi_levels(readiness_frame: pd.DataFrame) -> dict[int, str]:
    """office_id → best level the survey component meets: 'wbbm', 'wbk', 'no' or 'insufficient'."""
    levels = {}
    for row in readiness_frame.itertuples():
        if row.wbbm == "yes":
            levels[int(row.office_id)] = "wbbm"
        elif row.wbk == "yes":
            levels[int(row.office_id)] = "wbk"
        elif "insufficient" in (row.wbk, row.wbbm):
            levels[int(row.office_id)] = "insufficient"
        else:
            levels[int(row.office_id)] = "no"
    return levels


def overview_columns(pair: tuple[str, str], registry: Registry, lang: str | None) -> dict[str, str]:
    """Stable column keys of `overview` → the headers the user reads."""
    names = {}
    for side, inst_id in zip(("svc", "anti"), pair):
        inst = registry.get(inst_id)
        name = inst.index_name
        grade_key = "col_grade" if inst.role == "service" else "col_category"
        value_name = name if inst.is_four_point else f"{name} (%)"
        names.update({f"{side}_value": t("col_value", lang, name=value_name),
                      f"{side}_grade": t(grade_key, lang, name=name),
                      f"{side}_delta": t("col_delta", lang, name=name),
                      f"{side}_n": t("col_n", lang, name=name)})
    return {"office": t("col_office", lang), **{k: names[k] for k in (
        "svc_value", "svc_grade", "svc_delta", "svc_n", "anti_value", "anti_grade", "anti_delta", "anti_n")},
        "zi": t("col_zi", lang), "integrity": t("col_integrity", lang)}


def overview_table(frame: pd.DataFrame, pair: tuple[str, str], registry: Registry, lang: str | None,
                   selected_office: str | None = None):
    """The overview as a pandas Styler: Indonesian number format on the shown text, numbers kept
    underneath (so st.dataframe sorts numerically), and every figure with n < 30 marked '*'."""
    columns = overview_columns(pair, registry, lang)
    if "integrity" not in frame:          # a viewer without integrity signals: no column at all
        del columns["integrity"]
    shown = frame.copy()
    shown["office"] = [("▶ " if name == selected_office else "") + name for name in shown["office"]]
    for side in ("svc", "anti"):
        shown[f"{side}_grade"] = [grade_label(g, registry, lang) for g in shown[f"{side}_grade"]]
    shown["zi"] = [t(f"zi_{level}", lang) if isinstance(level, str) else t("zi_none", lang)
                   for level in shown["zi"]]
    if "integrity" in shown:
        shown["integrity"] = [t("ig_pending_cell", lang) if pd.isna(n) else t("ig_badge", lang, n=n) if n else ""
                              for n in shown["integrity"]]
    shown = shown[list(columns)].rename(columns=columns)
    styler = shown.style
    for side in ("svc", "anti"):
        small = frame[f"{side}_n"].map(is_small).to_numpy()
        value, delta = columns[f"{side}_value"], columns[f"{side}_delta"]
        plain = lambda v: num(v, 2, lang)
        marked = lambda v: num(v, 2, lang) + (" *" if pd.notna(v) else "")
        signed = lambda v: num(v, 2, lang, signed=True)
        styler = styler.format(plain, subset=[value]).format(signed, subset=[delta])
        styler = styler.format(lambda v: integer(v, lang), subset=[columns[f"{side}_n"]])
        withheld = [is_withheld(v, n) for v, n in zip(frame[f"{side}_value"], frame[f"{side}_n"])]
        if small.any():
            rows = shown.index[small]
            styler = styler.format(marked, subset=pd.IndexSlice[rows, [value]])
            styler = styler.map(lambda _: "color: #8a6d3b; font-style: italic",
                                subset=pd.IndexSlice[rows, [value, columns[f"{side}_n"]]])
        styler = _withheld_cells(styler, shown.index[withheld], value, lang)
        styler = styler.map(_delta_style, subset=[delta])
    for side in ("svc", "anti"):
        colours = [_grade_style(g, registry) for g in frame[f"{side}_grade"]]
        styler = styler.apply(lambda _, c=colours: c, subset=[columns[f"{side}_grade"]], axis=0)
    return styler


def _delta_style(value) -> str:
    if pd.isna(value) or value == 0:
        return ""
    return "color: #1a7f37" if value > 0 else "color: #b42318"


def _grade_style(letter, registry: Registry) -> str:
    grade = grades.by_letter(letter if isinstance(letter, str) else None, registry.grades)
    return f"background-color: {grade.color}33" if grade else ""


@dataclass(frozen=True)
class Headline:
    name: str
    value: float | None
    grade: str | None
    n: int
    delta: float | None
    small: bool
    four_point: bool


def headline(frame: pd.DataFrame, pair: tuple[str, str], period: periods.Period, registry: Registry) -> list[Headline]:
    """The pooled figure per instrument of the pair for the unit of `frame` (one unit, e.g. by="kanwil")."""
    tiles = []
    for inst_id in pair:
        inst = registry.get(inst_id)
        column = formulas.shown_column(inst)
        rows = frame[frame["instrument"] == inst_id].set_index("period")
        now = rows.loc[period.label] if period.label in rows.index else None
        before = rows.loc[period.previous_label] if period.previous_label in rows.index else None
        value = float(now[column]) if now is not None else None
        previous = float(before[column]) if before is not None else None
        n = int(now["n"]) if now is not None else 0
        tiles.append(Headline(name=inst.index_name, value=value, grade=now["grade"] if now is not None else None,
                              n=n, delta=change(value, previous) if value is not None and previous is not None
                              else None, small=is_small(n), four_point=inst.is_four_point))
    return tiles


# --- trend --------------------------------------------------------------------------------------

def trend(frame: pd.DataFrame, inst: Instrument, granularity: str = "month", start: date | None = None,
          end: date | None = None) -> pd.DataFrame:
    """One row per period of one unit: value (converted or percent), n, grade, change against the
    previous period shown (NaN for the first), small-sample flag, and whether the window [start, end]
    cuts the period short (a quarter that starts before `start` or ends after `end`)."""
    rows = frame[frame["instrument"] == inst.id].sort_values("period")
    out = pd.DataFrame({"period": rows["period"].to_numpy(),
                        "value": rows[formulas.shown_column(inst)].astype("float64").to_numpy(),
                        "n": rows["n"].astype("int64").to_numpy(),
                        "grade": rows["grade"].to_numpy()})
    values = out["value"].to_numpy()
    out["delta"] = [float("nan")] * min(len(values), 1) + [change(a, b) for a, b in zip(values[1:], values[:-1])]
    out["small"] = out["n"] < settings.get("small_sample")
    cut = {periods.label(granularity, m) for m in (start, end) if m is not None}
    out["partial"] = out["period"].isin({label for label in cut if periods.is_cut(granularity, label, start, end)})
    return out


def trends(frame: pd.DataFrame, inst: Instrument, granularity: str = "month", start: date | None = None,
           end: date | None = None) -> dict:
    """trend() of every unit of `frame` (its column `unit`) → {unit: the frame trend() gives for that
    unit's rows}, in one pass: a report of 40 offices × 2 instruments spent most of its gathering time
    in 80 separate trend() calls."""
    rows = frame[frame["instrument"] == inst.id].sort_values(["unit", "period"], kind="stable")
    small = settings.get("small_sample")
    cut = {periods.label(granularity, m) for m in (start, end) if m is not None}
    partial = {label for label in cut if periods.is_cut(granularity, label, start, end)}
    units = rows["unit"].to_numpy()
    values = rows[formulas.shown_column(inst)].astype("float64").to_numpy()
    ns = rows["n"].astype("int64").to_numpy()
    first_of_unit = np.ones(len(rows), dtype=bool)
    first_of_unit[1:] = units[1:] != units[:-1]
    # One frame for all units, then a slice per unit: building 80 frames column by column (each string
    # column inferred again) cost more than the rest of the report's gathering without the queries.
    whole = pd.DataFrame({
        "period": rows["period"].array, "value": values, "n": ns, "grade": rows["grade"].array,
        "delta": [float("nan") if first else change(a, b)
                  for first, a, b in zip(first_of_unit, values, np.roll(values, 1))],
        "small": ns < small, "partial": rows["period"].isin(partial).to_numpy()})
    bounds = np.flatnonzero(first_of_unit).tolist() + [len(rows)]
    return {units[a]: whole.iloc[a:b].reset_index(drop=True) for a, b in zip(bounds[:-1], bounds[1:])}


# --- items --------------------------------------------------------------------------------------

def batches_table(frame: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    """Import history with the user's headers; demo batches say so."""
    headers = {"batch_id": "batch", "file_name": t("h_file", lang), "imported_at": t("h_imported_at", lang),
               "source": t("h_source", lang), "is_demo": t("demo_col", lang), "rows_read": t("h_rows_read", lang),
               "rows_imported": t("h_rows_imported", lang), "rows_rejected": t("h_rows_rejected", lang),
               "rows_duplicate": t("h_rows_duplicate", lang), "instruments": t("h_instruments", lang)}
    shown = frame.assign(is_demo=frame["is_demo"].map(lambda d: "DATA DEMO SINTETIS" if d else ""))
    return shown[list(headers)].rename(columns=headers)


def trash_table(frame: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    """The trash (store.trash.listing) with the user's headers."""
    headers = {"batch_id": "batch", "file_name": t("h_file", lang), "imported_at": t("h_imported_at", lang),
               "rows_imported": t("h_rows_imported", lang), "instruments": t("h_instruments", lang),
               "deleted_at": t("col_deleted_at", lang), "deleted_by": t("col_deleted_by", lang)}
    return frame[list(headers)].rename(columns=headers)


def offices_table(frame: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    headers = {"office_id": "id", "name": t("col_office", lang), "kanwil": "Kanwil",
               "office_type": t("h_office_type", lang), "aliases": t("h_aliases", lang)}
    return frame[list(headers)].rename(columns=headers)


def aspects(items_frame: pd.DataFrame) -> pd.DataFrame:
    """Aspects ranked by the mean NRR of their items (equal weight, as in the index) [choice]."""
    if items_frame.empty:
        return pd.DataFrame(columns=["aspect", "nrr", "items", "n_min", "n_max"])
    grouped = items_frame.groupby("aspect", sort=False).agg(
        nrr=("nrr", "mean"), items=("code", "count"), n_min=("n", "min"), n_max=("n", "max"))
    return grouped.reset_index().sort_values(["nrr", "aspect"]).reset_index(drop=True)


def office_item_matrix(items_by_office: pd.DataFrame, offices_frame: pd.DataFrame,
                       limit: int | None = None) -> tuple[pd.DataFrame, int]:
    """queries.items(by_office=True) with office names, keeping the `limit` (default: setting
    heatmap_offices) offices with the lowest mean element NRR (a heatmap of hundreds of rows helps
    nobody). Returns (frame, offices in all)."""
    limit = settings.get("heatmap_offices") if limit is None else limit
    if items_by_office.empty:
        return items_by_office.assign(office=pd.Series(dtype="str")), 0
    names = offices_frame.set_index("office_id")["name"]
    frame = items_by_office.assign(office=items_by_office["office_id"].map(names))
    weakest = frame.groupby("office")["nrr"].mean().nsmallest(limit).index
    return frame[frame["office"].isin(weakest)].reset_index(drop=True), frame["office"].nunique()


def persistent_weak(items_by_month: pd.DataFrame, top: int = 3, min_run: int = 3) -> pd.DataFrame:
    """Items that stayed among the `top` weakest (lowest NRR; ties by item number) for at least
    `min_run` consecutive calendar months. A month without data breaks a run.

    items_by_month: queries.items(by_period="month"). One row per run, longest first.
    """
    columns = ["item_no", "code", "statement", "months", "first", "last", "ongoing"]
    if items_by_month.empty:
        return pd.DataFrame(columns=columns)
    ranked = items_by_month.sort_values(["period", "nrr", "item_no"])
    weakest = ranked.groupby("period", sort=True).head(top)
    all_months = sorted(items_by_month["period"].unique())
    latest = all_months[-1]
    month_no = {p: periods.month_number(periods.parse_month(p)) for p in all_months}
    runs = []
    for (item_no, code, statement), group in weakest.groupby(["item_no", "code", "statement"]):
        numbers = sorted(month_no[p] for p in group["period"])
        start = prev = numbers[0]
        for number in numbers[1:] + [None]:
            if number is not None and number == prev + 1:
                prev = number
                continue
            if prev - start + 1 >= min_run:
                runs.append({"item_no": int(item_no), "code": code, "statement": statement,
                             "months": prev - start + 1, "first": _month_label(start), "last": _month_label(prev),
                             "ongoing": _month_label(prev) == latest})
            if number is not None:
                start = prev = number
    frame = pd.DataFrame(runs, columns=columns)
    return frame.sort_values(["months", "last", "item_no"], ascending=[False, False, True]).reset_index(drop=True)


def _month_label(number: int) -> str:
    return periods.month_text(date(number // 12, number % 12 + 1, 1))


# --- ZI readiness -------------------------------------------------------------------------------

def readiness_table(frame: pd.DataFrame, registry: Registry, lang: str | None) -> pd.DataFrame:
    """queries.readiness → what the user reads: per office the verdicts, the nilai, what is still
    needed for each level ('butuh +0,38 nilai IKM') and the reasons, all rendered from the shortfalls."""
    rows = []
    for r in frame.itertuples():
        svc, anti = registry.get(r.service_instrument), registry.get(r.anticorruption_instrument)
        row = {"office_id": int(r.office_id), "office": r.office, "kanwil": r.kanwil,
               "pair": f"{svc.index_name}/{anti.index_name}",
               "service_name": svc.index_name, "service_n": int(r.service_n), "service_nilai": r.service_nilai,
               "anti_name": anti.index_name, "anti_n": int(r.anticorruption_n), "anti_nilai": r.anticorruption_nilai,
               "wbk": r.wbk, "wbbm": r.wbbm}
        for level in LEVELS:
            row[f"need_{level}"] = needs_text(r.shortfalls, level, lang)
        row["reasons"] = "; ".join(reason_texts(r.shortfalls, lang))
        rows.append(row)
    columns = ["office_id", "office", "kanwil", "pair", "service_name", "service_n", "service_nilai",
               "anti_name", "anti_n", "anti_nilai", "wbk", "wbbm", "need_wbk", "need_wbbm", "reasons"]
    return pd.DataFrame(rows, columns=columns)


def reason_texts(shortfalls: tuple[Shortfall, ...], lang: str | None) -> list[str]:
    """One line per shortfall: 'IKM: n = 24 < 30 responden', 'IPK 13,05 — kurang 0,45 untuk WBK dan
    WBBM (≥ 13,50)'. The CLI, the pages and the reports all say it this way."""
    lines = []
    for s in shortfalls:
        if s.kind == "respondents":
            lines.append(t("reason_n", lang, name=s.instrument, n=s.value, min=s.needed))
        else:
            levels = f" {t('and', lang)} ".join(level.upper() for level in s.levels)
            lines.append(t("reason_gap", lang, name=s.instrument, value=num(s.value, 2, lang),
                           gap=num(s.gap, 2, lang), level=levels, need=num(s.needed, 2, lang)))
    return lines


def needs_text(shortfalls: tuple[Shortfall, ...], level: str, lang: str | None) -> str:
    """What the unit still needs for one level, or 'terpenuhi'."""
    needs = [t("need_n", lang, missing=s.gap, name=s.instrument, n=s.value, min=s.needed)
             if s.kind == "respondents" else t("need", lang, gap=num(s.gap, 2, lang), name=s.instrument)
             for s in shortfalls if level in s.levels]
    return "; ".join(needs) if needs else t("met", lang)


def readiness_display(table: pd.DataFrame, lang: str | None) -> tuple[pd.DataFrame, dict[str, int]]:
    """The readiness table with the user's headers and verdict badges; plus the decimals per column."""
    headers = {"office": t("col_office", lang), "pair": t("pair", lang),
               "wbk": t("col_wbk", lang), "need_wbk": t("col_need_wbk", lang),
               "wbbm": t("col_wbbm", lang), "need_wbbm": t("col_need_wbbm", lang),
               "service_n": t("col_service_n", lang), "service_nilai": t("col_service_nilai", lang),
               "anti_n": t("col_anti_n", lang), "anti_nilai": t("col_anti_nilai", lang),
               "reasons": t("col_reasons", lang)}
    shown = table.assign(wbk=table["wbk"].map(lambda v: verdict_text(v, lang)),
                         wbbm=table["wbbm"].map(lambda v: verdict_text(v, lang)))
    shown = shown[list(headers)].rename(columns=headers)
    return shown, {headers["service_nilai"]: 2, headers["anti_nilai"]: 2, headers["service_n"]: 0,
                   headers["anti_n"]: 0}


def readiness_n_columns(lang: str | None) -> dict[str, str]:
    """The readiness table's value columns and their n columns (for 'data belum cukup')."""
    return {t("col_service_nilai", lang): t("col_service_n", lang),
            t("col_anti_nilai", lang): t("col_anti_n", lang)}


def verdict_text(verdict: str, lang: str | None) -> str:
    return t({"yes": "verdict_yes", "no": "verdict_no", "insufficient": "verdict_insufficient"}[verdict], lang)


def readiness_counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many offices meet WBBM, WBK (only), neither, or lack data."""
    values = list(zi_levels(frame).values())
    return {level: values.count(level) for level in ("wbbm", "wbk", "no", "insufficient")}


# --- upload -------------------------------------------------------------------------------------

def rejects_csv(rejected: pd.DataFrame, lang: str | None) -> bytes:
    """Rejected rows for download: row number, reasons, then the original cells, every text cell
    guarded against formula injection by the one exporter (analytics/export.py)."""
    cells = [json.loads(data) if isinstance(data, str) else {} for data in rejected.get("row_data", [])]
    frame = pd.DataFrame({t("col_sheet", lang): rejected["sheet"].to_numpy(),
                          t("col_row", lang): rejected["source_row"].to_numpy(),
                          t("col_reasons", lang): rejected["reasons"].to_numpy()})
    original = pd.DataFrame(cells, index=frame.index)
    frame = pd.concat([frame, original], axis=1)
    if frame[t("col_sheet", lang)].isna().all():
        frame = frame.drop(columns=[t("col_sheet", lang)])
    return export.csv_bytes(frame)


def mapping_table(mapping: list[dict], lang: str | None) -> pd.DataFrame:
    frame = pd.DataFrame(mapping, columns=["sheet", "column", "maps_to"])
    if frame["sheet"].isna().all():
        frame = frame.drop(columns=["sheet"])
    return frame.rename(columns={"sheet": t("col_sheet", lang), "column": t("col_column", lang),
                                 "maps_to": t("col_maps_to", lang)})


def formatted(frame: pd.DataFrame, decimals: dict[str, int], lang: str | None,
              counts: dict[str, str] | None = None):
    """A Styler showing the given columns in the user's number format; the numbers stay underneath
    so st.dataframe still sorts them as numbers. `counts` maps a value column to its n column: a
    value withheld for a small n reads 'data belum cukup' instead of '—'."""
    styler = frame.style
    for column, places in decimals.items():
        if column in frame.columns:
            styler = styler.format(lambda v, p=places: num(v, p, lang), subset=[column])
    for column, n_column in (counts or {}).items():
        withheld = [is_withheld(v, n) for v, n in zip(frame[column], frame[n_column])]
        styler = _withheld_cells(styler, frame.index[withheld], column, lang)
    return styler


def _withheld_cells(styler, rows, column: str, lang: str | None):
    """'data belum cukup' in the given rows of one column (figures withheld for a small n)."""
    if not len(rows):
        return styler
    return styler.format(lambda _: t("zi_insufficient", lang), subset=pd.IndexSlice[rows, [column]])


def preview_table(frame: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    headers = {"office": t("col_office", lang), "period": t("axis_period", lang), "instrument": t("h_instrument", lang),
               "n": "n", "converted": t("h_converted", lang), "percent": t("h_percent", lang),
               "grade": t("m_col_grade", lang)}
    shown = frame.assign(instrument=frame["instrument"].str.upper())
    return shown[list(headers)].rename(columns=headers)


# --- method page --------------------------------------------------------------------------------

def grade_table(registry: Registry, lang: str | None) -> pd.DataFrame:
    """The grade table as the code applies it (data/rules/grades-14-2017.yaml)."""
    return pd.DataFrame({
        t("m_col_grade", lang): [g.grade for g in registry.grades],
        t("m_col_label", lang): [g.label_en if lang == "en" else g.label for g in registry.grades],
        t("m_col_range", lang): [f"{num(g.min, 2, lang)} – {num(g.max, 2, lang)}" for g in registry.grades],
    })


def rules_table(registry: Registry, lang: str | None) -> pd.DataFrame:
    """Every ZI rule set: weights, thresholds (nilai and the index they equal on each scale), minimum n."""
    rows = []
    for rules in registry.rules.values():
        for role, rule in (("service", rules.service), ("anticorruption", rules.anticorruption)):
            instruments = sorted({pair[0 if role == "service" else 1] for pair in rules.pairs})
            for level, nilai in rule.thresholds.items():
                index_at = {registry.get(i).index_name: num(Decimal(nilai) / rule.weight * registry.get(i).scale_max,
                                                            2, lang) for i in instruments}
                rows.append({
                    t("rules", lang): rules.id, t("m_col_role", lang): t(f"m_role_{role}", lang),
                    t("m_col_level", lang): level.upper(), t("m_col_weight", lang): num(rule.weight, 2, lang),
                    t("m_col_threshold", lang): f"≥ {num(nilai, 2, lang)}",
                    t("m_col_index", lang): ", ".join(f"{name} ≥ {value}" for name, value in index_at.items()),
                    t("m_col_min_n", lang): rules.min_respondents})
    return pd.DataFrame(rows)


def instrument_items(inst: Instrument, lang: str | None) -> pd.DataFrame:
    return pd.DataFrame({t("col_code", lang): [i.code for i in inst.items],
                         t("col_statement", lang): [i.statement for i in inst.items],
                         t("col_aspect", lang): [i.aspect for i in inst.items]})
