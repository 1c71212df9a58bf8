"""Checks on a workbook's container before any reader touches it (issue 13).

calamine allocates a dense grid from a sheet's extent, so one cell at XFD1048576 asks for hundreds of
GiB and aborts the process; a bloated part asks for gigabytes. Before reading, an xlsx/ods is refused
when its parts unpack to more than `max_unzipped_mb` in all, when a part over 1 MB unpacks to more than
`max_zip_ratio` times its packed size, or when a worksheet's declared (`<dimension>`) or actual extent
(last row × last column) exceeds `max_sheet_cells`. Every part is unpacked as a stream (the CRC check
catches sizes that lie); nothing is kept. What these checks miss, the worker's resource limits catch
(analytics/ingest/worker.py).
"""
from __future__ import annotations

import io
import re
import zipfile

from analytics import settings
from analytics.errors import Message

_MB = 1024 * 1024
_CHUNK = 4 * _MB
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_ROW = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="(\d+)"')
_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]+)(\d+)"')
# Columns of three letters (AAA = 703 on): rare in a survey, so searching every chunk for them is cheap.
_FAR_CELL = re.compile(rb'\br="([A-Z]{3})(\d+)"')


def column_number(letters: bytes | str) -> int:
    """'A' → 1, 'XFD' → 16384."""
    number = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        number = number * 26 + ord(ch) - 64
    return number


def check_workbook(content: bytes) -> Message | None:
    """Why this zip container must not be read, or None. A container zipfile cannot open is left to
    the reader (it says what the file is)."""
    try:
        book = zipfile.ZipFile(io.BytesIO(content))
        parts = book.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    total = sum(p.file_size for p in parts)
    if total > settings.get("max_unzipped_mb") * _MB:
        return Message("unzipped_too_big", size=total // _MB, limit=settings.get("max_unzipped_mb"))
    ratio = settings.get("max_zip_ratio")
    for part in parts:
        if part.file_size > _MB and part.file_size > ratio * max(part.compress_size, 1):
            return Message("zip_bomb", part=part.filename, ratio=part.file_size // max(part.compress_size, 1),
                           limit=ratio, resave=Message("resave"))
    for part in parts:
        if re.fullmatch(r"xl/worksheets/[^/]+\.xml", part.filename):
            problem = _check_sheet(book, part)
            if problem:
                return problem
    return None


def _check_sheet(book: zipfile.ZipFile, part: zipfile.ZipInfo) -> Message | None:
    limit = settings.get("max_sheet_cells")
    name = _sheet_name(book, part.filename)
    last_row = last_col = 0
    try:
        with book.open(part) as stream:
            head = stream.read(64 * 1024)
            declared = _DIMENSION.search(head)
            if declared:
                col, row = declared.group(3) or declared.group(1), declared.group(4) or declared.group(2)
                rows, cols = int(row), column_number(col)
                if rows * cols > limit:
                    return _too_large(name, "extent_declared", col.decode(), rows, cols, limit)
            text, chunk = b"", head
            while chunk:
                text = text[-256:] + chunk
                rows_found = _ROW.findall(text)
                if rows_found:
                    last_row = max(last_row, int(rows_found[-1]))
                for col, row in _FAR_CELL.findall(text):
                    last_col, last_row = max(last_col, column_number(col)), max(last_row, int(row))
                if last_row * max(last_col, 1) > limit:
                    break
                chunk = stream.read(_CHUNK)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None      # a damaged part: the reader names the damage
    # The last rows show how wide the table really is (columns before AAA are not searched above).
    for col, row in _CELL.findall(text[-256 * 1024:]):
        last_col, last_row = max(last_col, column_number(col)), max(last_row, int(row))
    if last_row * max(last_col, 1) > limit:
        return _too_large(name, "extent_actual", _letters(last_col), last_row, last_col, limit)
    return None


def _too_large(name, how, col_letters, rows, cols, limit) -> Message:
    return Message("sheet_too_large", name=name, how=Message(how), cell=f"{col_letters}{rows}",
                   rows=rows, cols=cols, limit=limit)


def _letters(number: int) -> str:
    """1 → 'A', 16384 → 'XFD'."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters or "A"


def _sheet_name(book: zipfile.ZipFile, part_name: str) -> str:
    """The sheet's name as the user sees it (workbook.xml + its rels), else the part's file name."""
    try:
        rels = book.read("xl/_rels/workbook.xml.rels")
        workbook = book.read("xl/workbook.xml")
    except (KeyError, zipfile.BadZipFile, OSError):
        return part_name.rsplit("/", 1)[-1]
    target = part_name.removeprefix("xl/").encode()
    rel = re.search(rb'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="/?(?:xl/)?' + re.escape(target) + b'"', rels) \
        or re.search(rb'<Relationship\b[^>]*?Target="/?(?:xl/)?' + re.escape(target) + b'"[^>]*?Id="([^"]+)"', rels)
    if rel:
        sheet = re.search(rb'<(?:\w+:)?sheet\b[^>]*?name="([^"]+)"[^>]*?r:id="' + re.escape(rel.group(1)) + b'"',
                          workbook)
        if sheet:
            return sheet.group(1).decode("utf-8", "replace")
    return part_name.rsplit("/", 1)[-1]
