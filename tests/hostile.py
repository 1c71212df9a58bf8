"""Hostile files built in code (issue 13): far cells, a declared far extent, bloated shared strings, a
zip bomb, deeply nested XML, huge numbers, a truncated CSV. Each is a small byte string; the readers
must refuse it or import it whole, and the app process must survive it."""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

HEADER = ["Tanggal", "Kantor"] + [f"IKM{i}" for i in range(1, 10)]
OFFICE = "Kantor Imigrasi Kelas I Uji"

_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
          '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
          'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
          '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
         '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
_BOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
              'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
              'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
              'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'sharedStrings" Target="sharedStrings.xml"/></Relationships>')


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def survey_rows(n: int = 3) -> list[list]:
    return [HEADER] + [[f"2025-03-{i + 1:02d}", OFFICE] + [(i + j) % 4 + 1 for j in range(9)] for i in range(n)]


def sheet_xml(rows: list[list], extra_cells: str = "", dimension: str | None = None, inside: str = "") -> str:
    body = "".join(f'<row r="{r}">' + "".join(_cell(f"{column_letters(c)}{r}", v) for c, v in enumerate(row, 1))
                   + "</row>" for r, row in enumerate(rows, 1))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main">{dim}<sheetData>{body}{extra_cells}</sheetData>{inside}</worksheet>')


def xlsx(sheet: str, shared_strings: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _TYPES)
        book.writestr("_rels/.rels", _RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        book.writestr("xl/sharedStrings.xml", shared_strings or
                      '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" '
                      'uniqueCount="0"/>')
    return out.getvalue()


def far_cell(ref: str, with_survey: bool = True) -> bytes:
    """A survey sheet (or nothing) plus one cell far away, e.g. XFD1048576."""
    rows = survey_rows() if with_survey else []
    row = int("".join(ch for ch in ref if ch.isdigit()))
    return xlsx(sheet_xml(rows, f'<row r="{row}">{_cell(ref, "x")}</row>'))


def declared_far() -> bytes:
    """A small survey whose <dimension> claims the whole grid."""
    return xlsx(sheet_xml(survey_rows(), dimension="A1:XFD1048576"))


def bloated_shared_strings(mb: int = 64) -> bytes:
    """A shared-strings part of `mb` MB of one repeated string (packs to a few hundred KB)."""
    item = "<si><t>" + "x" * 1000 + "</t></si>"
    count = mb * 1024 * 1024 // len(item)
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           f'count="{count}" uniqueCount="{count}">' + item * count + "</sst>")
    return xlsx(sheet_xml(survey_rows()), sst)


def zip_bomb(mb: int = 200) -> bytes:
    """A worksheet that unpacks to `mb` MB of blank space (~1000:1)."""
    return xlsx(sheet_xml(survey_rows(), inside=" " * (mb * 1024 * 1024)))


def deeply_nested(depth: int = 100_000) -> bytes:
    """A worksheet with `depth` nested elements after its rows."""
    return xlsx(sheet_xml(survey_rows(), inside="<x>" * depth + "</x>" * depth))


def huge_numbers_xlsx() -> bytes:
    """Score cells of 2^64 and 1e308 (numbers in a workbook are doubles)."""
    rows = survey_rows(3)
    rows[1][2], rows[2][3] = 2**64, "1e308"
    return xlsx(sheet_xml(rows).replace('t="inlineStr"><is><t>1e308</t></is></c>', '><v>1e308</v></c>'))


def huge_numbers_csv() -> bytes:
    lines = [",".join(HEADER)]
    for i, big in enumerate(["18446744073709551616", "18446744073709551615", "1" + "0" * 400, "4"]):
        lines.append(",".join([f"2025-03-{i + 1:02d}", OFFICE, big] + ["3"] * 8))
    return ("\n".join(lines) + "\n").encode()


def truncated_csv() -> bytes:
    """Three full rows, then a fourth cut off after three answers, with no newline at the end."""
    lines = [",".join(HEADER)] + [",".join(map(str, row)) for row in survey_rows(3)[1:]]
    lines.append(",".join(["2025-03-09", OFFICE, "4", "4", "3"]))
    return "\n".join(lines).encode()


def corpus() -> dict[str, bytes]:
    """Every hostile file, by name (the name ends in the extension an upload would carry)."""
    return {"far-XFD1048576.xlsx": far_cell("XFD1048576"),
            "far-XFD1048576-alone.xlsx": far_cell("XFD1048576", with_survey=False),
            "far-A1000000.xlsx": far_cell("A1000000"),
            "declared-far.xlsx": declared_far(),
            "shared-strings.xlsx": bloated_shared_strings(),
            "zip-bomb.xlsx": zip_bomb(),
            "nested.xlsx": deeply_nested(),
            "huge-numbers.xlsx": huge_numbers_xlsx(),
            "huge-numbers.csv": huge_numbers_csv(),
            "truncated.csv": truncated_csv()}
