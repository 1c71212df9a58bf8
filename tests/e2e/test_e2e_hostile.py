"""Issue 13 in a browser: the far-cell workbook that used to abort the server is refused on the upload
page and the app keeps serving; and no page asks for anything outside the app (offline means offline)."""
from __future__ import annotations

from urllib.parse import urlparse

from playwright.sync_api import expect

from e2e_support import assert_no_errors, open_page, run_and_wait, widget
from tests import hostile


def test_the_far_cell_file_is_refused_and_the_app_keeps_serving(page, server, tmp_path):
    path = tmp_path / "far-XFD1048576.xlsx"
    path.write_bytes(hostile.far_cell("XFD1048576"))
    open_page(page, server.page_url("unggah"))
    file_input = widget(page, "upload_files").locator("input[type='file']")
    run_and_wait(page, lambda: file_input.set_input_files(str(path)))
    expect(page.locator("[data-testid^='stAlertContent']").filter(
        has_text="far-XFD1048576.xlsx").filter(has_text="XFD1048576 (1048576 baris × 16384 kolom)")).to_be_visible()
    assert server.proc.poll() is None, "the app process died"
    open_page(page, server.page_url("tren"))
    assert_no_errors(page)
    expect(page.locator("[data-testid='stMain']")).to_contain_text("Tren")


def test_no_page_requests_anything_outside_the_app(page, server):
    outside = []

    def record(route):
        outside.append(route.request.url)
        route.abort()

    local = urlparse(server.url).netloc
    page.route(lambda url: urlparse(url).netloc not in (local, "") and not url.startswith(("data:", "blob:")),
               record)
    page.on("request", lambda request: outside.append(request.url)
            if urlparse(request.url).scheme in ("http", "https", "ws", "wss")
            and urlparse(request.url).netloc != local else None)
    for path in ("", "tren", "unsur", "kesiapan", "unggah"):
        open_page(page, server.page_url(path))
        assert_no_errors(page)
    assert outside == [], f"requests outside the app: {sorted(set(outside))}"
