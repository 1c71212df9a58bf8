"""Names that try to be Markdown or HTML (issue 13, item 6), and a store that holds them.

An office, a Kanwil and a share-link label named like this must show as the text typed, on every page,
in every chart and in the report: no image fetched from 127.0.0.1:9, no link to http://evil, no bold,
no emphasis. Used by tests/test_user_text.py (AppTest, charts, report) and the browser test
tests/e2e/test_e2e_user_text.py."""
from __future__ import annotations

from pathlib import Path

from analytics import store
from analytics.ingest import importer
from analytics.store import offices
from tests.fixtures.make_fixtures import export_csv

MARKUP = "![x](http://127.0.0.1:9/x.png) [y](http://evil) <b>z</b> *em*"
OFFICE = f"Kantor {MARKUP}"
KANWIL = "Kanwil <a href='http://evil/k'>k</a><img src='http://127.0.0.1:9/k.png'> [w](http://evil/w)"
PEER = "Kantor Biasa"                      # a second office of the Kanwil, so the Kanwil views have peers
LABEL = "Tamu ![t](http://127.0.0.1:9/t.png) www.evil.example tamu@evil.example :material/home: $x^2$ - 1."
FILE = "ekspor [f](http://evil/f) <img src=x>.csv"

# The Markdown the pages must send for OFFICE, written out by hand (not computed by ui.text.md): every
# character that could start a link, an image, HTML or emphasis carries a backslash, and a word joiner
# (U+2060, invisible) sits inside "http://", which GFM would otherwise turn into a link.
OFFICE_MARKDOWN = "Kantor !\\[x\\](http:\u2060//127.0.0.1:9/x.png) \\[y\\](http:\u2060//evil) \\<b\\>z\\</b\\> \\*em\\*"


def rows(office: str, count: int, day: str, prefix: str) -> list[list]:
    return [[f"{prefix}{i}", day, office] + [3] * 21 + [4] * 8 for i in range(count)]


def build_store(path: Path) -> Path:
    """A store with OFFICE and PEER in KANWIL, 35 respondents each in 2026-09 and 2026-10."""
    con = store.connect(path)
    try:
        for name in (OFFICE, PEER):
            offices.add_office(con, name, KANWIL)
        for month in ("2026-09", "2026-10"):
            content = export_csv(rows(OFFICE, 35, f"{month}-05", f"A{month}-") + rows(PEER, 35, f"{month}-06", f"B{month}-"))
            report = importer.ingest(con, content, f"ekspor-{month}.csv")
            assert report.status == "imported", report
    finally:
        con.close()
    return path
