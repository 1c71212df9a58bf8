"""Stage 1 of an import: turn a file into sheets of raw cells, with the row numbers a user sees.

CSV (comma/semicolon/tab, UTF-8 with or without BOM, or Windows-1252) and workbooks (.xlsx, .xls,
.ods, read with calamine). Finding the header row, title blocks and footers belongs here too.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

MAX_FILE_BYTES = 200 * 1024 * 1024
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


class ReadError(Exception):
    """The file cannot be read at all; the message names the file and says why."""


@dataclass
class RawSheet:
    file_name: str
    sheet: str | None                 # None for CSV
    header: list[str]                 # header texts as written
    data: pd.DataFrame                # columns are 0..n-1 (positions in `header`); cells as read
    excel_rows: np.ndarray            # per data row: the row number the user sees in Excel
    notes: list[str] = field(default_factory=list)

    def where(self, index) -> str:
        """'file, sheet X, row 12' for messages."""
        sheet = f", sheet {self.sheet}" if self.sheet else ""
        return f"{self.file_name}{sheet}, baris {int(self.excel_rows[index])}"


def read_file(content: bytes, file_name: str) -> list[RawSheet]:
    """Read every sheet that holds survey rows. Raises ReadError when nothing can be read."""
    if not content:
        raise ReadError(f"{file_name}: file kosong")
    if len(content) > MAX_FILE_BYTES:
        raise ReadError(f"{file_name}: file {len(content) / 1e6:.0f} MB melebihi batas "
                        f"{MAX_FILE_BYTES // 1024 // 1024} MB; pecah per periode lalu unggah satu per satu")
    if Path(file_name).suffix.lower() in WORKBOOK_SUFFIXES:
        return _read_workbook(content, file_name)
    return [_read_csv(content, file_name)]


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("encoding tidak dikenal")


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=counts.get)


def _read_csv(content: bytes, file_name: str) -> RawSheet:
    try:
        text = _decode(content)
    except ReadError as exc:
        raise ReadError(f"{file_name}: {exc}") from None
    first_line = text.split("\n", 1)[0]
    try:
        frame = pd.read_csv(io.StringIO(text), sep=_delimiter(first_line), dtype=str,
                            keep_default_na=False, engine="c", skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise ReadError(f"{file_name}: bukan CSV yang dapat dibaca ({exc})") from None
    header = [str(c) for c in frame.columns]
    frame.columns = range(len(header))
    # Header is Excel row 1, data starts at row 2.
    return RawSheet(file_name, None, header, frame.replace("", None), np.arange(len(frame)) + 2)


def _read_workbook(content: bytes, file_name: str) -> list[RawSheet]:
    try:
        sheets = pd.read_excel(io.BytesIO(content), sheet_name=None, header=None, engine="calamine")
    except Exception as exc:  # calamine raises several types for damaged files
        raise ReadError(f"{file_name}: workbook tidak dapat dibaca ({exc})") from None
    result = []
    for name, frame in sheets.items():
        if frame.empty:
            continue
        header = ["" if pd.isna(c) else str(c).strip() for c in frame.iloc[0]]
        data = frame.iloc[1:].reset_index(drop=True)
        data.columns = range(len(header))
        result.append(RawSheet(file_name, str(name), header, data, np.arange(len(data)) + 2))
    if not result:
        raise ReadError(f"{file_name}: semua sheet kosong")
    return result
