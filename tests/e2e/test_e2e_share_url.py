"""A copied URL reproduces the view: the sidebar filters are bound to the query string."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e_support import (assert_no_errors, dataframe_text, open_page, run_and_wait, screenshot,
                         select_option, wait_for_signals, widget, widget_state)

SIDEBAR_KEYS = ("lang", "kanwil", "office", "pair", "granularity", "start", "end", "rules")


def view(page: Page) -> dict:
    """Everything a reader of the shared link compares: widget values, headings, text, the table
    (once the integrity column is complete: it fills in after the first paint)."""
    wait_for_signals(page)
    main = page.locator("[data-testid='stMain']")
    return {
        "widgets": {key: widget_state(page, key) for key in SIDEBAR_KEYS},
        "headings": main.locator("h1, h2, h3").all_inner_texts(),
        "text": main.inner_text(),          # headings, captions, tiles, notes (not the canvas grid)
        "table": dataframe_text(page),      # the grid's accessible table: header and visible rows
    }


def open_copy(new_context, url: str, name: str) -> dict:
    """Open a copied address in a fresh browser context (no cookies, no session) and read the view."""
    other = new_context().new_page()
    open_page(other, url)
    assert_no_errors(other)
    screenshot(other, name)
    return view(other)


def assert_same_view(before: dict, after: dict) -> None:
    for part in before:
        assert after[part] == before[part], f"{part} differs in the copied view"


def test_copied_url_restores_the_view(page, server, new_context):
    open_page(page, server.page_url(""))
    default = view(page)
    select_option(page, "kanwil", "Kanwil", "Kanwil Kemenkumham Jawa Timur")
    select_option(page, "granularity", "Periode", "Triwulanan")
    select_option(page, "end", "Sampai bulan", "2026-06")
    for key in ("kanwil", "granularity", "end"):
        expect(page).to_have_url(re.compile(rf"[?&]{key}="))
    assert_no_errors(page)
    before = view(page)
    assert before != default, "changing the filters did not change the view"
    assert "Kanwil Kemenkumham Jawa Timur" in before["text"]
    assert "2026-Q2" in before["text"]
    screenshot(page, "share_url_origin")
    assert_same_view(before, open_copy(new_context, page.url, "share_url_copy"))


def test_copied_url_restores_the_view_in_english(page, server, new_context):
    """The language is part of the view: a link copied while reading in English opens in English,
    with the same (non-default) period granularity."""
    open_page(page, server.page_url("", kanwil="Kanwil Kemenkumham Jawa Barat", granularity="Triwulanan",
                                    end="2026-06"))
    assert widget_state(page, "granularity")["values"] == ["Triwulanan"]
    run_and_wait(page, lambda: widget(page, "lang").get_by_role("radiogroup").get_by_text("en", exact=True).click())
    expect(page).to_have_url(re.compile(r"[?&]lang=en"))
    assert_no_errors(page)
    before = view(page)
    assert before["widgets"]["lang"]["checked"] == ["en"]
    assert "2026-Q2" in before["text"], "the quarter view was lost when switching language"
    screenshot(page, "share_url_en_origin")
    assert_same_view(before, open_copy(new_context, page.url, "share_url_en_copy"))
