"""The meeting report as an A4 PDF: Jinja2 HTML (templates/report.html.j2) → WeasyPrint.

Every figure is formatted here from a content.Report (i18n.num: 87,56), never recomputed. The stamp
and "Hal. x/y" sit in @page margin boxes, so they are on every page; the "DATA DEMO SINTETIS"
watermark is a fixed element (WeasyPrint repeats it on every page) present only for demo data.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from analytics import settings
from analytics.domain import formulas, grades as grade_rules, readiness as zi
from analytics.i18n import integer, num, t
from analytics.present import views
from analytics.report import svg
from analytics.report.content import Report

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT = '"DejaVu Sans", "Liberation Sans", sans-serif'
GRID_COLUMNS, GRID_ROWS = 3, 5           # small multiples per page: 3 × 5 offices
DEMO_MARK = "DATA DEMO SINTETIS"

_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html.j2"]),
                   trim_blocks=True, lstrip_blocks=True)
# The style sheet is not HTML: no autoescaping there; every text in it comes through css_string.
_CSS_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False)


def css_string(text: str) -> str:
    """Any text as a quoted CSS string: every character but ASCII letters and digits as a 6-digit hex
    escape, so no quote, backslash or '</style>' in an office name can end it. (Spaces too: CSS
    swallows one whitespace after a hex escape.)"""
    return '"' + "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06x}" for c in text) + '"'


def inline_markdown(text: str) -> str:
    """The Metode page's Markdown subset (**bold**, *italic*, `code`) as safe HTML."""
    out = html.escape(text.replace("\\*", "*"), quote=False)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", out)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", out)


CHART_SCHEME = "report-chart"


def _chart_url(index: int) -> str:
    """Where the template points a chart: build_pdf's fetcher hands WeasyPrint the SVG itself (a
    base64 data: URI per figure was 100 KB of HTML for WeasyPrint's parser to walk through)."""
    return f"{CHART_SCHEME}:{index}"


def _grade_cell(letter, report: Report) -> dict:
    found = grade_rules.by_letter(letter if isinstance(letter, str) else None, report.registry.grades)
    return {"text": views.grade_label(letter, report.registry, report.lang) or "—",
            "class": _grade_class(found.grade) if found else ""}


def _grade_class(letter: str) -> str:
    """The CSS class of a grade's cell colour (a class, not a style attribute per cell: WeasyPrint
    parses each style attribute on its own)."""
    return "g-" + "".join(c for c in letter if c.isascii() and c.isalnum())


def _grade_css(report: Report) -> str:
    return "\n".join(f"td.{_grade_class(g.grade)} {{ background: {g.color}40; }}" for g in report.registry.grades
                     if re.fullmatch(r"#[0-9A-Fa-f]{6}", g.color))


def _value_grade(value: dict, grade: dict) -> dict:
    """One table cell for a figure and its grade ("89,70 * A Sangat Baik", the grade's colour, italics
    for a small sample): a cell is most of what WeasyPrint spends on a table, the text in it little."""
    if value["hidden"]:
        return {"text": value["text"], "class": "hidden"}
    text = value["text"] if grade["text"] == "—" else f"{value['text']} {grade['text']}"
    return {"text": text, "class": " ".join(filter(None, ("grade", grade["class"], "small" if value["small"] else "")))}


def _number(report: Report, value, n) -> str:
    return t("zi_insufficient", report.lang) if report.hides(value, n) else num(value, 2, report.lang)


def _value(value, n, report: Report) -> dict:
    lang = report.lang
    if report.hides(value, n):
        return {"text": t("zi_insufficient", lang), "small": True, "hidden": True}
    return {"text": num(value, 2, lang) + (" *" if pd.notna(value) and views.is_small(n) else ""),
            "small": pd.notna(value) and views.is_small(n), "hidden": False}


def _office_rows(report: Report) -> list[dict]:
    lang, rows = report.lang, []
    for r in report.overview.itertuples():
        row = {"office": r.office, "zi": t(f"zi_{r.zi}", lang) if isinstance(r.zi, str) else t("zi_none", lang)}
        for side in ("svc", "anti"):
            n = getattr(r, f"{side}_n")
            row[side] = {**_value_grade(_value(getattr(r, f"{side}_value"), n, report),
                                        _grade_cell(getattr(r, f"{side}_grade"), report)),
                         "n": integer(n, lang), "small": views.is_small(n),
                         "delta": num(getattr(r, f"{side}_delta"), 2, lang, signed=True)}
        rows.append(row)
    return rows


def _summary_rows(report: Report) -> list[dict]:
    lang, rows = report.lang, []
    for summary in report.summaries:
        cells = []
        for tile in summary.tiles:
            cells.append({**_value_grade(_value(tile.value, tile.n, report), _grade_cell(tile.grade, report)),
                          "n": integer(tile.n, lang),
                          "delta": num(tile.delta, 2, lang, signed=True) if tile.delta is not None else "—"})
        rows.append({"name": summary.name, "cells": cells})
    return rows


def _readiness_rows(report: Report) -> list[dict]:
    lang = report.lang
    return [{"office": r.office, "pair": r.pair, "wbk": views.verdict_text(r.wbk, lang), "wbk_code": r.wbk,
             "wbbm": views.verdict_text(r.wbbm, lang), "wbbm_code": r.wbbm,
             "need_wbk": r.need_wbk, "need_wbbm": r.need_wbbm,
             "service": f"{_number(report, r.service_nilai, r.service_n)} (n {integer(r.service_n, lang)})",
             "anti": f"{_number(report, r.anti_nilai, r.anti_n)} (n {integer(r.anti_n, lang)})",
             "reasons": r.reasons or "—"} for r in report.readiness.itertuples()]


def _trend_pages(report: Report, charts_on: bool) -> list[dict]:
    """Per instrument, pages of small multiples (GRID_COLUMNS × GRID_ROWS offices each); each page's
    SVG under "svg", the template names it by "uri"."""
    pages, per_page = [], GRID_COLUMNS * GRID_ROWS
    for inst in report.pair:
        cells = report.trends.get(inst.id, [])
        thresholds = zi.threshold_on_scale(report.rules, inst)
        title = inst.index_name if inst.is_four_point else f"{inst.index_name} (%)"
        legend = _trend_legend(report, inst, thresholds)
        for first in range(0, len(cells), per_page):
            chunk = cells[first:first + per_page]
            grid = svg.trend_grid(chunk, inst, report.registry.grades, thresholds, columns=GRID_COLUMNS) \
                if charts_on else None
            pages.append({"title": title, "legend": legend, "part": first // per_page + 1,
                          "parts": -(-len(cells) // per_page), "uri": _chart_url(len(pages)) if grid else None,
                          "svg": grid.svg if grid else None,
                          "names": grid.names if grid else [],
                          "offices": [name for name, _ in chunk]})
    return pages


def _trend_legend(report: Report, inst, thresholds: dict[str, float]) -> str:
    """What the bands and dashed lines of the small multiples stand for (the charts carry no labels)."""
    lang, parts = report.lang, []
    if inst.is_four_point:
        parts.append(" · ".join(t("band", lang, grade=g.grade, label=g.label_en if lang == "en" else g.label)
                                + f" ≥ {num(g.min, 2, lang)}" for g in report.registry.grades))
    by_value: dict[float, list[str]] = {}
    for level, value in thresholds.items():
        by_value.setdefault(value, []).append(level.upper())
    parts.append(" · ".join(t("threshold", lang, level="/".join(levels), value=num(value, 2, lang))
                            for value, levels in sorted(by_value.items())) + " (- - -)")
    return "; ".join(parts)


def _weakest(report: Report) -> list[dict]:
    lang, limit, out = report.lang, settings.get("report_weakest"), []
    for inst in report.pair:
        items = report.items.get(inst.id)
        if items is None or items.empty:
            continue
        rows = [{"code": r.code, "statement": r.statement, "aspect": r.aspect, "nrr": _number(report, r.nrr, r.n),
                 "n": integer(r.n, lang),
                 "small": views.is_small(r.n)} for r in items.head(limit).itertuples()]
        out.append({"name": inst.index_name, "four_point": inst.is_four_point, "rows": rows})
    return out


def _frame_rows(frame: pd.DataFrame) -> dict:
    return {"columns": [str(c) for c in frame.columns],
            "rows": [["—" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in row]
                     for row in frame.itertuples(index=False)]}


def _method(report: Report) -> dict:
    lang, rules = report.lang, report.rules
    keys = [("m_window_h", "m_window"), ("m_n_h", "m_n"), ("m_index_h", "m_index"), ("m_round_h", "m_round"),
            ("m_grades_h", "m_grades")]
    blocks = [{"title": t(head, lang), "text": inline_markdown(t(body, lang))} for head, body in keys]
    blocks.append({"title": t("m_zi_h", lang), "text": inline_markdown(
        t("m_zi", lang, n=rules.min_respondents, rules=f"{rules.id} — {rules.name}"))})
    blocks.append({"title": t("m_sample_h", lang), "text": inline_markdown(t("m_sample", lang, small=settings.get(
        "small_sample"), **{f"k{size}": integer(formulas.krejcie_morgan(size), lang) for size in (100, 1000, 10000)}))})
    blocks.append({"title": t("m_weak_h", lang), "text": inline_markdown(t("m_weak", lang))})
    # The report's own rule set only (the Metode page and the workbook's Metode sheet list every one).
    rules_rows = views.rules_table(report.registry, lang)
    instruments = []
    for inst in report.pair:
        name = inst.name_en if lang == "en" else inst.name
        instruments.append({"title": t("m_instrument", lang, name=name, lo=inst.scale_min, hi=inst.scale_max,
                                       k=inst.k, role=t(f"m_role_{inst.role}", lang), series=inst.series),
                            "table": _frame_rows(views.instrument_items(inst, lang))})
    return {"intro": inline_markdown(t("m_intro", lang)), "blocks": blocks,
            "grades": _frame_rows(views.grade_table(report.registry, lang)),
            "grade_colours": [g.color for g in report.registry.grades],
            "rules": _frame_rows(rules_rows[rules_rows[t("rules", lang)] == rules.id]), "instruments": instruments,
            "instruments_h": t("m_instruments_h", lang)}


def render_html(report: Report, charts_on: bool = True, charts: dict[str, str] | None = None) -> str:
    """The report's HTML (what WeasyPrint lays out); charts_on=False leaves the SVGs out (tests).
    The charts are <img src="report-chart:N">: their SVG texts go into `charts` (URL → SVG) for
    build_pdf's fetcher."""
    lang = report.lang
    svc, anti = report.pair
    columns = views.overview_columns(tuple(i.id for i in report.pair), report.registry, lang)
    stamp = report.stamp_text()
    css = _CSS_ENV.get_template("report.css.j2").render(
        font=FONT, stamp=css_string(stamp), header=css_string(f"{t('r_title', lang)} · {report.scope_text}"),
        page_label=css_string(t("r_page", lang) + " "), demo=css_string(DEMO_MARK) if report.is_demo else None,
        grades=_grade_css(report))
    trend_pages = _trend_pages(report, charts_on)
    if charts is not None:
        charts.update((page["uri"], page["svg"]) for page in trend_pages if page["uri"])
    period = report.period
    period_text = t("period_caption", lang, label=period.label,
                    months=views.months_text(period.start, period.end)
                    + (f", {t('partial', lang)}" if period.partial else ""), prev=period.previous_label)
    return _ENV.get_template("report.html.j2").render(
        t=lambda key, **values: t(key, lang, **values), lang=lang, css=css, report=report, stamp=report.stamp(),
        demo=report.is_demo, demo_mark=DEMO_MARK, svc=svc, anti=anti, columns=columns,
        period_text=period_text, summary=_summary_rows(report), offices=_office_rows(report),
        readiness=_readiness_rows(report), pair_text="/".join(i.index_name for i in report.pair),
        trend_pages=trend_pages,
        weakest=_weakest(report), integrity=[(title, _frame_rows(frame)) for title, frame in report.integrity],
        method=_method(report), small=settings.get("small_sample"),
        unit=lambda inst: t("value_converted" if inst.is_four_point else "value_percent", lang))


def build_pdf(report: Report, charts_on: bool = True) -> bytes:
    """The PDF. WeasyPrint may read only the report's own charts and data: and file: URLs: even if a
    name ever slipped past the template's escaping as an <img>, the server would fetch nothing."""
    from weasyprint import HTML

    charts: dict[str, str] = {}
    document = render_html(report, charts_on, charts=charts)
    return HTML(string=document, base_url=str(TEMPLATES), url_fetcher=_fetcher(charts)).write_pdf()


def _fetcher(charts: dict[str, str]):
    """A WeasyPrint URL fetcher that answers the chart URLs from `charts` and otherwise allows only
    data: and file:."""
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url in charts:
                return URLFetcherResponse(url, charts[url].encode("utf-8"), {"Content-Type": "image/svg+xml"})
            return super().fetch(url, headers)

    return Fetcher(allowed_protocols={"data", "file"})
