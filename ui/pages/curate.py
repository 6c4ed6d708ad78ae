"""Biên tập — add or edit an entity with a form built from the schema, add or remove a
relationship with its source and year, delete with confirmation. Editors only; every change is
a run with who made it (ingest/curation.py), shown in the profile's history and undoable."""

from __future__ import annotations

from typing import Any

import streamlit as st

from accounts.roles import Role
from graph.schema import KINDS, RELATIONSHIPS, DERIVED_RELATIONSHIP_TYPES, NodeKind, RelationshipType
from ingest.curation import (ENUMERATIONS, TYPE_HINTS, FieldProblems, add_relationship, build_entity, build_relationship,
                             delete_entity, form_fields, propose_id, remove_relationship, save_entity)
from ingest.history import entity_snapshots, incident_relationships
from ui.auth import logout_button, require
from ui.context import store
from ui.curation_widgets import actor, field_error, find_entity, problems, remember_problems
from ui.i18n import language, tr
from ui.widgets import md

LABELS = {
    "title": ("Biên tập dữ liệu", "Edit the graph"),
    "mode": ("Việc cần làm", "What to do"),
    "add": ("Thêm thực thể", "Add an entity"),
    "edit": ("Sửa thực thể", "Edit an entity"),
    "relationships": ("Quan hệ", "Relationships"),
    "delete": ("Xóa thực thể", "Delete an entity"),
    "which": ("Thực thể", "Entity"),
    "kinds": ("Loại", "Kinds"),
    "id": ("Mã (id)", "Id"),
    "id_help": ("Để trống để tạo từ tên.", "Leave empty to make one from the name."),
    "name": ("Tên (tiếng Việt)", "Name (Vietnamese)"),
    "name_en": ("Tên tiếng Anh", "English name"),
    "aliases": ("Tên khác, viết tắt (cách nhau bằng ;)", "Other names, acronyms (separated by ;)"),
    "source": ("Nguồn: mã tài liệu trong đồ thị hoặc địa chỉ web", "Source: a document id in the graph or a web address"),
    "save": ("Lưu", "Save"),
    "saved": ("Đã lưu {id} (lượt {run}).", "Saved {id} (run {run})."),
    "fix": ("Có giá trị chưa hợp lệ; xem thông báo dưới từng ô.", "Some values are not valid; see the message under each field."),
    "rel_type": ("Loại quan hệ", "Relationship type"),
    "direction": ("Chiều", "Direction"),
    "outgoing": ("{a} → thực thể khác", "{a} → the other entity"),
    "incoming": ("thực thể khác → {a}", "the other entity → {a}"),
    "other": ("Thực thể kia", "The other entity"),
    "year": ("Năm", "Year"),
    "role": ("Vai trò (tùy chọn)", "Role (optional)"),
    "add_rel": ("Thêm quan hệ", "Add the relationship"),
    "rel_added": ("Đã thêm quan hệ (lượt {run}).", "Added the relationship (run {run})."),
    "existing": ("Quan hệ hiện có", "Current relationships"),
    "remove": ("Xóa quan hệ này", "Remove this relationship"),
    "removed": ("Đã xóa quan hệ (lượt {run}).", "Removed the relationship (run {run})."),
    "confirm_delete": ("Tôi hiểu: xóa {name} cùng {n} quan hệ (có thể hoàn tác trong Lịch sử).",
                       "I understand: delete {name} and its {n} relationship(s) (can be undone in History)."),
    "do_delete": ("Xóa vĩnh viễn", "Delete"),
    "deleted": ("Đã xóa {id} (lượt {run}).", "Deleted {id} (run {run})."),
    "pick_first": ("Tìm và chọn một thực thể trước.", "Find and choose an entity first."),
    "none": ("(chưa có)", "(none)"),
    "curated": ("Thực thể này có trong tệp biên soạn (data/). Thay đổi ở đây không sửa tệp; khi nạp lại data/, "
                "giá trị sửa trong ứng dụng được giữ và mọi khác biệt được liệt kê là xung đột để người phụ trách "
                "giải quyết.",
                "This entity is defined in a curated file (data/). An edit here does not change the file; when "
                "data/ is loaded again the app's values are kept and every difference is listed as a conflict "
                "for a person to resolve."),
}
MODES = ("add", "edit", "relationships", "delete")
ERRORS = "curate-errors"


def _kind_label(kind: str) -> str:
    spec = KINDS[NodeKind(kind)]
    return spec.label_vi if language() == "vi" else spec.label_en


def _rel_label(rel_type: str) -> str:
    spec = RELATIONSHIPS[RelationshipType(rel_type)]
    return f"{spec.verb_vi if language() == 'vi' else spec.verb_en} ({rel_type})"


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _entity_form(current: dict[str, Any] | None) -> None:
    """The form for a new entity (``current`` None) or the stored one; fields from the schema."""
    errors = problems(ERRORS)
    mode = "edit" if current else "add"
    kinds_key = f"curate-{mode}-kinds"
    if kinds_key not in st.session_state:
        st.session_state[kinds_key] = list((current or {}).get("kinds") or [])
    kinds = st.multiselect(tr(LABELS, "kinds"), [k.value for k in NodeKind], format_func=_kind_label, key=kinds_key)
    field_error(errors, "kinds")
    fields = form_fields([NodeKind(k) for k in kinds])
    if current and '"method": "curated"' in (current.get("provenance") or ""):
        st.caption(tr(LABELS, "curated"))
    with st.form(f"curate-{mode}-form"):
        entity_id = current["id"] if current else st.text_input(tr(LABELS, "id"), help=tr(LABELS, "id_help"),
                                                                 key="curate-add-id")
        field_error(errors, "id")
        name = st.text_input(tr(LABELS, "name"), value=(current or {}).get("name") or "", key=f"curate-{mode}-name")
        field_error(errors, "name")
        name_en = st.text_input(tr(LABELS, "name_en"), value=(current or {}).get("name_en") or "",
                                key=f"curate-{mode}-name_en")
        aliases = st.text_input(tr(LABELS, "aliases"), value=_as_text((current or {}).get("aliases")),
                                key=f"curate-{mode}-aliases")
        raw: dict[str, Any] = {}
        for field, expected in fields.items():
            hint = tr(TYPE_HINTS, expected)
            value = (current or {}).get(field)
            if field in ENUMERATIONS:
                options = ["", *ENUMERATIONS[field]]
                raw[field] = st.selectbox(f"{field}", options, index=options.index(value) if value in options else 0,
                                          key=f"curate-{mode}-p-{field}")
            else:
                raw[field] = st.text_input(f"{field} ({hint})", value=_as_text(value), key=f"curate-{mode}-p-{field}")
            field_error(errors, field)
        source = st.text_input(tr(LABELS, "source"), key=f"curate-{mode}-source")
        field_error(errors, "source")
        submitted = st.form_submit_button(tr(LABELS, "save"), type="primary")
    if not submitted:
        return
    user = require(Role.EDITOR)
    if user is None:
        return
    try:
        new_id = (entity_id or "").strip() or propose_id(name, [])
        record = build_entity(new_id, kinds, name, name_en=name_en,
                              aliases=[a.strip() for a in aliases.split(";")], raw_properties=raw)
        result = save_entity(store(), record, actor(user), source=source, create=current is None)
    except FieldProblems as error:
        remember_problems(ERRORS, error)
        st.error(tr(LABELS, "fix"))
        st.rerun()
        return
    st.session_state.pop(ERRORS, None)
    st.success(tr(LABELS, "saved", id=md(result["id"]), run=md(result["run_id"])))


def _relationships(entity_id: str, current: dict[str, Any]) -> None:
    errors = problems(ERRORS)
    types = [t.value for t in RelationshipType if t not in DERIVED_RELATIONSHIP_TYPES]
    rel_type = st.selectbox(tr(LABELS, "rel_type"), types, format_func=_rel_label, key="curate-rel-type")
    field_error(errors, "type")
    name = current.get("name") or entity_id
    direction = st.radio(tr(LABELS, "direction"), ["out", "in"], horizontal=True, key="curate-rel-direction",
                         format_func=lambda d: tr(LABELS, "outgoing" if d == "out" else "incoming", a=name))
    other = find_entity(tr(LABELS, "other"), "curate-rel-other", exclude=(entity_id,))
    field_error(errors, "to")
    field_error(errors, "from")
    year = st.text_input(tr(LABELS, "year"), key="curate-rel-year")
    field_error(errors, "year")
    role = st.text_input(tr(LABELS, "role"), key="curate-rel-role")
    source = st.text_input(tr(LABELS, "source"), key="curate-rel-source")
    field_error(errors, "source")
    if st.button(tr(LABELS, "add_rel"), key="curate-rel-add", type="primary", disabled=other is None):
        user = require(Role.EDITOR)
        if user is None:
            return
        ends = (entity_id, other) if direction == "out" else (other, entity_id)
        try:
            record = build_relationship(rel_type, ends[0], ends[1], year=year, role=role)
            result = add_relationship(store(), record, actor(user), source=source)
            st.session_state.pop(ERRORS, None)
            st.success(tr(LABELS, "rel_added", run=md(result["run_id"])))
        except FieldProblems as error:
            remember_problems(ERRORS, error)
            st.rerun()
    st.subheader(tr(LABELS, "existing"))
    rels = [r for r in incident_relationships(store(), [entity_id]) if r["type"] not in DERIVED_RELATIONSHIP_TYPES]
    if not rels:
        st.caption(tr(LABELS, "none"))
    for index, rel in enumerate(rels[:200]):
        left, right = st.columns([4, 1])
        props = rel["props"]
        year_text = f" · {props['year']}" if props.get("year") else ""
        left.markdown(f"`{md(rel['from_id'])}` —{md(_rel_label(rel['type']))}→ `{md(rel['to_id'])}`{md(year_text)}")
        if right.button(tr(LABELS, "remove"), key=f"curate-rel-remove-{index}"):
            user = require(Role.EDITOR)
            if user:
                result = remove_relationship(store(), rel["id"], rel["from_id"], rel["to_id"], actor(user))
                st.success(tr(LABELS, "removed", run=md(result["run_id"])))
                st.rerun()


def _delete(entity_id: str, current: dict[str, Any]) -> None:
    count = len(incident_relationships(store(), [entity_id]))
    confirm = st.checkbox(tr(LABELS, "confirm_delete", name=md(current.get("name") or entity_id), n=count),
                          key=f"curate-delete-confirm-{entity_id}")
    if st.button(tr(LABELS, "do_delete"), key="curate-delete", type="primary", disabled=not confirm):
        user = require(Role.EDITOR)
        if user:
            result = delete_entity(store(), entity_id, actor(user))
            st.success(tr(LABELS, "deleted", id=md(entity_id), run=md(result["run_id"])))


def page() -> None:
    st.title(tr(LABELS, "title"))
    user = require(Role.EDITOR)
    if user is None:
        return
    if logout_button(key="curate-logout"):
        return
    mode = st.radio(tr(LABELS, "mode"), MODES, format_func=lambda m: tr(LABELS, m), horizontal=True, key="curate-mode")
    if st.session_state.get("curate-last-mode") != mode:
        st.session_state.pop(ERRORS, None)
        st.session_state["curate-last-mode"] = mode
    if mode == "add":
        _entity_form(None)
        return
    entity_id = find_entity(tr(LABELS, "which"), "curate-edit-entity")
    if entity_id is None:
        st.info(tr(LABELS, "pick_first"))
        return
    current = entity_snapshots(store(), [entity_id]).get(entity_id)
    if current is None:
        st.info(tr(LABELS, "pick_first"))
        return
    if st.session_state.get("curate-last-entity") != entity_id:  # a new entity: the form starts from its values
        for key in [k for k in st.session_state if str(k).startswith("curate-edit-")
                    and not str(k).startswith("curate-edit-entity")]:
            del st.session_state[key]
        st.session_state.pop(ERRORS, None)
        st.session_state["curate-last-entity"] = entity_id
    if mode == "edit":
        _entity_form({**current, "id": entity_id})
    elif mode == "relationships":
        _relationships(entity_id, current)
    else:
        _delete(entity_id, current)
