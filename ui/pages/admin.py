"""Administration: imports (validated, dry run first), deletion of a person on request, removal
of sample data, backups and accounts. For signed-in administrators only (see ui/auth.py and
accounts/): the single shared ``VUSTA_ADMIN_PASSWORD`` of earlier versions is gone; when it is
still set, the page says how to move to accounts."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from accounts.config import AccountError, accounts, add_user, read_config, remove_user, set_role
from accounts.roles import ROLE_RIGHTS, ROLES, Role
from graph.schema import NodeKind
from ingest.service import (ALL_SAMPLES, InvalidInput, backup_lines, forget, import_files, remove_sample,
                            sample_sets)
from queries.profile import NotFound, show
from ui.auth import logout_button, require, role_label
from ui.context import store
from ui.i18n import language, tr
from ui.widgets import entity_name, entity_picker, format_count, md

LABELS = {
    "title": ("Quản trị dữ liệu", "Data administration"),
    "upload": ("Nạp tệp dữ liệu (YAML, CSV, Excel, JSON)", "Load a data file (YAML, CSV, Excel, JSON)"),
    "dry_run": ("Kiểm tra trước (không ghi): {summary}", "Dry run (nothing written): {summary}"),
    "apply": ("Ghi vào đồ thị", "Write to the graph"),
    "applied": ("Đã ghi: {summary}", "Written: {summary}"),
    "problems": ("Tệp có lỗi, không có gì được ghi:", "The file has problems; nothing was written:"),
    "unsupported": ("Loại tệp này chưa được hỗ trợ.", "This kind of file is not supported."),
    "forget": ("Xóa một người theo yêu cầu (và mọi thông tin về họ)",
               "Delete a person on request (and every fact about them)"),
    "forget_who": ("Người cần xóa (gõ tên, có dấu hay không dấu)", "The person to delete (type the name, with or without accents)"),
    "forget_id": ("Hoặc mã (id) của người đó — cho người ở chế độ riêng tư, không hiện trong tìm kiếm",
                  "Or the person's id — for people in private mode, who never show in search"),
    "confirm": ("Tôi xác nhận xóa vĩnh viễn", "I confirm the permanent deletion"),
    "delete": ("Xóa", "Delete"),
    "deleted": ("Đã xóa {name} ({id}) và {n} số liệu liên quan.", "Deleted {name} ({id}) and {n} related figure(s)."),
    "summary": ("thực thể: {ec} mới, {eu} cập nhật, {en} không đổi; quan hệ: {rc} mới, {ru} cập nhật, {rn} không đổi",
                "entities: {ec} new, {eu} updated, {en} unchanged; relationships: {rc} new, {ru} updated, {rn} unchanged"),
    "set_all": ("Toàn bộ dữ liệu mẫu (cả danh mục dự án và danh sách trí thức)", "All sample data (portfolio and roster)"),
    "set_diaspora": ("Danh sách trí thức ở nước ngoài mẫu (giả lập)", "Sample diaspora roster (invented)"),
    "set_portfolio": ("Danh mục dự án mẫu (giả lập)", "Sample project portfolio (invented)"),
    "sample": ("Gỡ bỏ dữ liệu mẫu", "Remove sample data"),
    "remove": ("Gỡ bỏ", "Remove"),
    "removed": ("Đã gỡ {n} thực thể mẫu.", "Removed {n} sample entities."),
    "backup": ("Sao lưu (không có thông tin liên hệ của người chưa đồng ý)",
               "Backup (without contact details of people who did not consent)"),
    "download": ("Tải bản sao lưu", "Download the backup"),
    "full_backup": ("Sao lưu đầy đủ (có thông tin liên hệ cá nhân — chỉ dành cho quản trị)",
                    "Full backup (contains personal contact details — administrators only)"),
    "full_note": ("Bản này khôi phục chính xác toàn bộ đồ thị: `python -m graph import FILE --replace`. "
                  "Giữ kín: có email và điện thoại của cả những người chưa đồng ý chia sẻ.",
                  "This file restores the whole graph exactly: `python -m graph import FILE --replace`. "
                  "Keep it private: it holds the email and phone of people who did not consent to share them."),
    "download_full": ("Tải bản sao lưu đầy đủ", "Download the full backup"),
    "confirm_sample": ("Tôi xác nhận gỡ bỏ bộ dữ liệu mẫu này", "I confirm removing this sample data set"),
    "conflicts": ("{n} giá trị khác với dữ liệu đã kiểm duyệt: giữ giá trị kiểm duyệt, không ghi đè.",
                  "{n} value(s) differ from the curated data: the curated values are kept, not overwritten."),
    "accounts": ("Tài khoản", "Accounts"),
    "add_account": ("Thêm tài khoản", "Add an account"),
    "username": ("Tên đăng nhập", "Username"),
    "full_name": ("Họ tên", "Full name"),
    "email": ("Email", "Email"),
    "role": ("Vai trò", "Role"),
    "new_password": ("Mật khẩu (ít nhất 10 ký tự)", "Password (at least 10 characters)"),
    "add": ("Thêm", "Add"),
    "added": ("Đã thêm tài khoản {u}.", "Added the account {u}."),
    "change_role": ("Đổi vai trò", "Change the role"),
    "remove_account": ("Xóa tài khoản", "Remove the account"),
    "changed": ("Đã cập nhật tài khoản {u}.", "Updated the account {u}."),
    "account": ("Tài khoản", "Account"),
}


def _load_file(path: Path, dry_run: bool) -> dict:
    """Through the one import entry point the command line uses too (ingest/service.py)."""
    # an upload is not the reviewed data/: curated values are kept, differences listed as conflicts
    return import_files(store(), [path], dry_run=dry_run, quiet=True, command="app upload",
                        authoritative=False).as_json(details=True)


def _show_conflicts(result: dict) -> None:
    """Values the file gives for curated entities: kept as curated, listed for the reviewer."""
    conflicts = (result.get("details") or {}).get("conflicts") or []
    if conflicts:
        st.warning(tr(LABELS, "conflicts", n=len(conflicts)))
        st.dataframe([{"id": c["id"], "field": c["field"], "kept": str(c["kept"]), "ignored": str(c["ignored"])}
                      for c in conflicts], hide_index=True)


def _summary(result: dict) -> str:
    e, r = result["entities"], result["relationships"]
    return tr(LABELS, "summary", ec=format_count(e["created"]), eu=format_count(e["updated"]),
              en=format_count(e["unchanged"]), rc=format_count(r["created"]), ru=format_count(r["updated"]),
              rn=format_count(r["unchanged"]))


def _shown_name(entity_id: str) -> str:
    try:
        return entity_name(show(store(), entity_id))
    except NotFound:
        return entity_id


def _sample_set_label(name: str) -> str:
    return tr(LABELS, f"set_{name}") if f"set_{name}" in LABELS else name


def page() -> None:
    st.title(tr(LABELS, "title"))
    user = require(Role.ADMINISTRATOR)
    if user is None:
        return
    if logout_button(key="admin-logout"):
        return

    st.subheader(tr(LABELS, "upload"))
    upload = st.file_uploader(tr(LABELS, "upload"), type=["yaml", "yml", "csv", "tsv", "xlsx", "json"],
                              label_visibility="collapsed")
    if upload is not None:
        with tempfile.TemporaryDirectory(prefix="vusta-upload-") as folder:  # removed after this run
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            try:
                result = _load_file(path, dry_run=True)
                st.info(tr(LABELS, "dry_run", summary=_summary(result)))
                _show_conflicts(result)
                if st.button(tr(LABELS, "apply"), type="primary"):
                    st.success(tr(LABELS, "applied", summary=_summary(_load_file(path, dry_run=False))))
            except InvalidInput as error:
                st.error(tr(LABELS, "problems"))
                st.code("\n".join(str(p) for p in error.problems[:100]), language=None)
            except ValueError as error:
                st.error(str(error))

    from ui.iati_upload import iati_upload_section  # IATI activity files (ingest/iati/)
    iati_upload_section()

    st.subheader(tr(LABELS, "forget"))
    picked = entity_picker(tr(LABELS, "forget_who"), "admin-forget-person", kinds=[NodeKind.PERSON])
    typed_id = st.text_input(tr(LABELS, "forget_id"), key="admin-forget-id").strip()
    entity_id = typed_id or picked
    confirm = st.checkbox(tr(LABELS, "confirm"), key="admin-forget-confirm")
    if st.button(tr(LABELS, "delete"), disabled=not (entity_id and confirm), key="admin-forget"):
        try:
            name = _shown_name(entity_id)   # read before it is gone (private people stay unnamed)
            result = forget(store(), entity_id)
            st.success(tr(LABELS, "deleted", name=md(name), id=md(entity_id), n=len(result["deleted_figures"])))
        except LookupError as error:
            st.error(str(error))

    st.subheader(tr(LABELS, "sample"))
    chosen = st.selectbox(tr(LABELS, "sample"), [ALL_SAMPLES, *sample_sets()], key="admin-sample-set",
                          label_visibility="collapsed", format_func=_sample_set_label)
    sure = st.checkbox(tr(LABELS, "confirm_sample"), key="admin-sample-confirm")
    if st.button(tr(LABELS, "remove"), key="admin-remove-sample", disabled=not sure):
        st.success(tr(LABELS, "removed", n=remove_sample(store(), chosen)["removed"]))

    st.subheader(tr(LABELS, "backup"))
    if st.button(tr(LABELS, "backup"), key="admin-backup"):
        data = "\n".join(backup_lines(store(), full=False)) + "\n"
        st.download_button(tr(LABELS, "download"), data=data.encode("utf-8"), file_name="vusta-graph.jsonl",
                           mime="application/jsonl")

    st.subheader(tr(LABELS, "full_backup"))
    st.caption(tr(LABELS, "full_note"))
    if st.button(tr(LABELS, "full_backup"), key="admin-full-backup"):
        full = "\n".join(backup_lines(store(), full=True)) + "\n"
        st.download_button(tr(LABELS, "download_full"), data=full.encode("utf-8"), file_name="vusta-graph-full.jsonl",
                           mime="application/jsonl", key="admin-full-download")


    _accounts_section()


def _accounts_section() -> None:
    st.subheader(tr(LABELS, "accounts"))
    for role in ROLES:
        st.markdown(f"**{md(role_label(role))}** — {md(tr(ROLE_RIGHTS, role))}")
    try:
        config = read_config()
    except AccountError as error:
        st.error(error.text(language()))
        return
    rows = [{tr(LABELS, "username"): a.username, tr(LABELS, "full_name"): a.name, tr(LABELS, "email"): a.email or "",
             tr(LABELS, "role"): ", ".join(role_label(r) for r in a.roles)} for a in accounts(config)]
    st.dataframe(rows, hide_index=True, width="stretch")
    with st.form("admin-add-account", clear_on_submit=True):
        st.markdown(f"**{tr(LABELS, 'add_account')}**")
        username = st.text_input(tr(LABELS, "username"), key="admin-new-username")
        name = st.text_input(tr(LABELS, "full_name"), key="admin-new-name")
        email = st.text_input(tr(LABELS, "email"), key="admin-new-email")
        role = st.selectbox(tr(LABELS, "role"), [str(r) for r in ROLES], format_func=role_label, key="admin-new-role")
        password = st.text_input(tr(LABELS, "new_password"), type="password")  # no key: never in session state
        if st.form_submit_button(tr(LABELS, "add")):
            try:
                account = add_user(username, password, role, name=name, email=email or None)
                st.success(tr(LABELS, "added", u=md(account.username)))
            except AccountError as error:
                st.error(error.text(language()))
    names = [a.username for a in accounts(config)]
    if names:
        chosen = st.selectbox(tr(LABELS, "account"), names, key="admin-account")
        new_role = st.selectbox(tr(LABELS, "role"), [str(r) for r in ROLES], format_func=role_label,
                                key="admin-account-role")
        left, right = st.columns(2)
        try:
            if left.button(tr(LABELS, "change_role"), key="admin-change-role"):
                set_role(chosen, new_role)
                st.success(tr(LABELS, "changed", u=md(chosen)))
            if right.button(tr(LABELS, "remove_account"), key="admin-remove-account"):
                remove_user(chosen)
                st.success(tr(LABELS, "changed", u=md(chosen)))
        except AccountError as error:
            st.error(error.text(language()))
