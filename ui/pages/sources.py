"""Data & sources: the source documents and what each contributed, the ingestion log, and
data-quality warnings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.schema import kind_label
from queries.documents import contributions, documents
from queries.overview import ingest_log
from queries.quality import quality_warnings
from ui.context import store
from ui.i18n import language, tr
from ui.vocabulary import value_text
from ui.widgets import documents_notice, format_time, kinds_text, verb

LABELS = {
    "title": ("Dữ liệu & nguồn", "Data & sources"),
    "intro": ("Mỗi sự thật trong đồ thị đều có nguồn: tài liệu nào, ở đoạn nào.",
              "Every fact in the graph has a source: which document, and where in it."),
    "documents_tab": ("Tài liệu nguồn", "Source documents"),
    "log_tab": ("Nhật ký nạp dữ liệu", "Ingestion log"),
    "quality_tab": ("Chất lượng dữ liệu", "Data quality"),
    "document": ("Tài liệu", "Document"),
    "published": ("Ngày", "Published"),
    "publisher": ("Nơi đăng", "Publisher"),
    "kind_of_text": ("Thể loại", "Kind"),
    "entities": ("Thực thể", "Entities"),
    "contributed": ("Đóng góp", "Contributed"),
    "available": ("Có tệp", "File at hand"),
    "no_documents": ("Chưa có tài liệu nguồn nào.", "No source documents yet."),
    "pick": ("Xem đóng góp của tài liệu", "See what a document contributed"),
    "mentioned": ("Thực thể được nhắc đến ({n})", "Entities mentioned ({n})"),
    "facts": ("Quan hệ lấy từ tài liệu này ({n})", "Relationships taken from this document ({n})"),
    "name": ("Tên", "Name"), "kinds": ("Loại", "Kinds"), "lines": ("Dòng", "Lines"),
    "sentence": ("Câu trích", "Sentence"),
    "relationship": ("Quan hệ", "Relationship"),
    "started": ("Bắt đầu", "Started"), "finished": ("Kết thúc", "Finished"), "command": ("Lệnh", "Command"),
    "status": ("Trạng thái", "Status"), "created": ("Tạo mới", "Created"), "updated": ("Cập nhật", "Updated"),
    "unchanged": ("Không đổi", "Unchanged"), "inputs": ("Tệp đầu vào", "Inputs"),
    "no_runs": ("Chưa có lần nạp nào được ghi lại.", "No ingestion has been logged yet."),
    "no_source": ("Thực thể không có nguồn", "Entities without a source"),
    "rel_no_source": ("Quan hệ không có nguồn", "Relationships without a source"),
    "duplicates": ("Có thể trùng lặp (cùng tên)", "Likely duplicates (same name)"),
    "isolated": ("Thực thể không có quan hệ", "Entities with no relationship"),
    "all_good": ("Không có cảnh báo nào.", "No warnings."),
    "key": ("Tên chuẩn hóa", "Folded name"),
    "ids": ("Mã", "Ids"),
}


def _documents_tab() -> None:
    graph = store()
    lang = language()
    documents_notice(graph.settings.documents_dir)
    items = documents(graph, graph.settings.documents_dir)
    if not items:
        st.info(tr(LABELS, "no_documents"))
        return

    def contributed(by_kind: dict[str, int]) -> str:
        return ", ".join(f"{kind_label(k, lang)} {n}" for k, n in sorted(by_kind.items(), key=lambda kv: -kv[1]))

    frame = pd.DataFrame([{
        tr(LABELS, "document"): d["title_en"] if lang == "en" and d.get("title_en") else d["title"],
        tr(LABELS, "published"): d.get("published") or "",
        tr(LABELS, "publisher"): d.get("publisher") or "",
        tr(LABELS, "entities"): d["entities"],
        tr(LABELS, "contributed"): contributed(d["by_kind"]),
        tr(LABELS, "available"): d["available"],
    } for d in items])
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        tr(LABELS, "document"): st.column_config.TextColumn(width=300),
        tr(LABELS, "published"): st.column_config.TextColumn(width=90),
        tr(LABELS, "publisher"): st.column_config.TextColumn(width=160),
        tr(LABELS, "entities"): st.column_config.NumberColumn(width=70),
        tr(LABELS, "contributed"): st.column_config.TextColumn(width=260),
        tr(LABELS, "available"): st.column_config.CheckboxColumn(width=70),
    })
    titles = {d["id"]: (d["title_en"] if lang == "en" and d.get("title_en") else d["title"]) for d in items}
    chosen = st.selectbox(tr(LABELS, "pick"), list(titles), format_func=lambda i: f"{titles[i]} ({i})",
                          key="sources-document")
    if not chosen:
        return
    found = contributions(graph, chosen, graph.settings.documents_dir)
    wide = {tr(LABELS, "sentence"): st.column_config.TextColumn(width="large"),
            tr(LABELS, "lines"): st.column_config.TextColumn(width="small")}
    entities_tab, facts_tab = st.tabs([tr(LABELS, "mentioned", n=len(found["entities"])),
                                       tr(LABELS, "facts", n=len(found["relationships"]))])
    with entities_tab:
        st.dataframe(pd.DataFrame([{
            tr(LABELS, "name"): e["name"], tr(LABELS, "kinds"): kinds_text(e["kinds"]),
            tr(LABELS, "lines"): ", ".join(map(str, e["lines"])), tr(LABELS, "sentence"): e["sentence"] or "",
        } for e in found["entities"]]), hide_index=True, width="stretch", height=420, column_config=wide)
    with facts_tab:
        st.dataframe(pd.DataFrame([{
            tr(LABELS, "relationship"): f"{r['from_name']} — {verb(r['type'])} → {r['to_name']}",
            tr(LABELS, "lines"): ", ".join(map(str, r["lines"])), tr(LABELS, "sentence"): r["sentence"] or "",
        } for r in found["relationships"]]), hide_index=True, width="stretch", height=420, column_config=wide)


def _log_tab() -> None:
    runs = ingest_log(store(), limit=100)
    if not runs:
        st.info(tr(LABELS, "no_runs"))
        return
    st.dataframe(pd.DataFrame([{
        tr(LABELS, "started"): format_time(r.get("started_at")),
        tr(LABELS, "finished"): format_time(r.get("finished_at")),
        tr(LABELS, "command"): r.get("command", ""),
        tr(LABELS, "status"): value_text(r.get("status", ""), language()),
        tr(LABELS, "created"): r.get("created", 0),
        tr(LABELS, "updated"): r.get("updated", 0),
        tr(LABELS, "unchanged"): r.get("unchanged", 0),
        tr(LABELS, "inputs"): len(r.get("inputs") or []),
    } for r in runs]), hide_index=True, width="stretch")


def _quality_tab() -> None:
    warnings = quality_warnings(store())
    sections = [("entities_without_source", "no_source"), ("relationships_without_source", "rel_no_source"),
                ("likely_duplicates", "duplicates"), ("isolated", "isolated")]
    columns = st.columns(4)
    for column, (key, label) in zip(columns, sections):
        column.metric(tr(LABELS, label), len(warnings[key]))
    if not any(warnings.values()):
        st.success(tr(LABELS, "all_good"))
        return
    for key, label in sections:
        rows = warnings[key]
        if not rows:
            continue
        with st.expander(f"{tr(LABELS, label)} ({len(rows)})", expanded=True):
            if key == "likely_duplicates":
                frame = pd.DataFrame([{tr(LABELS, "key"): g["key"],
                                       tr(LABELS, "name"): " | ".join(e["name"] for e in g["entities"]),
                                       tr(LABELS, "ids"): ", ".join(e["id"] for e in g["entities"])} for g in rows])
            elif key == "relationships_without_source":
                frame = pd.DataFrame([{tr(LABELS, "relationship"):
                                       f"{r['from_name']} — {verb(r['type'])} → {r['to_name']}",
                                       tr(LABELS, "ids"): f"{r['from_id']} → {r['to_id']}"} for r in rows])
            else:
                frame = pd.DataFrame([{tr(LABELS, "name"): r["name"], tr(LABELS, "kinds"): kinds_text(r["kinds"])}
                                      for r in rows])
            st.dataframe(frame, hide_index=True, width="stretch")


def page() -> None:
    st.title(tr(LABELS, "title"))
    st.caption(tr(LABELS, "intro"))
    documents_tab, log_tab, quality_tab = st.tabs([tr(LABELS, "documents_tab"), tr(LABELS, "log_tab"),
                                                   tr(LABELS, "quality_tab")])
    with documents_tab:
        _documents_tab()
    with log_tab:
        _log_tab()
    with quality_tab:
        _quality_tab()
