"""Administration: the only page that writes. Uploads (validated, dry run first), deletion of
a person on request, removal of sample data, backups. Locked unless the server's environment
sets ``VUSTA_ADMIN_PASSWORD``; the password is asked for, compared in constant time, never
stored in the session or logged. Everyone else sees a read-only app."""

from __future__ import annotations

import hmac
import os
import tempfile
from pathlib import Path

import streamlit as st

from graph.backup import export_lines
from graph.maintenance import SAMPLE_SETS, forget, remove_sample
from ingest.curated import InvalidInput
from ui.context import store
from ui.i18n import tr
from ui.widgets import md

LABELS = {
    "title": ("Quản trị dữ liệu", "Data administration"),
    "disabled": ("Ứng dụng đang ở chế độ chỉ đọc. Để bật quản trị, người vận hành đặt biến môi trường "
                 "`VUSTA_ADMIN_PASSWORD` cho máy chủ rồi khởi động lại ứng dụng.",
                 "The app is read-only. To enable administration, the operator sets the environment variable "
                 "`VUSTA_ADMIN_PASSWORD` for the server and restarts the app."),
    "password": ("Mật khẩu quản trị", "Administrator password"),
    "login": ("Đăng nhập", "Sign in"),
    "wrong": ("Sai mật khẩu.", "Wrong password."),
    "signed_in": ("Đã đăng nhập quản trị.", "Signed in as administrator."),
    "logout": ("Đăng xuất", "Sign out"),
    "upload": ("Nạp tệp dữ liệu (YAML, CSV, Excel, JSON)", "Load a data file (YAML, CSV, Excel, JSON)"),
    "dry_run": ("Kiểm tra trước (không ghi): {summary}", "Dry run (nothing written): {summary}"),
    "apply": ("Ghi vào đồ thị", "Write to the graph"),
    "applied": ("Đã ghi: {summary}", "Written: {summary}"),
    "problems": ("Tệp có lỗi, không có gì được ghi:", "The file has problems; nothing was written:"),
    "unsupported": ("Loại tệp này chưa được hỗ trợ.", "This kind of file is not supported."),
    "forget": ("Xóa một người theo yêu cầu (và mọi thông tin về họ)",
               "Delete a person on request (and every fact about them)"),
    "forget_id": ("Mã (id) của người cần xóa", "Id of the person to delete"),
    "confirm": ("Tôi xác nhận xóa vĩnh viễn", "I confirm the permanent deletion"),
    "delete": ("Xóa", "Delete"),
    "deleted": ("Đã xóa {id} và {n} số liệu liên quan.", "Deleted {id} and {n} related figure(s)."),
    "sample": ("Gỡ bỏ dữ liệu mẫu", "Remove sample data"),
    "remove": ("Gỡ bỏ", "Remove"),
    "removed": ("Đã gỡ {n} thực thể mẫu.", "Removed {n} sample entities."),
    "backup": ("Sao lưu (không có thông tin liên hệ của người chưa đồng ý)",
               "Backup (without contact details of people who did not consent)"),
    "download": ("Tải bản sao lưu", "Download the backup"),
}


def _admin_password() -> str | None:
    return os.environ.get("VUSTA_ADMIN_PASSWORD") or None


def _signed_in(expected: str) -> bool:
    if st.session_state.get("admin_signed_in"):
        return True
    with st.form("admin-login"):
        given = st.text_input(tr(LABELS, "password"), type="password", key="admin-password")
        submitted = st.form_submit_button(tr(LABELS, "login"))
    if submitted:
        ok = hmac.compare_digest(given.encode(), expected.encode())
        st.session_state.pop("admin-password", None)  # never keep the password
        if ok:
            st.session_state["admin_signed_in"] = True
            st.rerun()
        st.error(tr(LABELS, "wrong"))
    return False


def _load_file(path: Path, dry_run: bool) -> dict:
    """Dispatch by file type to the ingest side; returns the summary."""
    graph = store()
    if path.suffix.lower() in (".yaml", ".yml"):
        from ingest.curated_load import load_curated

        return load_curated(graph, [path], dry_run=dry_run, quiet=True, command="app upload").as_json()
    try:
        from ingest.tabular import load_tabular  # the tabular import (CSV, Excel, JSON)
    except ImportError:
        raise ValueError(tr(LABELS, "unsupported")) from None
    return load_tabular(graph, [path], dry_run=dry_run, quiet=True, command="app upload").as_json()


def _summary(result: dict) -> str:
    e, r = result["entities"], result["relationships"]
    return (f"entities +{e['created']} ~{e['updated']} ={e['unchanged']}; "
            f"relationships +{r['created']} ~{r['updated']} ={r['unchanged']}")


def page() -> None:
    st.title(tr(LABELS, "title"))
    expected = _admin_password()
    if not expected:
        st.info(tr(LABELS, "disabled"))
        return
    if not _signed_in(expected):
        return
    st.success(tr(LABELS, "signed_in"))
    if st.button(tr(LABELS, "logout")):
        st.session_state.pop("admin_signed_in", None)
        st.rerun()

    st.subheader(tr(LABELS, "upload"))
    upload = st.file_uploader(tr(LABELS, "upload"), type=["yaml", "yml", "csv", "xlsx", "json"],
                              label_visibility="collapsed")
    if upload is not None:
        folder = Path(tempfile.mkdtemp(prefix="vusta-upload-"))
        path = folder / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            result = _load_file(path, dry_run=True)
            st.info(tr(LABELS, "dry_run", summary=_summary(result)))
            if st.button(tr(LABELS, "apply"), type="primary"):
                st.success(tr(LABELS, "applied", summary=_summary(_load_file(path, dry_run=False))))
        except InvalidInput as error:
            st.error(tr(LABELS, "problems"))
            st.code("\n".join(str(p) for p in error.problems[:100]), language=None)
        except ValueError as error:
            st.error(str(error))

    st.subheader(tr(LABELS, "forget"))
    entity_id = st.text_input(tr(LABELS, "forget_id"), key="admin-forget-id").strip()
    confirm = st.checkbox(tr(LABELS, "confirm"), key="admin-forget-confirm")
    if st.button(tr(LABELS, "delete"), disabled=not (entity_id and confirm), key="admin-forget"):
        try:
            result = forget(store(), entity_id)
            st.success(tr(LABELS, "deleted", id=md(entity_id), n=len(result["deleted_figures"])))
        except LookupError as error:
            st.error(str(error))

    st.subheader(tr(LABELS, "sample"))
    chosen = st.selectbox(tr(LABELS, "sample"), sorted(SAMPLE_SETS), key="admin-sample-set",
                          label_visibility="collapsed")
    if st.button(tr(LABELS, "remove"), key="admin-remove-sample"):
        st.success(tr(LABELS, "removed", n=remove_sample(store(), chosen)["removed"]))

    st.subheader(tr(LABELS, "backup"))
    if st.button(tr(LABELS, "backup"), key="admin-backup"):
        data = "\n".join(export_lines(store(), full=False)) + "\n"
        st.download_button(tr(LABELS, "download"), data=data.encode("utf-8"), file_name="vusta-graph.jsonl",
                           mime="application/jsonl")

