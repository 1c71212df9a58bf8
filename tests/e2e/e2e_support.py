"""Shared constants and helpers of the browser tests (fixtures are in conftest.py)."""
from __future__ import annotations

import re

import warnings
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
SCREENS = Path(__file__).resolve().parent / "screens"      # git-ignored; for review by eye
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# The 2-core machine is slow: a first page load (imports, first queries) takes 20–30 s.
FIRST_LOAD_MS = 45_000
RUN_MS = 30_000
RUN_SEEN_MS = 10_000     # how long a rerun may take to start after the action that asked for it

# Accounts made in the browser tests' database before the server starts (tests/e2e/conftest.py).
JABAR = "Kanwil Kemenkumham Jawa Barat"
E2E_USERS = {
    "admin": {"role": "admin", "password": "admin-e2e-rahasia"},
    "siti": {"role": "kanwil", "password": "kanwil-e2e-rahasia", "kanwils": (JABAR,)},
    "depok": {"role": "office", "password": "kantor-e2e-rahasia",
              "offices": ("Kantor Imigrasi Kelas II Non TPI Depok",)},
}

# Error elements that must never be on a page.
ERROR_SELECTORS = ("[data-testid='stException']", "[data-testid='stAlertContentError']")

# Url paths of the pages (the contract with app.py's st.navigation): "" is the default page.
PAGES = {"ringkasan": "", "tren": "tren", "unsur": "unsur", "kesiapan": "kesiapan", "laporan": "laporan",
         "integritas": "integritas", "unggah": "unggah", "bagikan": "bagikan", "audit": "audit",
         "metode": "metode"}


def wait_for_app(page: Page, timeout: int = RUN_MS) -> None:
    """Wait until the script run has finished and nothing is still loading (no fixed sleeps)."""
    expect(page.locator("[data-testid='stApp']")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=timeout)
    expect(page.locator("[data-testid='stSkeleton']")).to_have_count(0, timeout=timeout)


def wait_for_signals(page: Page, timeout: int = RUN_MS) -> None:
    """Wait until Ringkasan's background integrity signals have filled its column (the page reruns
    itself then): until no 'being computed' note is left and that run has finished."""
    pending = page.get_by_text(re.compile("Sinyal integritas sedang dihitung|integrity signals are being computed"))
    expect(pending).to_have_count(0, timeout=timeout)
    wait_for_app(page, timeout)


def open_page(page: Page, url: str, timeout: int = FIRST_LOAD_MS) -> None:
    """Go to a URL and wait for the first full run of the page."""
    page.goto(url, wait_until="domcontentloaded")
    expect(page.locator("[data-testid='stApp']")).to_be_visible(timeout=timeout)
    # The counter restarts at 0 with every document: wait for this page's first run to start, so
    # that a 'notRunning' before it (connecting) is not taken for the end of the run.
    try:
        page.wait_for_function("() => (window.__stRuns || 0) > 0", timeout=timeout)
    except PlaywrightTimeoutError:
        warnings.warn(f"{url}: no script run seen starting; waiting for the finished state only")
    wait_for_app(page, timeout)


def assert_no_errors(page: Page) -> None:
    for selector in ERROR_SELECTORS:
        errors = page.locator(selector)
        if errors.count():
            texts = " | ".join(errors.all_inner_texts())[:2000]
            pytest.fail(f"{page.url}: error element {selector} on the page: {texts}", pytrace=False)


_CONTENT_HEIGHT_JS = """() => Math.max(document.documentElement.scrollHeight,
    ...['stMain', 'stSidebarContent'].map(id => {
        const e = document.querySelector(`[data-testid='${id}']`); return e ? e.scrollHeight : 0; }))"""


def screenshot(page: Page, name: str) -> Path:
    """Full-page screenshot into screens/. Streamlit scrolls inside stMain, not the document, so
    Playwright's full_page alone would stop at the viewport: the viewport grows to the content first."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    size = page.viewport_size
    height = min(int(page.evaluate(_CONTENT_HEIGHT_JS)) + 40, 12_000)
    if size and height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": height})
        wait_for_app(page)
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        if size and height > size["height"]:
            page.set_viewport_size(size)
    return path


def widget(page: Page, key: str):
    """A keyed element by its key class (Streamlit gives each keyed element `st-key-<key>`)."""
    return page.locator(f".st-key-{key}")


# --- reruns ---------------------------------------------------------------------------------------

# Installed in every page (context.add_init_script): counts the script runs the frontend starts, so a
# test can wait for the rerun its own action caused instead of racing a 'notRunning' that is stale.
RUN_COUNTER_JS = """
window.__stRuns = 0;
new MutationObserver(records => {
    for (const r of records) {
        if (r.target.getAttribute('data-test-script-state') === 'running' && r.oldValue !== 'running') {
            window.__stRuns += 1;
        }
    }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""


def runs(page: Page) -> int:
    return int(page.evaluate("() => window.__stRuns || 0"))


def run_and_wait(page: Page, action, timeout: int = RUN_MS) -> None:
    """Do something that makes the app rerun, then wait for that rerun (not an older one) to end.

    A rerun shows as data-test-script-state 'running'; should one ever be too quick for the attribute
    to be rendered (React may batch it away), the wait gives up on seeing it after RUN_SEEN_MS and
    falls back to the finished state: the caller's own expect() on the result still guards it."""
    before = runs(page)
    action()
    try:
        page.wait_for_function("n => (window.__stRuns || 0) > n", arg=before,
                               timeout=min(RUN_SEEN_MS, timeout))
    except PlaywrightTimeoutError:
        warnings.warn(f"{page.url}: the rerun was not seen starting; waiting for the finished state only")
    wait_for_app(page, timeout)


# --- widgets --------------------------------------------------------------------------------------

def select_option(page: Page, key: str, label: str, option: str) -> None:
    """Pick `option` in the selectbox labelled `label` (inside `.st-key-<key>`) and wait for the rerun."""
    box = widget(page, key).get_by_role("combobox", name=label)
    expect(box).to_be_visible()
    choose(page, box, option)
    expect(box).to_have_value(option)


def choose(page: Page, box, option: str) -> None:
    """Pick `option` in a selectbox's combobox and wait for the rerun (the caller checks the result:
    the box itself may be gone afterwards, e.g. for a guest whose link was revoked)."""
    def pick():
        box.click()
        box.fill(option)             # the list is filtered (and virtualised): type, then click
        page.get_by_role("option", name=option, exact=True).click()

    run_and_wait(page, pick)


def widget_state(page: Page, key: str) -> dict:
    """What a widget shows: values of its text inputs and labels of its checked options."""
    loc = widget(page, key)
    expect(loc).to_have_count(1)
    return loc.evaluate("""el => ({
        values: [...el.querySelectorAll('input')]
            .filter(i => !['radio', 'checkbox', 'file'].includes(i.type)).map(i => i.value),
        checked: [...el.querySelectorAll('input:checked')]
            .map(i => (i.closest('label') || i.parentElement).innerText.trim()),
    })""")


# The grid's accessible table is rebuilt on a 200 ms debounce after its data changes: read it once it
# has been unchanged for longer than that.
_GRID_QUIET_JS = """([selector, index, quietMs]) => {
    const grid = document.querySelectorAll(selector)[index];
    const table = grid && grid.querySelector("table[role='grid']");
    if (!table || !table.querySelector("td[role='gridcell']")) return false;
    const text = table.getAttribute('aria-rowcount') + '|' + table.textContent;
    const state = (window.__gridQuiet = window.__gridQuiet || {});
    const key = selector + '#' + index, now = performance.now();
    if (!state[key] || state[key].text !== text) { state[key] = {text, since: now}; return false; }
    return now - state[key].since >= quietMs;
}"""


def dataframe_text(page: Page, index: int = 0, timeout: int = RUN_MS) -> str:
    """Header and visible rows of an st.dataframe, read from the grid's accessible table (the cells
    themselves are drawn on a canvas). Numbers there are the raw values (87.56), not the formatted
    text the canvas shows (87,56)."""
    selector = "[data-testid='stDataFrame']"
    page.wait_for_function(_GRID_QUIET_JS, arg=[selector, index, 600], polling=100, timeout=timeout)
    grid = page.locator(selector).nth(index).locator("table[role='grid']")
    rows = grid.locator("tr").evaluate_all(
        "trs => trs.map(tr => [...tr.children].map(c => c.textContent.trim()).join(' | '))")
    return f"rows={grid.get_attribute('aria-rowcount')}\n" + "\n".join(rows)
