"""Paths: how two entities are connected — several shortest paths, as sentences and as a map."""

from __future__ import annotations

import streamlit as st

from graph.schema import kind_label
from queries.neighbourhood import MAP_KINDS, entity_choices, path_network
from queries.paths import find_paths
from queries.profile import NotFound
from ui.context import store
from ui.errors import error_message
from ui.i18n import language, tr
from ui.network_html import map_library, render_network
from ui.widgets import entity_name, entity_picker, h, md, placeholder, remember, restore

LABELS = {
    "title": ("Đường kết nối", "Paths"),
    "intro": ("A và B kết nối với nhau như thế nào? Các đường ngắn nhất, đọc thành câu và vẽ thành bản đồ.",
              "How are A and B connected? The shortest paths, read as sentences and drawn as a map."),
    "a": ("Từ (A)", "From (A)"),
    "b": ("Đến (B)", "To (B)"),
    "limit": ("Số đường", "Number of paths"),
    "max_length": ("Tối đa số bước", "At most this many steps"),
    "avoid": ("Không đi qua các loại", "Do not pass through"),
    "avoid_help": ("Ví dụ: bỏ qua cơ quan nhà nước để tìm kết nối trực tiếp giữa các tổ chức.",
                   "For example, leave out government bodies to find direct ties between organisations."),
    "same": ("Hãy chọn hai thực thể khác nhau.", "Choose two different entities."),
    "none": ("Không tìm thấy đường kết nối nào trong vòng {n} bước.", "No connection within {n} steps."),
    "found": ("{n} đường kết nối", "{n} paths"),
    "steps": ("{n} bước", "{n} steps"),
    "similarity": ("chỉ là tương đồng: cùng quan tâm một chủ đề, không phải quen biết",
                   "similarity only: both focus on the same theme, not an acquaintance"),
    "map_title": ("Đường kết nối: {a} ↔ {b}", "Paths: {a} ↔ {b}"),
}


def _default(key: str, query: str, preferred: str, ids: list[str], fallback: int) -> None:
    asked = st.query_params.get(query)
    if asked and asked in ids and asked != st.session_state.get(f"_paths_query_{query}"):
        st.session_state[f"_paths_query_{query}"] = asked
        st.session_state[key] = asked
        st.session_state.pop(f"{key}__q", None)
    restore(key, preferred if preferred in ids else ids[min(fallback, len(ids) - 1)])


def page() -> None:
    graph = store()
    lang = language()
    st.title(tr(LABELS, "title"))
    st.caption(tr(LABELS, "intro"))
    choices = entity_choices(graph)
    ids = [c["id"] for c in choices]
    if len(ids) < 2:
        st.info(tr(LABELS, "same"))
        return
    if st.session_state.get("paths-from") in ids:
        st.session_state["paths-a"] = st.session_state.pop("paths-from")
    _default("paths-a", "a", "hoi-luat-gia", ids, 0)
    _default("paths-b", "b", "giz", ids, 1)
    restore("paths-limit", 3)
    restore("paths-max", 6)
    restore("paths-avoid", [])
    first, second = st.columns(2)
    with first:
        a = entity_picker(tr(LABELS, "a"), "paths-a", graph)
    with second:
        b = entity_picker(tr(LABELS, "b"), "paths-b", graph)
    options = st.columns([1, 1, 2])
    limit = options[0].slider(tr(LABELS, "limit"), 1, 10, key="paths-limit")
    max_length = options[1].slider(tr(LABELS, "max_length"), 1, 8, key="paths-max")
    avoid = options[2].multiselect(tr(LABELS, "avoid"), list(MAP_KINDS), key="paths-avoid", placeholder=placeholder(),
                                   format_func=lambda k: kind_label(k, lang), help=tr(LABELS, "avoid_help"))
    for key in ("paths-a", "paths-b", "paths-limit", "paths-max", "paths-avoid"):
        remember(key)
    if not a or not b or a == b:
        st.info(tr(LABELS, "same"))
        return
    try:
        found = find_paths(graph, a, b, limit=limit, max_length=max_length, avoid_kinds=avoid)
    except NotFound as error:
        st.warning(error_message(error))
        return
    if not found["paths"]:
        st.info(tr(LABELS, "none", n=max_length))
        return
    st.subheader(tr(LABELS, "found", n=len(found["paths"])))
    for number, path in enumerate(found["paths"], start=1):
        similar = (f" · <span class='vusta-similar'>≈ {h(tr(LABELS, 'similarity'))}</span>"
                   if path.get("similarity") else "")
        st.markdown(f"**{number}.** {md(path[f'sentence_{lang}'])} "
                    f"<span class='vusta-muted'>· {md(tr(LABELS, 'steps', n=path['length']))}</span>{similar}",
                    unsafe_allow_html=True)
    hood = path_network(graph, found)
    names = {c["id"]: entity_name(c) for c in choices if c["id"] in (a, b)}
    st.iframe(render_network(hood, lang, height=480, library=map_library(),
                             title=tr(LABELS, "map_title", a=names.get(a, a), b=names.get(b, b))),
              height="content")
