"""Trùng lặp — likely duplicates (ingest/dedupe.py) with their evidence, a preview of the merge,
and the merge itself: the survivor keeps every source and relationship of both, the other's names
become aliases; one run, undoable. Any two entities can also be merged by hand. Editors only."""

from __future__ import annotations

import streamlit as st

from accounts.roles import Role
from ingest.curation import FieldProblems, merge_entities, merge_preview
from ingest.service import likely_duplicates
from ui.auth import logout_button, require
from ui.context import store
from ui.curation_widgets import actor, find_entity
from ui.i18n import language, tr
from ui.widgets import md, verb

LABELS = {
    "title": ("Thực thể trùng lặp", "Duplicate entities"),
    "intro": ("Các cặp có thể là một, kèm bằng chứng. Gộp: thực thể giữ lại nhận mọi nguồn và quan hệ của thực "
              "thể kia; tên của thực thể kia thành tên khác. Có thể hoàn tác trong Lịch sử.",
              "Pairs that may be one thing, with the evidence. Merging: the survivor gets every source and "
              "relationship of the other; the other's names become aliases. Can be undone in History."),
    "none": ("Không thấy cặp trùng lặp nào.", "No likely duplicates found."),
    "pair": ("Cặp", "Pair"),
    "score": ("điểm {s:.2f}", "score {s:.2f}"),
    "by_hand": ("Hoặc chọn hai thực thể", "Or choose two entities"),
    "keep": ("Giữ lại", "Keep"),
    "merge_in": ("Gộp vào (sẽ bị xóa)", "Merge in (will be removed)"),
    "preview": ("Xem trước", "Preview"),
    "survivor": ("Sau khi gộp: **{name}** ({id}) · loại: {kinds}", "After the merge: **{name}** ({id}) · kinds: {kinds}"),
    "new_aliases": ("Tên khác mới: {a}", "New aliases: {a}"),
    "moved": ("{n} quan hệ chuyển sang thực thể giữ lại:", "{n} relationship(s) move to the survivor:"),
    "sources": ("{n} nguồn được giữ.", "{n} source(s) kept."),
    "merge": ("Gộp", "Merge"),
    "merged": ("Đã gộp {dup} vào {keep} (lượt {run}).", "Merged {dup} into {keep} (run {run})."),
    "curated": ("Cả hai đều là dữ liệu biên soạn: hãy sửa trong data/ (nạp lại sẽ tạo lại bản trùng).",
                "Both are curated: fix it in data/ (a reload would re-create the duplicate)."),
}


@st.cache_data(ttl=30, show_spinner=False)
def _pairs(database: str | None, version: str) -> list[dict]:
    return likely_duplicates(store(), threshold=0.95)


def _preview_and_merge(keep: str, duplicate: str, key: str) -> None:
    try:
        preview = merge_preview(store(), keep, duplicate)
    except FieldProblems as error:
        st.error("; ".join(p.text(language()) for p in error.problems))
        return
    survivor = preview["survivor"]
    st.markdown(tr(LABELS, "survivor", name=md(survivor.name), id=md(survivor.id), kinds=md(", ".join(preview["kinds"]))))
    if preview["new_aliases"]:
        st.markdown(md(tr(LABELS, "new_aliases", a="; ".join(preview["new_aliases"]))))
    st.markdown(md(tr(LABELS, "moved", n=len(preview["relationships"]))))
    for rel in preview["relationships"][:30]:
        st.markdown(f"- `{md(rel.from_id)}` {md(verb(str(rel.type)))} `{md(rel.to_id)}`")
    st.caption(tr(LABELS, "sources", n=preview["sources"]))
    if st.button(tr(LABELS, "merge"), key=f"{key}-merge", type="primary"):
        user = require(Role.EDITOR)
        if user:
            result = merge_entities(store(), keep, duplicate, actor(user))
            st.cache_data.clear()
            st.success(tr(LABELS, "merged", dup=md(duplicate), keep=md(keep), run=md(result["run_id"])))


def page() -> None:
    st.title(tr(LABELS, "title"))
    user = require(Role.EDITOR)
    if user is None:
        return
    if logout_button(key="duplicates-logout"):
        return
    st.caption(tr(LABELS, "intro"))
    graph = store()
    version = str(graph.read("graph_version")[0])
    pairs = _pairs(graph.database, version)
    if not pairs:
        st.info(tr(LABELS, "none"))
    else:
        labels = {i: f"{p['duplicate_name']} → {p['survivor_name']} · {tr(LABELS, 'score', s=p['score'])}"
                  for i, p in enumerate(pairs)}
        chosen = st.selectbox(tr(LABELS, "pair"), list(labels), format_func=labels.get, key="duplicates-pair")
        pair = pairs[chosen]
        for reason in pair["evidence"]:
            st.markdown(f"- {md(reason)}")
        if pair["action"].startswith("review: both curated"):
            st.warning(tr(LABELS, "curated"))
        else:
            _preview_and_merge(pair["survivor"], pair["duplicate"], "duplicates-suggested")
    st.subheader(tr(LABELS, "by_hand"))
    keep = find_entity(tr(LABELS, "keep"), "duplicates-keep")
    other = find_entity(tr(LABELS, "merge_in"), "duplicates-other", exclude=(keep,) if keep else ())
    if keep and other:
        _preview_and_merge(keep, other, "duplicates-manual")
