"""The UI's text in the session's language: analytics.i18n with the `lang` widget's value filled in."""
from __future__ import annotations

import streamlit as st

from analytics import i18n


def current_lang() -> str:
    """The session's language (the sidebar's `lang` widget), Indonesian until it is chosen."""
    lang = st.session_state.get("lang")
    return lang if lang in i18n.LANGS else i18n.DEFAULT_LANG


def t(key: str, **values) -> str:
    return i18n.t(key, current_lang(), **values)


def num(value, decimals: int = 2, signed: bool = False) -> str:
    return i18n.num(value, decimals, current_lang(), signed=signed)


def integer(value) -> str:
    return i18n.integer(value, current_lang())
