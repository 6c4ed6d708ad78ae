"""An entity's history on its profile (what changed, by whom, from which run or document) and
undoing a run, for editors. Called from ``ui/pages/profile.py``; the History page lists all runs."""

from __future__ import annotations

from typing import Any

import streamlit as st

from accounts.roles import Role
from ingest.history import UndoRefused, entity_history, undo_run
from ui.auth import current_user
from ui.context import store
from ui.curation_widgets import actor
from ui.i18n import language, tr
from ui.widgets import format_time, md

LABELS = {
    "title": ("Lịch sử thay đổi", "History"),
    "none": ("Chưa có thay đổi nào được ghi lại cho thực thể này (dữ liệu nạp từ tệp chỉ ghi lượt nạp cuối).",
             "No recorded change for this entity yet (data loaded from files only records the last load)."),
    "when": ("Thời điểm", "When"),
    "who": ("Người thực hiện", "Who"),
    "what": ("Thay đổi", "What changed"),
    "run": ("Lượt nạp", "Run"),
    "from": ("Từ", "From"),
    "undo": ("Hoàn tác lượt {run}", "Undo run {run}"),
    "undone": ("Đã hoàn tác {run} (lượt mới {new}).", "Undid {run} (new run {new})."),
    "refused": ("Không hoàn tác được:", "Cannot undo:"),
    "was_undone": ("đã hoàn tác", "undone"),
    "created": ("tạo mới", "created"),
    "updated": ("sửa", "updated"),
    "deleted": ("xóa", "deleted"),
    "entity": ("thực thể", "entity"),
    "relationship": ("quan hệ", "relationship"),
    "system": ("(nạp từ tệp / dòng lệnh)", "(file load / command line)"),
}


def change_text(changes: list[dict[str, Any]]) -> str:
    parts = []
    for change in changes[:6]:
        what = tr(LABELS, change["action"])
        if change["item"] == "relationship":
            parts.append(f"{what} {tr(LABELS, 'relationship')} {change['from']} –{change['type']}→ {change['to']}")
        else:
            parts.append(f"{what} {tr(LABELS, 'entity')} {change['id']}")
    if len(changes) > 6:
        parts.append(f"… (+{len(changes) - 6})")
    return "; ".join(parts)


def undo_button(run_id: str, key: str) -> None:
    """Undo a run (editors only), with the reasons when it cannot be undone."""
    user = current_user()
    if user is None or not user.may(Role.EDITOR):
        return
    if st.button(tr(LABELS, "undo", run=run_id), key=key, icon=":material/undo:"):
        try:
            result = undo_run(store(), run_id, actor(user))
            st.success(tr(LABELS, "undone", run=md(run_id), new=md(result["run_id"])))
        except UndoRefused as error:
            st.error(tr(LABELS, "refused") + "\n\n" + "\n".join(
                f"- {md(vi if language() == 'vi' else en)}" for vi, en in error.reasons))


def show_entity_history(entity_id: str) -> None:
    """The runs that changed this entity, newest first; editors may undo a run from here."""
    st.subheader(tr(LABELS, "title"))
    rows = entity_history(store(), entity_id)
    if not rows:
        st.caption(tr(LABELS, "none"))
        return
    table = [{tr(LABELS, "when"): format_time(r["started_at"]),
              tr(LABELS, "who"): (f"{r['user_name']} ({r['user']})" if r.get("user") else tr(LABELS, "system")),
              tr(LABELS, "what"): change_text(r["changes"]) + (f" — {tr(LABELS, 'was_undone')}" if r.get("undone_by") else ""),
              tr(LABELS, "from"): ", ".join(r["documents"] or r["inputs"][1:2] or [r["command"] or ""]),
              tr(LABELS, "run"): r["run_id"]} for r in rows]
    st.dataframe(table, hide_index=True, width="stretch")
    undoable = [r for r in rows if not r.get("undone_by") and not r.get("undoes") and r["changes"]]
    if undoable:
        undo_button(undoable[0]["run_id"], key=f"history-undo-{entity_id}")
