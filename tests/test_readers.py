"""Reading files into sheets (analytics.readers): containers, encodings, header/footer detection and the
row numbers a user sees in Excel. Files are built by tests/fixtures/make_fixtures.py."""
from __future__ import annotations

import codecs
import datetime as dt
import io
import zipfile

import numpy as np
import pandas as pd
import pytest

from analytics import settings
from analytics.export import guard as safe_cell, guard_frame as safe_frame
from analytics.ingest.readers import ReadError, read_file, sniff
from tests.fixtures import make_fixtures as mf
from tests.fixtures.make_fixtures import csv_bytes

PEOPLE = mf.respondents(12)
CANONICAL = mf.canonical_rows(PEOPLE)


def only(sheets):
    assert len(sheets) == 1
    return sheets[0]


# --- CSV: separators, encodings, text stays text ------------------------------------------------------

@pytest.mark.parametrize("sep", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_separators_and_encodings(sep, encoding):
    rows = [r[:] for r in CANONICAL]
    rows[1][6] = "Ruang tunggu café; nyaman, bersih"          # separators and a non-ASCII letter inside
    sheet = only(read_file(csv_bytes(rows, sep, encoding), "x.csv"))
    assert sheet.header == [str(h) for h in CANONICAL[0]]
    assert len(sheet.data) == len(PEOPLE)
    assert sheet.data[6].iloc[0] == "Ruang tunggu café; nyaman, bersih"
    assert sheet.data[7].dtype.kind in "if"                   # IKM1 read as numbers
    assert list(sheet.excel_rows[:3]) == [2, 3, 4]


def test_csv_keeps_formula_like_text_and_leading_zeros():
    rows = [["ID Responden", "Tanggal", "IKM1", "IKM2", "Saran"],
            ["007", "2024-03-05", "4", "3", "=perbanyak loket"],
            ["008", "2024-03-05", "4", "3", "+tambah kursi"],
            ["009", "2024-03-05", "4", "3", "@petugas -cepat"]]
    data = only(read_file(csv_bytes(rows), "x.csv")).data
    assert data[0].tolist() == ["007", "008", "009"]
    assert data[4].tolist() == ["=perbanyak loket", "+tambah kursi", "@petugas -cepat"]


def test_csv_title_rows_blank_lines_and_excel_row_numbers():
    rows = ([["Laporan Survei IPK-IKM"], ["Periode: Maret 2024"], []] + [CANONICAL[0]]
            + CANONICAL[1:4] + [[]] + CANONICAL[4:6])
    sheet = only(read_file(csv_bytes(rows, ";"), "laporan.csv"))
    assert sheet.header_row == 4
    # Rows as LibreOffice shows them: header on 4, data 5–7, a blank line on 8, then 9–10.
    assert list(sheet.excel_rows) == [5, 6, 7, 9, 10]
    assert sheet.data[0].tolist() == [r[0] for r in CANONICAL[1:6]]
    assert any("baris 4" in n for n in sheet.notes)


def test_csv_multiline_saran_counts_as_one_excel_row():
    rows = [CANONICAL[0], CANONICAL[1][:6] + ["baris satu\nbaris dua"] + CANONICAL[1][7:], CANONICAL[2]]
    sheet = only(read_file(csv_bytes(rows), "x.csv"))
    assert list(sheet.excel_rows) == [2, 3]
    assert sheet.data[6].iloc[0] == "baris satu\nbaris dua"


def test_csv_with_a_row_wider_than_the_header_names_the_line():
    rows = [["IKM1", "IKM2"]] + [["4", "3"]] * 60 + [["4", "3", "2", "1"]]
    with pytest.raises(ReadError, match=r"baris 62 berisi 4 kolom"):
        read_file(csv_bytes(rows), "x.csv")


# --- workbooks: containers, offsets calamine trims, merged titles, footers ------------------------------

def test_xlsx_row_numbers_survive_trimmed_leading_rows_and_columns(tmp_path):
    rows, merges = mf.esurvey_grid(PEOPLE)
    path = mf.write_xlsx(tmp_path / "e.xlsx", {"Laporan": rows}, start_row=3, start_col=2,
                         merges={"Laporan": merges})
    sheet = only(read_file(path.read_bytes(), path.name))
    assert sheet.sheet == "Laporan"
    assert sheet.header_row == 7                       # title on 3–5, blank 6, header 7 (column B onwards)
    assert sheet.header[:3] == ["No", "Tanggal", "Satker"]
    assert list(sheet.excel_rows) == list(range(8, 8 + len(PEOPLE)))
    assert pd.api.types.is_datetime64_any_dtype(sheet.data[1].dtype)
    assert sheet.data[1].iloc[0] == pd.Timestamp(PEOPLE[0].ts)


def test_xlsx_footer_and_signature_block_are_left_out_with_a_note(tmp_path):
    rows, merges = mf.esurvey_grid(PEOPLE, start_row=1, start_col=1)
    path = mf.write_xlsx(tmp_path / "e.xlsx", {"Laporan": rows}, merges={"Laporan": merges})
    sheet = only(read_file(path.read_bytes(), path.name))
    assert len(sheet.data) == len(PEOPLE)
    note = next(n for n in sheet.notes if "bukan responden" in n)
    assert "Jumlah" in note and "Rata-rata" in note and "NRR" in note
    last = 5 + len(PEOPLE)                           # header on row 5 (start_row=1)
    assert f"baris {last + 1}–" in note


def test_respondent_rows_that_merely_mention_footer_words_stay(tmp_path):
    header = ["ID", "Tanggal", "Kantor"] + [f"IKM{i}" for i in range(1, 6)] + ["Saran"]
    rows = [header,
            ["IKM-0001", "2024-03-05", "Lapas Kelas IIA Cirebon", 4, 4, 3, 4, 4, "Kinerja petugas bagus"],
            ["IKM-0002", "2024-03-05", "Lapas Kelas IIA Cirebon", 3, 3, 3, 3, 3, "Nilai: sudah baik"],
            ["IKM-0003", "2024-03-06", "Lapas Kelas IIA Cirebon", 2, "", "", "", "", "Kepala regu ramah"]]
    path = mf.write_xlsx(tmp_path / "x.xlsx", {"Data": rows})
    sheet = only(read_file(path.read_bytes(), path.name))
    assert sheet.data[0].tolist() == ["IKM-0001", "IKM-0002", "IKM-0003"]
    assert not [n for n in sheet.notes if "bukan responden" in n]


def test_summary_row_in_the_middle_is_left_out(tmp_path):
    header = ["No", "Tanggal"] + [f"IKM{i}" for i in range(1, 6)]
    rows = [header, [1, "2024-01-05", 4, 4, 3, 4, 4], [2, "2024-01-06", 3, 3, 3, 3, 2],
            ["Jumlah Januari", "", 7, 7, 6, 7, 6], [3, "2024-02-05", 4, 4, 4, 4, 4]]
    path = mf.write_xlsx(tmp_path / "x.xlsx", {"Data": rows})
    sheet = only(read_file(path.read_bytes(), path.name))
    assert list(sheet.excel_rows) == [2, 3, 5]
    assert any("Jumlah Januari" in n and "baris 4" in n for n in sheet.notes)


def test_column_number_row_under_the_header_is_skipped(tmp_path):
    header = ["No", "Tanggal", "IKM1", "IKM2", "IKM3"]
    rows = [header, ["(1)", "(2)", "(3)", "(4)", "(5)"], [1, "2024-01-05", 4, 3, 4]]
    sheet = only(read_file(mf.write_xlsx(tmp_path / "x.xlsx", {"Data": rows}).read_bytes(), "x.xlsx"))
    assert list(sheet.excel_rows) == [3]
    assert any("nomor kolom" in n for n in sheet.notes)


def test_two_row_header_takes_vertically_merged_field_names(tmp_path):
    rows = [["No", "Tanggal", "Unsur Pelayanan", "", ""], ["", "", "U1", "U2", "U3"],
            [1, "2024-01-05", 4, 3, 4]]
    path = mf.write_xlsx(tmp_path / "x.xlsx", {"Data": rows}, merges={"Data": ["A1:A2", "B1:B2", "C1:E1"]})
    sheet = only(read_file(path.read_bytes(), path.name))
    assert sheet.header == ["No", "Tanggal", "U1", "U2", "U3"]     # a merged cell's text is both rows'
    assert list(sheet.excel_rows) == [3]


def test_blank_columns_are_dropped_but_unnamed_data_columns_stay(tmp_path):
    rows = [["Tanggal", "", "IKM1", "", "IKM2"], ["2024-01-05", "", 4, "catatan", 3]]
    sheet = only(read_file(mf.write_xlsx(tmp_path / "x.xlsx", {"Data": rows}).read_bytes(), "x.xlsx"))
    assert sheet.header == ["Tanggal", "IKM1", "", "IKM2"]


def test_formula_like_text_in_xlsx_stays_text(tmp_path):
    rows = [["Tanggal", "IKM1", "IKM2", "Saran"], ["2024-01-05", 4, 3, "=perbanyak loket"]]
    sheet = only(read_file(mf.write_xlsx(tmp_path / "x.xlsx", {"Data": rows}).read_bytes(), "x.xlsx"))
    assert sheet.data[3].iloc[0] == "=perbanyak loket"


def test_legacy_xls_and_ods_containers(tmp_path):
    rows = [["Laporan IKM"], []] + [CANONICAL[0]] + CANONICAL[1:]
    xls = only(read_file(mf.write_xls(tmp_path / "a.xls", rows, start_row=2).read_bytes(), "a.xls"))
    assert xls.header_row == 5 and list(xls.excel_rows[:2]) == [6, 7]
    ods = only(read_file(mf.write_ods(tmp_path / "a.ods", CANONICAL, start_row=3).read_bytes(), "a.ods"))
    assert ods.header_row == 4 and list(ods.excel_rows[:2]) == [5, 6]
    for sheet in (xls, ods):
        assert len(sheet.data) == len(PEOPLE)
        assert sheet.data[7].astype(float).tolist()[:3] == [float(r[7]) for r in CANONICAL[1:4]]


def test_workbook_sheets_summary_and_hidden_sheets_are_skipped_with_notes(tmp_path):
    path = mf.write_monthly_workbook(tmp_path, PEOPLE)
    sheets = read_file(path.read_bytes(), path.name)
    assert [s.sheet for s in sheets] == ["Januari", "Februari", "Maret"]
    assert sum(len(s.data) for s in sheets) == len(PEOPLE)
    assert any("Rekap dilewati" in n for n in sheets[0].notes)


def test_a_summary_named_sheet_is_used_when_it_is_the_only_one_with_rows(tmp_path):
    path = mf.write_xlsx(tmp_path / "x.xlsx", {"Petunjuk": [["Isi sheet Rekap"]], "Rekap Responden": CANONICAL},
                         hidden=())
    sheets = read_file(path.read_bytes(), path.name)
    assert [s.sheet for s in sheets] == ["Rekap Responden"]


def test_hidden_sheet_is_skipped(tmp_path):
    path = mf.write_xlsx(tmp_path / "x.xlsx", {"Data": CANONICAL, "Lama": CANONICAL}, hidden=("Lama",))
    sheets = read_file(path.read_bytes(), path.name)
    assert [s.sheet for s in sheets] == ["Data"]
    assert any("Lama dilewati" in n for n in sheets[0].notes)


# --- what the bytes really are ------------------------------------------------------------------------

def test_sniff_by_content_not_name(tmp_path):
    xlsx = mf.write_xlsx(tmp_path / "x.xlsx", {"Data": CANONICAL}).read_bytes()
    assert sniff(xlsx) == "zip"
    assert sniff(mf.write_xls(tmp_path / "a.xls", CANONICAL).read_bytes()) == "ole"
    assert sniff(mf.pdf_bytes()) == "pdf"
    assert sniff(mf.html_table_bytes(PEOPLE)) == "html"
    assert sniff(codecs.BOM_UTF8 + b"IKM1,IKM2\n") == "text"
    assert sniff(bytes(range(256)) * 4) == "binary"


def test_csv_saved_as_xls_is_read_as_csv():
    sheet = only(read_file(csv_bytes(CANONICAL, "\t"), "export.xls"))
    assert len(sheet.data) == len(PEOPLE)


@pytest.mark.parametrize("content,name,message", [
    (b"", "kosong.xlsx", "file kosong"),
    (b"\n\n  \n", "kosong.csv", "file kosong"),
    (mf.pdf_bytes(), "laporan.xlsx", "PDF"),
    (mf.html_table_bytes(PEOPLE), "export.xls", "halaman web"),
    (mf.encrypted_ooxml_bytes(), "rahasia.xlsx", "dilindungi kata sandi"),
    (bytes(range(256)) * 8, "acak.xlsx", "tidak dikenali"),
    (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>', "a.xls", "XML"),
])
def test_files_that_cannot_be_read_get_a_clear_message(content, name, message):
    with pytest.raises(ReadError, match=message) as info:
        read_file(content, name)
    assert str(info.value).startswith(name)


def test_damaged_workbooks(tmp_path):
    good = mf.write_xlsx(tmp_path / "x.xlsx", {"Data": CANONICAL}).read_bytes()
    with pytest.raises(ReadError, match="rusak atau terpotong"):
        read_file(mf.truncated(good), "x.xlsx")
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(ReadError, match="dokumen Word"):
        read_file(docx.getvalue(), "x.xlsx")


def test_header_without_rows_is_refused(tmp_path):
    with pytest.raises(ReadError, match=r"judul kolom di baris 1 tetapi tidak ada baris responden"):
        read_file(csv_bytes([CANONICAL[0]]), "x.csv")
    path = mf.write_xlsx(tmp_path / "x.xlsx", {"Data": [["Laporan"], [], CANONICAL[0]]})
    with pytest.raises(ReadError, match=r"baris 3 tetapi tidak ada baris responden"):
        read_file(path.read_bytes(), path.name)


def test_size_limit():
    with pytest.raises(ReadError, match=r"melebihi batas 200 MB"):
        read_file(bytes(settings.get("max_upload_mb") * 1024 * 1024 + 1), "besar.csv")


# --- exporting rows safely -----------------------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    ("=perbanyak loket", "'=perbanyak loket"), ("+tambah kursi", "'+tambah kursi"),
    ("-cepat", "'-cepat"), ("@petugas", "'@petugas"), ("\t=1+1", "'\t=1+1"),
    ("-", "-"), ("-5", "-5"), ("+3,5", "+3,5"), ("Pelayanan baik", "Pelayanan baik"), ("", ""),
    (4, 4), (None, None),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_safe_frame_neutralises_text_cells_and_headers():
    frame = pd.DataFrame({"=kolom": ["=1+1", "ok"], "n": [1, 2]})
    out = safe_frame(frame)
    assert list(out.columns) == ["'=kolom", "n"]
    assert out["'=kolom"].tolist() == ["'=1+1", "ok"] and out["n"].tolist() == [1, 2]
    assert frame["=kolom"].tolist() == ["=1+1", "ok"]          # the input is not changed


def test_row_where_text():
    sheet = only(read_file(csv_bytes(CANONICAL), "x.csv"))
    assert sheet.where(0) == "x.csv, baris 2"
    assert np.issubdtype(sheet.excel_rows.dtype, np.integer)


def test_dates_in_csv_stay_text_for_the_date_parser():
    rows = [["Tanggal", "IKM1", "IKM2"], ["05/03/2024", 4, 3], [dt.date(2024, 3, 6).isoformat(), 4, 4]]
    assert only(read_file(csv_bytes(rows), "x.csv")).data[0].tolist() == ["05/03/2024", "2024-03-06"]


def test_a_downloaded_rejects_file_reads_back_as_first_written(tmp_path):
    """safe_cell guards "=perbanyak loket" and "-" for the download; fixed and uploaded again, the
    cells are what the respondent wrote (and "-" is again "not answered", not an unknown label)."""
    frame = pd.DataFrame([["2024-03-05", "-", 4, "=perbanyak loket"], ["2024-03-06", 3, "-", "+tambah kursi"]],
                         columns=["Tanggal", "IKM1", "IKM2", "Saran"])
    data = only(read_file(safe_frame(frame).to_csv(index=False).encode(), "ditolak.csv")).data
    assert data[1].tolist() == ["-", "3"] and data[2].tolist() == ["4", "-"]
    assert data[3].tolist() == ["=perbanyak loket", "+tambah kursi"]
    path = tmp_path / "ditolak.xlsx"
    safe_frame(frame).to_excel(path, index=False)
    data = only(read_file(path.read_bytes(), path.name)).data
    assert data[3].tolist() == ["=perbanyak loket", "+tambah kursi"]


# --- CSV: the Arrow parser reads what pandas reads, or leaves the file to pandas ----------------------

_HEAD = "ID,Kantor,Saran,IKM1,IKM2\n"
_BODIES = {
    "plain": "a1,Kanim Bandung,,4,3\na2,Kanim Bandung,Baik,3,\n",
    "no final line break": "a1,Kanim Bandung,,4,3\na2,Kanim Bandung,Baik,3,",
    "blank line inside": "a1,Kanim Bandung,,4,3\n\na2,Kanim Bandung,Baik,3,2\n",
    "blank lines at the end": "a1,Kanim Bandung,,4,3\n\n\n",
    "quoted separators and quotes": 'a1,"Kanim, Bandung","kata ""cepat""",4,3\n"a2",Kanim Bandung,"",3,2\n',
    "line break inside quotes": 'a1,Kanim Bandung,"baris satu\nbaris dua",4,3\na2,Kanim Bandung,x,3,2\n',
    "quote inside a field": 'a1,Kanim Bandung,kata "cepat" ya,4,3\na2,Kanim Bandung,"ab"c,3,2\n',
    "CRLF": "a1,Kanim Bandung,,4,3\r\na2,Kanim Bandung,Baik,3,2\r\n",
    "too few fields": "a1,Kanim Bandung,,4\na2,Kanim Bandung,Baik,3,2\n",
    "labels": "a1,Kanim Bandung,,Baik,3\na2,Kanim Bandung,,Sangat Baik,2\n",
    "decimals and signs": "a1,Kanim Bandung,,4.0,+3\na2,Kanim Bandung,,3.5, 2\n",
    "huge number": "a1,Kanim Bandung,,4,99999999999999999999\n",
    "2^53": "a1,Kanim Bandung,,4,9007199254740993\n",
    "NA words stay text": "NA,null,N/A,4,3\nnan,Kanim Bandung,None,3,2\n",
    "true/false": "a1,Kanim Bandung,,TRUE,3\na2,Kanim Bandung,,FALSE,2\n",
    "spaces and tabs": "  a1 ,Kanim  Bandung,\tx,4,3\n   ,Kanim Bandung,Baik,3,2\n",
    "leading zeros and minus zero": "007,Kanim Bandung,,04,-0\n",
    "all blank item": "a1,Kanim Bandung,,4,\na2,Kanim Bandung,,3,\n",
    "title line above the header": None,
    "line break inside a header cell": None,
}
_WHOLE = {"title line above the header": "Laporan IKM Januari\n\n" + _HEAD + _BODIES["plain"],
          "line break inside a header cell": 'ID,Kantor,"Saran\nanda",IKM1,IKM2\n' + _BODIES["plain"]}


@pytest.mark.parametrize("case", list(_BODIES))
def test_csv_read_the_same_by_either_parser(case, monkeypatch):
    """A CSV body is read by Arrow's parser when it is well-formed UTF-8 with whole-number answers; the
    frame, header and Excel row numbers must be exactly what pandas' parser gives (or the file goes
    to pandas). Whatever the file, the sheet is the same with the Arrow path switched off."""
    from analytics.ingest import readers

    text = _WHOLE[case] if _BODIES[case] is None else _HEAD + _BODIES[case]
    content = text.encode()
    taken = []
    arrow = readers._parse_csv_arrow
    monkeypatch.setattr(readers, "_parse_csv_arrow", lambda *a: taken.append(arrow(*a)) or taken[-1])
    try:
        fast = only(read_file(content, "x.csv"))
    except ReadError as exc:
        fast = exc
    monkeypatch.setattr(readers, "_parse_csv_arrow", lambda *a: None)
    try:
        slow = only(read_file(content, "x.csv"))
    except ReadError as exc:
        assert isinstance(fast, ReadError) and str(fast) == str(exc)
        return
    assert fast.header == slow.header
    pd.testing.assert_frame_equal(fast.data, slow.data)
    assert fast.excel_rows.tolist() == slow.excel_rows.tolist()
    assert fast.truncated_row == slow.truncated_row and fast.notes == slow.notes
    if case in ("plain", "CRLF", "quoted separators and quotes", "blank line inside", "title line above the header"):
        assert taken and taken[0] is not None          # the common exports do take the Arrow path


def test_csv_header_cell_with_a_line_break_keeps_every_row():
    """A Forms question exported with a line break spans two lines in one header record: the rows
    below are all read (the first one was once skipped with the header), numbered as Excel shows them."""
    content = ('ID,Kantor,"Saran\nanda",IKM1,IKM2\n' + _BODIES["plain"]).encode()
    sheet = only(read_file(content, "x.csv"))
    assert sheet.header[2] == "Saran anda"
    assert sheet.data[0].tolist() == ["a1", "a2"] and sheet.excel_rows.tolist() == [2, 3]
