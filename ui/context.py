"""The one graph store the app's pages share (one driver per Streamlit server process and
configuration: changing NEO4J_URI or VUSTA_* settings gives a new connection)."""

from __future__ import annotations

from dataclasses import astuple

import streamlit as st

from graph.settings import Settings
from graph.store import GraphStore


@st.cache_resource(show_spinner=False)
def _store(key: tuple[str, ...], _settings: Settings) -> GraphStore:
    return GraphStore(_settings)


def store() -> GraphStore:
    settings = Settings.from_env()
    return _store(tuple(str(value) for value in astuple(settings)), settings)
