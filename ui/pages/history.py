"""Lịch sử — every ingestion run, newest first: when, who, what it changed, from which documents;
editors undo a run made in the app as a whole (ingest/history.py)."""

from __future__ import annotations

import streamlit as st

from accounts.roles import Role
from ingest.history import describe_change, parse_changes, recent_runs
from ui.auth import logout_button, require
from ui.context import store
from ui.history import LABELS as HISTORY_LABELS, change_text, undo_button
from ui.i18n import tr
from ui.widgets import format_time, md

LABELS = {
    "title": ("Lịch sử thay đổi", "History of changes"),
    "intro": ("Mỗi thay đổi là một lượt nạp: ai, khi nào, thay đổi gì. Lượt thực hiện trong ứng dụng có thể "
              "hoàn tác toàn bộ, nếu chưa có lượt sau sửa lại cùng dữ liệu.",
              "Every change is a run: who, when, what it changed. A run made in the app can be undone as a whole, "
              "unless a later run changed the same data."),
    "run": ("Lượt {run} · {when} · {who}", "Run {run} · {when} · {who}"),
    "command": ("Lệnh / thao tác: {c}", "Command / action: {c}"),
    "documents": ("Tài liệu: {d}", "Documents: {d}"),
    "undone_by": ("Đã được hoàn tác bởi {run}.", "Undone by {run}."),
    "limit": ("Số lượt hiển thị", "Runs shown"),
}


def page() -> None:
    st.title(tr(LABELS, "title"))
    user = require(Role.EDITOR)
    if user is None:
        return
    if logout_button(key="history-logout"):
        return
    st.caption(tr(LABELS, "intro"))
    limit = st.select_slider(tr(LABELS, "limit"), [10, 30, 100], value=30, key="history-limit")
    for index, run in enumerate(recent_runs(store(), limit=limit)):
        who = f"{run.get('user_name')} ({run.get('user')})" if run.get("user") else tr(HISTORY_LABELS, "system")
        changes = [describe_change(item) for item in parse_changes(run)]
        with st.container(border=True, key=f"history-run-{index}"):
            st.markdown(f"**{md(tr(LABELS, 'run', run=run.get('id'), when=format_time(run.get('started_at')), who=who))}**")
            st.caption(tr(LABELS, "command", c=md(run.get("command") or "")))
            if run.get("documents"):
                st.caption(tr(LABELS, "documents", d=md(", ".join(run["documents"]))))
            if changes:
                st.markdown(md(change_text(changes)))
            if run.get("undone_by"):
                st.caption(tr(LABELS, "undone_by", run=md(run["undone_by"])))
            elif changes and not run.get("undoes"):
                undo_button(run["id"], key=f"history-undo-{index}")
