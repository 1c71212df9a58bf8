"""A fresh install (no database yet) opens on a page that says what to do, with the demo button."""
from __future__ import annotations

from playwright.sync_api import expect

from e2e_support import assert_no_errors, open_page, screenshot, widget


def test_fresh_install_offers_the_demo(page, empty_server):
    open_page(page, empty_server.page_url(""))
    assert_no_errors(page)
    button = widget(page, "load_demo").get_by_role("button")
    expect(button).to_be_visible()
    expect(button).to_be_enabled()
    screenshot(page, "empty_state")
