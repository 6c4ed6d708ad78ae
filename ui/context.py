"""The one graph store the app's pages share (one driver per Streamlit server process and
configuration: changing NEO4J_URI or VUSTA_* settings gives a new connection)."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import astuple
from typing import Iterator

import streamlit as st

from graph.settings import Settings
from graph.store import GraphStore


@st.cache_resource(show_spinner=False)
def _store(key: tuple[str, ...], _settings: Settings) -> GraphStore:
    return GraphStore(_settings)


# Within one_store_per_run(): the store this page run uses, found once.
_this_run: ContextVar[list[GraphStore] | None] = ContextVar("page_run_store", default=None)


@contextmanager
def one_store_per_run() -> Iterator[None]:
    """Find the store once in this block (one run of an app page), not for every value a page
    writes out (reading the settings and the resource cache's key took about 1 ms each time)."""
    token = _this_run.set([])
    try:
        yield
    finally:
        _this_run.reset(token)


def store() -> GraphStore:
    kept = _this_run.get()
    if kept:
        return kept[0]
    settings = Settings.from_env()
    found = _store(tuple(str(value) for value in astuple(settings)), settings)
    if kept is not None:
        kept.append(found)
    return found
