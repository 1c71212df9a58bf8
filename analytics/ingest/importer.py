"""The import pipeline: read → map columns → validate every cell → write in one transaction.

`prepare` does the first three stages and writes nothing (the upload page shows its result before the
user confirms); `commit` writes a prepared file whole, or not at all. `ingest` does both.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics import store
from analytics.domain import privacy
from analytics.domain.instruments import Registry, load_registry
from analytics.domain.offices import name_key
from analytics.errors import InputError, Join, Message, Notice
from analytics.ingest import parsing
from analytics.store import offices, writes
from analytics.ingest.mapping import ColumnMap, MappingError, map_columns
from analytics.ingest.readers import RawSheet, ReadError
from analytics.ingest.worker import read_file

PROFILE_FIELDS = ("gender", "age", "education", "occupation", "service_type", "saran")


class ImportRefused(InputError):
    """The file cannot be imported at all (nothing was written); the message says why."""


@dataclass
class ImportOptions:
    instrument: str | None = None     # for files whose item codes fit several instruments
    office: str | None = None         # for files without an office column
    period: str | None = None         # YYYY-MM, for files without a date column
    strict: bool = False              # refuse the whole file when any row is invalid
    create_offices: bool = False      # create offices missing from the master
    ignore_columns: tuple[str, ...] = ()   # headers the user chose to leave out (answer-looking ones too)
    date_order: str | None = None     # "dmy" | "mdy", for a date column whose values cannot decide
    labels: tuple[tuple[str, str, int], ...] = ()   # (column, label, score) for labels no set resolves
    source: str = "cli"
    is_demo: bool = False
    today: date = field(default_factory=date.today)


@dataclass
class RowError:
    sheet: str | None
    row: int                  # as the user sees it in Excel
    column: str | None
    value: str | None
    message: str              # an errors.Message: its Indonesian text, with .code and .params

    @property
    def code(self) -> str | None:
        return getattr(self.message, "code", None)

    @property
    def params(self) -> dict:
        return getattr(self.message, "params", {})

    def render(self, lang: str | None = None, surface: str = "cli") -> str:
        """The problem (without the row) in `lang`; a plain-text message stays as it is."""
        message = self.message
        return message.render(lang, surface) if isinstance(message, Message) else str(message)

    def describe(self) -> Message | str:
        """'column: problem' (or the problem alone), as one Message."""
        return Message("column_problem", column=self.column, problem=self.message) if self.column \
            else self.message

    def as_dict(self, lang: str | None = None, surface: str = "cli") -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "value": self.value,
                "code": self.code, "message": self.render(lang, surface)}


@dataclass
class Prepared:
    """A file read, mapped and validated; nothing written yet."""
    file_name: str
    sha256: str
    rows_read: int
    good: pd.DataFrame                 # one row per valid respondent (see _respondent_frame)
    instruments: list[str]
    errors: list[RowError]
    rejected: pd.DataFrame             # sheet, source_row, reasons, row_data
    mapping: list[dict]                # sheet, column, maps_to (or why ignored)
    notes: list[str]
    unknown_offices: list[str]         # names not in the office master (created only on request)
    ignored: list[dict] = field(default_factory=list)   # sheet, column, reason: every column left out


@dataclass
class ImportReport:
    file: str
    status: str                        # "imported" | "already_imported" | "refused"
    message: str                       # an errors.Message/Notice: Indonesian text with a code
    batch_id: int | None = None
    rows_read: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    instruments: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[dict] = field(default_factory=list)   # sheet, column, reason

    @property
    def code(self) -> str | None:
        return getattr(self.message, "code", None)

    def render(self, lang: str | None = None, surface: str = "cli") -> str:
        message = self.message
        return message.render(lang, surface) if isinstance(message, Message) else str(message)

    def as_json(self, lang: str | None = None, surface: str = "cli") -> dict:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["message"] = self.render(lang, surface)
        data["code"] = self.code
        data["errors"] = [e.as_dict(lang, surface) for e in self.errors]
        return data


# --- stage 3: validation --------------------------------------------------------------------------

def _column_name(sheet: RawSheet, pos: int) -> str:
    return sheet.header[pos]


def _score_column(inst: str, no: int) -> str:
    return f"{inst}__{no}"


def _running_numbers(ids: pd.Series) -> tuple[int, int] | None:
    """(first, last) when a respondent-id column is a running number: distinct whole numbers that
    fill a range without gaps (1…n, or 61…120 when numbering continues from the last file)."""
    text = ids.dropna()
    if text.empty or not text.head(1000).str.fullmatch(r"[0-9]{1,7}").all():   # cheap test first
        return None
    if not text.str.fullmatch(r"[0-9]{1,7}").all():
        return None
    numbers = text.astype("int64").to_numpy()
    lo, hi = int(numbers.min()), int(numbers.max())
    if len(np.unique(numbers)) == len(numbers) and hi - lo + 1 == len(numbers):
        return lo, hi
    return None


def _label_key(column: str | None) -> str:
    """How a label mapping names its column: case and spacing do not matter."""
    return " ".join(str(column or "").split()).casefold()


def _parse_items(sheet: RawSheet, cmap: ColumnMap, registry: Registry, add,
                 labels: tuple = ()) -> pd.DataFrame:
    """The item columns' scores (one column per item); cell problems go to add(errors, column).
    `labels` is the user's (column, label, score) mapping for labels no known set resolves."""
    out = pd.DataFrame(index=sheet.data.index)
    for pos, (inst_id, no) in cmap.items.items():
        inst = registry.get(inst_id)
        column = _column_name(sheet, pos)
        names = {_label_key(column), _label_key(sheet.header[pos])}
        given = {label: score for col, label, score in labels if _label_key(col) in names}
        try:
            parsed = parsing.parse_scores(parsing.relabel(sheet.data[pos], given), column, inst.scale_min,
                                          inst.scale_max,
                                          inst.label_sets_for(inst.item(no), registry.label_sets),
                                          list(registry.not_answered))
        except parsing.ColumnError as exc:
            raise ImportRefused.from_error(exc, sheet.file_name, sheet.sheet) from None
        out[_score_column(inst_id, no)] = parsed.scores
        add(parsed.errors, column)
    return out


def _validate_sheet(sheet: RawSheet, cmap: ColumnMap, registry: Registry, options: ImportOptions,
                    notes: list):
    """Parse every mapped cell. Returns (frame of parsed values, per-row error lists)."""
    data = sheet.data
    errors: dict[int, list[RowError]] = {}

    def add(cell_errors, column):
        for e in cell_errors:
            errors.setdefault(e.index, []).append(
                RowError(sheet.sheet, int(sheet.excel_rows[e.index]), column, e.value, e.message))

    out = _parse_items(sheet, cmap, registry, add, options.labels)
    if "date" in cmap.fields:
        column = _column_name(sheet, cmap.fields["date"])
        values = data[cmap.fields["date"]]
        dates = parsing.parse_dates(values, column, options.today, _order_hint(options, column, values))
        if dates.undecided:
            dates = _order_by_named_month(sheet, values, column, options)
        out["response_ts"] = dates.dates
        out["has_time"] = dates.has_time
        add(dates.errors, column)
    else:
        month = _sheet_month(sheet, options, notes)
        out["response_ts"] = pd.Timestamp(month)
        out["has_time"] = False

    if "office" in cmap.fields:
        out["office_name"] = parsing.normalize_text(data[cmap.fields["office"]])
        blank = out["office_name"].isna()
        add([parsing.CellError(i, "", _OFFICE_BLANK) for i in out.index[blank]],
            _column_name(sheet, cmap.fields["office"]))
    elif options.office:
        out["office_name"] = options.office
    else:
        raise ImportRefused("no_office_column", hint="office", at_file=sheet.file_name, at_sheet=sheet.sheet)

    out["external_id"] = pd.NA
    if "respondent_id" in cmap.fields:
        ids = parsing.normalize_text(data[cmap.fields["respondent_id"]].astype("string"))
        run = _running_numbers(ids)
        if run:         # 1, 2, 3 … restarting in every file or sheet: a row number, not an id
            notes.append(Message("id_is_row_number", column=_column_name(sheet, cmap.fields["respondent_id"]),
                                 lo=run[0], hi=run[1], sheet=Message("in_sheet", name=sheet.sheet)
                                 if sheet.sheet else ""))
        else:
            out["external_id"] = ids
    out["kanwil_name"] = (parsing.normalize_text(data[cmap.fields["kanwil"]].astype("string"))
                          if "kanwil" in cmap.fields else pd.NA)
    _add_profile(out, data, cmap)
    if sheet.truncated_row is not None:       # a cut-off last line is not a respondent with few answers
        last = data.index[sheet.excel_rows == sheet.truncated_row]
        add([parsing.CellError(i, "", Message("truncated_row")) for i in last], None)
    return out, errors


def _add_profile(out: pd.DataFrame, data: pd.DataFrame, cmap: ColumnMap) -> None:
    normalizers = {"gender": parsing.normalize_gender, "age": parsing.normalize_age,
                   "education": parsing.normalize_education}
    for name in PROFILE_FIELDS:
        if name not in cmap.fields:
            out[name] = pd.NA
            if name in normalizers:
                out[f"{name}_raw"] = pd.NA
            continue
        raw = parsing.normalize_text(data[cmap.fields[name]].astype("string"))
        if name in normalizers:
            out[name] = normalizers[name](raw)
            out[f"{name}_raw"] = raw
        else:
            out[name] = raw
    out["saran"], out["saran_masked"] = _masked_saran(out["saran"])


def _masked_saran(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """(saran with contacts masked, whether each was masked): each distinct text is masked once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    masked = [privacy.mask_contacts(u if isinstance(u, str) else None) for u in uniques]
    texts = pd.array([m if isinstance(m, str) else pd.NA for m, _ in masked], dtype="string")
    flags = np.array([flag for _, flag in masked] + [False], dtype=bool)
    return (pd.Series(texts.take(codes, allow_fill=True), index=values.index),
            flags[codes])          # code -1 (blank) picks the trailing False


_OFFICE_BLANK = Message("office_blank")
_NO_ANSWERS = Message("no_answers")


_ORDER_HEADERS = {"timestamp": False, "cap waktu": True}    # English / Indonesian Forms exports


def _order_hint(options: ImportOptions, column: str, values: pd.Series) -> bool | None:
    """Day-first (True) or month-first (False) for a column whose values cannot decide it: the user's
    choice, else the cells' own form (PM, 14.02.11), else a Forms header (Timestamp, Cap waktu)."""
    if options.date_order:
        if options.date_order not in ("dmy", "mdy"):
            raise ImportRefused("date_order_unreadable", order=options.date_order)
        return options.date_order == "dmy"
    found = parsing.date_order_evidence(values)
    if found is not None:
        return found
    return _ORDER_HEADERS.get(" ".join(re.sub(r"[^a-z ]", " ", column.lower()).split()))


def _named_month(sheet: RawSheet) -> tuple[tuple[int | None, int], str] | None:
    """(year or None, month) and where it was read: the sheet's name, else a title line above the
    header that starts with Periode/Bulan."""
    if sheet.sheet:
        found = parsing.month_in_text(sheet.sheet)
        if found:
            return found, "sheet"
    for line in sheet.title:
        if re.match(r"^\W*(periode|bulan|period|month)\b", line, re.I):
            found = parsing.month_in_text(line)
            if found:
                return found, "title"
    return None


def _year_of(sheet: RawSheet) -> int | None:
    """The one year the title lines, else the file name, mention."""
    for texts in (sheet.title, [sheet.file_name]):
        years = set().union(*(parsing.years_in_text(t) for t in texts)) if texts else set()
        if len(years) == 1:
            return years.pop()
    return None


def _order_by_named_month(sheet: RawSheet, values: pd.Series, column: str, options: ImportOptions):
    """Every day ≤ 12: the month the sheet or title names decides, when exactly one order puts the
    dates in it; otherwise ask (never assume day-first silently)."""
    named = _named_month(sheet)
    tries = {order: parsing.parse_dates(values, column, options.today, order) for order in (True, False)}
    if named:
        (year, month), _ = named
        fits = [order for order, parsed in tries.items()
                if parsed.dates.notna().any() and (parsed.dates.dropna().dt.month == month).all()
                and (year is None or (parsed.dates.dropna().dt.year == year).all())]
        if len(fits) == 1:
            return tries[fits[0]]
    def months(parsed):
        found = sorted(parsed.dates.dropna().dt.strftime("%Y-%m").unique())
        return ", ".join(found[:6]) + (" …" if len(found) > 6 else "")
    examples = ", ".join(list(dict.fromkeys(str(v) for v in values.dropna().head(50)))[:3])
    raise ImportRefused("date_order_undecided", hint="date_order", at_file=sheet.file_name, at_sheet=sheet.sheet,
                        column=column, example=examples, dmy=months(tries[True]), mdy=months(tries[False]))


def _sheet_month(sheet: RawSheet, options: ImportOptions, notes: list) -> date:
    """The month of a sheet without a date column: the month its name or title names (a workbook of
    one sheet per month), with the year from there, the title, the file name or --period; else the
    period given. A period that contradicts the sheet's month is refused."""
    named = _named_month(sheet)
    if not named:
        return _period_month(options.period, sheet)
    (year, month), source = named
    year = year or _year_of(sheet)
    if options.period:
        given = options.period.strip()
        if re.fullmatch(r"(19|20)[0-9]{2}", given):
            year = year or int(given)
        else:
            wanted = _period_month(given, sheet)
            if (year or wanted.year, month) != (wanted.year, wanted.month):
                raise ImportRefused("period_conflicts_sheet", hint="period_sheets", at_file=sheet.file_name,
                                    sheet=sheet.sheet or sheet.title[0], named=f"{year or wanted.year}-{month:02d}",
                                    period=given)
            year = wanted.year
    if year is None:
        raise ImportRefused("sheet_month_no_year", hint="period_year", at_file=sheet.file_name,
                            sheet=sheet.sheet or "-", month=month)
    notes.append(Message("month_from_sheet" if source == "sheet" else "month_from_title",
                         sheet=sheet.sheet or "", month=f"{year}-{month:02d}"))
    return date(year, month, 1)


def _period_month(period: str | None, sheet: RawSheet) -> date:
    if not period:
        raise ImportRefused("no_date_column", hint="period", at_file=sheet.file_name, at_sheet=sheet.sheet)
    try:
        year, month = (int(p) for p in period.strip().split("-"))
        return date(year, month, 1)
    except ValueError:
        raise ImportRefused("period_unreadable", period=period) from None


def _row_data(sheet: RawSheet, index) -> str:
    """The row's cells in mapped columns only, as JSON text (header → value), for the rejects download:
    an ignored column (a name, a phone number) is not kept, and contacts in the saran are masked."""
    row = sheet.data.loc[index]
    cells = {}
    for pos, value in row.items():
        if pos not in sheet.mapped:
            continue
        text = None if pd.isna(value) else str(value)
        if pos == sheet.saran_column:
            text = privacy.mask_contacts(text)[0]
        cells[sheet.header[pos] or f"kolom {pos + 1}"] = text
    return json.dumps(cells, ensure_ascii=False, default=str)


# --- prepare --------------------------------------------------------------------------------------

def prepare(con, content: bytes, file_name: str, options: ImportOptions | None = None,
            registry: Registry | None = None) -> Prepared:
    """Read, map and validate a file against the store's office master. Writes nothing."""
    options = options or ImportOptions()
    registry = registry or load_registry()
    try:
        sheets = read_file(content, file_name, registry)
    except ReadError as exc:
        raise ImportRefused.from_error(exc) from None
    frames, rejected, all_errors, mapping, notes = [], [], [], [], []
    unmapped, ignored, deferred = [], [], []
    rows_read = 0
    for sheet in sheets:
        notes.extend(sheet.notes)
        try:
            cmap = map_columns(sheet.header, registry, options.instrument, options.ignore_columns)
        except MappingError as exc:
            raise ImportRefused.from_error(exc, file_name, sheet.sheet) from None
        _choose_office_column(con, sheet, cmap, options)
        sheet.mapped = frozenset(cmap.items) | frozenset(cmap.fields.values())
        sheet.saran_column = cmap.fields.get("saran")
        notes.extend(n for n in cmap.notes if n not in notes)
        unmapped.extend((sheet.sheet, sheet.header[pos], reason) for pos, _, reason in cmap.ignored
                        if pos in cmap.suspect and parsing.looks_like_answers(
                            sheet.data[pos], registry.label_sets, registry.not_answered))
        ignored.extend({"sheet": sheet.sheet, "column": header, "reason": reason}
                       for _, header, reason in cmap.ignored)
        if not cmap.items:
            if len(sheets) > 1:
                notes.append(Message("sheet_skipped", name=sheet.sheet, reason=Message("no_item_columns")))
                continue
            raise ImportRefused("no_item_columns_found", at_file=file_name,
                                columns=", ".join(h for h in sheet.header[:12] if h))
        mapping.extend(_mapping_rows(sheet, cmap, registry))
        notes.extend(n for n in _incomplete_instruments(cmap, registry) if n not in notes)
        filled = sheet.data.notna().to_numpy().any(axis=1)
        data = sheet.data if filled.all() else sheet.data[filled]      # no copy when no row is blank
        sheet.data, sheet.excel_rows = data, sheet.excel_rows[data.index]
        sheet.data = sheet.data.reset_index(drop=True)
        rows_read += len(sheet.data)
        try:
            out, errors = _validate_sheet(sheet, cmap, registry, options, notes)
        except ImportRefused as exc:
            if len(sheets) < 2 or exc.code not in ("no_date_column", "no_office_column"):
                raise
            deferred.append((sheet, cmap, exc))     # perhaps a score sheet repeating another one
            continue
        _reject_rows_without_answers(out, errors, sheet)
        out["sheet"] = sheet.sheet
        out["source_row"] = sheet.excel_rows
        frames.append((sheet, out, errors))
    if unmapped:
        names = list(dict.fromkeys(header for _, header, _ in unmapped))
        shown = Join([Message("column_reason", column=header, reason=reason,
                              sheet=Message("in_sheet", name=name) if name else "")
                      for name, header, reason in unmapped[:8]] + (["…"] if len(unmapped) > 8 else []))
        raise ImportRefused("unmapped_answer_columns", hint="ignore_column", at_file=file_name, n=len(names),
                            columns=shown, first=names[0], names=tuple(names))
    for sheet, cmap, refusal in deferred:
        _repeat_or_refuse(sheet, cmap, registry, options, frames, refusal, notes)
    if not frames:
        raise ImportRefused("no_survey_rows", at_file=file_name)

    frames = _drop_repeated_sheets(frames, notes)
    good_parts = []
    for sheet, out, errors in frames:
        bad = out.index.isin(list(errors))
        for index in sorted(errors):
            row_errors = errors[index]
            all_errors.extend(row_errors)
            rejected.append({"sheet": sheet.sheet, "source_row": int(sheet.excel_rows[index]),
                             "reasons": "; ".join(str(e.describe()) for e in row_errors),
                             "row_data": _row_data(sheet, index)})
        good_parts.append(out[~bad] if bad.any() else out)
    good = (good_parts[0] if len(good_parts) == 1 and good_parts[0].index.equals(pd.RangeIndex(len(good_parts[0])))
            else pd.concat(good_parts, ignore_index=True)) if good_parts else pd.DataFrame()
    instruments = sorted({c.split("__")[0] for c in good.columns if "__" in c})
    good, unknown = _resolve_offices(con, good, options, all_errors, rejected, frames)
    good = _reject_in_file_duplicates(good, all_errors, rejected, frames)
    return Prepared(file_name=file_name, sha256=hashlib.sha256(content).hexdigest(), rows_read=rows_read,
                    good=good, instruments=instruments, errors=all_errors,
                    rejected=pd.DataFrame(rejected, columns=["sheet", "source_row", "reasons", "row_data"]),
                    mapping=mapping, notes=notes, unknown_offices=unknown, ignored=ignored)


# Words of the services offices give (a "Unit Layanan" column often holds these, not units).
_SERVICE_WORDS = re.compile(
    r"\b(paspor|passport|izin tinggal|visa|itas|itap|pengaduan|kunjungan|konsultasi|informasi|pendaftaran|"
    r"legalisasi|apostille|remisi|integrasi|asimilasi|pembebasan bersyarat|cuti bersyarat|penitipan|"
    r"bantuan hukum|fidusia|kewarganegaraan|kekayaan intelektual|merek|paten|hak cipta|notariat|litmas|"
    r"pembimbingan|penelitian kemasyarakatan|layanan|pelayanan|perpanjangan|penggantian|pembuatan)\b", re.I)
_OFFICE_WORDS = re.compile(r"\b(kantor|imigrasi|kanim|lapas|rutan|bapas|lpka|rupbasan|kanwil|upt|balai|"
                           r"lembaga|rumah tahanan|cabang)\b", re.I)


def _choose_office_column(con, sheet: RawSheet, cmap: ColumnMap, options: ImportOptions) -> None:
    """Which column holds the units (offices), decided by its values, not by its place: a column of
    Kanwil names is the regional level, a column of services (Paspor, Izin Tinggal) is the service
    type; among several unit columns the one whose values the office master knows. The office the
    user names wins over every column. Refuses when it stays ambiguous."""
    candidates = list(cmap.office_candidates)
    if not candidates:
        return
    header = sheet.header
    cmap.ignored = [entry for entry in cmap.ignored if entry[0] not in candidates]
    cmap.fields.pop("office", None)
    master = offices.list_offices(con)
    kanwil_keys = {name_key(k) for k in master["kanwil"].dropna()}
    units, known = [], {}
    for pos in candidates:
        distinct = pd.Series(sheet.data[pos].dropna().unique(), dtype=object)     # per distinct value
        values = parsing.normalize_text(distinct.astype("string")).dropna().unique().tolist()
        resolved = offices.resolve(con, values) if values else {}
        known[pos] = sum(v is not None for v in resolved.values()) / max(len(values), 1)
        keys = [name_key(v) for v in values]
        if values and len(candidates) > 1 and all(k.startswith("kanwil") or k in kanwil_keys for k in keys):
            cmap.ignored.append((pos, header[pos], "kolom Kanwil (tingkat wilayah), bukan kantor; dipakai untuk "
                                                   "memeriksa Kanwil kantor di daftar kantor"))
            cmap.fields.setdefault("kanwil", pos)
        elif (values and known[pos] == 0 and all(_SERVICE_WORDS.search(v) for v in values)
              and not any(_OFFICE_WORDS.search(v) for v in values)):
            if "service_type" not in cmap.fields:
                cmap.fields["service_type"] = pos
                cmap.notes.append(Message("service_column", column=header[pos]))
            else:
                cmap.ignored.append((pos, header[pos], "berisi jenis layanan, bukan kantor"))
        else:
            units.append(pos)
    if options.office:
        cmap.ignored += [(pos, header[pos], "kantor dari pilihan pengguna") for pos in units]
        return
    if len(units) > 1:
        best = max(known[p] for p in units)
        top = [p for p in units if known[p] == best]
        if best == 0 or len(top) > 1:
            names = [header[p] for p in units]
            raise ImportRefused("ambiguous_office_column", hint="office_column", at_file=sheet.file_name,
                                at_sheet=sheet.sheet, columns=Join([f"'{n}'" for n in names], "or"),
                                first=names[0], names=tuple(names))
        cmap.ignored += [(p, header[p], f"kolom kantor lain; yang dipakai: '{header[top[0]]}' (nilainya ada di "
                                        "daftar kantor)") for p in units if p != top[0]]
        units = top
    if units:
        cmap.fields["office"] = units[0]


def _answer_prints(scores: pd.DataFrame) -> list:
    """The answer rows of a frame of item scores as sorted hashes (rows with no answer left out)."""
    scores = scores[sorted(scores.columns)].astype("Float64")
    scores = scores[scores.notna().any(axis=1)]
    return sorted(pd.util.hash_pandas_object(scores, index=False).tolist())


def _repeat_or_refuse(sheet: RawSheet, cmap: ColumnMap, registry: Registry, options: ImportOptions, frames,
                      refusal, notes) -> None:
    """A sheet without an office or date column beside sheets that have them: when its answers are,
    row for row, another sheet's (an operator's score sheet repeating the form responses), it is the
    same respondents and is left out with a note; otherwise the refusal stands (it needs --office/--period)."""
    errors: list = []
    scores = _parse_items(sheet, cmap, registry, lambda found, column: errors.extend(found), options.labels)
    mine = _answer_prints(scores) if not errors else None
    for other, out, other_errors in frames:
        columns = [c for c in out.columns if "__" in c]
        valid = out[~out.index.isin(list(other_errors))]
        if mine and len(mine) >= 2 and sorted(columns) == sorted(scores.columns) \
                and _answer_prints(valid[columns]) == mine:
            notes.append(Message("sheet_repeats", name=sheet.sheet, other=other.sheet, n=len(mine)))
            return
    raise refusal


def _drop_repeated_sheets(frames, notes: list):
    """A sheet that repeats another's respondents (an operator's score sheet beside the form responses:
    the same office, day and answers, row for row, labels or numbers) is the same respondents, not new
    ones and not rejected duplicates: it is left out, with a note."""
    def fingerprint(out, errors):
        valid = out[~out.index.isin(list(errors))]
        scores = [c for c in valid.columns if "__" in c]
        if len(valid) < 2 or not scores:
            return None
        keys = valid[["office_name"]].astype("string").assign(
            day=valid["response_ts"].dt.strftime("%Y-%m-%d"),
            answers=pd.util.hash_pandas_object(valid[sorted(scores)].astype("Float64"), index=False).astype("string"))
        return sorted(map(tuple, keys.fillna("").to_numpy().tolist())), sorted(scores)
    if len(frames) < 2:
        return frames
    sizes = [len(out) - len(errors) for _, out, errors in frames]
    kept, seen = [], []
    for (sheet, out, errors), size in zip(frames, sizes):
        found = fingerprint(out, errors) if sizes.count(size) > 1 else None
        twin = next((other for other, prints in seen if found is not None and prints == found), None)
        if twin is not None:
            notes.append(Message("sheet_repeats", name=sheet.sheet, other=twin.sheet, n=len(found[0])))
            continue
        seen.append((sheet, found))
        kept.append((sheet, out, errors))
    return kept


def _incomplete_instruments(cmap: ColumnMap, registry: Registry) -> list[Message]:
    """An instrument with fewer columns than items: its index is over the items present only."""
    notes = []
    for inst_id in cmap.instruments():
        inst = registry.get(inst_id)
        present = {no for i, no in cmap.items.values() if i == inst_id}
        missing = [inst.item(no).code for no in range(1, inst.k + 1) if no not in present]
        if missing:
            notes.append(Message("instrument_incomplete", index=inst_id.upper(), n=len(present), k=inst.k,
                                 missing=", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")))
    return notes


def _mapping_rows(sheet: RawSheet, cmap: ColumnMap, registry: Registry) -> list[dict]:
    rows = []
    for pos, (inst_id, no) in sorted(cmap.items.items()):
        item = registry.get(inst_id).item(no)
        rows.append({"sheet": sheet.sheet, "column": sheet.header[pos],
                     "maps_to": f"{inst_id.upper()} {no}: {item.statement}"})
    for name, pos in cmap.fields.items():
        rows.append({"sheet": sheet.sheet, "column": sheet.header[pos], "maps_to": name})
    for pos, header, reason in cmap.ignored:
        rows.append({"sheet": sheet.sheet, "column": header, "maps_to": f"diabaikan: {reason}"})
    return rows


def _reject_rows_without_answers(out, errors, sheet) -> None:
    score_cols = [c for c in out.columns if "__" in c]
    empty = out[score_cols].isna().all(axis=1)
    for index in out.index[empty]:
        if index not in errors:
            errors[index] = [RowError(sheet.sheet, int(sheet.excel_rows[index]), None, None, _NO_ANSWERS)]


def _reject(good, mask, message_of, all_errors, rejected, frames, column=None) -> pd.DataFrame:
    """Move the rows of `good` selected by mask to the rejects, each with its message."""
    sheets = {sheet.sheet: sheet for sheet, _, _ in frames}
    for _, row in good[mask].iterrows():
        sheet = sheets[row["sheet"]]
        error = RowError(row["sheet"], int(row["source_row"]), column, message_of(row)[0], message_of(row)[1])
        all_errors.append(error)
        index = int(np.flatnonzero(sheet.excel_rows == row["source_row"])[0])
        rejected.append({"sheet": row["sheet"], "source_row": int(row["source_row"]),
                         "reasons": str(error.describe()), "row_data": _row_data(sheet, index)})
    return good[~mask]


def _resolve_offices(con, good, options, all_errors, rejected, frames):
    if good.empty:
        good["office_id"] = pd.Series(dtype="Int64")
        return good, []
    codes, uniques = pd.factorize(good["office_name"], use_na_sentinel=True)
    names = list(uniques)
    resolved = offices.resolve(con, names)
    unknown = sorted(name for name, office_id in resolved.items() if office_id is None)
    good = good.copy()
    # per distinct name, spread over the rows by code (a code of -1, no name, gives <NA>)
    good["office_id"] = pd.array([resolved.get(name) for name in names], dtype="Int64").take(codes, allow_fill=True)
    good["office_key"] = pd.array([name_key(name) for name in names], dtype="string").take(codes, allow_fill=True)
    if unknown and not options.create_offices:
        mask = good["office_id"].isna()
        good = _reject(good, mask, lambda r: (r["office_name"],
                       Message("unknown_office", hint="create_offices", office=r["office_name"])),
                       all_errors, rejected, frames, column="kantor")
    if good["kanwil_name"].notna().any():       # a Kanwil column checks the office master
        master = offices.list_offices(con).set_index("office_id")["kanwil"]
        registered = good["office_id"].map(master)
        wrong = (good["kanwil_name"].notna() & registered.notna() & good["office_id"].notna()
                 & (good["kanwil_name"].map(lambda k: name_key(k) if isinstance(k, str) else "")
                    != registered.map(lambda k: name_key(k) if isinstance(k, str) else "")))
        if wrong.any():
            good = good.assign(_registered=registered)
            good = _reject(good, wrong.to_numpy(), lambda r: (r["kanwil_name"], Message(
                "kanwil_mismatch", office=r["office_name"], kanwil=r["kanwil_name"], registered=r["_registered"])),
                all_errors, rejected, frames, column="kanwil").drop(columns="_registered")
    return good, unknown


def _dedup_keys(good: pd.DataFrame) -> pd.Series:
    """office + respondent id, else office + timestamp + answers (when the time of day is known)."""
    keys = (good["office_key"] + "|id|" + good["external_id"].astype("string")).astype("string")
    by_ts = (good["external_id"].isna() & good["has_time"].astype(bool)).to_numpy()
    if by_ts.any():      # hashing answers and formatting timestamps only for the rows that need it
        sub = good.loc[by_ts]
        score_cols = [c for c in good.columns if "__" in c]
        answers_hash = pd.util.hash_pandas_object(sub[score_cols], index=False).astype("string")
        keys.loc[by_ts] = (sub["office_key"] + "|ts|" + sub["response_ts"].astype("string") + "|"
                           + answers_hash.set_axis(sub.index)).astype("string")
    return keys


def _reject_in_file_duplicates(good, all_errors, rejected, frames):
    if good.empty:
        good["dedup_key"] = pd.Series(dtype="string")
        return good
    good = good.copy()
    good["dedup_key"] = _dedup_keys(good)
    keys = pa.array(good["dedup_key"].array)
    if pc.count_distinct(keys).as_py() == len(keys) - keys.null_count:    # the usual case: no key twice
        return good
    dup = good["dedup_key"].notna() & good.duplicated("dedup_key", keep="first")
    if dup.any():
        first = good[~dup & good["dedup_key"].notna()].set_index("dedup_key")[["sheet", "source_row"]]

        def where_first(row) -> Message:
            sheet, source_row = first.loc[row["dedup_key"]]
            if sheet is not None and sheet != row["sheet"]:
                return Message("at_sheet_row", in_sheet=sheet, row=int(source_row))
            return Message("at_row", row=int(source_row))

        good = _reject(good, dup, lambda r: (r["external_id"] if pd.notna(r["external_id"]) else None,
                       Message("duplicate_in_file", where=where_first(r))),
                       all_errors, rejected, frames)
    return good


# --- stage 4: write -------------------------------------------------------------------------------

def commit(con, prepared: Prepared, options: ImportOptions | None = None,
           before_commit: Callable[[], None] | None = None, registry: Registry | None = None) -> ImportReport:
    """Write a prepared file in one transaction. `before_commit` is a test hook (crash simulation)."""
    options = options or ImportOptions()
    base = dict(file=prepared.file_name, rows_read=prepared.rows_read, instruments=prepared.instruments,
                errors=prepared.errors, ignored_columns=prepared.ignored)
    if (held := writes.already_imported(con, prepared.sha256)):
        return ImportReport(status="already_imported", batch_id=None,
                            message=Notice("already_imported", batch=held[0], file=held[1],
                                           when=f"{held[2]:%Y-%m-%d %H:%M}"), **base)
    if options.strict and prepared.errors:
        first = prepared.errors[0]
        return ImportReport(status="refused", rows_rejected=len(prepared.rejected), **base,
                            message=Message("strict_refused", hint="strict", n=len(prepared.rejected),
                                            row=first.row, first=first.describe()))
    if prepared.good.empty:
        first = prepared.errors[0] if prepared.errors else None
        message = (Message("no_valid_rows_first", n=len(prepared.rejected), row=first.row, first=first.describe())
                   if first else Message("no_valid_rows", n=len(prepared.rejected)))
        return ImportReport(status="refused", rows_rejected=len(prepared.rejected), **base, message=message)
    with store.transaction(con):
        report = _write(con, prepared, options, registry or load_registry())
        if report.status != "imported":
            raise store.Rollback()
        if before_commit:
            before_commit()
    store.refresh_statistics(con)
    return report


def _write(con, prepared: Prepared, options: ImportOptions, registry: Registry) -> ImportReport:
    batch_id = writes.next_batch_id(con)
    good = prepared.good.copy()
    if prepared.unknown_offices and options.create_offices:
        created = {name: offices.add_office(con, name, created_by_batch=batch_id)
                   for name in prepared.unknown_offices}
        good["office_id"] = good["office_id"].fillna(good["office_name"].map(created)).astype("Int64")
    good = _drop_stored_duplicates(con, good)
    duplicates = len(prepared.good) - len(good)
    if good.empty:   # everything valid is stored already: nothing to write, the caller rolls back
        return ImportReport(file=prepared.file_name, status="already_imported", rows_read=prepared.rows_read,
                            rows_rejected=len(prepared.rejected), rows_duplicate=duplicates,
                            instruments=prepared.instruments, errors=prepared.errors,
                            ignored_columns=prepared.ignored, message=Notice("all_duplicates", n=duplicates))
    first_id = writes.next_respondent_id(con)
    good["respondent_id"] = np.arange(first_id, first_id + len(good), dtype="int64")
    stamps = good["response_ts"].to_numpy(dtype="datetime64[us]")      # day and month by truncation
    good["response_date"] = stamps.astype("datetime64[D]").astype("datetime64[us]")
    good["month"] = stamps.astype("datetime64[M]").astype("datetime64[us]")
    good["response_ts"] = good["response_ts"].where(good["has_time"].astype(bool))
    writes.insert_respondents(con, good, batch_id)
    for inst in prepared.instruments:
        writes.insert_answers(con, good, batch_id, inst, registry.get(inst).k)
    errors = pd.DataFrame([e.as_dict() for e in prepared.errors], columns=["sheet", "row", "column", "value", "message"])
    writes.insert_rejects(con, prepared.rejected, errors, batch_id)
    notes = prepared.notes + [f"kantor baru dibuat: {n}" for n in prepared.unknown_offices if options.create_offices]
    notes += [Message("column_ignored", column=c["column"], reason=c["reason"],
                      sheet=Message("in_sheet", name=c["sheet"]) if c["sheet"] else "") for c in prepared.ignored]
    writes.insert_batch(con, batch_id, prepared.file_name, prepared.sha256, options.source, options.is_demo,
                        prepared.rows_read, len(good), len(prepared.rejected), duplicates, prepared.instruments,
                        [str(n) for n in notes])
    message = Notice("imported", n=len(good), batch=batch_id, rejected=len(prepared.rejected),
                     duplicates=duplicates)
    return ImportReport(file=prepared.file_name, status="imported", message=message, batch_id=batch_id,
                        rows_read=prepared.rows_read, rows_imported=len(good),
                        rows_rejected=len(prepared.rejected), rows_duplicate=duplicates,
                        instruments=prepared.instruments, errors=prepared.errors,
                        ignored_columns=prepared.ignored)


def _drop_stored_duplicates(con, good: pd.DataFrame) -> pd.DataFrame:
    keys = good["dedup_key"].dropna()
    if keys.empty:
        return good
    stored = writes.stored_dedup_keys(con, keys)
    return good[~good["dedup_key"].isin(stored)] if stored else good


def ingest(con, content: bytes, file_name: str, options: ImportOptions | None = None,
           registry: Registry | None = None) -> ImportReport:
    """Prepare and commit one file; a file that cannot be used gives a 'refused' report."""
    options = options or ImportOptions()
    try:
        prepared = prepare(con, content, file_name, options, registry)
    except ImportRefused as exc:
        return ImportReport(file=file_name, status="refused", message=exc.message)
    return commit(con, prepared, options, registry=registry)
