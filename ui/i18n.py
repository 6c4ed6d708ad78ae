"""Vietnamese first, English on request: every label the app shows goes through :func:`tr`.

The language is also in the address (``?lang=en``), so a link or a reload keeps it, and it is
kept across pages (session state, written back into the address on every run).

A page keeps its own labels as ``{"key": ("Tiếng Việt", "English")}`` — the one bilingual convention of
:mod:`graph.i18n` — and calls
``tr(LABELS, "key", **format_args)``. The language is chosen in the sidebar (default: vi).
"""

from __future__ import annotations

from typing import Mapping

import streamlit as st

from graph.i18n import DEFAULT_LANGUAGE, Bilingual

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}


def language() -> str:
    lang = st.session_state.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def tr(labels: Mapping[str, tuple[str, str]], key: str, **fmt: object) -> str:
    """The label ``key`` in the chosen language (a ``(vi, en)`` pair, see :mod:`graph.i18n`)."""
    text = Bilingual(*labels[key]).text(language())
    return text.format(**fmt) if fmt else text


def language_from_link() -> None:
    """Take the language from the address (``?lang=vi|en``) when the link asks for a new one."""
    asked = st.query_params.get("lang")
    if asked in LANGUAGES and asked != st.session_state.get("_lang_link"):
        st.session_state["lang"] = asked
    st.session_state["_lang_link"] = asked


def keep_language_in_link() -> None:
    """Write the chosen language into the address (after the switch has been drawn)."""
    lang = language()
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    st.session_state["_lang_link"] = lang
