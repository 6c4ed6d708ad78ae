"""Administration: uploading IATI activity files (.xml). Checked first (a dry run, nothing
written), then written on request; files with errors write nothing unless "valid activities
only" is ticked. Messages in the chosen language, naming file, line, activity and field.
Called from ui/pages/admin.py; the work is done by the write side (:mod:`ingest.iati`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from ingest.service import IatiResult, InvalidIatiFile, import_iati_files
from ui.context import store
from ui.i18n import language, tr

LABELS = {
    "title": ("Nạp tệp hoạt động IATI (.xml)", "Load an IATI activity file (.xml)"),
    "valid_only": ("Chỉ nạp các hoạt động hợp lệ (bỏ qua hoạt động có lỗi)",
                   "Load the valid activities only (skip those with errors)"),
    "checked": ("Kiểm tra trước (chưa ghi): đọc {read} hoạt động, sẽ nạp {loaded}; thực thể +{ec} ~{eu}, "
                "quan hệ +{rc} ~{ru}; {w} cảnh báo.",
                "Checked (nothing written yet): {read} activities read, {loaded} to load; entities +{ec} ~{eu}, "
                "relationships +{rc} ~{ru}; {w} warning(s)."),
    "apply": ("Ghi vào đồ thị", "Write to the graph"),
    "applied": ("Đã ghi: nạp {loaded} hoạt động; thực thể +{ec} ~{eu}, quan hệ +{rc} ~{ru}.",
                "Written: {loaded} activities loaded; entities +{ec} ~{eu}, relationships +{rc} ~{ru}."),
    "refused": ("Tệp có lỗi, không có gì được ghi:", "The file has errors; nothing was written:"),
    "skipped": ("Các hoạt động có lỗi sẽ bị bỏ qua:", "Activities with errors that are skipped:"),
    "warnings": ("Cảnh báo", "Warnings"),
}


def _numbers(result: IatiResult) -> dict[str, int]:
    totals = result.totals()
    return {"read": result.activities_read, "loaded": result.activities_loaded, "w": result.warning_count,
            "ec": totals["entities"]["created"], "eu": totals["entities"]["updated"],
            "rc": totals["relationships"]["created"], "ru": totals["relationships"]["updated"]}


def iati_upload_section() -> None:
    lang = language()
    st.subheader(tr(LABELS, "title"))
    upload = st.file_uploader(tr(LABELS, "title"), type=["xml"], key="iati-upload", label_visibility="collapsed")
    valid_only = st.checkbox(tr(LABELS, "valid_only"), key="iati-valid-only")
    if upload is None:
        return
    # the upload is checked from a file of its own, removed when this run ends (each run writes it again)
    with tempfile.TemporaryDirectory(prefix="vusta-iati-") as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        _check_and_apply(path, valid_only, lang)


def _check_and_apply(path: Path, valid_only: bool, lang: str) -> None:
    graph = store()
    try:
        checked = import_iati_files(graph, [path], dry_run=True, valid_only=valid_only, quiet=True,
                              command="app upload (IATI)")
    except InvalidIatiFile as error:
        st.error(tr(LABELS, "refused"))
        st.code("\n".join(p.text(lang) for p in error.problems[:100]), language=None)  # type: ignore[attr-defined]
        return
    st.info(tr(LABELS, "checked", **_numbers(checked)))
    if checked.errors:
        st.warning(tr(LABELS, "skipped"))
        st.code("\n".join(p.text(lang) for p in checked.errors[:100]), language=None)
    if checked.warnings:
        with st.expander(f"{tr(LABELS, 'warnings')} ({checked.warning_count})"):
            st.code("\n".join(p.text(lang) for p in checked.warnings[:100]), language=None)
    if st.button(tr(LABELS, "apply"), type="primary", key="iati-apply"):
        written = import_iati_files(graph, [path], valid_only=valid_only, quiet=True, command="app upload (IATI)")
        st.success(tr(LABELS, "applied", **_numbers(written)))
