"""Diaspora: overseas Vietnamese intellectuals — where they are, what they know, the communities
of the network, its bridges, and who could introduce us. Personal data: no contact details
without consent, private people never named (queries/diaspora.py applies the rules)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from queries.diaspora import (
    by_country,
    by_field,
    bridges,
    communities,
    experts,
    introducers,
    overseas_people,
)
from queries.profile import NotFound
from queries.search import SearchError
from ui.context import store
from ui.i18n import language, tr
from ui.widgets import entity_picker, md, sample_badge

LABELS = {
    "title": ("Mạng lưới trí thức người Việt ở nước ngoài", "Overseas Vietnamese intellectuals"),
    "intro": ("Họ ở đâu, giỏi lĩnh vực gì, gắn bó với ai, và ai có thể giúp một dự án.",
              "Where they are, what they know, whom they are tied to, and who could help a project."),
    "empty": ("Chưa có dữ liệu trí thức ở nước ngoài. Nạp danh sách mẫu bằng lệnh: "
              "`python -m ingest.sample_roster --load` (xem README, mục Diaspora).",
              "No overseas intellectuals yet. Load the sample roster with "
              "`python -m ingest.sample_roster --load` (see the README, section Diaspora)."),
    "sample": ("Danh sách này là dữ liệu mẫu (giả lập) để minh họa.",
               "This roster is sample (invented) data for demonstration."),
    "privacy": ("Thông tin liên hệ chỉ hiện khi người đó đã đồng ý; người chọn chế độ riêng tư không được nêu tên.",
                "Contact details appear only with the person's consent; people who chose privacy are never named."),
    "people": ("Trí thức", "People"),
    "countries": ("Quốc gia", "Countries"),
    "fields": ("Lĩnh vực", "Fields"),
    "consent": ("Đã đồng ý liên hệ", "Consented to contact"),
    "by_country": ("Theo quốc gia cư trú", "By country of residence"),
    "by_field": ("Theo lĩnh vực chuyên môn", "By field of expertise"),
    "map": ("Bản đồ thế giới (mỗi vòng tròn là một quốc gia)", "World map (one circle per country)"),
    "experts": ("Tìm chuyên gia theo chủ đề", "Find experts on a theme"),
    "theme": ("Chủ đề", "Theme"),
    "country": ("Quốc gia (tùy chọn)", "Country (optional)"),
    "any": ("Tất cả", "All"),
    "found": ("{n} chuyên gia; xếp theo mức phù hợp và độ gần với Liên hiệp Hội Việt Nam.",
              "{n} experts, ranked by fit and closeness to VUSTA."),
    "communities": ("Các cộng đồng trong mạng lưới", "Communities in the network"),
    "communities_help": ("Phát hiện cộng đồng bằng thuật toán Louvain trên mạng quan hệ của trí thức.",
                         "Communities found with the Louvain algorithm on the intellectuals' ties."),
    "bridges": ("Cầu nối giữa trí thức ở nước ngoài và các tổ chức trong nước",
                "Bridges between the diaspora and home institutions"),
    "bridges_help": ("Người hoặc tổ chức mang nhiều đường ngắn nhất nhất từ trí thức ở nước ngoài tới các hội, "
                     "tổ chức trong nước (độ trung gian); nếu thiếu họ, mạng lưới dễ bị chia cắt.",
                     "People or institutions carrying the most shortest paths from the diaspora to home "
                     "institutions (betweenness); without them the network would split."),
    "introduce": ("Ai có thể giới thiệu chúng ta với…", "Who could introduce us to…"),
    "target": ("Người hoặc tổ chức cần tiếp cận", "Person or organisation to reach"),
    "no_path": ("Chưa thấy đường kết nối nào.", "No connection found yet."),
    "col_name": ("Họ tên", "Name"), "col_position": ("Vị trí", "Position"),
    "col_institution": ("Cơ quan", "Institution"), "col_city": ("Thành phố", "City"),
    "col_country": ("Quốc gia", "Country"), "col_score": ("Điểm", "Score"),
    "col_distance": ("Số bước tới VUSTA", "Steps to VUSTA"), "col_contact": ("Liên hệ", "Contact"),
    "col_size": ("Quy mô", "Size"), "col_people": ("Số người", "People"),
    "col_anchors": ("Nút neo", "Anchors"), "col_fields": ("Lĩnh vực chính", "Main fields"),
    "col_betweenness": ("Độ trung gian", "Betweenness"), "col_ties": ("Số quan hệ", "Ties"),
    "col_paths": ("Số đường đi qua", "Paths through"), "col_kind": ("Loại", "Kind"),
    "no_consent": ("— (chưa đồng ý)", "— (no consent)"),
}


def _country_map(countries: list[dict]) -> alt.Chart:
    """Circles at each country's centre over a graticule: drawn offline, no map tiles."""
    data = pd.DataFrame([c for c in countries if c["lat"] is not None])
    sphere = alt.Chart(alt.sphere()).mark_geoshape(fill="#eef6fb", stroke="#cbd5e1")
    graticule = alt.Chart(alt.graticule(step=[30, 30])).mark_geoshape(stroke="#dbe4ec", strokeWidth=0.5)
    points = alt.Chart(data).mark_circle(color="#db2777", opacity=0.7, stroke="white").encode(
        longitude="lon:Q", latitude="lat:Q", size=alt.Size("people:Q", scale=alt.Scale(range=[40, 2200]), legend=None),
        tooltip=["country:N", "people:Q"])
    labels = alt.Chart(data).mark_text(dy=-14, fontSize=11, color="#334155").encode(
        longitude="lon:Q", latitude="lat:Q", text="country:N")
    return (sphere + graticule + points + labels).project("equalEarth").properties(height=380)


def page() -> None:
    graph = store()
    lang = language()
    st.title(tr(LABELS, "title"))
    st.caption(tr(LABELS, "intro"))
    people = overseas_people(graph)
    if not people:
        st.info(tr(LABELS, "empty"))
        return
    if any(p.get("sample") for p in people):
        st.markdown(f"{sample_badge()} {md(tr(LABELS, 'sample'))}", unsafe_allow_html=True)
    st.caption(tr(LABELS, "privacy"))
    countries = by_country(graph)
    fields = by_field(graph)
    cols = st.columns(4)
    cols[0].metric(tr(LABELS, "people"), f"{len(people):,}")
    cols[1].metric(tr(LABELS, "countries"), len(countries))
    cols[2].metric(tr(LABELS, "fields"), len(fields))
    cols[3].metric(tr(LABELS, "consent"), f"{sum(1 for p in people if p.get('consent')):,}")

    st.subheader(tr(LABELS, "map"))
    st.altair_chart(_country_map(countries), width="stretch")
    left, right = st.columns(2)
    with left:
        st.subheader(tr(LABELS, "by_country"))
        frame = pd.DataFrame(countries)[["country", "people"]]
        st.altair_chart(alt.Chart(frame).mark_bar(color="#db2777").encode(
            x=alt.X("people:Q", title=tr(LABELS, "col_people")),
            y=alt.Y("country:N", sort="-x", title=None)).properties(height=360), width="stretch")
    with right:
        st.subheader(tr(LABELS, "by_field"))
        frame = pd.DataFrame([{"field": f["name"] if lang == "vi" else (f["name_en"] or f["name"]),
                               "people": f["people"]} for f in fields])
        st.altair_chart(alt.Chart(frame).mark_bar(color="#a855f7").encode(
            x=alt.X("people:Q", title=tr(LABELS, "col_people")),
            y=alt.Y("field:N", sort="-x", title=None)).properties(height=360), width="stretch")

    st.subheader(tr(LABELS, "experts"))
    theme_options = [f["field"] for f in fields]
    theme_names = {f["field"]: (f["name"] if lang == "vi" else (f["name_en"] or f["name"])) for f in fields}
    first, second = st.columns(2)
    theme = first.selectbox(tr(LABELS, "theme"), theme_options, format_func=lambda t: theme_names.get(t, t),
                            key="diaspora-theme")
    country = second.selectbox(tr(LABELS, "country"), ["", *[c["country"] for c in countries]],
                               format_func=lambda c: c or tr(LABELS, "any"), key="diaspora-country")
    try:
        found = experts(graph, theme, country=country or None, limit=50)
    except (SearchError, NotFound) as error:
        st.warning(str(error))
        found = {"experts": [], "total": 0}
    st.caption(tr(LABELS, "found", n=found["total"]))
    if found["experts"]:
        st.dataframe(pd.DataFrame([{
            tr(LABELS, "col_name"): p["name"],
            tr(LABELS, "col_position"): p.get("position"),
            tr(LABELS, "col_institution"): p.get("institution"),
            tr(LABELS, "col_city"): p.get("city"),
            tr(LABELS, "col_country"): p.get("country"),
            tr(LABELS, "col_score"): p["score"],
            tr(LABELS, "col_distance"): p["distance_to_vusta"],
            tr(LABELS, "col_contact"): ", ".join(p.get("contact", {}).values()) or tr(LABELS, "no_consent"),
        } for p in found["experts"]]), hide_index=True, width="stretch",
            column_config={tr(LABELS, "col_score"): st.column_config.ProgressColumn(
                tr(LABELS, "col_score"), min_value=0.0, max_value=1.0, format="%.2f")})

    left, right = st.columns(2)
    with left:
        st.subheader(tr(LABELS, "communities"))
        st.caption(tr(LABELS, "communities_help"))
        groups = communities(graph)
        st.dataframe(pd.DataFrame([{
            "#": g["community"],
            tr(LABELS, "col_people"): g["people"],
            tr(LABELS, "col_country"): ", ".join(f"{c['country']} ({c['people']})" for c in g["countries"]),
            tr(LABELS, "col_fields"): ", ".join(f["name"] for f in g["fields"]),
            tr(LABELS, "col_anchors"): ", ".join(a["name"] for a in g["anchors"][:3]),
        } for g in groups[:12]]), hide_index=True, width="stretch")
    with right:
        st.subheader(tr(LABELS, "bridges"))
        st.caption(tr(LABELS, "bridges_help"))
        st.dataframe(pd.DataFrame([{
            tr(LABELS, "col_name"): b["name"],
            tr(LABELS, "col_kind"): ", ".join(b["kinds"]),
            tr(LABELS, "col_betweenness"): b["betweenness"],
            tr(LABELS, "col_ties"): b["ties"],
        } for b in bridges(graph)]), hide_index=True, width="stretch")

    st.subheader(tr(LABELS, "introduce"))
    target = entity_picker(tr(LABELS, "target"), "diaspora-target", graph)
    if target:
        try:
            result = introducers(graph, target)
        except NotFound as error:
            st.warning(str(error))
            return
        if not result["paths"]:
            st.info(tr(LABELS, "no_path"))
            return
        st.dataframe(pd.DataFrame([{
            tr(LABELS, "col_name"): i["name"], tr(LABELS, "col_kind"): ", ".join(i["kinds"]),
            tr(LABELS, "col_paths"): i["paths"]} for i in result["introducers"]]),
            hide_index=True, width="stretch")
        for path in result["paths"]:
            st.markdown("- " + md(path["sentence_vi"] if lang == "vi" else path["sentence_en"]))
