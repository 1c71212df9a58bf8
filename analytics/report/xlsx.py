"""The meeting report as an Excel workbook (xlsxwriter), written once from a content.Report.

Numbers stay numbers with a numeric format ('0.00'): Excel shows them with the reader's decimal mark,
87,56 in an Indonesian Excel. Text is always written as a string (strings_to_formulas off) and guarded
by the one exporter (analytics/export.py: a quote before = + - @ at the start and after every line
break), so editing or copying the cell keeps it text; URLs stay plain text. Every
table sheet has a frozen header row and an autofilter; grade colours are conditional formats on the
grade and value columns; trends are native Excel charts.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from analytics import export
from analytics.i18n import t
from analytics.present import views
from analytics.report.content import Report
from analytics.report.pdf import DEMO_MARK

CHART_COLUMNS = 3


@dataclass(frozen=True)
class Col:
    header: str
    kind: str = "text"          # text | value | int | delta | index
    width: float = 12


class _Book:
    def __init__(self, report: Report, out):
        self.report, self.lang = report, report.lang
        self.wb = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False, "in_memory": True})
        add = self.wb.add_format
        self.f = {"header": add({"bold": True, "font_color": "white", "bg_color": "#1f3b73", "text_wrap": True,
                                 "valign": "bottom", "border": 1}),
                  "text": add({"valign": "top", "text_wrap": True}),
                  "value": add({"num_format": "0.00"}), "int": add({"num_format": "0"}),
                  "delta": add({"num_format": "+0.00;-0.00;0.00"}), "index": add({"num_format": "0.0000"}),
                  "small": add({"num_format": "0.00", "italic": True, "font_color": "#8a6d3b"}),
                  "small_int": add({"num_format": "0", "italic": True, "font_color": "#8a6d3b"}),
                  "title": add({"bold": True, "font_size": 14, "font_color": "#1f3b73"}),
                  "label": add({"bold": True, "valign": "top"}),
                  "demo": add({"bold": True, "font_color": "#b42318", "font_size": 12}),
                  "hidden": add({"italic": True, "font_color": "#8a6d3b", "align": "right"})}
        self.chart_name, self.chart_blocks, self.used = None, [], set()
        self.guarded: dict[str, str] = {}            # export.guard per distinct text (names repeat per row)
        self.grade_formats = {g.grade: add({"bg_color": g.color, "font_color": "#000000"})
                              for g in report.registry.grades}

    # --- cells -------------------------------------------------------------------------------

    def text(self, ws, row, col, value, fmt=None):
        if value is None or (isinstance(value, float) and value != value):
            ws.write_blank(row, col, None, fmt or self.f["text"])
            return
        value = str(value)
        guarded = self.guarded.get(value)
        if guarded is None:
            guarded = self.guarded[value] = export.guard(value)
        ws.write_string(row, col, guarded, fmt or self.f["text"])

    def number(self, ws, row, col, value, fmt):
        if isinstance(value, str):                  # "data belum cukup" (shown(): a guest's small sample)
            ws.write_string(row, col, value, self.f["hidden"])
        elif value is None or value is pd.NA or value is pd.NaT or value != value:     # NaN, NA: no number
            ws.write_blank(row, col, None, fmt)
        else:
            ws.write_number(row, col, float(value), fmt)

    def shown(self, value, n):
        """A figure as the workbook shows it: the number, or the words for one blanked for a guest."""
        return t("zi_insufficient", self.lang) if self.report.hides(value, n) else value

    def chart_data(self, top_left: str, labels: list[str], rows: list[tuple[str, list]]) -> tuple[str, int]:
        """Numbers for native charts on a hidden sheet written last (write_chart_data): a header row of
        `labels` (from column B), then one row per (name, values); a value blanked for a guest stays an
        empty cell (Excel draws a gap, where the words "data belum cukup" in a charted cell would be
        drawn as 0). Returns (sheet name, header row) for the chart's references."""
        if self.chart_name is None:
            self.chart_name = _sheet_name(t("r_sheet_chart_data", self.lang), self.used)
        top = sum(len(block[2]) + 2 for block in self.chart_blocks)
        self.chart_blocks.append((top_left, labels, rows))
        return self.chart_name, top

    def write_chart_data(self) -> None:
        if self.chart_name is None:
            return
        ws = self.wb.add_worksheet(self.chart_name)
        ws.hide()
        top = 0
        for top_left, labels, rows in self.chart_blocks:
            ws.write_string(top, 0, top_left)
            for c, label in enumerate(labels, start=1):
                ws.write_string(top, c, label)
            for r, (name, values) in enumerate(rows, start=top + 1):
                ws.write_string(r, 0, export.guard(name))
                for c, value in enumerate(values, start=1):
                    if value is not None and not isinstance(value, str) and pd.notna(value):
                        ws.write_number(r, c, float(value))
            top += len(rows) + 2

    def table(self, ws, top: int, columns: list[Col], rows: list[list], small: list[set[int]] | None = None,
              freeze: bool = True) -> tuple[int, int]:
        """A header row at `top`, the rows below; frozen header and autofilter. small[i]: the columns
        of row i that come from fewer than small_sample respondents. Returns (first, last) data rows."""
        for c, col in enumerate(columns):
            ws.write_string(top, c, col.header, self.f["header"])
            ws.set_column(c, c, col.width)
        # Per column its writer and (plain, small-sample) formats, looked up once, not per cell.
        plan = [(c, col.kind == "text", self.f.get(col.kind),
                 self.f["small"] if col.kind == "value" else self.f["small_int"] if col.kind == "int" else None)
                for c, col in enumerate(columns)]
        text, number = self.text, self.number
        for r, values in enumerate(rows, start=top + 1):
            marked = small[r - top - 1] if small else ()
            for (c, is_text, fmt, small_fmt), value in zip(plan, values):
                if is_text:
                    text(ws, r, c, value)
                else:
                    number(ws, r, c, value, small_fmt if small_fmt is not None and c in marked else fmt)
        last = top + max(len(rows), 1)
        ws.autofilter(top, 0, last, len(columns) - 1)
        if freeze:
            ws.freeze_panes(top + 1, 1)
        return top + 1, top + len(rows)

    def grade_colours(self, ws, first: int, last: int, grade_col: int | None, value_col: int | None) -> None:
        """Grade colours as conditional formats: the grade text by its letter, the 25–100 value by the
        grade table's ranges (data/rules/grades-14-2017.yaml)."""
        if last < first:
            return
        for g in self.report.registry.grades:
            fmt = self.grade_formats[g.grade]
            if grade_col is not None:
                ws.conditional_format(first, grade_col, last, grade_col,
                                      {"type": "text", "criteria": "begins with", "value": f"{g.grade} ",
                                       "format": fmt})
            if value_col is not None:
                ws.conditional_format(first, value_col, last, value_col,
                                      {"type": "cell", "criteria": "between", "minimum": float(g.min),
                                       "maximum": float(g.max), "format": fmt})

    def grade_text(self, letter) -> str | None:
        return views.grade_label(letter, self.report.registry, self.lang)


def _sheet_name(text: str, used: set[str]) -> str:
    name = "".join("_" if c in "[]:*?/\\" else c for c in text)[:31]
    base, i = name, 2
    while name.lower() in used:
        name = f"{base[:28]} {i}"
        i += 1
    used.add(name.lower())
    return name


def build_xlsx(report: Report) -> bytes:
    out = io.BytesIO()
    book = _Book(report, out)
    lang, wb, used = report.lang, book.wb, book.used
    svc, anti = report.pair
    small_n = lambda n: views.is_small(n)

    # Info: the same stamp as every PDF page.
    ws = wb.add_worksheet(_sheet_name("Info", used))
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 100)
    ws.write_string(0, 0, t("r_title", lang), book.f["title"])
    book.text(ws, 1, 0, report.scope_text)
    row = 3
    if report.is_demo:
        ws.write_string(2, 0, f"{DEMO_MARK} — {t('r_demo_note', lang)}", book.f["demo"])
        row = 4
    facts = [(t("r_scope", lang), report.scope_text), (t("r_window", lang), report.window_text),
             (t("r_period", lang), report.period.label), (t("rules", lang), f"{report.rules.id} — {report.rules.name}"),
             *report.stamp(), (t("r_xlsx_numbers_label", lang), t("r_xlsx_numbers", lang))]
    for label, value in facts:
        ws.write_string(row, 0, label, book.f["label"])
        book.text(ws, row, 1, value)
        row += 1

    # Ringkasan: the pooled summary (views.headline per unit).
    ws = wb.add_worksheet(_sheet_name(t("page_ringkasan", lang), used))
    columns = [Col(t("r_unit", lang), width=34)]
    for inst in report.pair:
        name = inst.index_name if inst.is_four_point else f"{inst.index_name} (%)"
        columns += [Col(name, "value", 10), Col(t("col_grade" if inst.role == "service" else "col_category", lang,
                                                   name=inst.index_name), width=16),
                    Col(t("col_n", lang, name=inst.index_name), "int", 9),
                    Col(t("col_delta", lang, name=inst.index_name), "delta", 9)]
    rows, small = [], []
    for summary in report.summaries:
        values, marked = [summary.name], set()
        for side, tile in enumerate(summary.tiles):
            values += [book.shown(tile.value, tile.n), book.grade_text(tile.grade), tile.n, tile.delta]
            if tile.small:
                marked |= {1 + side * 4, 3 + side * 4}
        rows.append(values)
        small.append(marked)
    first, last = book.table(ws, 1, columns, rows, small)
    ws.write_string(0, 0, t("period_caption", lang, label=report.period.label,
                            months=views.months_text(report.period.start, report.period.end),
                            prev=report.period.previous_label), book.f["label"])
    for side, inst in enumerate(report.pair):
        if inst.is_four_point:
            book.grade_colours(ws, first, last, 2 + side * 4, 1 + side * 4)

    # Kantor: the office table (views.overview), as on the Ringkasan page.
    ws = wb.add_worksheet(_sheet_name(t("r_sheet_offices", lang), used))
    names = views.overview_columns(tuple(i.id for i in report.pair), report.registry, lang)
    kinds = {"office": ("text", 40), "zi": ("text", 18)}
    for side in ("svc", "anti"):
        kinds.update({f"{side}_value": ("value", 10), f"{side}_grade": ("text", 16), f"{side}_n": ("int", 9),
                      f"{side}_delta": ("delta", 9)})
    # The Ringkasan page's integrity badge column is left out with the rest of the integrity signals
    # (Report.integrity is their hook): without them a 0 would read as "checked, nothing found".
    keys = [k for k in names if k in kinds]
    columns = [Col(names[k], *kinds[k]) for k in keys]
    rows, small = [], []
    for r in report.overview.to_dict("records"):
        values = []
        for k in keys:
            if k.endswith("_grade"):
                values.append(book.grade_text(r[k]))
            elif k == "zi":
                values.append(t(f"zi_{r[k]}", lang) if isinstance(r[k], str) else None)
            elif k.endswith("_value"):
                values.append(book.shown(r[k], r[k.replace("_value", "_n")]))
            else:
                values.append(r[k])
        rows.append(values)
        small.append({keys.index(f"{side}_{part}") for side in ("svc", "anti") if small_n(r[f"{side}_n"])
                      for part in ("value", "n")})
    first, last = book.table(ws, 0, columns, rows, small)
    for side, inst in zip(("svc", "anti"), report.pair):
        if inst.is_four_point:
            book.grade_colours(ws, first, last, keys.index(f"{side}_grade"), keys.index(f"{side}_value"))

    # Offices × periods, one sheet per instrument (the values of the trend charts).
    wide_sheets = {}
    for inst in report.pair:
        ws = wb.add_worksheet(_sheet_name(t("r_sheet_wide", lang, name=inst.index_name,
                                            granularity=t(f"g_{report.request.granularity}", lang)), used))
        trends = report.trends.get(inst.id, [])
        labels = sorted({str(p) for _, tr in trends for p in tr["period"]})
        columns = [Col(t("col_office", lang), width=40)] + [Col(p, "value", 9) for p in labels]
        rows, small = [], []
        numbers = []
        for name, trend in trends:
            by_period = dict(zip(map(str, trend["period"].tolist()),
                                 zip(trend["value"].tolist(), trend["small"].tolist(), trend["n"].tolist())))
            rows.append([name] + [book.shown(*by_period[p][::2]) if p in by_period else None for p in labels])
            numbers.append((name, [by_period[p][0] if p in by_period else None for p in labels]))
            small.append({1 + i for i, p in enumerate(labels) if by_period.get(p, (None, False))[1]})
        first, last = book.table(ws, 0, columns, rows, small)
        if inst.is_four_point and labels:
            for g in report.registry.grades:
                ws.conditional_format(first, 1, last, len(labels),
                                      {"type": "cell", "criteria": "between", "minimum": float(g.min),
                                       "maximum": float(g.max), "format": book.grade_formats[g.grade]})
        wide_sheets[inst.id] = (*book.chart_data(inst.index_name, labels, numbers), labels)

    # Tren: the pooled trend of the summary unit per instrument (table + native charts), then one
    # small line chart per office (both instruments) from the wide sheets.
    ws = wb.add_worksheet(_sheet_name(t("page_tren", lang), used))
    columns = [Col(t("axis_period", lang), width=12)]
    for inst in report.pair:
        columns += [Col(inst.index_name if inst.is_four_point else f"{inst.index_name} (%)", "value", 10),
                    Col(t("col_n", lang, name=inst.index_name), "int", 10)]
    pooled = {inst.id: report.pooled_trends.get(inst.id, pd.DataFrame()) for inst in report.pair}
    labels = sorted({str(p) for frame in pooled.values() if not frame.empty for p in frame["period"]})
    rows, small, numbers = [], [], {inst.id: ([], []) for inst in report.pair}
    # period → (value, n, small) of each instrument's pooled trend (its first row of a period)
    by_period = {inst.id: {} if frame.empty else dict(reversed(list(zip(
        map(str, frame["period"].tolist()), zip(frame["value"].tolist(), frame["n"].tolist(),
                                                frame["small"].tolist())))))
        for inst, frame in ((inst, pooled[inst.id]) for inst in report.pair)}
    for p in labels:
        values, marked = [p], set()
        for side, inst in enumerate(report.pair):
            found = by_period[inst.id].get(p)
            if found is not None:
                value, n = found[0], int(found[1])
                values += [book.shown(value, n), n]
                if bool(found[2]):
                    marked |= {1 + side * 2, 2 + side * 2}
            else:
                value, n = None, None
                values += [None, None]
            numbers[inst.id][0].append(value)
            numbers[inst.id][1].append(n)
        rows.append(values)
        small.append(marked)
    book.table(ws, 0, columns, rows, small)
    if rows:
        for side, inst in enumerate(report.pair):
            value_col, n_col = 1 + side * 2, 2 + side * 2
            data, top = book.chart_data(t("axis_period", lang), labels,
                                        [(columns[value_col].header, numbers[inst.id][0]),
                                         (columns[n_col].header, numbers[inst.id][1])])
            categories = [data, top, 1, top, len(labels)]
            line = wb.add_chart({"type": "line"})
            line.add_series({"name": columns[value_col].header, "categories": categories,
                             "values": [data, top + 1, 1, top + 1, len(labels)],
                             "marker": {"type": "circle"}, "line": {"color": "#1f3b73", "width": 2.25}})
            bars = wb.add_chart({"type": "column"})
            bars.add_series({"name": columns[n_col].header, "categories": categories,
                             "values": [data, top + 2, 1, top + 2, len(labels)], "y2_axis": True,
                             "fill": {"color": "#9aa5b1"}, "gap": 80})
            line.combine(bars)
            line.set_title({"name": f"{report.summaries[0].name} — {columns[value_col].header}"})
            line.set_y_axis({"name": t("axis_value_converted" if inst.is_four_point else "axis_value_percent", lang),
                             "num_format": "0.00", "min": 25 if inst.is_four_point else 0, "max": 100})
            bars.set_y2_axis({"name": t("axis_n", lang)})
            line.set_legend({"position": "bottom"})
            line.set_size({"width": 620, "height": 300})
            ws.insert_chart(xl_rowcol_to_cell(1 + side * 16, len(columns) + 1), line)
    office_names = [name for name, _ in report.trends.get(svc.id, [])] or \
        [name for name, _ in report.trends.get(anti.id, [])]
    if office_names:
        ws = wb.add_worksheet(_sheet_name(t("r_sheet_charts", lang), used))
        ws.write_string(0, 0, t("r_charts_note", lang), book.f["label"])
        for number, name in enumerate(office_names):
            chart = wb.add_chart({"type": "line"})
            for inst in report.pair:
                data, top, labels = wide_sheets[inst.id]
                names_in = [n for n, _ in report.trends.get(inst.id, [])]
                if name not in names_in or not labels:
                    continue
                r = top + 1 + names_in.index(name)
                chart.add_series({"name": inst.index_name, "categories": [data, top, 1, top, len(labels)],
                                  "values": [data, r, 1, r, len(labels)], "marker": {"type": "circle", "size": 4}})
            chart.set_title({"name": name[:60], "name_font": {"size": 9}})
            chart.set_y_axis({"min": 25 if svc.is_four_point else 0, "max": 100, "num_format": "0",
                              "num_font": {"size": 7}})
            chart.set_x_axis({"num_font": {"size": 7, "rotation": -45}})
            chart.set_legend({"position": "bottom", "font": {"size": 7}})
            chart.set_size({"width": 360, "height": 220})
            ws.insert_chart(xl_rowcol_to_cell(2 + (number // CHART_COLUMNS) * 12, (number % CHART_COLUMNS) * 6), chart)

    # Unsur: every element of both instruments over the window, weakest first, with n_i.
    ws = wb.add_worksheet(_sheet_name(t("page_unsur", lang), used))
    columns = [Col(t("h_instrument", lang), width=10), Col(t("col_code", lang), width=8),
               Col(t("col_statement", lang), width=70), Col(t("col_aspect", lang), width=16),
               Col(t("col_ni", lang), "int", 9), Col(t("col_nrr", lang), "index", 9)]
    rows, small = [], []
    for inst in report.pair:
        items = report.items.get(inst.id, pd.DataFrame())
        for r in items.itertuples():
            rows.append([inst.index_name, r.code, r.statement, r.aspect, int(r.n), book.shown(r.nrr, r.n)])
            small.append({4} if small_n(r.n) else set())
    book.table(ws, 0, columns, rows, small)

    # Kesiapan ZI: the readiness table with distances and reasons (views.readiness_table).
    ws = wb.add_worksheet(_sheet_name(t("page_kesiapan", lang), used))
    columns = [Col(t("col_office", lang), width=40), Col(t("pair", lang), width=10),
               Col(t("col_wbk", lang), width=16), Col(t("col_need_wbk", lang), width=30),
               Col(t("col_wbbm", lang), width=16), Col(t("col_need_wbbm", lang), width=30),
               Col(t("col_service_nilai", lang), "value", 10), Col(t("col_service_n", lang), "int", 9),
               Col(t("col_anti_nilai", lang), "value", 10), Col(t("col_anti_n", lang), "int", 9),
               Col(t("col_reasons", lang), width=60)]
    rows = [[r.office, r.pair, views.verdict_text(r.wbk, lang), r.need_wbk, views.verdict_text(r.wbbm, lang),
             r.need_wbbm, book.shown(r.service_nilai, r.service_n), r.service_n, book.shown(r.anti_nilai, r.anti_n),
             r.anti_n, r.reasons]
            for r in report.readiness.itertuples()]
    book.table(ws, 0, columns, rows)

    # Data: the index rows behind every table (queries.indices), one row per office × period × instrument.
    ws = wb.add_worksheet(_sheet_name("Data", used))
    columns = [Col(t("col_office", lang), width=40), Col("Kanwil", width=30), Col(t("axis_period", lang), width=10),
               Col(t("h_instrument", lang), width=10), Col("n", "int", 9), Col("k", "int", 5),
               Col(t("r_col_index", lang), "index", 9), Col(t("h_converted", lang), "value", 10),
               Col(t("h_percent", lang), "value", 10), Col(t("m_col_grade", lang), width=8)]
    frame = report.indices
    rows = [[r.office, r.kanwil, r.period, r.instrument, r.n, r.k, book.shown(r.index, r.n),
             book.shown(r.converted, r.n) if report.registry.get(r.instrument).is_four_point else r.converted,
             book.shown(r.percent, r.n), r.grade] for r in frame.itertuples()]
    first, last = book.table(ws, 0, columns, rows, [{4} if small_n(r[4]) else set() for r in rows])
    book.grade_colours(ws, first, last, None, 7)

    # Saran: respondents' free text in the report period (newest first), always as text.
    ws = wb.add_worksheet(_sheet_name("Saran", used))
    columns = [Col(t("col_office", lang), width=40), Col(t("r_col_date", lang), width=12),
               Col("Saran", width=90)]
    rows = [[r.office, f"{r.response_date:%Y-%m-%d}", r.saran] for r in report.suggestions.itertuples()]
    book.table(ws, 0, columns, rows)

    # Integrity signals (another feature): one sheet per section it supplies (Report.integrity).
    for title, frame in report.integrity:
        ws = wb.add_worksheet(_sheet_name(title, used))
        book.table(ws, 0, [Col(str(c), width=18) for c in frame.columns],
                   [list(r) for r in frame.itertuples(index=False)])

    # Metode: the grade table and the rule sets, as on the Metode page.
    ws = wb.add_worksheet(_sheet_name(t("page_metode", lang), used))
    grades = views.grade_table(report.registry, lang)
    book.table(ws, 0, [Col(str(c), width=22) for c in grades.columns],
               [list(r) for r in grades.itertuples(index=False)], freeze=False)
    rules = views.rules_table(report.registry, lang)
    top = len(grades) + 3
    for c, name in enumerate(rules.columns):
        ws.write_string(top, c, str(name), book.f["header"])
    for r, values in enumerate(rules.itertuples(index=False), start=top + 1):
        for c, value in enumerate(values):
            book.text(ws, r, c, value)
    book.write_chart_data()
    if report.is_demo:
        for sheet in wb.worksheets():
            sheet.set_header(f"&C{DEMO_MARK}")
    wb.close()
    return out.getvalue()
