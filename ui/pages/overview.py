"""Overview: what the graph holds, the figures the documents report, where donors come from,
the most connected partners and the latest ingestion."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from graph.schema import NodeKind
from graph.store import GraphStore
from queries.overview import overview
from queries.projection import PROVENANCE_TYPES, cached
from ui import charts
from ui.context import store
from ui.i18n import language, tr
from ui.navigation import open_page
from ui.widgets import entity_name, format_count, format_time, kinds_text

LABELS = {
    "title": ("Tổng quan mạng lưới đối tác VUSTA", "VUSTA's partner network at a glance"),
    "intro": ("Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam: hội thành viên, đối tác, nhà tài trợ, mạng lưới "
              "quốc tế và các số liệu từ tài liệu nguồn.",
              "The Vietnam Union of Science and Technology Associations: member associations, partners, donors, "
              "international networks and the figures its documents report."),
    "entities": ("Thực thể", "Entities"),
    "relationships": ("Quan hệ", "Relationships"),
    "documents": ("Tài liệu nguồn", "Source documents"),
    "partners": ("Đối tác & nhà tài trợ", "Partners & donors"),
    "counted": ("Cách đếm: «Thực thể» là mọi thực thể trong kho, kể cả {docs} tài liệu nguồn (tệp văn bản và trang web "
                "được trích dẫn); «Quan hệ» là các quan hệ kết nối, không tính {links} liên kết ghi nguồn («được nhắc "
                "đến trong», «mô tả») — lệnh nạp dữ liệu có đếm các liên kết này nên báo số lớn hơn.",
                "What is counted: “Entities” are all entities in the store, including {docs} source documents (text "
                "files and cited web pages); “Relationships” are the connecting relationships, leaving out {links} "
                "source links (“mentioned in”, “describes”) — the loader counts those too, so it reports more."),
    "by_kind": ("Thực thể theo loại", "Entities by kind"),
    "by_type": ("Quan hệ theo loại", "Relationships by type"),
    "count": ("Số lượng", "Count"),
    "aid": ("Viện trợ theo năm", "Aid by year"),
    "aid_axis": ("triệu USD", "USD million"),
    "themes": ("Dự án viện trợ theo lĩnh vực", "Aid projects by theme"),
    "sizes": ("Dự án theo quy mô", "Projects by size"),
    "share_axis": ("% số dự án", "% of projects"),
    "origins": ("Nhà tài trợ theo nguồn gốc", "Donors by origin"),
    "donors": ("Số nhà tài trợ", "Donors"),
    "no_figures": ("Chưa có số liệu cho biểu đồ này.", "No figures for this chart yet."),
    "figures_note": ("Số liệu trích từ các tài liệu nguồn; di chuột lên cột để xem nguồn.",
                     "Figures as the source documents report them; hover over a bar for its source."),
    "top": ("Đối tác có nhiều kết nối nhất", "Most connected partners"),
    "top_help": ("Chọn một dòng để mở hồ sơ. Không tính dữ liệu mẫu.",
                 "Select a row to open its profile. Sample data is not counted."),
    "sample_note": ("Trong đó {n} thực thể là dữ liệu mẫu (được đánh dấu “mẫu” ở mọi nơi).",
                    "Of which {n} entities are sample data (marked “sample” everywhere)."),
    "name": ("Tên", "Name"),
    "kinds": ("Loại", "Kinds"),
    "connections": ("Kết nối", "Connections"),
    "latest": ("Lần nạp dữ liệu gần nhất", "Latest ingestion"),
    "latest_line": ("{when} · `{command}` · {created} tạo mới, {updated} cập nhật, {unchanged} không đổi",
                    "{when} · `{command}` · {created} created, {updated} updated, {unchanged} unchanged"),
    "no_runs": ("Chưa có lần nạp nào được ghi lại.", "No ingestion has been logged yet."),
    "all_figures": ("Tất cả số liệu ({n})", "All figures ({n})"),
    "figure": ("Số liệu", "Figure"),
    "value": ("Giá trị", "Value"),
    "when": ("Năm/giai đoạn", "Year/period"),
    "about": ("Về", "About"),
    "source": ("Nguồn", "Source"),
}


def _spec(chart: Any) -> dict[str, Any]:
    """The chart as a Vega-Lite document in the reader's number style, made once (Altair checks
    every chart against its schema: half a second for this page's six)."""
    return charts.localised(chart, language()).to_dict()


def _chart_specs(data: dict[str, Any]) -> dict[str, dict[str, Any] | None]:
    """The page's charts as Vega-Lite documents (None where there is nothing to draw)."""
    figures = data["charts"]
    relationships = {t: n for t, n in data["relationships_by_type"].items() if t not in PROVENANCE_TYPES}
    makers = {
        "aid": (figures["aid_by_year"], lambda rows: charts.money_chart(rows, tr(LABELS, "aid_axis"))),
        "themes": (figures["theme_share"], lambda rows: charts.share_chart(rows, tr(LABELS, "share_axis"))),
        "sizes": (figures["project_size"], lambda rows: charts.band_chart(rows, tr(LABELS, "share_axis"))),
        "origins": (data["donor_origins"], lambda rows: charts.origins_chart(rows, tr(LABELS, "donors"))),
        "by_kind": (data["entities_by_kind"], lambda counts: charts.kinds_chart(counts, tr(LABELS, "count"))),
        "by_type": (relationships, lambda counts: charts.relationships_chart(counts, tr(LABELS, "count"))),
    }
    return {name: _spec(make(rows)) if rows else None for name, (rows, make) in makers.items()}


def chart_specs(graph_store: GraphStore, data: dict[str, Any]) -> dict[str, dict[str, Any] | None]:
    """:func:`_chart_specs` once per graph version and language (the app's warm-up makes the
    Vietnamese ones before the first reader comes)."""
    return cached(graph_store, f"overview_charts_{language()}", lambda: _chart_specs(data))


def _chart(title: str, spec: dict[str, Any] | None, rows: list[dict[str, Any]] = (), with_years: bool = False) -> None:
    years = sorted({str(r["when"]) for r in rows if r.get("when")}) if with_years else []
    st.subheader(f"{title} ({', '.join(years)})" if years else title)
    if spec is not None:
        st.vega_lite_chart(spec, width="stretch")
    else:
        st.info(tr(LABELS, "no_figures"))


def _top_partners(rows: list[dict[str, Any]]) -> None:
    st.subheader(tr(LABELS, "top"))
    frame = pd.DataFrame([{tr(LABELS, "name"): entity_name(r), tr(LABELS, "kinds"): kinds_text(r["kinds"]),
                           tr(LABELS, "connections"): r["connections"]} for r in rows])
    top = max((r["connections"] for r in rows), default=1) or 1
    event = st.dataframe(
        frame, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="top-partners",
        column_config={tr(LABELS, "name"): st.column_config.TextColumn(width=180),
                       tr(LABELS, "kinds"): st.column_config.TextColumn(width=165),
                       tr(LABELS, "connections"): st.column_config.ProgressColumn(
                           format="%d", min_value=0, max_value=top, width=75)})
    st.caption(tr(LABELS, "top_help"))
    selected = getattr(getattr(event, "selection", None), "rows", None) if event is not None else None
    if selected:
        entity_id = rows[selected[0]]["id"]
        st.session_state["selected_entity"] = entity_id
        open_page("profile", id=entity_id)


def _latest(runs: list[dict[str, Any]]) -> None:
    st.subheader(tr(LABELS, "latest"))
    if not runs:
        st.info(tr(LABELS, "no_runs"))
        return
    run = runs[0]
    st.markdown(tr(LABELS, "latest_line", when=format_time(run.get("finished_at") or run.get("started_at")),
                   command=run.get("command", ""), created=run.get("created", 0), updated=run.get("updated", 0),
                   unchanged=run.get("unchanged", 0)))


def _all_figures(figures: list[dict[str, Any]]) -> None:
    lang = language()
    with st.expander(tr(LABELS, "all_figures", n=len(figures))):
        frame = pd.DataFrame([{
            tr(LABELS, "figure"): f["label"] if lang == "vi" else (f["label_en"] or f["label"]),
            tr(LABELS, "value"): charts.qualified(f),
            tr(LABELS, "when"): f["when"],
            tr(LABELS, "about"): (f["subject_name_en"] if lang == "en" and f["subject_name_en"] else f["subject_name"])
            or f["subject"],
            tr(LABELS, "source"): "; ".join(f"{s.get('document')}:{s.get('line', '')}" for s in f["sources"]),
        } for f in figures])
        st.dataframe(frame, hide_index=True, width="stretch")


def page() -> None:
    data = overview(store())
    st.title(tr(LABELS, "title"))
    st.caption(tr(LABELS, "intro"))
    columns = st.columns(4)
    by_kind = data["entities_by_kind"]
    for column, key, value in zip(columns, ("entities", "relationships", "documents", "partners"),
                                  (data["entities"], data["relationships"], by_kind.get(NodeKind.DOCUMENT, 0),
                                   data["partners"])):
        column.metric(tr(LABELS, key), format_count(value))
    provenance = sum(n for t, n in data["relationships_by_type"].items() if t in PROVENANCE_TYPES)
    st.caption(tr(LABELS, "counted", docs=format_count(by_kind.get(NodeKind.DOCUMENT, 0)),
                  links=format_count(provenance)))
    if data["sample_entities"]:
        st.caption(tr(LABELS, "sample_note", n=format_count(data["sample_entities"])))

    specs = chart_specs(store(), data)
    _chart(tr(LABELS, "aid"), specs["aid"])
    themes, sizes = st.columns(2, gap="large")
    with themes:
        _chart(tr(LABELS, "themes"), specs["themes"], data["charts"]["theme_share"], with_years=True)
    with sizes:
        _chart(tr(LABELS, "sizes"), specs["sizes"], data["charts"]["project_size"], with_years=True)
    st.caption(tr(LABELS, "figures_note"))
    _all_figures(data["figures"])

    left, right = st.columns(2, gap="large")
    with left:
        _chart(tr(LABELS, "origins"), specs["origins"])
        _latest(data["latest_runs"])
    with right:
        _top_partners(data["top_partners"])

    left, right = st.columns(2, gap="large")
    with left:
        _chart(tr(LABELS, "by_kind"), specs["by_kind"])
    with right:
        _chart(tr(LABELS, "by_type"), specs["by_type"])
