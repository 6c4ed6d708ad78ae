"""Vietnamese first, English on request: every label the app shows goes through :func:`tr`.

A page keeps its own labels as ``{"key": ("Tiếng Việt", "English")}`` and calls
``tr(LABELS, "key", **format_args)``. The language is chosen in the sidebar (default: vi).
"""

from __future__ import annotations

from typing import Mapping

import streamlit as st

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}


def language() -> str:
    lang = st.session_state.get("lang", "vi")
    return lang if lang in LANGUAGES else "vi"


def tr(labels: Mapping[str, tuple[str, str]], key: str, **fmt: object) -> str:
    vi, en = labels[key]
    text = vi if language() == "vi" else en
    return text.format(**fmt) if fmt else text
