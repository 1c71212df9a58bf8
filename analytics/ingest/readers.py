"""Stage 1 of an import: turn a file into sheets of raw cells, with the row numbers a user sees.

What the bytes are decides how they are read, not the file name: workbooks (.xlsx/.xlsm, .xls, .ods,
read with calamine), CSV/TSV text (comma, semicolon or tab; UTF-8 with or without BOM, UTF-16,
Windows-1252), and a clear refusal for PDFs, password-protected workbooks, web pages saved as ".xls"
and anything else. In every sheet the header row is found among the first rows (title blocks and
merged titles above it are skipped), blank rows and columns go, and footer rows ("Jumlah", "NRR",
"IKM", signatures) are left out with a note. Cells are never evaluated: "=perbanyak loket" is text.
"""
from __future__ import annotations

import codecs
import csv
import importlib.util
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics import export, settings
from analytics.domain.instruments import Registry, load_registry
from analytics.errors import InputError, Join, Message
from analytics.ingest import limits
from analytics.ingest.mapping import header_score, match_header

# Size limit, header/footer search depth, minimum item columns: analytics/settings.py.
SUMMARY_SHEET = re.compile(r"rekap|ringkas|summary|grafik|chart|diagram|pivot|olah|hasil|petunjuk|"
                           r"keterangan|referensi|daftar isi|master|lookup|list", re.I)
# Summary rows ("Jumlah", "Rata-rata", "NRR", "Nilai IKM" …): the label is a word of its own, so an
# id such as "IKM-0012" is not one. Signature lines are only looked for below the last respondent.
_LABEL_END = r"(?:$|\s*[:(=]|\s+\S)"
SUMMARY_CELL = re.compile(
    r"^(?:jumlah|total|sub ?total|grand total|rata[\s-]*rata|rerata|nrr|ikm|ipk|ipkp|ipak|skm|nilai|"
    r"mutu|kinerja unit|kategori|indeks|konversi|bobot|n responden|jml)" + _LABEL_END, re.I)
SIGNATURE_CELL = re.compile(
    r"^(?:mengetahui|menyetujui|kepala|plt\.?|plh\.?|a\.?\s?n\.?|nip\.?|nrp\.?|pembina|penata|ketua|"
    r"sekretaris|petugas|dibuat oleh|diperiksa oleh|disusun oleh|keterangan|catatan|ttd\.?)"
    + _LABEL_END, re.I)
_MAGIC = {b"PK\x03\x04": "zip", b"PK\x05\x06": "zip", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "ole",
          b"%PDF": "pdf", b"{\\rtf": "rtf", b"\x1f\x8b": "gzip", b"Rar!": "rar", b"7z\xbc\xaf": "7z",
          b"\x89PNG": "png", b"\xff\xd8\xff": "jpeg"}
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")
_RESAVE = Message("resave")


class ReadError(InputError):
    """The file cannot be read at all; the message names the file and says why."""


def _refuse(file_name: str, code: str | Message, **params) -> ReadError:
    """A ReadError whose message starts with the file name."""
    message = code if isinstance(code, Message) else Message(code, **params)
    return ReadError(message.at(file_name))


@dataclass
class RawSheet:
    file_name: str
    sheet: str | None                 # None for CSV
    header: list[str]                 # header texts as written
    data: pd.DataFrame                # columns are 0..n-1 (positions in `header`); cells as read
    excel_rows: np.ndarray            # per data row: the row number the user sees in Excel
    notes: list[str] = field(default_factory=list)
    header_row: int = 1               # Excel row of the header
    title: list[str] = field(default_factory=list)   # the lines above the header (report title, period)
    # set by the importer once the columns are mapped: the rejects keep only these positions
    mapped: frozenset[int] = frozenset()
    saran_column: int | None = None
    truncated_row: int | None = None  # Excel row of a CSV's last record when it was cut off

    def where(self, index) -> str:
        """'file, sheet X, row 12' for messages."""
        sheet = f", sheet {self.sheet}" if self.sheet else ""
        return f"{self.file_name}{sheet}, baris {int(self.excel_rows[index])}"


def read_file(content: bytes, file_name: str, registry: Registry | None = None) -> list[RawSheet]:
    """Read every sheet that holds survey rows. Raises ReadError when nothing can be read."""
    if not content:
        raise _refuse(file_name, "empty_file")
    limit_mb = settings.get("max_upload_mb")
    if len(content) > limit_mb * 1024 * 1024:
        raise _refuse(file_name, "too_big", size=len(content) / 1024 / 1024, limit=limit_mb)
    registry = registry or load_registry()
    kind = sniff(content)
    try:
        if kind in ("zip", "ole"):
            return _read_workbook(content, file_name, kind, registry)
        if kind == "html":
            return _read_html(content, file_name, registry)
        if kind == "text":
            raw = _read_csv(content, file_name, registry)
            return _choose_sheets([(False, raw, _survey_problem(raw, registry))], file_name)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 — a damaged file must give a message, never a crash
        raise _refuse(file_name, "unreadable", error=f"{type(exc).__name__}: {exc}", resave=_RESAVE) from None
    if kind == "xml":
        raise _refuse(file_name, "xml_file", resave=_RESAVE)
    raise _refuse(file_name, "not_survey_file", kind=_KIND_TEXT.get(kind) or Message("kind_other"))


_KIND_TEXT = {"pdf": Message("kind_pdf"), "rtf": Message("kind_rtf"), "gzip": Message("kind_gzip"),
              "rar": Message("kind_rar"), "7z": Message("kind_7z"), "png": Message("kind_png"),
              "jpeg": Message("kind_jpeg"), "binary": Message("kind_binary")}


def sniff(content: bytes) -> str:
    """What the bytes are: zip, ole, pdf, html, xml, text, binary, … (extensions lie: many web apps
    save an HTML table or a CSV as '.xls')."""
    for magic, kind in _MAGIC.items():
        if content.startswith(magic):
            return kind
    head = content[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    text = head.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()
    if text.startswith("<"):
        if re.search(r"<(html|table|!doctype html|meta|body|head)\b", text):
            return "html"
        return "xml"
    if b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 20:
        return "binary"
    return "text"


# --- workbooks -------------------------------------------------------------------------------------

def _open_workbook(content: bytes, file_name: str, kind: str):
    from python_calamine import CalamineWorkbook

    if kind == "ole" and _ENCRYPTED_OOXML in content:
        raise _refuse(file_name, "password")
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(content))
    except BaseException as exc:  # calamine raises several types (and pyo3 panics) on damaged files
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise _refuse(file_name, _workbook_problem(content, kind, exc)) from None


def _workbook_problem(content: bytes, kind: str, exc: BaseException) -> Message:
    if "password" in str(exc).lower() or type(exc).__name__ == "PasswordError":
        return Message("password")
    damaged = Message("damaged", error=str(exc), resave=_RESAVE)
    if kind == "zip":
        try:
            names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            return damaged
        if any(n.startswith("word/") for n in names):
            return Message("word_docx")
        if any(n.startswith("ppt/") for n in names):
            return Message("powerpoint")
        if not any(n.startswith("xl/") or n == "content.xml" for n in names):
            return Message("zip_archive")
    elif "WordDocument".encode("utf-16-le") in content:
        return Message("word_doc")
    return damaged


def _read_workbook(content: bytes, file_name: str, kind: str, registry: Registry) -> list[RawSheet]:
    if kind == "zip" and (problem := limits.check_workbook(content)):
        raise _refuse(file_name, problem)
    book = _open_workbook(content, file_name, kind)
    candidates = []   # (is_secondary, RawSheet | None, reason)
    for meta in book.sheets_metadata:
        name = str(meta.name)
        hidden = str(meta.visible).rsplit(".", 1)[-1] != "Visible"
        try:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python()
            start = sheet.start or (0, 0)
            _fill_merged(rows, _merged_ranges(sheet), start)
        except BaseException as exc:  # one broken sheet: say so, read the others
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            candidates.append((False, None, Message("sheet_unreadable", name=name, error=str(exc))))
            continue
        if not rows or not any(any(c != "" for c in row) for row in rows):
            candidates.append((True, None, Message("sheet_empty", name=name)))
            continue
        secondary = hidden or bool(SUMMARY_SHEET.search(name))
        try:
            raw = _sheet_from_grid(rows, int(start[0]) + 1, file_name, name, registry)
        except ReadError as exc:
            candidates.append((secondary, None, Message("sheet_skipped", name=name, reason=exc.message)))
            continue
        if hidden:
            raw.notes.append(f"sheet {name} tersembunyi")
        candidates.append((secondary, raw, _survey_problem(raw, registry)))
    return _choose_sheets(candidates, file_name)


def _merged_ranges(sheet) -> list:
    try:
        return list(sheet.merged_cell_ranges or [])
    except Exception:  # noqa: BLE001 — not every container reports merges; the cells still read
        return []


def _fill_merged(rows: list[list], ranges, start) -> None:
    """A merged range's value belongs to every cell of it (Excel shows it across): an office merged
    over its block of respondents, a header merged over two header rows, a group label (IKM) over its
    item columns. Calamine gives the value in the top-left cell only; spread it, in place."""
    top, left = int(start[0]), int(start[1])
    for (r0, c0), (r1, c1) in ranges:
        r0, r1, c0, c1 = r0 - top, r1 - top, c0 - left, c1 - left
        if r0 < 0 or c0 < 0 or r0 >= len(rows) or (r1 - r0 + 1) * (c1 - c0 + 1) > 1_000_000:
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        if value in ("", None):
            continue
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c0, c1 + 1):
                if c < len(row) and row[c] in ("", None):
                    row[c] = value


def _choose_sheets(candidates, file_name: str) -> list[RawSheet]:
    """Sheets holding survey rows; summary-named or hidden sheets only when no other sheet has any."""
    usable = [(secondary, raw) for secondary, raw, problem in candidates if raw is not None and not problem]
    primary = [raw for secondary, raw in usable if not secondary]
    chosen = primary or [raw for _, raw in usable]
    notes = []
    for secondary, raw, problem in candidates:
        if raw is not None and raw in chosen:
            continue
        if raw is None:
            notes.append(problem)
        elif problem:
            notes.append(Message("sheet_skipped", name=raw.sheet, reason=problem))
        else:
            notes.append(Message("sheet_secondary", name=raw.sheet))
    if not chosen:
        only = candidates[0][1] if len(candidates) == 1 else None
        if only is not None and not only.data.empty:
            return [only]        # one sheet with rows: the importer names its unknown columns
        if only is not None:
            raise _refuse(file_name, _survey_problem(only, None))
        raise _refuse(file_name, "no_survey_sheet", details=Join(notes))
    chosen[0].notes[:0] = notes
    return chosen


def _has_guarded_cells(content: bytes) -> bool:
    return re.search(rb"'[=+\-@\t\r]", content) is not None      # a cheap test before a per-cell unguard


def _survey_problem(raw: RawSheet, registry: Registry | None) -> Message | None:
    if raw.data.empty:
        return Message("header_no_rows", row=raw.header_row)
    if registry and sum(match_header(h, registry).is_item for h in raw.header) < settings.get("min_item_columns"):
        return Message("no_item_columns")
    return None


def _sheet_from_grid(rows: list[list], first_row: int, file_name: str, sheet: str | None,
                     registry: Registry) -> RawSheet:
    """A sheet's cells (first row = Excel row `first_row`) → RawSheet below the detected header."""
    at = _header_index(rows[:_scan_limit(rows, registry)], registry)
    combined = _two_row_header(rows[at], rows[at + 1], registry) if at + 1 < len(rows) else None
    if combined:            # "IKM" over 1 … 21: one header "IKM 1" …, the sub-header row left empty
        rows = rows[:at] + [combined, [""] * len(rows[at + 1])] + rows[at + 2:]
    data = pd.DataFrame(rows[at + 1:], dtype=object)
    width = max(len(rows[at]), data.shape[1] if not data.empty else 0)
    data = data.reindex(columns=range(width))
    data = data.mask(data.isin(["", None])) if not data.empty else data
    header = _header_texts(rows[at], rows[at - 1] if at > 0 else None, width, registry)
    excel_rows = np.arange(len(data), dtype=np.int64) + first_row + at + 1
    notes = [f"judul kolom di baris {first_row + at}; baris di atasnya (judul laporan/keterangan) "
             "dilewati"] if at > 0 else []
    raw = _finish(file_name, sheet, header, data, excel_rows, first_row + at, notes, registry,
                  convert=True)
    raw.title = _title_lines(rows[:at])
    return raw


def _title_lines(rows) -> list[str]:
    """The non-empty lines above the header, each row's cells joined."""
    lines = [" ".join(t for t in (_text(c) for c in row) if t) for row in rows]
    return [line for line in lines if line]


def _scan_limit(rows: list[list], registry: Registry) -> int:
    """How many rows to search for the header: header_scan_rows, plus the rows of a legend/codebook
    block above it (one item per row: 'IKM1 | Informasi tentang …'), which may be longer than that."""
    limit = settings.get("header_scan_rows")
    return limit + sum(_is_legend_row(row, registry) for row in rows[:limit + 200])


def _is_legend_row(row, registry: Registry) -> bool:
    cells = [_text(c) for c in row]
    cells = [c for c in cells if c]
    if not 2 <= len(cells) <= 3 or not re.search(r"[A-Za-z]", cells[0]):
        return False
    match = match_header(cells[0], registry, fuzzy=False)
    return match.is_item and match.prefix is not None and any(len(c.split()) >= 3 for c in cells[1:])


def _header_index(head: list[list], registry: Registry) -> int:
    """Index of the row that names the most items/fields (earliest on a tie; the first non-empty row
    when none names anything)."""
    scores = [header_score(row, registry) for row in head]
    if max(scores, default=0) < 2:
        scores = [header_score(row, registry, fuzzy=True) for row in head]
    best = max(scores, default=0)
    if best > 0:
        return scores.index(best)
    return next((i for i, row in enumerate(head) if any(_text(c) for c in row)), 0)


def _two_row_header(upper: list, lower: list, registry: Registry) -> list | None:
    """A group row (IKM / IPK, merged or written once over its columns) above item numbers or codes:
    the header cells joined, 'IKM 1' … 'IPK 8'. None when the rows are not shaped so."""
    prefixes = {p.lower() for inst in registry.instruments.values() for p in (inst.id, *inst.code_prefixes)}
    width = max(len(upper), len(lower))
    out, joined, group = [], 0, None
    for i in range(width):
        u = _text(upper[i]) if i < len(upper) else ""
        l = _text(lower[i]) if i < len(lower) else ""
        if u:
            group = u if u.lower().split()[0] in prefixes and not re.search(r"\d", u) else None
        sub = re.fullmatch(r"(?:[a-z]{0,6}[\s_.\-]*)?0*(\d{1,3})", l.lower()) if l else None
        label = group if (u == "" or u == group) else None
        if label and sub and match_header(f"{label.split()[0]} {sub.group(1)}", registry).is_item:
            out.append(f"{label.split()[0]} {sub.group(1)}")
            joined += 1
        elif u and l and u != l:      # the lower row names the column when only it is known
            known = lambda text: bool(match_header(text, registry).field or match_header(text, registry).is_item)
            out.append(l if known(l) and not known(u) else u)
        else:
            out.append(u or l)
    return out if joined >= 2 else None


def _text(cell) -> str:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def _header_texts(row: list, above: list | None, width: int, registry: Registry) -> list[str]:
    """Header texts; a blank header cell under a vertically merged one ("Tanggal" over two header
    rows) takes the text above it when that text names a field or an item."""
    texts = [_text(row[i]) if i < len(row) else "" for i in range(width)]
    if above:
        for i, text in enumerate(texts):
            if not text and i < len(above) and _text(above[i]):
                match = match_header(_text(above[i]), registry)
                if match.field or match.is_item:
                    texts[i] = _text(above[i])
    return texts


# --- shared: clean the rows below the header -------------------------------------------------------

def _finish(file_name, sheet, header, data, excel_rows, header_row, notes, registry,
            convert: bool, unguard: bool = True) -> RawSheet:
    data, excel_rows = data.reset_index(drop=True), np.asarray(excel_rows, dtype=np.int64)
    keep_cols = [i for i, h in enumerate(header) if h or data[i].notna().any()]
    if len(keep_cols) < len(header):
        header = [header[i] for i in keep_cols]
        data = data[keep_cols]
        data.columns = range(len(header))
    data, excel_rows, skipped = _drop_column_number_row(data, excel_rows)
    notes += skipped
    filled = data.notna().to_numpy().any(axis=1)
    if not filled.all():                  # (selecting every row would still copy every column)
        data, excel_rows = data[filled].reset_index(drop=True), excel_rows[filled]
    if convert:
        data = data.infer_objects()
    data, excel_rows, footer_notes = _drop_footers(data, excel_rows, header, registry)
    notes += footer_notes
    if convert and footer_notes:
        data = data.infer_objects()     # a signature line in an answer column no longer blocks numbers
    data = _whole_numbers(_undo_formula_guard(data) if unguard else data)
    where = f"sheet {sheet}: " if sheet else ""
    return RawSheet(file_name, sheet, header, data, excel_rows,
                    [where + n for n in notes], header_row)


def _undo_formula_guard(data: pd.DataFrame) -> pd.DataFrame:
    """A downloaded rejects file has "'=perbanyak loket", "'-" (see analytics/export.py): when it comes
    back fixed, the cells are read as the user first wrote them."""
    for pos in data.columns:
        column = data[pos]
        if column.dtype != object and not isinstance(column.dtype, pd.StringDtype):
            continue
        guarded = column.map(lambda v: isinstance(v, str) and export.looks_guarded(v)).to_numpy(dtype=bool)
        if guarded.any():
            data[pos] = column.where(~guarded, column.map(lambda v: export.unguard(v) if isinstance(v, str) else v))
    return data


def _whole_numbers(data: pd.DataFrame) -> pd.DataFrame:
    """Float columns holding only whole numbers (Excel stores 5 as 5.0; a blank makes a CSV column
    float) become nullable integers, so cells are shown back as the user typed them: 5, not 5.0."""
    for pos in data.columns:
        if data[pos].dtype.kind == "f":
            values = data[pos].to_numpy()
            finite = values[~np.isnan(values)]
            if finite.size and np.all(finite == np.round(finite)) and np.all(np.abs(finite) < 2**53):
                data[pos] = data[pos].astype("Int64")
    return data


def _drop_column_number_row(data: pd.DataFrame, excel_rows: np.ndarray):
    """Government tables often number their columns "(1) (2) (3) …" right under the header."""
    if data.empty:
        return data, excel_rows, []
    cells = [c for c in data.iloc[0].tolist() if not _is_blank(c)]
    numbers = [_int_or_none(c) for c in cells]
    if len(cells) >= 3 and None not in numbers and numbers == list(range(numbers[0], numbers[0] + len(cells))):
        note = f"baris {excel_rows[0]} berisi nomor kolom (1, 2, 3, …), dilewati"
        return data.iloc[1:].reset_index(drop=True), excel_rows[1:], [note]
    return data, excel_rows, []


def _is_blank(cell) -> bool:
    return cell is None or (isinstance(cell, float) and np.isnan(cell)) or cell is pd.NA


def _int_or_none(cell):
    text = _text(cell).strip("() ")
    return int(text) if text.isdigit() else None


def _drop_footers(data: pd.DataFrame, excel_rows: np.ndarray, header: list[str], registry: Registry):
    """Leave out summary rows ("Jumlah", "Rata-rata", "NRR", "IKM" …) anywhere, and the block of
    summary/signature rows ("Mengetahui", "Kepala Kantor", "NIP.") below the last respondent."""
    if data.empty:
        return data, excel_rows, []
    scales = _item_scales(header, registry)
    item_cols = list(scales)
    footer = _summary_rows(data, scales)
    start = _trailing_footer_start(data, item_cols)
    if start is not None:
        footer[start:] = True
    if not footer.any():
        return data, excel_rows, []
    rows = excel_rows[footer]
    labels = [label for label in dict.fromkeys(_row_label(data.iloc[i]) for i in np.flatnonzero(footer))
              if label][:5]
    note = (f"{len(rows)} baris bukan responden (ringkasan/tanda tangan: {', '.join(labels)}) di baris "
            f"{_ranges(rows)}, tidak diimpor")
    return data[~footer].reset_index(drop=True), excel_rows[~footer], [note]


def _item_scales(header: list[str], registry: Registry) -> dict[int, tuple[int, int]]:
    """Item column position → the widest (min, max) scale among the instruments it may belong to."""
    scales = {}
    for pos, text in enumerate(header):
        targets = match_header(text, registry).targets
        if targets:
            insts = [registry.get(inst) for inst, _ in targets]
            scales[pos] = (min(i.scale_min for i in insts), max(i.scale_max for i in insts))
    return scales


def _summary_rows(data: pd.DataFrame, scales: dict[int, tuple[int, int]]) -> np.ndarray:
    """Rows with a summary label in their first three cells. Only rows that cannot be a respondent are
    looked at (most items blank, or a numeric item cell off the scale: a sum or an average), so a
    1M-row export costs a few vectorised passes, not a regex per row."""
    if scales:
        blanks = np.zeros(len(data), dtype=np.int32)
        for pos in scales:
            blanks += data[pos].isna().to_numpy()
        suspect = blanks * 2 > len(scales)
        for pos, (low, high) in scales.items():
            column = data[pos]
            if column.dtype.kind == "i" and not pd.api.types.is_bool_dtype(column.dtype):   # whole numbers
                values = column.to_numpy(dtype="int64", na_value=low)
                suspect |= (values > high) | (values < low)
            elif pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
                values = column.to_numpy(dtype="float64", na_value=np.nan)
                with np.errstate(invalid="ignore"):
                    suspect |= ~np.isnan(values) & ((values % 1 != 0) | (values > high) | (values < low))
    else:
        suspect = np.ones(len(data), dtype=bool)
    rows = np.flatnonzero(suspect)
    found = np.zeros(len(data), dtype=bool)
    if rows.size:
        first_cells = data.iloc[rows, :3].to_numpy(dtype=object)
        found[rows] = [_has_label(cells, SUMMARY_CELL) for cells in first_cells]
    return found


def _has_label(cells, *patterns) -> bool:
    return any(isinstance(c, str) and any(p.match(c.strip()) for p in patterns) for c in cells)


def _trailing_footer_start(data: pd.DataFrame, item_cols: list[int]) -> int | None:
    """Position where the trailing block of summary/signature rows starts, if there is one.

    Walking up from the bottom: a row that answers most items is a respondent unless its first cells
    carry a summary label, and ends the walk. A line of one or two cells is a footer line when it
    carries a summary or signature label ("Mengetahui,", "NIP. …"); other sparse rows only with a
    summary label in their first cells. Unlabelled lines without answers just above the block
    ("Bandung, 31 Agustus 2020") belong to it too."""
    start = None
    for pos in range(len(data) - 1, max(-1, len(data) - 1 - settings.get("footer_scan_rows")), -1):
        values = data.iloc[pos].tolist()
        filled, answers = _row_shape(values, item_cols)
        dense = len(filled) > 2 and answers * 2 > len(item_cols)
        if dense and not _has_label(values[:3], SUMMARY_CELL):
            break
        if (_has_label(values[:3], SUMMARY_CELL)
                or (len(filled) <= 2 and _has_label(filled, SUMMARY_CELL, SIGNATURE_CELL))):
            start = pos
    while start:
        filled, answers = _row_shape(data.iloc[start - 1].tolist(), item_cols)
        if answers or len(filled) > 2:
            break
        start -= 1
    return start


def _row_shape(values: list, item_cols: list[int]) -> tuple[list, int]:
    """(non-blank cells, number of answered item columns) of one row."""
    return [c for c in values if not _is_blank(c)], sum(not _is_blank(values[i]) for i in item_cols)


def _row_label(row: pd.Series) -> str:
    for cell in row.tolist():
        if isinstance(cell, str) and cell.strip():
            return cell.strip()[:30]
    return ""


def _ranges(rows: np.ndarray) -> str:
    """[45, 46, 47, 50] → '45–47, 50'."""
    parts, start = [], None
    rows = [int(r) for r in rows]
    for i, r in enumerate(rows):
        if start is None:
            start = r
        if i + 1 == len(rows) or rows[i + 1] != r + 1:
            parts.append(f"{start}–{r}" if r != start else f"{r}")
            start = None
    return ", ".join(parts[:8]) + (" …" if len(parts) > 8 else "")


# --- CSV -------------------------------------------------------------------------------------------

def _encoding(content: bytes) -> str:
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        content.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        content.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"      # never fails; odd bytes show as odd letters, the rows still read


def _separator(lines: list[str]) -> str:
    """The separator most lines agree on (quoted text ignored): ',', ';' or tab."""
    best, best_key = ",", (0, 0)
    for sep in (",", ";", "\t"):
        counts = [re.sub(r'"[^"]*"', "", line).count(sep) for line in lines if line.strip()]
        counts = [c for c in counts if c > 0]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        key = (counts.count(mode), mode)
        if key > best_key:
            best, best_key = sep, key
    return best


def _read_csv(content: bytes, file_name: str, registry: Registry) -> RawSheet:
    encoding = _encoding(content)
    if encoding == "utf-16":
        content, encoding = content.decode("utf-16").encode("utf-8"), "utf-8"
    head_text = content[:256 * 1024].decode(encoding, errors="ignore")
    scan = settings.get("header_scan_rows")
    sep = _separator(head_text.split("\n")[:scan + 20])
    records, line_after = _head_records(head_text, sep, scan + 220)
    if not any(cell.strip() for record in records for cell in record):
        raise _refuse(file_name, "empty_text")
    limit = _scan_limit(records, registry)
    at = _header_index(records[:limit], registry)
    at, last, combined = _csv_two_row_header(records, at, registry)
    header = combined or [_text(c) for c in records[at]]
    width = max(len(r) for r in records[at:max(last + 1, limit + 20)])
    header += [""] * (width - len(header))
    text_cols = [i for i in range(width) if not match_header(header[i], registry).is_item]
    # The body starts after line_after[last] physical lines, which are last + 1 records (a quoted header
    # cell may span lines): Arrow is given the lines, pandas (whose skiprows counts records) the records.
    frame = _parse_csv_body(content, encoding, sep, line_after[last], last + 1, width, text_cols, file_name)
    if _beyond_exact(frame):     # 2^64 read as a double would be shown (and judged) as another number
        frame = _parse_csv_body(content, encoding, sep, line_after[last], last + 1, width, list(range(width)),
                                file_name)
    # Excel shows one row per record, blank lines included: the header's last row is record last + 1.
    excel_rows = np.arange(len(frame), dtype=np.int64) + last + 2
    notes = [f"judul kolom di baris {at + 1}; baris di atasnya (judul laporan/keterangan) dilewati"] if at else []
    if encoding == "cp1252":
        notes.append("file dibaca sebagai Windows-1252 (bukan UTF-8)")
    raw = _finish(file_name, None, header, frame, excel_rows, at + 1, notes, registry, convert=False,
                  unguard=_has_guarded_cells(content))
    raw.title = _title_lines(records[:at])
    if len(frame) and _cut_off(content, encoding, sep, len(records[last])):
        raw.truncated_row = int(excel_rows[-1])
    return raw


def _csv_two_row_header(records: list[list[str]], at: int, registry: Registry):
    """(first header record, last header record, joined header or None): a group row (IKM / IPK)
    above item numbers spans two records; the detected header may be either of them."""
    for upper in (at, at - 1):
        if 0 <= upper and upper + 1 < len(records):
            combined = _two_row_header(records[upper], records[upper + 1], registry)
            if combined:
                return upper, upper + 1, combined
    return at, at, None


def _cut_off(content: bytes, encoding: str, sep: str, header_fields: int) -> bool:
    """The file ends without a line break in a record with fewer fields than the header: an upload or
    copy that stopped early (a complete export ends its last line, or at least fills every field)."""
    if content.endswith((b"\n", b"\r", b"\n\x00", b"\r\x00")):
        return False
    tail = content[-64 * 1024:].decode(encoding, errors="ignore")
    last = tail.replace("\r\n", "\n").replace("\r", "\n").rsplit("\n", 1)[-1]
    fields = next(csv.reader([last], delimiter=sep), [])
    return 0 < len(fields) < header_fields


def _beyond_exact(frame: pd.DataFrame) -> bool:
    """A number column holding a value a double does not keep exactly (|x| ≥ 2^53, or infinite)."""
    for pos in frame.columns:
        if frame[pos].dtype.kind == "i" and not pd.api.types.is_bool_dtype(frame[pos].dtype):   # no float copy
            values = frame[pos].to_numpy(dtype="int64", na_value=0)
            if np.any((values >= 2**53) | (values <= -2**53)):
                return True
        elif frame[pos].dtype.kind in "fiu":
            values = frame[pos].to_numpy(dtype="float64", na_value=np.nan)
            if np.any(np.abs(values[~np.isnan(values)]) >= 2**53):
                return True
        elif frame[pos].dtype == object and frame[pos].map(lambda v: isinstance(v, int)).any():
            return True
    return False


def _head_records(text: str, sep: str, limit: int) -> tuple[list[list[str]], list[int]]:
    """The first records and, for each, the physical lines read through it (pandas skips lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    records, line_after = [], []
    try:
        for record in reader:
            records.append(record)
            line_after.append(reader.line_num)
            if len(records) >= limit:
                break
    except csv.Error:
        pass                      # a cut-off or odd record in the sample: use what was read
    return records, line_after


def _parse_csv_body(content: bytes, encoding: str, sep: str, skip_lines: int, skip_records: int, width: int,
                    text_cols: list[int], file_name: str) -> pd.DataFrame:
    """The records below the header, read by pandas' C parser: item columns are typed by pandas
    (numbers stay numbers), all other columns are text, so '=perbanyak loket' or '007' stay as written.
    A well-formed UTF-8 file whose item columns hold whole numbers only is read by Arrow's parser
    instead (`_parse_csv_arrow`: the same frame for about half the CPU time, no string or float round
    trip); anything else goes the pandas way."""
    fast = _parse_csv_arrow(content, encoding, sep, skip_lines, width, text_cols)
    if fast is not None:
        return fast
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            frame = pd.read_csv(io.BytesIO(content), sep=sep, header=None, names=range(width),
                                skiprows=skip_records, dtype={i: "string" for i in text_cols},
                                encoding=encoding, keep_default_na=False, na_values=[""],
                                skip_blank_lines=False, engine="c", quotechar='"', index_col=False)
    except pd.errors.EmptyDataError:
        return pd.DataFrame(columns=range(width), dtype=object)
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as exc:
        raise _refuse(file_name, "csv_unreadable", problem=_parser_problem(exc, skip_lines)) from None
    return frame


def _body_start(content: bytes, skip_lines: int) -> int | None:
    """The byte offset after `skip_lines` physical lines, when the lines before it end in \\n or \\r\\n
    (a bare \\r, which pandas also counts as a line end, is left to pandas)."""
    at = 0
    for _ in range(skip_lines):
        found = content.find(b"\n", at)
        if found < 0:
            return None
        at = found + 1
    head = content[:at]
    return at if head.count(b"\r") == head.count(b"\r\n") else None


def _quote_inside_field(raw: np.ndarray, sep: int) -> bool:
    """A quote with a field character on both sides (`ab"c`, `"ab"c`): neither opening nor closing
    nor doubled, read differently by different parsers."""
    at = np.flatnonzero(raw == ord('"'))
    at = at[(at > 0) & (at < len(raw) - 1)]
    if not at.size:
        return False
    edge = np.zeros(256, dtype=bool)
    edge[[sep, ord("\r"), ord("\n"), ord('"')]] = True
    return bool(np.any(~edge[raw[at - 1]] & ~edge[raw[at + 1]]))


def _parse_csv_arrow(content: bytes, encoding: str, sep: str, skip_lines: int, width: int,
                     text_cols: list[int]) -> pd.DataFrame | None:
    """The frame pandas' C parser gives (`_parse_csv_body`), read by pyarrow's CSV parser,
    or None when this file is not one where the two are known to agree: only UTF-8, a body of
    exactly `width` fields per record and no blank line (else Arrow stops: pandas reads it and gives
    its own message), no quote inside a field (`ab"c`, `"ab"c`: the two parsers differ there), and
    every item column whole numbers or blank (labels, decimals, ' 4' are typed by pandas). Text
    columns come back as the same Arrow-backed text; a whole-number column with blanks comes back as
    Int64, the type `_whole_numbers` turns pandas' float column into (no float round trip)."""
    if encoding not in ("utf-8", "utf-8-sig") or len(sep) != 1 or width < 2:
        return None
    start = _body_start(content, skip_lines)
    if start is None or start >= len(content):
        return None
    body = memoryview(content)[start:]
    if _quote_inside_field(np.frombuffer(body, dtype=np.uint8), ord(sep)):
        return None
    import pyarrow as pa
    from pyarrow import csv as pacsv

    names = [str(i) for i in range(width)]
    text = set(text_cols)
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            # one thread: about half the CPU time of several (the machine serves other sessions meanwhile)
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 20, use_threads=False),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char='"', double_quote=True, escape_char=False,
                                             newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={names[i]: pa.string() for i in text}, null_values=[""], strings_can_be_null=True,
                quoted_strings_can_be_null=True, true_values=[], false_values=[],
                include_columns=names))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        return None
    columns = {}
    for i, name in enumerate(names):
        column = table.column(name)
        if i in text:
            columns[i] = pd.arrays.ArrowStringArray(column.cast(pa.large_string()))
        elif pa.types.is_int64(column.type):
            columns[i] = column.to_numpy() if column.null_count == 0 else \
                column.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get).array
        elif pa.types.is_null(column.type):
            columns[i] = np.full(len(column), np.nan)
        else:
            return None
    return pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows), copy=False)


def _parser_problem(exc: Exception, skip_lines: int) -> Message | str:
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if m:
        expected, line, saw = (int(g) for g in m.groups())
        return Message("csv_field_count", line=line, saw=saw, expected=expected)
    return str(exc)


# --- HTML tables saved as .xls ---------------------------------------------------------------------

def _read_html(content: bytes, file_name: str, registry: Registry) -> list[RawSheet]:
    """Web apps often export an HTML table named '.xls'. pandas.read_html needs lxml or bs4+html5lib,
    which the project does not install: without them, ask for a re-save."""
    if not (importlib.util.find_spec("lxml") or (importlib.util.find_spec("bs4")
                                                  and importlib.util.find_spec("html5lib"))):
        raise _refuse(file_name, "html_table", resave=_RESAVE)
    text = content.decode(_encoding(content), errors="replace")
    tables = pd.read_html(io.StringIO(text), header=None)
    candidates = []
    for no, table in enumerate(tables, start=1):
        rows = table.astype(object).where(table.notna(), "").to_numpy().tolist()
        raw = _sheet_from_grid(rows, 1, file_name, f"tabel {no}", registry)
        candidates.append((False, raw, _survey_problem(raw, registry)))
    return _choose_sheets(candidates, file_name)
