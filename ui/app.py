"""The app's frame: page setup, the menu, the language switch and the store's status line.

``main()`` is what ``app.py`` runs. ``start`` names the page to open first (a module of
``ui/pages``); tests use it to open one page directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from graph.privacy import set_staff_audience
from graph.store import StoreUnavailable
from queries.projection import one_graph_version
from queries.status import demo_notice, store_status
from ui.auth import is_staff
from ui.context import one_store_per_run, store
from ui.i18n import LANGUAGES, keep_language_in_link, language, language_from_link, tr
from ui.navigation import build_pages
from ui.widgets import format_count, inject_style, md

FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"  # local: nothing is fetched
LABELS = {
    "app": ("VUSTA · Đồ thị đối tác", "VUSTA · Partner graph"),
    "language": ("Ngôn ngữ · Language", "Ngôn ngữ · Language"),
    "embedded": ("Kho nhúng", "Embedded store"),
    "neo4j": ("Neo4j", "Neo4j"),
    "entities": ("{n} thực thể", "{n} entities"),
    "reachable": ("đang kết nối", "connected"),
    "unreachable": ("không kết nối được", "unreachable"),
    "down_title": ("Không kết nối được kho dữ liệu đồ thị.", "The graph store cannot be reached."),
    "what_to_do": ("Cách khắc phục: {what}", "What to do: {what}"),
    "details": ("Chi tiết lỗi", "Error details"),
    "retry": ("Thử lại", "Try again"),
    "empty": ("Kho dữ liệu chưa có dữ liệu. {what}", "The store holds no data yet. {what}"),
    "lost": ("Mất kết nối với kho dữ liệu trong khi tải trang.", "The store stopped answering while the page loaded."),
}


def _status_line(status: dict[str, Any]) -> None:
    backend = tr(LABELS, "embedded" if status["backend"] == "embedded" else "neo4j")
    if status["reachable"]:
        count = tr(LABELS, "entities", n=format_count(status["entities"]))
        st.markdown(f":green[●] **{md(backend)}** · {md(tr(LABELS, 'reachable'))}  \n"
                    f"`{status['uri']}` · `{status['database'] or '-'}`  \n{md(count)}")
    else:
        st.markdown(f":red[●] **{md(backend)}** · {md(tr(LABELS, 'unreachable'))}  \n`{status['uri'] or '-'}`")


def _store_down(status: dict[str, Any]) -> None:
    lang = language()
    st.error(tr(LABELS, "down_title"), icon=":material/cloud_off:")
    st.markdown(tr(LABELS, "what_to_do", what=status["what_to_do"][lang]))
    with st.expander(tr(LABELS, "details")):
        st.code(status["message"] or "-", language=None, wrap_lines=True)
    st.button(tr(LABELS, "retry"), key="retry-store", icon=":material/refresh:")


def main(start: str | None = None) -> None:
    st.set_page_config(page_title="VUSTA — Đồ thị đối tác", page_icon=str(FAVICON), layout="wide")
    with one_graph_version(), one_store_per_run():  # one page run: one state of the graph, asked for once
        _run(start)


def _run(start: str | None) -> None:
    inject_style()
    set_staff_audience(is_staff())  # people with internal visibility are named to signed-in staff only
    language_from_link()
    current = st.navigation(build_pages(start), position="sidebar", expanded=True)  # no English "View more"
    with st.sidebar:
        st.radio(tr(LABELS, "language"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang", horizontal=True)
        keep_language_in_link()
        status = store_status(store())
        _status_line(status)
    if not status["reachable"]:
        _store_down(status)
        return
    if status["entities"] == 0:
        st.warning(tr(LABELS, "empty", what=status["what_to_do"][language()]))
    notice = demo_notice(status, language())
    if notice:  # one shared notice at the top of every page while invented data is loaded
        st.warning(notice, icon=":material/science:")
    try:
        current.run()
    except StoreUnavailable as error:
        st.error(tr(LABELS, "lost"), icon=":material/cloud_off:")
        st.code(str(error), language=None, wrap_lines=True)
