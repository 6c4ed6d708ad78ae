"""Relationship map: an interactive network around chosen entities, filtered by kind, relationship
type, year and theme, coloured by kind and sized by importance, downloadable as one HTML file."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from graph.schema import NodeKind, kind_label, relationship_verb
from queries.neighbourhood import (DEFAULT_MAX_NODES, MAP_KINDS, MAP_RELATIONSHIP_TYPES, UnknownEntities,
                                   entity_choices, neighbourhood, year_range)
from ui.context import store
from ui.i18n import language, tr
from ui.network_html import map_library, render_network
from ui.widgets import entity_multi_picker, kinds_text, placeholder, remember, restore

LABELS = {
    "title": ("Bản đồ quan hệ", "Relationship map"),
    "intro": ("Chọn một hay nhiều thực thể để xem ai kết nối với họ và bằng quan hệ gì.",
              "Choose one or more entities to see who is connected to them, and how."),
    "quick": ("Câu hỏi nhanh:", "Quick questions:"),
    "climate": ("Chúng ta kết nối với ai trong lĩnh vực khí hậu?", "Who are we connected to in climate work?"),
    "donors": ("Nhà tài trợ và đối tác nước ngoài của VUSTA", "VUSTA's donors and foreign partners"),
    "seeds": ("Bắt đầu từ", "Start from"),
    "depth": ("Độ sâu (số bước)", "Depth (steps)"),
    "filters": ("Bộ lọc và hiển thị", "Filters and display"),
    "themes": ("Chỉ công việc thuộc chủ đề", "Only the work on these themes"),
    "themes_help": ("Giữ lại chủ đề, những gì tập trung vào chủ đề và các bên tham gia các hoạt động đó.",
                    "Keeps the theme, what focuses on it, and who takes part in that work."),
    "kinds": ("Chỉ các loại thực thể (trống = tất cả)", "Only these kinds (empty = all)"),
    "types": ("Chỉ các loại quan hệ (trống = tất cả)", "Only these relationship types (empty = all)"),
    "years": ("Năm của quan hệ", "Year of the relationship"),
    "undated": ("Gồm cả quan hệ không ghi năm", "Include undated relationships"),
    "sample": ("Gồm dữ liệu mẫu", "Include sample data"),
    "sample_help": ("Dữ liệu mẫu được tạo ra để minh họa, không phải sự thật; trên bản đồ có viền nét đứt.",
                    "Sample data is made up for demonstration, not fact; it has a dashed outline on the map."),
    "sample_hidden": ("{k} thực thể dữ liệu mẫu không hiện (bật “Gồm dữ liệu mẫu” trong bộ lọc để xem).",
                      "{k} sample-data entities are not shown (turn on “Include sample data” in the filters)."),
    "sample_shown": ("{k} thực thể trên bản đồ là dữ liệu mẫu (viền nét đứt, nhãn “mẫu”).",
                     "{k} entities on the map are sample data (dashed outline, labelled “sample”)."),
    "max_nodes": ("Số thực thể tối đa trên bản đồ", "Most entities on the map"),
    "physics": ("Chuyển động (physics)", "Physics (moving layout)"),
    "physics_help": ("Bật: các điểm tiếp tục chuyển động khi kéo. "
                     "Tắt: bản đồ đứng yên và nhãn được giãn cho khỏi chồng nhau.",
                     "On: the dots keep moving as you drag. Off: the map stays still and labels are spread apart."),
    "edge_labels": ("Luôn hiện nhãn quan hệ", "Always label relationships"),
    "edge_labels_help": ("Mặc định nhãn chỉ hiện khi bản đồ có ít quan hệ; khi nhiều, di chuột lên đường nối để xem.",
                         "By default labels show when there are few relationships; otherwise hover over a line."),
    "choose": ("Chọn ít nhất một thực thể để vẽ bản đồ.", "Choose at least one entity to draw a map."),
    "unknown": ("Không có thực thể nào trong số đã chọn.", "None of the chosen entities is in the graph."),
    "summary": ("{n} thực thể, {m} quan hệ, độ sâu {d}.", "{n} entities, {m} relationships, depth {d}."),
    "omitted": ("Bản đồ có {k} thực thể khác không hiện (giữ lại {n} thực thể gần nhất và quan trọng nhất). "
                "Thu hẹp bằng bộ lọc hoặc tăng số thực thể tối đa.",
                "{k} more entities are left out (the {n} nearest and most important are shown). "
                "Narrow the map with the filters or raise the limit."),
    "download": ("Tải bản đồ (HTML, xem được khi không có mạng)", "Download the map (HTML, works offline)"),
    "table": ("Danh sách thực thể trên bản đồ", "Entities on the map"),
    "name": ("Tên", "Name"), "kind": ("Loại", "Kinds"), "importance": ("Mức quan trọng", "Importance"),
    "distance": ("Số bước", "Steps"),
    "map_title": ("Bản đồ quan hệ: {names}", "Relationship map: {names}"),
}
CLIMATE_THEME = "theme-climate-change"
DONOR_KINDS = [NodeKind.UNION.value, NodeKind.DONOR.value, NodeKind.FOREIGN_PARTNER.value,
               NodeKind.INTERNATIONAL_ORGANISATION.value, NodeKind.NETWORK.value]


def _quick(seeds: list[str], depth: int, themes: list[str], kinds: list[str], max_nodes: int) -> None:
    st.session_state.update({"map-seeds": seeds, "map-depth": depth, "map-themes": themes, "map-kinds": kinds,
                             "map-types": [], "map-max": max_nodes})


def _from_link(valid: set[str]) -> None:
    asked = st.query_params.get("ids")
    if asked and asked != st.session_state.get("_map_query"):
        st.session_state["_map_query"] = asked
        chosen = [i for i in asked.split(",") if i in valid]
        if chosen:
            st.session_state["map-seeds"] = chosen


def _table(hood: dict[str, Any]) -> None:
    lang = language()
    with st.expander(tr(LABELS, "table")):
        frame = pd.DataFrame([{
            tr(LABELS, "name"): n["name_en"] if lang == "en" and n.get("name_en") else n["name"],
            tr(LABELS, "kind"): kinds_text(n["kinds"]),
            tr(LABELS, "distance"): n["distance"],
            tr(LABELS, "importance"): n["importance"],
        } for n in hood["nodes"]])
        st.dataframe(frame, hide_index=True, width="stretch", column_config={
            tr(LABELS, "importance"): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.2f")})


def page() -> None:
    graph = store()
    lang = language()
    st.title(tr(LABELS, "title"))
    st.caption(tr(LABELS, "intro"))
    choices = entity_choices(graph)
    labels = {c["id"]: c["label"] for c in choices}
    themes = entity_choices(graph, kinds=[NodeKind.THEME.value])
    theme_labels = {c["id"]: c["label"] for c in themes}
    default_seed = ["vusta"] if "vusta" in labels else [c["id"] for c in choices[:1]]

    quick = st.columns([1, 3, 3])
    quick[0].markdown(f"<div class='vusta-muted' style='padding-top:0.45rem'>{tr(LABELS, 'quick')}</div>",
                      unsafe_allow_html=True)
    if CLIMATE_THEME in theme_labels:
        quick[1].button(tr(LABELS, "climate"), key="map-quick-climate", icon=":material/eco:", on_click=_quick,
                        args=(default_seed, 2, [CLIMATE_THEME], [], 40))
    quick[2].button(tr(LABELS, "donors"), key="map-quick-donors", icon=":material/volunteer_activism:",
                    on_click=_quick, args=(default_seed, 2, [], DONOR_KINDS, 40))

    for key, default in (("map-seeds", default_seed), ("map-depth", 1), ("map-themes", []), ("map-kinds", []),
                         ("map-types", []), ("map-undated", True), ("map-sample", False),
                         ("map-max", DEFAULT_MAX_NODES),
                         ("map-physics", False), ("map-edge-labels", False)):
        restore(key, default)
    _from_link(set(labels))
    for key, allowed in (("map-seeds", labels), ("map-themes", theme_labels), ("map-kinds", MAP_KINDS),
                         ("map-types", MAP_RELATIONSHIP_TYPES)):
        st.session_state[key] = [v for v in st.session_state.get(key) or [] if v in allowed]

    top = st.columns([4, 1])
    with top[0]:
        seeds = entity_multi_picker(tr(LABELS, "seeds"), "map-seeds", graph)
    depth = top[1].slider(tr(LABELS, "depth"), 1, 3, key="map-depth")
    span = year_range(graph)
    with st.expander(tr(LABELS, "filters"), expanded=False):
        first, second = st.columns(2)
        chosen_themes = first.multiselect(tr(LABELS, "themes"), list(theme_labels), key="map-themes",
                                          placeholder=placeholder(),
                                          format_func=lambda i: theme_labels.get(i, i), help=tr(LABELS, "themes_help"))
        kinds = second.multiselect(tr(LABELS, "kinds"), list(MAP_KINDS), key="map-kinds", placeholder=placeholder(),
                                   format_func=lambda k: kind_label(k, lang))
        types = first.multiselect(tr(LABELS, "types"), list(MAP_RELATIONSHIP_TYPES), key="map-types",
                                  placeholder=placeholder(),
                                  format_func=lambda t: relationship_verb(t, lang))
        years = None
        if span and span[0] < span[1]:
            restore("map-years", span)
            current = tuple(st.session_state["map-years"] or ())
            if len(current) != 2 or current[0] < span[0] or current[1] > span[1]:
                st.session_state["map-years"] = span
            years = second.slider(tr(LABELS, "years"), span[0], span[1], key="map-years")
            remember("map-years")
        undated = second.checkbox(tr(LABELS, "undated"), key="map-undated")
        with_sample = second.checkbox(tr(LABELS, "sample"), key="map-sample", help=tr(LABELS, "sample_help"))
        max_nodes = first.slider(tr(LABELS, "max_nodes"), 10, 300, step=10, key="map-max")
        toggles = second.columns(2)
        physics = toggles[0].toggle(tr(LABELS, "physics"), key="map-physics", help=tr(LABELS, "physics_help"))
        edge_labels = toggles[1].toggle(tr(LABELS, "edge_labels"), key="map-edge-labels",
                                        help=tr(LABELS, "edge_labels_help"))
    for key in ("map-seeds", "map-depth", "map-themes", "map-kinds", "map-types", "map-undated", "map-sample",
                "map-max", "map-physics", "map-edge-labels"):
        remember(key)

    if not seeds and not chosen_themes:
        st.info(tr(LABELS, "choose"))
        return
    year_filter = tuple(years) if years and (tuple(years) != tuple(span or ()) or not undated) else None
    try:
        hood = neighbourhood(graph, list(seeds), depth=depth, kinds=kinds or None, types=types or None,
                             years=year_filter, max_nodes=max_nodes, themes=chosen_themes, include_undated=undated,
                             include_sample=with_sample)
    except UnknownEntities:
        st.warning(tr(LABELS, "unknown"))
        return
    st.caption(tr(LABELS, "summary", n=len(hood["nodes"]), m=len(hood["edges"]), d=hood["depth"]))
    if hood["omitted"]:
        st.warning(tr(LABELS, "omitted", k=hood["omitted"], n=len(hood["nodes"])), icon=":material/filter_alt:")
    shown_sample = sum(1 for n in hood["nodes"] if n["sample"])
    if shown_sample:
        st.warning(tr(LABELS, "sample_shown", k=shown_sample), icon=":material/science:")
    elif hood["sample_hidden"]:
        st.caption(tr(LABELS, "sample_hidden", k=hood["sample_hidden"]))
    names = ", ".join(labels.get(s) or theme_labels.get(s) or s for s in hood["seeds"])
    options = {"physics": physics, "edge_labels": True if edge_labels else None, "height": 720,
               "title": tr(LABELS, "map_title", names=names)}
    st.iframe(render_network(hood, lang, library=map_library(), **options), height="content")
    # the download carries the library itself: it opens without the app
    st.download_button(tr(LABELS, "download"), data=render_network(hood, lang, **options),
                       file_name=f"vusta-map-{'-'.join(hood['seeds'])[:80]}.html",
                       mime="text/html", icon=":material/download:", key="map-download")
    _table(hood)
