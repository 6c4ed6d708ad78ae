"""Diaspora: overseas Vietnamese intellectuals — where they are, what they know, the communities
of the network, its bridges, and who could introduce us. Personal data: no contact details
without consent, private people never named (queries/diaspora.py applies the rules)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

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
from ui.errors import error_message
from ui.i18n import language, tr
from ui.vocabulary import value_text
from ui.widgets import entity_picker, format_count, kinds_text, md, sample_badge

LABELS = {
    "title": ("Mạng lưới trí thức người Việt ở nước ngoài", "Overseas Vietnamese intellectuals"),
    "intro": ("Họ ở đâu, giỏi lĩnh vực gì, gắn bó với ai, và ai có thể giúp một dự án.",
              "Where they are, what they know, whom they are tied to, and who could help a project."),
    "empty": ("Chưa có dữ liệu trí thức ở nước ngoài. Nạp dữ liệu mẫu (danh sách trí thức giả lập) "
              "bằng lệnh: `python -m ingest demo` (xem README, mục Diaspora).",
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


LAND = Path(__file__).resolve().parent.parent / "assets" / "land-110m.json"  # Natural Earth, see its ORIGIN.md
MAP_LABELS = 12  # the biggest countries are named on the map; every country is in the chart beside it


@lru_cache(maxsize=1)
def _land() -> dict:
    return json.loads(LAND.read_text(encoding="utf-8"))


def _spread_labels(rows: list[dict]) -> list[dict]:
    """Label positions that do not pile up: a label moves down (in degrees) while it would overlap one
    already placed (a rough box of its text), so Korea does not sit on Japan."""
    placed: list[tuple[float, float, float]] = []
    out = []
    for row in sorted(rows, key=lambda r: -r["people"])[:MAP_LABELS]:
        lon, lat, width = row["lon"], row["lat"] + 6, 1.6 * len(row["country"])
        for _ in range(12):
            if all(abs(lon - x) * 2 > width + w or abs(lat - y) > 7 for x, y, w in placed):
                break
            lat -= 7
        placed.append((lon, lat, width))
        out.append({**row, "label_lat": lat})
    return out


def _country_map(countries: list[dict]) -> alt.Chart:
    """Circles at each country's centre over Natural Earth's land outlines (bundled): drawn offline."""
    rows = [c for c in countries if c["lat"] is not None]
    data = pd.DataFrame(rows)
    sphere = alt.Chart(alt.sphere()).mark_geoshape(fill="#eef6fb", stroke="#cbd5e1")
    graticule = alt.Chart(alt.graticule(step=[30, 30])).mark_geoshape(stroke="#dbe4ec", strokeWidth=0.5)
    land = alt.Chart(alt.Data(values=_land(), format=alt.DataFormat(type="topojson", feature="land"))).mark_geoshape(
        fill="#e2e8f0", stroke="#94a3b8", strokeWidth=0.5)
    points = alt.Chart(data).mark_circle(color="#E69F00", opacity=0.75, stroke="#7c4a00").encode(
        longitude="lon:Q", latitude="lat:Q", size=alt.Size("people:Q", scale=alt.Scale(range=[40, 2200]), legend=None),
        tooltip=["country:N", "people:Q"])
    labels = alt.Chart(pd.DataFrame(_spread_labels(rows))).mark_text(fontSize=11, color="#1f2937", fontWeight="bold",
                                                                      stroke="white", strokeWidth=0).encode(
        longitude="lon:Q", latitude="label_lat:Q", text="country:N")
    return (sphere + graticule + land + points + labels).project("equalEarth").properties(
        height=440, padding={"top": 12, "bottom": 4, "left": 4, "right": 4})


def _bars(frame: pd.DataFrame, field: str, colour: str, title: str) -> alt.Chart:
    """A horizontal bar chart with every bar named (tall enough for all of them) and its number."""
    axis = alt.Axis(labelOverlap=False, labelLimit=260, title=None)
    base = alt.Chart(frame).encode(y=alt.Y(f"{field}:N", sort="-x", axis=axis),
                                   x=alt.X("people:Q", title=title))
    return (base.mark_bar(color=colour) + base.mark_text(align="left", dx=3, fontSize=11).encode(text="people:Q")
            ).properties(height=max(160, 20 * len(frame)))


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
    def country_name(country: str | None) -> str:
        return value_text(country, lang, graph) if country else ""

    countries = by_country(graph)
    shown_countries = [{**c, "country": country_name(c["country"])} for c in countries]
    fields = by_field(graph)
    cols = st.columns(4)
    cols[0].metric(tr(LABELS, "people"), format_count(len(people)))
    cols[1].metric(tr(LABELS, "countries"), format_count(len(countries)))
    cols[2].metric(tr(LABELS, "fields"), format_count(len(fields)))
    cols[3].metric(tr(LABELS, "consent"), format_count(sum(1 for p in people if p.get("consent"))))

    st.subheader(tr(LABELS, "map"))
    st.altair_chart(_country_map(shown_countries), width="stretch")
    left, right = st.columns(2)
    with left:
        st.subheader(tr(LABELS, "by_country"))
        frame = pd.DataFrame(shown_countries)[["country", "people"]]
        st.altair_chart(_bars(frame, "country", "#E69F00", tr(LABELS, "col_people")), width="stretch")
    with right:
        st.subheader(tr(LABELS, "by_field"))
        frame = pd.DataFrame([{"field": f["name"] if lang == "vi" else (f["name_en"] or f["name"]),
                               "people": f["people"]} for f in fields])
        st.altair_chart(_bars(frame, "field", "#882255", tr(LABELS, "col_people")), width="stretch")

    st.subheader(tr(LABELS, "experts"))
    theme_options = [f["field"] for f in fields]
    theme_names = {f["field"]: (f["name"] if lang == "vi" else (f["name_en"] or f["name"])) for f in fields}
    first, second = st.columns(2)
    theme = first.selectbox(tr(LABELS, "theme"), theme_options, format_func=lambda t: theme_names.get(t, t),
                            key="diaspora-theme")
    chosen = second.multiselect(tr(LABELS, "country"), [c["country"] for c in countries], key="diaspora-countries",
                                format_func=country_name, placeholder=tr(LABELS, "any"))
    found = {"experts": [], "total": 0}
    try:
        for country in chosen or [None]:
            part = experts(graph, theme, country=country, limit=50)
            found["experts"] += part["experts"]
            found["total"] += part["total"]
    except (SearchError, NotFound) as error:
        st.warning(error_message(error))
    found["experts"] = sorted(found["experts"], key=lambda p: -p["score"])[:50]
    st.caption(tr(LABELS, "found", n=found["total"]))
    if found["experts"]:
        st.dataframe(pd.DataFrame([{
            tr(LABELS, "col_name"): p["name"],
            tr(LABELS, "col_position"): p.get("position"),
            tr(LABELS, "col_institution"): p.get("institution"),
            tr(LABELS, "col_city"): p.get("city"),
            tr(LABELS, "col_country"): country_name(p.get("country")),
            tr(LABELS, "col_fields"): ", ".join(theme_names.get(t, t) for t in p.get("expertise") or []),
            tr(LABELS, "col_score"): p["score"],
            tr(LABELS, "col_distance"): p["distance_to_vusta"],
            tr(LABELS, "col_contact"): ", ".join(p.get("contact", {}).values()) or tr(LABELS, "no_consent"),
        } for p in found["experts"]]), hide_index=True, width="stretch",
            column_config={tr(LABELS, "col_score"): st.column_config.ProgressColumn(
                tr(LABELS, "col_score"), min_value=0.0, max_value=1.0, format="%.2f"),
                tr(LABELS, "col_contact"): st.column_config.TextColumn(width="large")})

    left, right = st.columns(2)
    with left:
        st.subheader(tr(LABELS, "communities"))
        st.caption(tr(LABELS, "communities_help"))
        groups = communities(graph)
        st.dataframe(pd.DataFrame([{
            "#": g["community"],
            tr(LABELS, "col_people"): g["people"],
            tr(LABELS, "col_country"): ", ".join(f"{country_name(c['country'])} ({c['people']})" for c in g["countries"]),
            tr(LABELS, "col_fields"): ", ".join(f["name"] for f in g["fields"]),
            tr(LABELS, "col_anchors"): ", ".join(a["name"] for a in g["anchors"][:3]),
        } for g in groups[:12]]), hide_index=True, width="stretch")
    with right:
        st.subheader(tr(LABELS, "bridges"))
        st.caption(tr(LABELS, "bridges_help"))
        st.dataframe(pd.DataFrame([{
            tr(LABELS, "col_name"): b["name"],
            tr(LABELS, "col_kind"): kinds_text(b["kinds"]),
            tr(LABELS, "col_betweenness"): b["betweenness"],
            tr(LABELS, "col_ties"): b["ties"],
        } for b in bridges(graph)]), hide_index=True, width="stretch")

    st.subheader(tr(LABELS, "introduce"))
    target = entity_picker(tr(LABELS, "target"), "diaspora-target", graph)
    if target:
        try:
            result = introducers(graph, target)
        except NotFound as error:
            st.warning(error_message(error))
            return
        if not result["paths"]:
            st.info(tr(LABELS, "no_path"))
            return
        st.dataframe(pd.DataFrame([{
            tr(LABELS, "col_name"): i["name"], tr(LABELS, "col_kind"): kinds_text(i["kinds"]),
            tr(LABELS, "col_paths"): i["paths"]} for i in result["introducers"]]),
            hide_index=True, width="stretch")
        for path in result["paths"]:
            st.markdown("- " + md(path["sentence_vi"] if lang == "vi" else path["sentence_en"]))
