"""Profile: one entity's names, kinds, properties, relationships (grouped, with roles and dates),
the source of every fact (document and sentence) and a small map of its neighbourhood."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import quote

import streamlit as st

from graph.schema import HOME_ID, RELATIONSHIP_PROPERTY_LABELS, RelationshipType, kind_label, property_label
from queries.documents import document_titles
from queries.neighbourhood import neighbourhood
from queries.projection import projection
from queries.profile import NotFound, show
from ui.context import store
from ui.i18n import language, tr
from ui.navigation import open_page
from ui.network_html import map_library, render_network
from ui.vocabulary import value_text
from ui.widgets import (documents_notice, entity_name, entity_picker, format_count, h, kind_badges, md, source_text,
                        verb)

LABELS = {
    "pick": ("Thực thể", "Entity"),
    "pick_help": ("Tìm như trang Tìm kiếm: tên, tên khác, tên viết tắt, có dấu hay không dấu, tiếng Anh",
                  "Found like on the Search page: name, alias, acronym, with or without accents, English"),
    "not_found": ("Không tìm thấy thực thể này.", "This entity was not found."),
    "unknown_id": ("Không có thực thể nào có mã “{id}”. Hãy chọn một thực thể khác hoặc tìm ở trang Tìm kiếm.",
                   "There is no entity with id “{id}”. Pick another entity or use the Search page."),
    "show_all": ("Xem toàn bộ {what} ({n} ký tự)", "Show all of {what} ({n} characters)"),
    "download_text": ("Tải toàn bộ {what}", "Download all of {what}"),
    "sample": ("Dữ liệu mẫu: thực thể này được tạo ra để minh họa, không phải sự thật từ tài liệu.",
               "Sample data: this entity was made up for demonstration; it is not a fact from the documents."),
    "aliases": ("Tên gọi khác", "Other names"),
    "english": ("Tên tiếng Anh", "English name"),
    "properties": ("Thuộc tính", "Properties"),
    "property": ("Thuộc tính", "Property"),
    "value": ("Giá trị", "Value"),
    "no_properties": ("Không có thuộc tính khác.", "No other properties."),
    "sources": ("Nguồn của thực thể", "Where this entity comes from"),
    "no_sources": ("Chưa ghi nguồn.", "No source recorded."),
    "relationships": ("Quan hệ ({n})", "Relationships ({n})"),
    "rest": ("{n} quan hệ khác, trong bảng:", "{n} more, in a table:"),
    "col_relationship": ("Quan hệ", "Relationship"),
    "col_kinds": ("Loại", "Kind"),
    "col_details": ("Chi tiết", "Details"),
    "col_sources": ("Nguồn", "Sources"),
    "col_id": ("Mã", "Id"),
    "no_relationships": ("Chưa có quan hệ nào.", "No relationships yet."),
    "mentioned": ("Được nhắc đến trong {n} tài liệu", "Mentioned in {n} documents"),
    "source": ("Nguồn", "Source"),
    "no_rel_source": ("chưa ghi nguồn", "no source recorded"),
    "neighbourhood": ("Quan hệ gần nhất", "Nearest connections"),
    "contact_hidden": ("Thông tin liên hệ được ẩn vì người này chưa đồng ý chia sẻ.",
                       "Contact details are hidden: this person has not consented to share them."),
    "all_sources": ("Tất cả {n} nguồn", "All {n} sources"),
    "sample_hidden": ("Bản đồ nhỏ không hiện {k} thực thể dữ liệu mẫu.",
                      "The small map leaves out {k} sample-data entities."),
    "more": ("Bản đồ nhỏ chỉ hiện các quan hệ quan trọng nhất; còn {k} thực thể khác — mở bản đồ quan hệ để xem.",
             "This small map shows the most important connections; {k} more — open the relationship map."),
    "open_map": ("Mở trên bản đồ quan hệ", "Open on the relationship map"),
    "paths_from": ("Tìm đường kết nối từ đây", "Find connections from here"),
    **RELATIONSHIP_PROPERTY_LABELS,
    "line": ("dòng", "line"),
}
SMALL_MAP_NODES = 12
SOURCES_SHOWN = 3
# Relationships of a type written out with their sources; the rest of the type go into one table (a
# large donor has over a thousand: as many text blocks took the browser 7 s to draw at 100k entities).
RELATIONSHIPS_WRITTEN = 25
DETAIL_KEYS = ("role", "since", "until", "year", "date", "amount", "status", "note", "confidence")


LONG_TEXT = 2000          # characters of a property shown at first
FULL_TEXT_SHOWN = 200_000  # characters shown by "show all"; the whole value is downloadable


def _shortened(text: str) -> str:
    return text if len(text) <= LONG_TEXT else text[:LONG_TEXT].rstrip() + " …"


def _show_all(entity_id: str, properties: dict[str, Any]) -> None:
    """A "show all" switch for each long text (a 10 MB description is not sent to the browser
    unless asked for; beyond FULL_TEXT_SHOWN characters it is offered as a file)."""
    for key, value in properties.items():
        text = _value(value)
        if len(text) <= LONG_TEXT:
            continue
        label = _property_label(key)
        if st.toggle(tr(LABELS, "show_all", what=label, n=format_count(len(text))), key=f"profile-all-{key}"):
            st.text(text[:FULL_TEXT_SHOWN])
            if len(text) > FULL_TEXT_SHOWN:
                st.download_button(tr(LABELS, "download_text", what=label), text.encode("utf-8"),
                                   file_name=f"{entity_id}-{key}.txt", mime="text/plain", key=f"profile-file-{key}")


def _current(ids: set[str]) -> str | None:
    asked = st.query_params.get("id")
    if asked and asked != st.session_state.get("_profile_query"):
        st.session_state["_profile_query"] = asked
        st.session_state["selected_entity"] = asked
    current = st.session_state.get("selected_entity")
    if current not in ids:
        current = HOME_ID if HOME_ID in ids else next(iter(sorted(ids)), None)
    return current


def _picked(chosen: str | None) -> None:
    st.session_state["selected_entity"] = chosen
    st.session_state["_profile_query"] = chosen
    st.query_params["id"] = chosen


def _value(value: Any) -> str:
    if isinstance(value, (list, str)):
        from ui.context import store

        return value_text(value, language(), store())
    if isinstance(value, float) and value.is_integer():
        return format_count(int(value))
    return str(value)


def _property_label(key: str) -> str:
    return property_label(key, language())


def visible_properties(profile: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The properties to show, and whether contact details were held back (no consent)."""
    properties = {k: v for k, v in profile["properties"].items() if v not in (None, "", [])}
    return properties, bool(profile.get("contact_hidden"))


def _details(props: dict[str, Any]) -> str:
    parts = []
    for key in DETAIL_KEYS:
        value = props.get(key)
        if value is None or value == "" or (key == "confidence" and float(value) >= 1):
            continue
        if key == "amount" and props.get("currency"):
            value = f"{_value(value)} {props['currency']}"
        parts.append(f"{tr(LABELS, key)}: {_value(value)}")
    return " · ".join(parts)


def _link(entity: dict[str, Any]) -> str:
    return f"[{md(entity['name'])}](profile?id={quote(entity['id'])})"


def _sources_html(sources: list[dict[str, Any]], titles: dict[str, str]) -> str:
    if not sources:
        return f"\n\n<div class='vusta-muted'>{h(tr(LABELS, 'source'))}: {h(tr(LABELS, 'no_rel_source'))}</div>"
    out = []
    for source in sources:
        out.append(f"<div class='vusta-muted'>{h(tr(LABELS, 'source'))}: {h(source_text(source, titles))}</div>")
        if source.get("sentence"):
            out.append(f"<div class='vusta-quote'>“{h(source['sentence'])}”</div>")
    return "\n\n" + "".join(out)


def _relationship_groups(profile: dict[str, Any], titles: dict[str, str]) -> None:
    relationships = [r for r in profile["relationships"] if r["type"] != RelationshipType.MENTIONED_IN.value]
    st.subheader(tr(LABELS, "relationships", n=len(relationships)))
    if not relationships:
        st.info(tr(LABELS, "no_relationships"))
        return
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rel in relationships:
        groups[rel["type"]].append(rel)
    me = {"id": profile["id"], "name": profile["name"]}
    lang = language()
    for rel_type, rels in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        title = f"{verb(rel_type)[:1].upper()}{verb(rel_type)[1:]} · {len(rels)}"
        rels = sorted(rels, key=lambda r: (r["direction"], r["other"]["name"] or ""))
        with st.expander(title, expanded=len(relationships) <= 25 or len(rels) <= 3):
            written = []
            for rel in rels[:RELATIONSHIPS_WRITTEN]:
                other = rel["other"]
                first, second = (me, other) if rel["direction"] == "out" else (other, me)
                sentence = (f"**{md(first['name']) if first is me else _link(first)}** {md(verb(rel_type))} "
                            f"**{md(second['name']) if second is me else _link(second)}**")
                details = _details(rel["properties"])
                badges = kind_badges(other["kinds"])
                written.append(f"{sentence} {badges}" + (f"  \n<span class='vusta-muted'>{md(details)}</span>"
                                                         if details else "") + _sources_html(rel["sources"], titles))
            st.markdown("\n\n".join(written), unsafe_allow_html=True)
            rest = rels[RELATIONSHIPS_WRITTEN:]
            if rest:
                st.caption(tr(LABELS, "rest", n=format_count(len(rest))))
                st.dataframe(_relationship_table(me, rel_type, rest, titles, lang), hide_index=True,
                             width="stretch", key=f"profile-rest-{rel_type}")


def _relationship_table(me: dict[str, Any], rel_type: str, rels: list[dict[str, Any]], titles: dict[str, str],
                        lang: str) -> dict[str, list[str]]:
    """Relationships as table columns (plain text: a table shows no markup), in the chosen language."""
    columns: dict[str, list[str]] = {tr(LABELS, k): [] for k in
                                     ("col_relationship", "col_kinds", "col_details", "col_sources", "col_id")}
    for rel in rels:
        other = rel["other"]
        first, second = (me, other) if rel["direction"] == "out" else (other, me)
        row = (f"{first['name']} {verb(rel_type)} {second['name']}",
               ", ".join(kind_label(k, lang) for k in other["kinds"]), _details(rel["properties"]),
               "; ".join(source_text(s, titles) for s in rel["sources"]) or tr(LABELS, "no_rel_source"),
               other["id"])
        for column, value in zip(columns.values(), row):
            column.append(value)
    return columns


def _mentions(profile: dict[str, Any], titles: dict[str, str]) -> None:
    mentions = [r for r in profile["relationships"] if r["type"] == RelationshipType.MENTIONED_IN.value]
    if not mentions:
        return
    with st.expander(tr(LABELS, "mentioned", n=len(mentions))):
        items = []
        for rel in mentions:
            lines = ", ".join(str(s.get("line")) for s in rel["sources"] if s.get("line"))
            name = titles.get(rel["other"]["id"], rel["other"]["name"])
            items.append(f"- {md(name)} ({md(rel['other']['id'])}" + (f", {md(tr(LABELS, 'line'))} {md(lines)}"
                                                                        if lines else "") + ")")
        st.markdown("\n".join(items))


def page() -> None:
    graph = store()
    ids = set(projection(graph).entities)
    asked = st.query_params.get("id")
    if asked and asked not in ids and asked != st.session_state.get("_profile_query"):
        st.warning(tr(LABELS, "unknown_id", id=md(asked)))  # never another entity's profile in its place
        return
    current = _current(ids)
    if current is None:
        st.info(tr(LABELS, "not_found"))
        return
    if st.session_state.get("_profile_shown") != current:
        st.session_state["profile-entity"] = current
        st.session_state.pop("profile-entity__q", None)
    chosen = entity_picker(tr(LABELS, "pick"), "profile-entity", graph, leave_out=(), help=tr(LABELS, "pick_help"))
    if chosen and chosen != current:
        _picked(chosen)
        current = chosen
    st.session_state["_profile_shown"] = current
    try:
        profile = show(graph, current, documents_dir=graph.settings.documents_dir)
    except NotFound:
        st.warning(tr(LABELS, "not_found"))
        return
    titles = document_titles(graph, language())

    title = entity_name(profile)
    st.title(md(title))
    other_name = profile["name"] if title != profile["name"] else profile.get("name_en")
    if other_name and other_name != title:
        st.caption(md(other_name))
    st.markdown(kind_badges(profile["kinds"], profile["sample"]), unsafe_allow_html=True)
    if profile["sample"]:
        st.warning(tr(LABELS, "sample"), icon=":material/science:")

    left, right = st.columns([3, 2], gap="large")
    with left:
        if profile["aliases"]:
            st.markdown(f"**{md(tr(LABELS, 'aliases'))}:** " + " · ".join(md(a) for a in profile["aliases"]))
        st.subheader(tr(LABELS, "properties"))
        properties, hidden = visible_properties(profile)
        if properties:
            st.markdown("  \n".join(f"**{md(_property_label(k))}:** {md(_shortened(_value(v)))}"
                                     for k, v in properties.items()))
            _show_all(profile["id"], properties)
        else:
            st.caption(tr(LABELS, "no_properties"))
        if hidden:
            st.caption(tr(LABELS, "contact_hidden"))
        st.subheader(tr(LABELS, "sources"))
        documents_notice(graph.settings.documents_dir)
        if profile["sources"]:
            st.markdown(_sources_html(profile["sources"][:SOURCES_SHOWN], titles), unsafe_allow_html=True)
            if len(profile["sources"]) > SOURCES_SHOWN:
                with st.expander(tr(LABELS, "all_sources", n=len(profile["sources"]))):
                    st.markdown(_sources_html(profile["sources"][SOURCES_SHOWN:], titles), unsafe_allow_html=True)
        else:
            st.caption(tr(LABELS, "no_sources"))
        _mentions(profile, titles)
    with right:
        st.subheader(tr(LABELS, "neighbourhood"))
        hood = neighbourhood(graph, [profile["id"]], depth=1, max_nodes=SMALL_MAP_NODES,
                             include_sample=profile["sample"])
        st.iframe(render_network(hood, language(), height=400, library=map_library(),
                                 edge_labels=len(hood["nodes"]) <= 10,
                                 compact=True), height="content")
        if hood["omitted"]:
            st.caption(tr(LABELS, "more", k=hood["omitted"]))
        if hood["sample_hidden"]:
            st.caption(tr(LABELS, "sample_hidden", k=hood["sample_hidden"]))
        if st.button(tr(LABELS, "open_map"), key="profile-open-map", icon=":material/hub:", width="stretch"):
            st.session_state["map-seeds"] = [profile["id"]]
            open_page("network", ids=profile["id"])
        if st.button(tr(LABELS, "paths_from"), key="profile-open-paths", icon=":material/route:", width="stretch"):
            st.session_state["paths-from"] = profile["id"]
            open_page("paths", a=profile["id"])
    from ui.iati_portfolio import render_iati_portfolio  # a donor's IATI portfolio (ingest/iati/)
    render_iati_portfolio(graph, profile["id"])
    _relationship_groups(profile, titles)
    from ui.history import show_entity_history  # who changed what (the curation helper's module)
    show_entity_history(profile["id"])
