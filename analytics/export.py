"""The one guarded exporter: every file a user downloads (rejects CSV, CLI --format csv, the report
workbook's text) passes its text through here, so a spreadsheet never reads user text as a formula
(CSV injection).

The guard: a text that starts with = + - @ (or tab/CR), and every line inside a text that starts with
one after a line break, gets a single quote in front ("'=…"). Excel starts a formula at the first
character only, but a value with an embedded CR is split into lines by some readers (and by
copy-paste), so a guard on the first character alone would let "ok\\r=HYPERLINK(…)" through. Plain
signed numbers ("-5", "+3,5") and a lone "-" (not answered) stay. CSV quotes every field.
`unguard` undoes it when a downloaded rejects file comes back fixed (ingest/readers.py).

Streamlit's own dataframe toolbar would download raw cell text: it is switched off for the whole app
(client.disableDataExport in .streamlit/config.toml; tests/test_export.py checks).
"""
from __future__ import annotations

import csv
import io
import re

import pandas as pd

_START = "=+-@\t\r"
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?|-")
_AFTER_BREAK = re.compile(r"(\r\n|\r|\n)(?=[=+\-@\t])")
_GUARDED_AFTER_BREAK = re.compile(r"(\r\n|\r|\n)'(?=[=+\-@\t])")
GUARDED_START = re.compile(r"^'[=+\-@\t\r]")


def guard(value):
    """`value` safe to put in a spreadsheet cell; anything not a text is returned as it is."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in _START and not _PLAIN_NUMBER.fullmatch(value):
        value = "'" + value
    return _AFTER_BREAK.sub(r"\1'", value)


def unguard(value: str) -> str:
    """The text before `guard` (for a downloaded file uploaded again)."""
    if GUARDED_START.match(value):
        value = value[1:]
    return _GUARDED_AFTER_BREAK.sub(r"\1", value)


def looks_guarded(text: str) -> bool:
    """Whether a text holds anything `guard` would have added (a cheap test on a whole file)."""
    return GUARDED_START.search(text) is not None or _GUARDED_AFTER_BREAK.search(text) is not None


def guard_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell and column name guarded (the input is not changed)."""
    out = frame.rename(columns=lambda c: guard(c) if isinstance(c, str) else c)
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = out[column].map(guard, na_action="ignore")
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text: guarded, every field quoted, no index."""
    out = io.StringIO()
    guard_frame(frame).to_csv(out, index=False, quoting=csv.QUOTE_ALL)
    return out.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """csv_text as UTF-8 with a BOM, so Excel reads the accents (the download files)."""
    return csv_text(frame).encode("utf-8-sig")
