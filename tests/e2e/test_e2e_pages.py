"""Every page loads without an error element; a full-page screenshot of each goes to screens/."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from e2e_support import PAGES, assert_no_errors, open_page, screenshot


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_without_errors(page, server, name):
    path = PAGES[name]
    open_page(page, server.page_url(path))
    # An unknown url path falls back to the default page: make sure we are on the page we asked for.
    assert urlparse(page.url).path.strip("/") == path, f"{name}: landed on {page.url}"
    expect(page.locator("[data-testid='stMain'] h1").first).to_be_visible()   # the page drew its body
    assert_no_errors(page)
    screenshot(page, name)


def test_table_toolbar_offers_no_raw_download(page, server):
    """client.disableDataExport: the dataframe toolbar keeps its search but loses "Download as CSV",
    which would hand out unguarded cell text (downloads go through analytics/export.py)."""
    open_page(page, server.page_url(PAGES["ringkasan"]))
    frame = page.locator("[data-testid='stDataFrame']").first
    frame.hover()
    expect(frame.get_by_role("button", name="Search")).to_be_visible()
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
