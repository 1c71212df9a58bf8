"""Access control in the browser: a kanwil user shares two offices for one quarter, a guest opens the
link in a fresh context (clean URL, only that scope, no upload page), the link is revoked and the
guest's next interaction is refused; an office user never sees another office's name."""
from __future__ import annotations

import re
from urllib.parse import urlparse

from playwright.sync_api import Page, expect

from analytics.demo.generator import OFFICES
from e2e_support import assert_no_errors, choose, open_page, run_and_wait, screenshot, wait_for_app, widget

SHARED = ("Kantor Imigrasi Kelas I TPI Bandung", "Kantor Imigrasi Kelas II Non TPI Depok")
QUARTER = ("2026-07", "2026-09")
EVERY_NAME = {o.nama for o in OFFICES} | {a for o in OFFICES for a in o.alias.split(";") if a}


def pick(page: Page, key: str, option: str) -> None:
    """Choose an option of a selectbox/multiselect inside a form (no rerun until the form is sent)."""
    box = widget(page, key).get_by_role("combobox")
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def visible_text(page: Page) -> str:
    return page.locator("[data-testid='stApp']").inner_text()


def test_kanwil_shares_a_quarter_of_two_offices_then_revokes_it(server, new_context):
    kanwil = new_context("siti").new_page()
    open_page(kanwil, server.page_url("bagikan"))
    assert_no_errors(kanwil)
    widget(kanwil, "link_label").locator("input").fill("Ombudsman RI Perwakilan Uji")
    for office in SHARED:
        pick(kanwil, "link_offices", office)
    pick(kanwil, "link_from", QUARTER[0])
    pick(kanwil, "link_to", QUARTER[1])
    run_and_wait(kanwil, lambda: kanwil.get_by_role("button", name="Buat tautan").click())
    assert_no_errors(kanwil)
    shown = kanwil.locator("[data-testid='stCode']").inner_text()
    path = re.search(r"/s/[A-Za-z0-9_-]{20,}", shown).group(0)
    screenshot(kanwil, "bagikan_link_created")

    guest = new_context(None).new_page()                 # a fresh context: no cookie, no account
    open_page(guest, server.url + path)
    assert urlparse(guest.url).path == "/" and "/s/" not in guest.url, guest.url      # clean URL
    assert_no_errors(guest)
    text = visible_text(guest)
    for office in SHARED:
        assert office in text
    leaked = sorted(n for n in EVERY_NAME - set(SHARED) if n in text and not any(n in s for s in SHARED))
    assert leaked == [], f"offices outside the link on the guest's page: {leaked}"
    nav = guest.locator("[data-testid='stSidebarNav']").inner_text()
    assert "Unggah" not in nav and "Bagikan" not in nav and "Audit" not in nav
    assert widget(guest, "start").locator("input").input_value() == QUARTER[0]
    assert widget(guest, "end").locator("input").input_value() == QUARTER[1]
    months = set(re.findall(r"\b(20\d\d-\d\d)\b(?!-\d)", guest.locator("[data-testid='stMain']").inner_text()))
    assert months and months <= {"2026-07", "2026-08", "2026-09"}, months     # (the expiry is a date: not matched)
    assert "Dibagikan kepada" in text and "Ombudsman RI Perwakilan Uji" in text
    screenshot(guest, "guest_view")

    kanwil.reload(wait_until="domcontentloaded")
    wait_for_app(kanwil)
    expect(widget(kanwil, "revoke_link_button")).to_be_visible()
    run_and_wait(kanwil, lambda: widget(kanwil, "revoke_link_button").get_by_role("button").click())
    expect(kanwil.get_by_text("dicabut", exact=False).first).to_be_visible()

    choose(guest, widget(guest, "granularity").get_by_role("combobox"), "Triwulanan")   # its next interaction
    expect(guest.get_by_text("Tautan berbagi ini telah dicabut")).to_be_visible()
    text = visible_text(guest)
    assert not [office for office in SHARED if office in text]
    assert "Traceback" not in text
    screenshot(guest, "guest_refused")


def test_an_office_user_never_sees_another_office_name(server, new_context):
    page = new_context("depok").new_page()
    mine = "Kantor Imigrasi Kelas II Non TPI Depok"
    for path in ("", "tren", "unsur", "kesiapan", "metode"):
        open_page(page, server.page_url(path))
        assert_no_errors(page)
        text = visible_text(page)
        others = sorted(n for n in EVERY_NAME - {mine, "Kanim Depok"} if n in text and n not in mine)
        assert others == [], f"/{path}: other offices shown: {others}"
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert "Unggah" not in nav and "Bagikan" not in nav
    open_page(page, server.page_url("", office="Lapas Kelas IIA Cirebon"))      # a tampered URL
    assert "Lapas Kelas IIA Cirebon" not in visible_text(page)
    screenshot(page, "office_user")
