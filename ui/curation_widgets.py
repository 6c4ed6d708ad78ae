"""Widgets the curation pages share: finding an entity with the product's search (with or without
diacritics, aliases, acronyms), the signed-in actor, and field errors shown at their field."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ingest.curation import FieldProblems
from ingest.history import Actor
from queries.search import SearchError, search
from ui.auth import User
from ui.context import store
from ui.i18n import language, tr
from ui.widgets import kinds_text

LABELS = {
    "type": ("Gõ tên, tên khác hoặc viết tắt (có dấu hay không dấu đều được), rồi Enter",
             "Type a name, alias or acronym (with or without diacritics), then Enter"),
    "none": ("Không tìm thấy thực thể nào.", "No entity found."),
    "choose": ("Chọn thực thể", "Choose the entity"),
}


def actor(user: User) -> Actor:
    return Actor(user.username, user.name, via=user.via)


def find_entity(label: str, key: str, *, exclude: tuple[str, ...] = (), kinds: list[str] | None = None) -> str | None:
    """A search box over the product's search and a choice among its hits; returns an entity id."""
    text = st.text_input(label, key=f"{key}-q", placeholder=tr(LABELS, "type"))
    if not text.strip():
        return None
    try:
        hits = [h for h in search(store(), text, limit=12, kinds=kinds) if h["id"] not in exclude]
    except SearchError as error:
        st.caption(str(error))
        return None
    if not hits:
        st.caption(tr(LABELS, "none"))
        return None
    labels = {h["id"]: f"{h['name']} · {kinds_text(h['kinds'])} · {h['id']}" for h in hits}
    ids = list(labels)
    if st.session_state.get(f"{key}-pick") not in ids:
        st.session_state.pop(f"{key}-pick", None)
    return st.selectbox(tr(LABELS, "choose"), ids, format_func=labels.get, key=f"{key}-pick")


def field_error(errors: dict[str, Any], field: str) -> None:
    """The problem of one field, right under it."""
    problem = errors.get(field)
    if problem is not None:
        st.error(problem.text(language()) if hasattr(problem, "text") else str(problem), icon=":material/error:")


def remember_problems(key: str, error: FieldProblems) -> None:
    st.session_state[key] = error.by_field()


def problems(key: str) -> dict[str, Any]:
    return st.session_state.get(key) or {}
