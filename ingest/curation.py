"""Changes a signed-in editor makes in the app: add, edit and delete entities, add and remove
relationships, merge a duplicate. Each is one transaction and one ``IngestRun`` carrying who
made it and what it replaced (:mod:`ingest.history`), so the profile shows it and it can be
undone. Nothing here talks to the UI; the forms call these functions.

An app change is a source like any other: ``method: app``, ``document`` the document id or web
address the editor gave (or ``app`` when none), so the profile says where a fact comes from.
Bad values raise :class:`FieldProblems`, each problem naming its field, in Vietnamese and English.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from graph import cypher
from graph.i18n import Bilingual
from graph.maintenance import new_run_id, sync_labels
from graph.schema import (
    KINDS,
    EntityRecord,
    NodeKind,
    PropertyType,
    RelationshipProperties,
    RelationshipRecord,
    RelationshipType,
    SourceRef,
    allowed_properties,
    is_kind,
    is_relationship_type,
    provenance_json,
)
from graph.store import GraphStore, Writer
from graph.text import strip_diacritics
from ingest.history import Actor, ChangeLog, entity_snapshots, incident_relationships, record_run, relationship_snapshots
from ingest.provenance import stored_sources

APP = "app"
_URL = re.compile(r"^https?://[^\s/$.?#].[^\s]*$", re.I)
VISIBILITY = ("public", "internal", "private")
ENUMERATIONS: dict[str, tuple[str, ...]] = {"visibility": VISIBILITY}
TYPE_HINTS: dict[str, tuple[str, str]] = {
    "text": ("văn bản", "text"),
    "integer": ("số nguyên, ví dụ 2019", "whole number, e.g. 2019"),
    "number": ("số, dấu chấm cho phần thập phân", "number, '.' for decimals"),
    "boolean": ("có/không", "yes/no"),
    "date": ("ngày YYYY, YYYY-MM hoặc YYYY-MM-DD", "date YYYY, YYYY-MM or YYYY-MM-DD"),
    "texts": ("nhiều giá trị, cách nhau bằng dấu ;", "several values separated by ;"),
}


@dataclass(frozen=True)
class FieldProblem:
    field: str
    vi: str
    en: str

    def text(self, language: str) -> str:
        return Bilingual(self.vi, self.en).text(language)


class FieldProblems(ValueError):
    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.en}" for p in problems))
        self.problems = problems

    def by_field(self) -> dict[str, FieldProblem]:
        return {p.field: p for p in self.problems}


# -- values from form fields --------------------------------------------------------------------------

def parse_value(field: str, raw: Any, expected: PropertyType) -> Any:
    """A form field's text as the schema's type (None when blank); FieldProblems when it is not."""
    from ingest.tabular import convert

    if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
        return None
    if field in ENUMERATIONS and str(raw).strip() not in ENUMERATIONS[field]:
        allowed = ", ".join(ENUMERATIONS[field])
        raise FieldProblems([FieldProblem(field, f"phải là một trong: {allowed}", f"must be one of: {allowed}")])
    try:
        return convert(raw, expected)
    except ValueError as error:
        vi, en = TYPE_HINTS[expected]
        raise FieldProblems([FieldProblem(field, f"cần {vi}; đã nhập {str(raw)!r}",
                                          f"needs a {en}; got {str(raw)!r} ({error})")]) from None


def form_fields(kinds: list[NodeKind]) -> dict[str, PropertyType]:
    """The properties a form offers for these kinds, from the schema."""
    return dict(allowed_properties(kinds)) if kinds else {}


def propose_id(name: str, kinds: list[NodeKind], taken: set[str] | None = None) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", strip_diacritics(name).lower()).strip("-")[:60] or "entity"
    candidate, n = base, 2
    while taken and candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def check_source(source: str | None, store: GraphStore, required: bool = False) -> SourceRef:
    """An app source: a web address or a Document in the graph; ``app`` when none and not required."""
    text = (source or "").strip()
    if not text:
        if required:
            raise FieldProblems([FieldProblem("source", "cần nguồn: mã tài liệu trong đồ thị hoặc địa chỉ web",
                                              "needs a source: a document id in the graph or a web address")])
        return SourceRef(document=APP, method=APP)
    if len(text) > 300:
        raise FieldProblems([FieldProblem("source", "nguồn dài quá 300 ký tự", "the source is longer than 300 characters")])
    if _URL.match(text):
        return SourceRef(document=text, method=APP)
    rows = store.read("entity_profile", id=text)
    if not rows or NodeKind.DOCUMENT not in (rows[0].get("kinds") or []):
        raise FieldProblems([FieldProblem("source", f"'{text}' không phải địa chỉ web (http…) hay mã một tài liệu "
                                                    "trong đồ thị",
                                          f"'{text}' is neither a web address (http…) nor the id of a document in "
                                          "the graph")])
    return SourceRef(document=text, method=APP)


def build_entity(entity_id: str, kinds: list[str], name: str, *, name_en: str | None = None,
                 aliases: list[str] | None = None, raw_properties: dict[str, Any] | None = None) -> EntityRecord:
    """Validate form input into an entity record; every problem names its field."""
    problems: list[FieldProblem] = []
    chosen: list[NodeKind] = []
    for kind in kinds:
        if is_kind(kind):
            chosen.append(NodeKind(kind))
        else:
            problems.append(FieldProblem("kinds", f"loại không có trong lược đồ: {kind}", f"not a kind of the schema: {kind}"))
    if not chosen and not problems:
        problems.append(FieldProblem("kinds", "chọn ít nhất một loại", "choose at least one kind"))
    if not (name or "").strip():
        problems.append(FieldProblem("name", "tên không được để trống", "the name cannot be empty"))
    if not re.match(r"^[a-z0-9][a-z0-9._-]{0,199}$", entity_id or ""):
        problems.append(FieldProblem("id", "mã chỉ gồm chữ thường không dấu, số, . _ -",
                                     "an id is lowercase ascii letters, digits, . _ -"))
    properties: dict[str, Any] = {}
    allowed = form_fields(chosen)
    for key, raw in (raw_properties or {}).items():
        if key not in allowed:
            if raw not in (None, "", []):
                problems.append(FieldProblem(key, "thuộc tính không dùng cho loại đã chọn",
                                             "this property does not belong to the chosen kinds"))
            continue
        try:
            value = parse_value(key, raw, allowed[key])
        except FieldProblems as error:
            problems += error.problems
            continue
        if value is not None:
            properties[key] = value
    if problems:
        raise FieldProblems(problems)
    try:
        return EntityRecord(id=entity_id, kinds=chosen, name=name, name_en=(name_en or "").strip() or None,
                            aliases=[a for a in (aliases or []) if a.strip()], properties=properties)
    except ValidationError as error:
        raise FieldProblems([FieldProblem(".".join(str(p) for p in d["loc"]) or "entity", d["msg"], d["msg"])
                             for d in error.errors()]) from None


# -- writes -------------------------------------------------------------------------------------------

def _entity_props(record: EntityRecord, sources: list[SourceRef], run_id: str) -> dict[str, Any]:
    record = record.model_copy(update={"sources": sources})
    return {k: v for k, v in record.node_properties(run_id).items() if v is not None}


def save_entity(store: GraphStore, record: EntityRecord, actor: Actor, *, source: str | None = None,
                create: bool = False) -> dict[str, Any]:
    """Create (``create=True``: the id must be free) or replace an entity's values."""
    app_source = check_source(source, store)
    current = entity_snapshots(store, [record.id]).get(record.id)
    if create and current is not None:
        raise FieldProblems([FieldProblem("id", f"mã '{record.id}' đã có trong đồ thị", f"the id '{record.id}' is taken")])
    if not create and current is None:
        raise FieldProblems([FieldProblem("id", f"không có thực thể '{record.id}'", f"there is no entity '{record.id}'")])
    started = time.time()
    run_id = new_run_id(started)
    sources = list(dict.fromkeys([*stored_sources(current or {}), app_source]))
    props = _entity_props(record, sources, run_id)
    props["sample"] = bool((current or {}).get("sample", False))
    props["app_edit"] = True  # a reload of data/ keeps these values and lists the differences (ingest/provenance.py)
    log = ChangeLog()
    log.entity(record.id, current)
    kinds_changed = current is not None and sorted(current.get("kinds") or []) != sorted(str(k) for k in record.kinds)

    def work(writer: Writer) -> None:
        if current is None:
            writer.write_rows(cypher.create_entities(record.kinds), [{"id": record.id, "props": props}])
        else:
            row = dict(props)
            for key in current:
                if key != "id":
                    row.setdefault(key, None)
            writer.write_rows("update_entities", [{"id": record.id, "props": row}])
        record_run(writer, run_id, started, command="app: " + ("add entity" if create else "edit entity"),
                   inputs=[record.id, app_source.document], log=log, actor=actor,
                   created=int(current is None), updated=int(current is not None))

    store.write(work)
    if kinds_changed:
        sync_labels(store)
    return {"run_id": run_id, "id": record.id, "created": current is None}


def delete_entity(store: GraphStore, entity_id: str, actor: Actor) -> dict[str, Any]:
    """Delete an entity and its relationships (all kept in the run's history, so it can be undone)."""
    current = entity_snapshots(store, [entity_id]).get(entity_id)
    if current is None:
        raise FieldProblems([FieldProblem("id", f"không có thực thể '{entity_id}'", f"there is no entity '{entity_id}'")])
    rels = incident_relationships(store, [entity_id])
    started = time.time()
    run_id = new_run_id(started)
    log = ChangeLog()
    log.entity(entity_id, current, after=False)
    for rel in rels:
        log.relationship(rel["id"], rel["type"], rel["from_id"], rel["to_id"], rel["props"], after=False)

    def work(writer: Writer) -> None:
        writer.run("delete_entities", ids=[entity_id])
        record_run(writer, run_id, started, command="app: delete entity", inputs=[entity_id], log=log, actor=actor,
                   updated=1 + len(rels))

    store.write(work)
    return {"run_id": run_id, "id": entity_id, "relationships": len(rels)}


def build_relationship(rel_type: str, from_id: str, to_id: str, *, year: Any = None, role: str | None = None,
                       note: str | None = None) -> RelationshipRecord:
    problems: list[FieldProblem] = []
    if not is_relationship_type(rel_type):
        problems.append(FieldProblem("type", f"loại quan hệ không có trong lược đồ: {rel_type}",
                                     f"not a relationship type of the schema: {rel_type}"))
    if from_id == to_id:
        problems.append(FieldProblem("to", "một thực thể không có quan hệ với chính nó", "an entity is not related to itself"))
    parsed_year = None
    try:
        parsed_year = parse_value("year", year, "integer")
    except FieldProblems as error:
        problems += error.problems
    if parsed_year is not None and not 1800 <= parsed_year <= 2200:
        problems.append(FieldProblem("year", "năm phải trong khoảng 1800–2200", "the year must be within 1800–2200"))
    if problems:
        raise FieldProblems(problems)
    try:
        return RelationshipRecord(type=RelationshipType(rel_type), **{"from": from_id, "to": to_id},
                                  properties=RelationshipProperties(year=parsed_year, role=(role or "").strip() or None,
                                                                    note=(note or "").strip() or None))
    except ValidationError as error:
        raise FieldProblems([FieldProblem(".".join(str(p) for p in d["loc"]), d["msg"], d["msg"])
                             for d in error.errors()]) from None


def add_relationship(store: GraphStore, record: RelationshipRecord, actor: Actor, *, source: str) -> dict[str, Any]:
    """Add a relationship with its source (required) and year."""
    app_source = check_source(source, store, required=True)
    ends = entity_snapshots(store, [record.from_id, record.to_id])
    missing = [side for side, i in (("from", record.from_id), ("to", record.to_id)) if i not in ends]
    if missing:
        raise FieldProblems([FieldProblem(side, "chọn một thực thể có trong đồ thị", "choose an entity in the graph")
                             for side in missing])
    current = relationship_snapshots(store, [{"id": record.id, "from_id": record.from_id, "to_id": record.to_id}])
    if record.id in current:
        raise FieldProblems([FieldProblem("type", "quan hệ này đã có", "this relationship exists already")])
    started = time.time()
    run_id = new_run_id(started)
    record = record.model_copy(update={"sources": [app_source]})
    log = ChangeLog()
    log.relationship(record.id, record.type, record.from_id, record.to_id, None)

    def work(writer: Writer) -> None:
        writer.write_rows(cypher.merge_relationship(record.type), [
            {"id": record.id, "from_id": record.from_id, "to_id": record.to_id,
             "props": {k: v for k, v in record.relationship_properties(run_id).items() if v is not None}}])
        record_run(writer, run_id, started, command="app: add relationship", inputs=[record.id, app_source.document],
                   log=log, actor=actor, created=1)

    store.write(work)
    return {"run_id": run_id, "id": record.id}


def remove_relationship(store: GraphStore, rel_id: str, from_id: str, to_id: str, actor: Actor) -> dict[str, Any]:
    current = relationship_snapshots(store, [{"id": rel_id, "from_id": from_id, "to_id": to_id}]).get(rel_id)
    if current is None:
        raise FieldProblems([FieldProblem("relationship", "không có quan hệ này", "there is no such relationship")])
    rel_type = rel_id.split("|")[1]
    started = time.time()
    run_id = new_run_id(started)
    log = ChangeLog()
    log.relationship(rel_id, rel_type, from_id, to_id, current, after=False)

    def work(writer: Writer) -> None:
        writer.write_rows("delete_relationships_by_id", [{"id": rel_id, "from_id": from_id, "to_id": to_id}])
        record_run(writer, run_id, started, command="app: remove relationship", inputs=[rel_id], log=log, actor=actor,
                   updated=1)

    store.write(work)
    return {"run_id": run_id, "id": rel_id}


# -- merging duplicates -------------------------------------------------------------------------------

def merge_preview(store: GraphStore, survivor_id: str, duplicate_id: str) -> dict[str, Any]:
    """What merging would give: the survivor's names, sources and relationships (nothing written)."""
    from ingest.dedupe import _merged_survivor, _moved_relationships

    if survivor_id == duplicate_id:
        raise FieldProblems([FieldProblem("duplicate", "không gộp một thực thể vào chính nó", "an entity is not merged into itself")])
    found = entity_snapshots(store, [survivor_id, duplicate_id])
    missing = [i for i in (survivor_id, duplicate_id) if i not in found]
    if missing:
        raise FieldProblems([FieldProblem("duplicate", f"không có thực thể {', '.join(missing)}",
                                          f"no entity {', '.join(missing)}")])
    survivor, new_aliases = _merged_survivor(store, survivor_id, duplicate_id)
    moved = _moved_relationships(store, survivor_id, duplicate_id)
    return {"survivor": survivor, "new_aliases": new_aliases, "relationships": moved,
            "sources": len(survivor.sources), "kinds": [str(k) for k in survivor.kinds]}


def merge_entities(store: GraphStore, survivor_id: str, duplicate_id: str, actor: Actor) -> dict[str, Any]:
    """Merge ``duplicate_id`` into ``survivor_id``: names become aliases, sources and relationships
    are kept (re-created on the survivor), the duplicate is deleted; one run, undoable."""
    preview = merge_preview(store, survivor_id, duplicate_id)
    survivor: EntityRecord = preview["survivor"]
    moved: list[RelationshipRecord] = preview["relationships"]
    before = entity_snapshots(store, [survivor_id, duplicate_id])
    duplicate_rels = incident_relationships(store, [duplicate_id])
    existing = relationship_snapshots(store, [{"id": r.id, "from_id": r.from_id, "to_id": r.to_id} for r in moved])
    started = time.time()
    run_id = new_run_id(started)
    log = ChangeLog()
    log.entity(survivor_id, before[survivor_id])
    log.entity(duplicate_id, before[duplicate_id], after=False)
    for rel in duplicate_rels:
        log.relationship(rel["id"], rel["type"], rel["from_id"], rel["to_id"], rel["props"], after=False)
    for rel in moved:
        log.relationship(rel.id, rel.type, rel.from_id, rel.to_id, existing.get(rel.id))
    props = survivor.node_properties(run_id)
    props["provenance"] = provenance_json(survivor.sources)
    row = {k: v for k, v in props.items()}
    for key in before[survivor_id]:
        if key != "id":
            row.setdefault(key, None)

    def work(writer: Writer) -> None:
        writer.write_rows("update_entities", [{"id": survivor_id, "props": row}])
        writer.run("delete_entities", ids=[duplicate_id])
        for rel in moved:
            writer.write_rows(cypher.merge_relationship(rel.type), [
                {"id": rel.id, "from_id": rel.from_id, "to_id": rel.to_id,
                 "props": {k: v for k, v in rel.relationship_properties(run_id).items() if v is not None}}])
        record_run(writer, run_id, started, command="app: merge duplicate", inputs=[f"{duplicate_id}->{survivor_id}"],
                   log=log, actor=actor, updated=2 + len(moved), message={"merged": duplicate_id, "into": survivor_id})

    store.write(work)
    sync_labels(store)
    return {"run_id": run_id, "survivor": survivor_id, "merged": duplicate_id, "new_aliases": preview["new_aliases"],
            "relationships_moved": len(moved)}


def kind_properties(kind: NodeKind) -> dict[str, PropertyType]:
    return dict(KINDS[kind].properties)
