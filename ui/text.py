"""The UI's text in the session's language: analytics.i18n with the `lang` widget's value filled in.

Every text a page shows goes through Streamlit's Markdown (titles, captions, alerts, labels, radio
options, tab and expander labels, metric labels, st.table cells), so a value that comes from a user —
an office or Kanwil name, a file name, a share-link label, a user name, a saran — is escaped with
md() before it is shown: t() escapes every parameter, message() every error text. Without it an office
named `![x](http://host/x.png)` makes every viewer's browser fetch that address (issue 13). Plain-text
places (selectbox/multiselect options, st.dataframe cells, st.code) take the raw value.
"""
from __future__ import annotations

import re

import streamlit as st

from analytics import i18n
from analytics.errors import DasborError, Join, Message, render

# Characters that start Markdown, HTML or Streamlit directives (:red[…], $math$) in running text; escaped
# with a backslash, they show as typed. Left alone, so numbers, dates, times and file names read as
# before: , . - ( ) ' " : and '_' inside a word (file_name.csv: CommonMark never starts emphasis there).
_SPECIAL = re.compile(r"[\\`*~\[\]<>#|$&]|(?<![^\W_])_|_(?![^\W_])")
_BLOCK_START = re.compile(r"^(\s*)(?:([-+])|(\d+)([.)]))")      # a list item when it starts a line
# GFM autolinks (http://…, www.…, name@host.tld) and Streamlit's :material/…: and :emoji: codes are found
# in the text *after* escapes are resolved, so a backslash cannot stop them (checked in chromium): an
# invisible WORD JOINER (U+2060) inside the pattern does.
JOINER = "\u2060"
_TEXT_PATTERNS = re.compile(r"(?<=:)(?=[A-Za-z/])|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)


class Markdown(str):
    """Text that is already Markdown (escaped or our own): t() passes it through as it is."""


def md(value) -> Markdown:
    """A user's text as Markdown that renders exactly that text: no link, image, HTML or formatting."""
    if isinstance(value, Markdown):
        return value
    text = " ".join(str(value).splitlines())            # a value never opens a block of its own
    text = _SPECIAL.sub(lambda m: "\\" + m.group(), text)
    text = _TEXT_PATTERNS.sub(JOINER, text)
    text = _BLOCK_START.sub(lambda m: m.group(1) + (f"\\{m.group(2)}" if m.group(2)
                                                    else f"{m.group(3)}\\{m.group(4)}"), text)
    return Markdown(text)


def current_lang() -> str:
    """The session's language (the sidebar's `lang` widget), Indonesian until it is chosen."""
    lang = st.session_state.get("lang")
    return lang if lang in i18n.LANGS else i18n.DEFAULT_LANG


def message(err) -> Markdown:
    """An error or notice (DasborError, Message, Join) in the session's language for the page, escaped:
    its parameters name files, sheets, columns, cells and offices as the user's file wrote them."""
    return md(render(err, current_lang(), "ui"))


def t(key: str, **values) -> Markdown:
    """The text of `key` with every parameter escaped (md); numbers stay numbers; a Message is
    rendered for the page first."""
    def escaped(value):
        if isinstance(value, (DasborError, Message, Join)):
            return message(value)
        return md(value) if isinstance(value, str) else value
    return Markdown(i18n.t(key, current_lang(), **{k: escaped(v) for k, v in values.items()}))


def num(value, decimals: int = 2, signed: bool = False) -> str:
    return i18n.num(value, decimals, current_lang(), signed=signed)


def integer(value) -> str:
    return i18n.integer(value, current_lang())
