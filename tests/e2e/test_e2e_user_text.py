"""Issue 13, item 6 in chromium: an office, a Kanwil and a share link named in Markdown/HTML
(tests/hostile_names.py) show as the text typed. No page fetches the image address (127.0.0.1:9), no
element links to http://evil — in the page's Markdown, the st.table cells a guest gets, and the
Plotly charts' SVG (tick labels, titles)."""
from __future__ import annotations

from urllib.parse import urlparse

from playwright.sync_api import expect

from e2e_support import assert_no_errors, open_page
from tests import hostile_names as names

# Every element that links or loads something, with the address it names (SVG links use xlink:href).
LINKS_JS = """() => [...document.querySelectorAll('a, img, image, iframe, source, link, script')].map(
    e => e.getAttribute('href') || e.getAttribute('xlink:href') || e.getAttribute('src') || '').filter(Boolean)"""


def record_outside_requests(page, server) -> list[str]:
    """Every request the page makes outside the app (blocked and recorded)."""
    local, outside = urlparse(server.url).netloc, []
    page.route(lambda url: urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).netloc != local,
               lambda route: (outside.append(route.request.url), route.abort()))
    return outside


def assert_names_are_text(page, server) -> None:
    """No element links to or loads an address outside the app (GFM would link http://127.0.0.1 even
    with a backslash before the colon), and nothing names the hostile addresses."""
    assert_no_errors(page)
    local = urlparse(server.url).netloc
    bad = [a for a in page.evaluate(LINKS_JS) if not a.startswith("#")        # a heading's own anchor
           and ("evil" in a or "127.0.0.1:9" in a or (urlparse(a).scheme in ("http", "https") and urlparse(a).netloc != local
                                                    and not a.startswith("http://www.w3.org/")))]
    assert bad == [], f"{page.url}: elements linking/loading outside the app: {bad}"


def visible(page, selector: str = "[data-testid='stMain']") -> str:
    """The text a reader sees (the invisible word joiner ui.text.md puts inside http:// taken out)."""
    return page.locator(selector).first.inner_text().replace("\u2060", "")


def test_hostile_names_are_text_on_every_page_and_chart(page, hostile_server):
    outside = record_outside_requests(page, hostile_server)
    for path, query in (("", {}), ("tren", {"office": names.OFFICE}), ("unsur", {}), ("kesiapan", {}),
                        ("laporan", {}), ("integritas", {}), ("unggah", {}), ("metode", {})):
        open_page(page, hostile_server.page_url(path, kanwil=names.KANWIL, start="2026-09", end="2026-10", **query))
        assert_names_are_text(page, hostile_server)
        if path == "tren":          # the title reads exactly as the office was named, with no markup in it
            assert f"Tren {names.OFFICE}" in visible(page, "h1")
            assert page.locator("h1 [data-heading-text] *").count() == 0
        if path == "":              # the headline names the Kanwil as typed
            assert f"{names.KANWIL} secara keseluruhan" in visible(page)
        if path == "unsur":         # the office × element heatmap's tick label is the plain name
            expect(page.locator(".js-plotly-plot .ytick text").filter(has_text="<b>z</b>").first).to_be_attached()
    assert outside == [], f"requests outside the app: {sorted(set(outside))}"


def test_a_guest_sees_the_names_as_text_in_tables_and_footer(new_context, hostile_server):
    guest = new_context(None).new_page()
    outside = record_outside_requests(guest, hostile_server)
    open_page(guest, hostile_server.url + hostile_server.guest_path)
    assert guest.locator("[data-testid='stTable']").count() > 0          # st.table renders Markdown cells
    assert names.OFFICE in visible(guest, "[data-testid='stTable']")
    assert guest.locator("[data-testid='stTable'] td *:is(a, img, b, em, strong)").count() == 0
    assert f"Dibagikan kepada {names.LABEL} ·" in visible(guest)      # no link, icon, math or list in it
    assert_names_are_text(guest, hostile_server)
    for path in ("tren", "kesiapan"):
        open_page(guest, hostile_server.page_url(path))
        assert_names_are_text(guest, hostile_server)
    assert outside == [], f"requests outside the app: {sorted(set(outside))}"
