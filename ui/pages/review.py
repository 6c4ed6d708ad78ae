"""Duyệt tài liệu — paste a text or upload a document, see what extraction proposes (each
candidate with its sentence highlighted, kind, proposed match and confidence), accept, reject,
edit (name, kind, aliases) or merge into another entity, then apply: only accepted rows are
written, with their evidence, in one transaction (ingest/service.py). Editors only."""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import streamlit as st

from accounts.roles import Role
from graph.schema import KINDS, NodeKind
from graph.text import fold
from ingest.curation import propose_id
from ingest.service import CandidatesFile, EntityCandidate, InvalidInput, apply_review, extract_document
from ui.auth import logout_button, require
from ui.context import store
from ui.curation_widgets import actor, find_entity
from ui.i18n import language, tr
from ui.widgets import h, md, verb

LABELS = {
    "title": ("Duyệt tài liệu", "Review a document"),
    "how": ("Cách đưa tài liệu vào", "How to bring the document in"),
    "paste": ("Dán văn bản", "Paste text"),
    "upload": ("Tải tệp lên", "Upload a file"),
    "text": ("Văn bản", "Text"),
    "doc_name": ("Tên tài liệu (tùy chọn)", "Document name (optional)"),
    "file": ("Tệp (txt, Markdown, HTML, .docx, PDF)", "File (txt, Markdown, HTML, .docx, PDF)"),
    "extract": ("Trích xuất", "Extract"),
    "empty": ("Hãy dán văn bản hoặc chọn một tệp.", "Paste a text or choose a file."),
    "problems": ("Không đọc được tài liệu:", "The document cannot be read:"),
    "found": ("{e} thực thể, {r} quan hệ được đề xuất từ {doc}. Chỉ những dòng được chấp nhận mới được ghi.",
              "{e} entities and {r} relationships proposed from {doc}. Only accepted rows are written."),
    "entities": ("Thực thể đề xuất", "Proposed entities"),
    "relationships": ("Quan hệ đề xuất", "Proposed relationships"),
    "new": ("mới", "new"),
    "match": ("khớp với {name} ({id})", "matches {name} ({id})"),
    "confidence": ("độ tin cậy {c:.0%}", "confidence {c:.0%}"),
    "decision": ("Quyết định", "Decision"),
    "accept": ("Chấp nhận", "Accept"),
    "reject": ("Bỏ qua", "Reject"),
    "merge": ("Gộp vào thực thể khác", "Merge into another entity"),
    "edit": ("Sửa tên, loại, tên khác", "Edit name, kind, aliases"),
    "name": ("Tên", "Name"),
    "kind": ("Loại", "Kind"),
    "aliases": ("Tên khác (cách nhau bằng ;)", "Aliases (separated by ;)"),
    "merge_into": ("Gộp vào", "Merge into"),
    "accept_rel": ("Chấp nhận quan hệ này", "Accept this relationship"),
    "apply": ("Ghi các dòng đã chấp nhận", "Write the accepted rows"),
    "applied": ("Đã ghi (lượt {run}): {summary}. Xem ở trang Lịch sử; có thể hoàn tác.",
                "Written (run {run}): {summary}. See the History page; it can be undone."),
    "nothing_changed": ("Không có gì mới để ghi.", "Nothing new to write."),
    "discard": ("Bỏ kết quả trích xuất", "Discard the extraction"),
    "none": ("Không tìm thấy gì trong tài liệu.", "Nothing was found in the document."),
}
STATE = "review-candidates"
DECISIONS = ("reject", "accept", "merge")


def _kind_label(kind: str) -> str:
    spec = KINDS[NodeKind(kind)]
    return spec.label_vi if language() == "vi" else spec.label_en


def highlight(sentence: str, names: list[str]) -> str:
    """The sentence as HTML with the first of ``names`` it contains marked (case-insensitive,
    with or without diacritics)."""
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        match = re.search(re.escape(name), sentence, re.I)
        if match:
            return (h(sentence[:match.start()]) + "<mark>" + h(match.group(0)) + "</mark>" + h(sentence[match.end():]))
    folded_names = [fold(n) for n in names if n]
    words = sentence.split(" ")
    for size in range(min(12, len(words)), 0, -1):  # the same words without diacritics
        for start in range(0, len(words) - size + 1):
            piece = " ".join(words[start:start + size])
            if fold(piece) and fold(piece) in folded_names:
                before, after = " ".join(words[:start]), " ".join(words[start + size:])
                return h(before + " ") + "<mark>" + h(piece) + "</mark>" + h(" " + after)
    return h(sentence)


def _saved_document(text: str, name: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="vusta-review-"))
    stem = re.sub(r"[^a-z0-9._-]+", "-", fold(name or "").replace(" ", "-")).strip("-.") or \
        time.strftime("van-ban-%Y%m%d-%H%M%S", time.gmtime())
    path = folder / (stem if stem.endswith((".txt", ".md")) else stem + ".txt")
    path.write_text(text, encoding="utf-8")
    return path


def _input() -> None:
    how = st.radio(tr(LABELS, "how"), ["paste", "upload"], format_func=lambda m: tr(LABELS, m), horizontal=True,
                   key="review-how")
    path: Path | None = None
    if how == "paste":
        text = st.text_area(tr(LABELS, "text"), height=220, key="review-text")
        name = st.text_input(tr(LABELS, "doc_name"), key="review-doc-name")
        go = st.button(tr(LABELS, "extract"), key="review-extract", type="primary")
        if go and text.strip():
            path = _saved_document(text, name)
    else:
        upload = st.file_uploader(tr(LABELS, "file"), type=["txt", "md", "html", "htm", "docx", "pdf"], key="review-file")
        go = st.button(tr(LABELS, "extract"), key="review-extract", type="primary")
        if go and upload is not None:
            folder = Path(tempfile.mkdtemp(prefix="vusta-review-"))
            path = folder / Path(upload.name).name
            path.write_bytes(upload.getvalue())
    if go and path is None:
        st.warning(tr(LABELS, "empty"))
    if path is None:
        return
    try:
        candidates = extract_document(store(), path)
    except InvalidInput as error:
        st.error(tr(LABELS, "problems"))
        st.code("\n".join(str(p) for p in error.problems[:50]), language=None)
        return
    for key in [k for k in st.session_state if str(k).startswith("review-e-") or str(k).startswith("review-r-")]:
        del st.session_state[key]
    st.session_state[STATE] = candidates.model_dump(mode="json")
    st.rerun()


def _entity_row(index: int, candidate: EntityCandidate) -> None:
    evidence = candidate.evidence[0] if candidate.evidence else None
    with st.container(border=True, key=f"review-card-{index}"):
        match = tr(LABELS, "new") if candidate.status == "new" else tr(
            LABELS, "match", name=candidate.name, id=candidate.status.split(":", 1)[1])
        st.markdown(f"**{md(candidate.name)}** · {md(_kind_label(candidate.kind))} · {md(match)} · "
                    f"{md(tr(LABELS, 'confidence', c=candidate.confidence))}")
        if evidence:
            st.markdown(f"<div class='vusta-quote'>{highlight(evidence.sentence, [candidate.name, *candidate.aliases])}"
                        f"<br><span class='vusta-muted'>{h(evidence.document)}:{evidence.line}</span></div>",
                        unsafe_allow_html=True)
        decision = st.radio(tr(LABELS, "decision"), DECISIONS, format_func=lambda d: tr(LABELS, d), horizontal=True,
                            key=f"review-e-{index}-decision")
        if decision == "merge":
            find_entity(tr(LABELS, "merge_into"), f"review-e-{index}-merge")
        elif decision == "accept":
            with st.expander(tr(LABELS, "edit")):
                st.text_input(tr(LABELS, "name"), value=candidate.name, key=f"review-e-{index}-name")
                kinds = [k.value for k in NodeKind]
                st.selectbox(tr(LABELS, "kind"), kinds, index=kinds.index(candidate.kind.value), format_func=_kind_label,
                             key=f"review-e-{index}-kind")
                st.text_input(tr(LABELS, "aliases"), value="; ".join(candidate.aliases), key=f"review-e-{index}-aliases")


def _reviewed(candidates: CandidatesFile) -> CandidatesFile:
    """The candidates with the reviewer's decisions and edits applied."""
    out = candidates.model_copy(deep=True)
    renamed: dict[str, str] = {}
    taken = {c.id for c in out.entities}
    for index, candidate in enumerate(out.entities):
        decision = st.session_state.get(f"review-e-{index}-decision", "reject")
        candidate.accept = decision in ("accept", "merge")
        if decision == "merge":
            target = st.session_state.get(f"review-e-{index}-merge-pick")
            if not target:
                candidate.accept = False
                continue
            renamed[candidate.id] = target
            candidate.status = f"merge-into:{target}"
            candidate.aliases = list(dict.fromkeys([candidate.name, *candidate.aliases]))
        elif decision == "accept":
            name = (st.session_state.get(f"review-e-{index}-name") or candidate.name).strip()
            kind = st.session_state.get(f"review-e-{index}-kind") or candidate.kind.value
            aliases = [a.strip() for a in (st.session_state.get(f"review-e-{index}-aliases") or "").split(";") if a.strip()]
            if candidate.status == "new" and name != candidate.name:
                new_id = propose_id(name, [], taken)
                taken.add(new_id)
                renamed[candidate.id] = new_id
                candidate.id = new_id
            candidate.name = name
            if kind != candidate.kind.value:  # another kind: its properties may not fit, so they go
                candidate.kind = NodeKind(kind)
                candidate.kinds = [NodeKind(kind)]
                candidate.properties = {}
            candidate.aliases = aliases
    for index, rel in enumerate(out.relationships):
        rel.accept = bool(st.session_state.get(f"review-r-{index}", False))
        rel.from_id = renamed.get(rel.from_id, rel.from_id)
        rel.to_id = renamed.get(rel.to_id, rel.to_id)
    return out


def page() -> None:
    st.title(tr(LABELS, "title"))
    user = require(Role.EDITOR)
    if user is None:
        return
    if logout_button(key="review-logout"):
        return
    data = st.session_state.get(STATE)
    if data is None:
        _input()
        return
    candidates = CandidatesFile.model_validate(data)
    docs = ", ".join(d.title or d.name for d in candidates.documents)
    st.info(tr(LABELS, "found", e=len(candidates.entities), r=len(candidates.relationships), doc=md(docs)))
    if st.button(tr(LABELS, "discard"), key="review-discard"):
        st.session_state.pop(STATE, None)
        st.rerun()
    if not candidates.entities and not candidates.relationships:
        st.caption(tr(LABELS, "none"))
        return
    st.subheader(tr(LABELS, "entities"))
    for index, candidate in enumerate(candidates.entities):
        _entity_row(index, candidate)
    if candidates.relationships:
        st.subheader(tr(LABELS, "relationships"))
        for index, rel in enumerate(candidates.relationships):
            evidence = rel.evidence[0] if rel.evidence else None
            with st.container(border=True, key=f"review-rel-card-{index}"):
                st.markdown(f"**{md(rel.from_name)}** — {md(verb(rel.type))} → **{md(rel.to_name)}** · "
                            f"{md(tr(LABELS, 'confidence', c=rel.confidence))}")
                if evidence:
                    st.markdown(f"<div class='vusta-quote'>{highlight(evidence.sentence, [rel.from_name, rel.to_name])}"
                                "</div>", unsafe_allow_html=True)
                st.checkbox(tr(LABELS, "accept_rel"), key=f"review-r-{index}")
    if st.button(tr(LABELS, "apply"), key="review-apply", type="primary"):
        try:
            result, _ = apply_review(store(), _reviewed(candidates), actor(user))
        except InvalidInput as error:
            st.error("\n".join(str(p) for p in error.problems[:20]))
            return
        if result.run_id is None:
            st.info(tr(LABELS, "nothing_changed"))
            return
        summary = result.plan.summary()
        text = (f"+{summary['entities']['created']} ~{summary['entities']['updated']} entities, "
                f"+{summary['relationships']['created']} ~{summary['relationships']['updated']} relationships")
        st.session_state.pop(STATE, None)
        st.success(tr(LABELS, "applied", run=md(result.run_id), summary=text))


