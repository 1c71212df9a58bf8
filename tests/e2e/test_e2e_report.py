"""Laporan: build the report in the browser and download both files; they open as a PDF and an xlsx."""
from __future__ import annotations

import io
import re
import subprocess
import zipfile

import openpyxl
from playwright.sync_api import expect

from e2e_support import RUN_MS, assert_no_errors, dataframe_text, open_page, run_and_wait, screenshot, widget
from test_e2e_access import QUARTER, SHARED, pick

BUILD_MS = 120_000        # a PDF takes seconds, many more on a loaded 2-core machine


def download_reports(page, folder) -> dict:
    """Click both download buttons of a built report; {"pdf": path, "xlsx": path} under the
    file names the app suggested."""
    files = {}
    for key, name in (("download_pdf", "pdf"), ("download_xlsx", "xlsx")):
        link = widget(page, key).get_by_role("button")
        expect(link).to_be_visible(timeout=RUN_MS)
        with page.expect_download(timeout=RUN_MS) as info:
            link.click()
        files[name] = folder / info.value.suggested_filename
        info.value.save_as(files[name])
    return files


def test_report_downloads_open_as_pdf_and_xlsx(page, server, tmp_path):
    open_page(page, server.page_url("laporan", kanwil="Kanwil Kemenkumham Jawa Barat"))
    assert_no_errors(page)
    button = widget(page, "build_report").get_by_role("button")
    expect(button).to_be_visible()
    run_and_wait(page, button.click, timeout=BUILD_MS)
    assert_no_errors(page)
    paths = download_reports(page, tmp_path)
    for name, path in paths.items():
        assert path.name.startswith("laporan-kanwil-kemenkumham-jawa-barat-") and path.name.endswith(f".{name}")
    files = {name: path.read_bytes() for name, path in paths.items()}
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


def _make_link(page, server, label: str, downloads: bool) -> str:
    """The kanwil user makes a share link of two offices for a quarter (every guest page offered);
    returns its /s/… path."""
    open_page(page, server.page_url("bagikan"))
    widget(page, "link_label").locator("input").fill(label)
    for office in SHARED:
        pick(page, "link_offices", office)
    pick(page, "link_from", QUARTER[0])
    pick(page, "link_to", QUARTER[1])
    if downloads:
        widget(page, "link_downloads").locator("label").first.click()
        expect(widget(page, "link_downloads").get_by_role("checkbox")).to_be_checked()
    run_and_wait(page, lambda: page.get_by_role("button", name="Buat tautan").click())
    assert_no_errors(page)
    return re.search(r"/s/[A-Za-z0-9_-]{20,}", page.locator("[data-testid='stCode']").inner_text()).group(0)


def test_a_guest_link_with_downloads_gets_both_files_and_one_without_gets_none(server, new_context, tmp_path):
    """A guest whose link allows downloads builds the report on Laporan and downloads the PDF and the
    workbook, both holding only the link's two offices; each download is an audit entry the link's
    creator sees. A link without downloads has no Laporan page and no file to take."""
    kanwil = new_context("siti").new_page()
    with_downloads = _make_link(kanwil, server, "Tautan unduh laporan", downloads=True)
    without = _make_link(kanwil, server, "Tautan tanpa unduhan", downloads=False)

    guest = new_context(None).new_page()
    open_page(guest, server.url + with_downloads)
    assert "Laporan" in guest.locator("[data-testid='stSidebarNav']").inner_text()
    open_page(guest, server.page_url("laporan"))
    assert_no_errors(guest)
    run_and_wait(guest, widget(guest, "build_report").get_by_role("button").click, timeout=BUILD_MS)
    assert_no_errors(guest)
    files = download_reports(guest, tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(files["pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert all(office in text for office in SHARED)
    assert f"bulan {QUARTER[0]} – {QUARTER[1]}" in re.sub(r"\s+", " ", text)
    book = openpyxl.load_workbook(files["xlsx"])
    offices = [row[0] for row in book["Kantor"].iter_rows(min_row=2, values_only=True)]
    assert sorted(offices) == sorted(SHARED)
    assert not [name for name in book.sheetnames if name.startswith("Sinyal")]      # no integrity for guests
    screenshot(guest, "laporan_guest")

    other = new_context(None).new_page()
    open_page(other, server.url + without)
    assert "Laporan" not in other.locator("[data-testid='stSidebarNav']").inner_text()
    open_page(other, server.page_url("laporan"))
    assert_no_errors(other)
    expect(widget(other, "build_report")).to_have_count(0)
    expect(other.locator("[data-testid='stDownloadButton']")).to_have_count(0)

    open_page(kanwil, server.page_url("audit"))
    shown = dataframe_text(kanwil)
    assert "guest:Tautan unduh laporan" in shown and "what=report_pdf" in shown and "what=report_xlsx" in shown, \
        shown[:2000]
