"""Laporan: build the report in the browser and download both files; they open as a PDF and an xlsx."""
from __future__ import annotations

import io
import zipfile

import openpyxl
from playwright.sync_api import expect

from e2e_support import RUN_MS, assert_no_errors, dataframe_text, open_page, run_and_wait, screenshot, widget

BUILD_MS = 120_000        # the first PDF starts chromium for the chart SVGs: seconds on a loaded machine


def test_report_downloads_open_as_pdf_and_xlsx(page, server, tmp_path):
    open_page(page, server.page_url("laporan", kanwil="Kanwil Kemenkumham Jawa Barat"))
    assert_no_errors(page)
    button = widget(page, "build_report").get_by_role("button")
    expect(button).to_be_visible()
    run_and_wait(page, button.click, timeout=BUILD_MS)
    assert_no_errors(page)
    files = {}
    for key, name in (("download_pdf", "pdf"), ("download_xlsx", "xlsx")):
        link = widget(page, key).get_by_role("button")
        expect(link).to_be_visible(timeout=RUN_MS)
        with page.expect_download(timeout=RUN_MS) as info:
            link.click()
        download = info.value
        assert download.suggested_filename.startswith("laporan-kanwil-kemenkumham-jawa-barat-")
        assert download.suggested_filename.endswith(f".{name}")
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        files[name] = path.read_bytes()
    assert files["pdf"].startswith(b"%PDF-") and b"%%EOF" in files["pdf"][-1024:]
    with zipfile.ZipFile(io.BytesIO(files["xlsx"])) as archive:
        assert "xl/workbook.xml" in archive.namelist() and "xl/charts/chart1.xml" in archive.namelist()
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert book.sheetnames[:3] == ["Info", "Ringkasan", "Kantor"]
    assert book["Kantor"].max_row == 1 + 9                 # the nine offices of the Kanwil
    screenshot(page, "laporan_built")
    # Each download is an audit entry naming the file and the filters that made it (newest first).
    open_page(page, server.page_url("audit"))
    shown = dataframe_text(page)
    assert "what=report_pdf" in shown and "what=report_xlsx" in shown, shown[:2000]
    assert "'kanwil': 'Kanwil Kemenkumham Jawa Barat'" in shown, shown[:2000]
