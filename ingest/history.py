"""Who changed what, and undoing a run as a whole.

Every change made in the app (an edit, a reviewed document, a merge, a deletion) is an
``IngestRun`` that also records ``user`` (username), ``user_name``, ``entity_ids`` (every
entity it touched, for the profile's history) and ``changes``: a JSON list with one
*before-image* per node or relationship it wrote::

    {"item": "entity", "id": "giz", "before": {...properties...} | null, "after": true}
    {"item": "relationship", "id": "a|FUNDS|b|", "type": "FUNDS", "from": "a", "to": "b",
     "before": {...} | null, "after": true}

``before: null`` means the run created it; ``after: false`` means the run deleted it.
:func:`undo_run` puts every item back as it was before, in one transaction, as a new run — but
only when nothing written by the run was changed since by a later run (each node and
relationship carries the id of the run that last wrote it, ``ingest_run``); otherwise it
refuses and lists what stands in the way (undo the later run first).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from graph import cypher
from graph.maintenance import new_run_id, sync_labels
from graph.schema import NodeKind, RelationshipType, is_relationship_type, known_kinds
from graph.store import GraphStore, Writer, batches


@dataclass(frozen=True)
class Actor:
    """The person behind a change (a signed-in account) and where they made it."""

    username: str
    name: str
    via: str = "app"

    def run_properties(self) -> dict[str, Any]:
        return {"user": self.username, "user_name": self.name}


class UndoRefused(Exception):
    """A run cannot be undone; ``reasons`` say why, in Vietnamese and English."""

    def __init__(self, reasons: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(en for _, en in reasons))
        self.reasons = reasons


@dataclass
class ChangeLog:
    """The before-images of one run, collected while it is planned."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def entity(self, entity_id: str, before: dict[str, Any] | None, after: bool = True) -> None:
        self.items.append({"item": "entity", "id": entity_id, "before": before, "after": after})

    def relationship(self, rel_id: str, rel_type: str, from_id: str, to_id: str, before: dict[str, Any] | None,
                     after: bool = True) -> None:
        self.items.append({"item": "relationship", "id": rel_id, "type": str(rel_type), "from": from_id,
                           "to": to_id, "before": before, "after": after})

    def entity_ids(self) -> list[str]:
        ids: dict[str, None] = {}
        for item in self.items:
            if item["item"] == "entity":
                ids[item["id"]] = None
            else:
                ids[item["from"]] = None
                ids[item["to"]] = None
        return list(ids)

    def run_properties(self, actor: Actor | None) -> dict[str, Any]:
        props = {"entity_ids": self.entity_ids(), "changes": json.dumps(self.items, ensure_ascii=False, default=str)}
        if actor:
            props.update(actor.run_properties())
        return props


def entity_snapshots(store: GraphStore, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for chunk in batches(sorted(set(ids))):
        for row in store.read("existing_entities", ids=list(chunk)):
            out[row["id"]] = row["props"]
    return out


def relationship_snapshots(store: GraphStore, rows: Iterable[dict[str, str]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for chunk in batches(list(rows)):
        for row in store.read("existing_relationships", rows=list(chunk)):
            out[row["id"]] = row["props"]
    return out


def incident_relationships(store: GraphStore, ids: Iterable[str]) -> list[dict[str, Any]]:
    return store.read("entity_relationships_all", ids=list(ids))


def changes_of_plan(store: GraphStore, plan: Any) -> ChangeLog:
    """Before-images for a :class:`ingest.load.LoadPlan` (read just before it is written)."""
    log = ChangeLog()
    for entity in plan.entities_created:
        log.entity(entity.id, None)
    updated = entity_snapshots(store, [e.id for e, *_ in plan.entities_updated])
    for entity, *_ in plan.entities_updated:
        log.entity(entity.id, updated.get(entity.id))
    for rel in plan.relationships_created:
        log.relationship(rel.id, rel.type, rel.from_id, rel.to_id, None)
    rels = relationship_snapshots(store, [{"id": r.id, "from_id": r.from_id, "to_id": r.to_id}
                                          for r, *_ in plan.relationships_updated])
    for rel, *_ in plan.relationships_updated:
        log.relationship(rel.id, rel.type, rel.from_id, rel.to_id, rels.get(rel.id))
    return log


def history_hook(actor: Actor | None, documents: list[str] | None = None):
    """A ``run_properties`` callback for :func:`ingest.load.load_records`: records who and the
    before-images of what the plan changes."""

    def hook(store: GraphStore, plan: Any) -> dict[str, Any]:
        props = changes_of_plan(store, plan).run_properties(actor)
        if documents:
            props["documents"] = documents[:100]
        return props

    return hook


def record_run(writer: Writer, run_id: str, started: float, *, command: str, inputs: list[str], log: ChangeLog,
               actor: Actor | None, created: int = 0, updated: int = 0, message: dict[str, Any] | None = None,
               extra: dict[str, Any] | None = None) -> None:
    writer.run("create_ingest_run", id=run_id, props={
        "started_at": started, "finished_at": time.time(), "command": command, "inputs": inputs[:100],
        "status": "committed", "created": created, "updated": updated, "unchanged": 0,
        "message": json.dumps(message or {}, ensure_ascii=False), **log.run_properties(actor), **(extra or {}),
    })


# -- reading the history ------------------------------------------------------------------------------

def parse_changes(run: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        value = json.loads(run.get("changes") or "[]")
    except (TypeError, json.JSONDecodeError):
        return []
    return value if isinstance(value, list) else []


def describe_change(item: dict[str, Any], entity_id: str | None = None) -> dict[str, Any]:
    """What one before-image means: created / updated / deleted, and which fields changed."""
    if item.get("before") is None:
        action = "created"
    elif not item.get("after", True):
        action = "deleted"
    else:
        action = "updated"
    out = {"item": item["item"], "id": item["id"], "action": action}
    if item["item"] == "relationship":
        out.update({"type": item.get("type"), "from": item.get("from"), "to": item.get("to")})
    return out


def entity_history(store: GraphStore, entity_id: str, limit: int = 50) -> list[dict[str, Any]]:
    """The runs that touched an entity, newest first, each with what it did to this entity."""
    out = []
    for row in store.read("entity_history", id=entity_id, limit=limit):
        run = row["run"]
        mine = [describe_change(item) for item in parse_changes(run)
                if item.get("id") == entity_id or entity_id in (item.get("from"), item.get("to"))]
        out.append({"run_id": run.get("id"), "started_at": run.get("started_at"), "command": run.get("command"),
                    "user": run.get("user"), "user_name": run.get("user_name"), "status": run.get("status"),
                    "undone_by": run.get("undone_by"), "undoes": run.get("undoes"),
                    "documents": list(run.get("documents") or []), "inputs": list(run.get("inputs") or []),
                    "changes": mine})
    return out


def recent_runs(store: GraphStore, limit: int = 30) -> list[dict[str, Any]]:
    return [row["run"] for row in store.read("ingest_runs", limit=limit)]


# -- undo ---------------------------------------------------------------------------------------------

def _null_missing(props: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    out = dict(props)
    for key in (current or {}):
        if key != "id":
            out.setdefault(key, None)
    return out


def plan_undo(store: GraphStore, run_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The run and its before-images, after checking that nothing stands in the way."""
    rows = store.read("ingest_run", id=run_id)
    if not rows:
        raise UndoRefused([(f"Không có lượt nạp '{run_id}'.", f"There is no run '{run_id}'.")])
    run = rows[0]["run"]
    if run.get("undone_by"):
        raise UndoRefused([(f"Lượt {run_id} đã được hoàn tác (bởi {run['undone_by']}).",
                            f"Run {run_id} was undone already (by {run['undone_by']}).")])
    if run.get("undoes"):
        raise UndoRefused([("Không hoàn tác một lượt hoàn tác; hãy sửa lại bằng biểu mẫu.",
                            "An undo is not undone in turn; edit the data again instead.")])
    items = parse_changes(run)
    if not items:
        raise UndoRefused([(f"Lượt {run_id} không ghi lại trạng thái trước đó (chỉ các thay đổi trong ứng dụng "
                            "mới hoàn tác được).",
                            f"Run {run_id} did not record what it replaced (only changes made in the app can be "
                            "undone).")])
    reasons: list[tuple[str, str]] = []
    entities = entity_snapshots(store, [i["id"] for i in items if i["item"] == "entity"])
    rels = relationship_snapshots(store, [{"id": i["id"], "from_id": i["from"], "to_id": i["to"]}
                                          for i in items if i["item"] == "relationship"])
    for item in items:
        current = entities.get(item["id"]) if item["item"] == "entity" else rels.get(item["id"])
        if item.get("after", True):
            if current is None:
                reasons.append((f"{item['id']} đã bị xóa sau lượt này.", f"{item['id']} was deleted after this run."))
            elif current.get("ingest_run") != run_id:
                later = current.get("ingest_run")
                reasons.append((f"{item['id']} đã được lượt sau ({later}) thay đổi; hãy hoàn tác lượt đó trước.",
                                f"{item['id']} was changed by a later run ({later}); undo that run first."))
        elif current is not None:
            reasons.append((f"{item['id']} đã được tạo lại sau lượt này.", f"{item['id']} was re-created after this run."))
    created = [i["id"] for i in items if i["item"] == "entity" and i.get("before") is None]
    own = {i["id"] for i in items if i["item"] == "relationship"}
    for row in incident_relationships(store, created) if created else []:
        if row["id"] not in own:
            reasons.append((f"{row['from_id']}–{row['to_id']} ({row['type']}) được thêm sau lượt này.",
                            f"{row['from_id']}–{row['to_id']} ({row['type']}) was added after this run."))
    if reasons:
        raise UndoRefused(reasons)
    return run, items


def undo_run(store: GraphStore, run_id: str, actor: Actor | None = None) -> dict[str, Any]:
    """Put back everything ``run_id`` changed, in one transaction; logged as a new run."""
    run, items = plan_undo(store, run_id)
    started = time.time()
    undo_id = new_run_id(started)
    current_entities = entity_snapshots(store, [i["id"] for i in items if i["item"] == "entity"])
    current_rels = relationship_snapshots(store, [{"id": i["id"], "from_id": i["from"], "to_id": i["to"]}
                                                  for i in items if i["item"] == "relationship"])
    log = ChangeLog()  # what the undo writes, for the history (the undo itself is not undone)
    for item in items:
        if item["item"] == "entity":
            log.entity(item["id"], current_entities.get(item["id"]), after=item.get("before") is not None)
        else:
            log.relationship(item["id"], item["type"], item["from"], item["to"], current_rels.get(item["id"]),
                             after=item.get("before") is not None)

    def work(writer: Writer) -> None:
        rels = [i for i in items if i["item"] == "relationship"]
        ents = [i for i in items if i["item"] == "entity"]
        present = [{"id": i["id"], "from_id": i["from"], "to_id": i["to"]} for i in rels if i["id"] in current_rels]
        if present:  # every relationship the run wrote goes; those it replaced come back below
            writer.write_rows("delete_relationships_by_id", present)
        gone = [i["id"] for i in ents if i.get("before") is None]
        if gone:
            writer.run("delete_entities", ids=gone)
        by_kinds: dict[frozenset[NodeKind], list[dict[str, Any]]] = defaultdict(list)
        updates = []
        for item in ents:
            before = item.get("before")
            if before is None:
                continue
            props = {k: v for k, v in before.items() if k != "id"}
            if item.get("after", True):
                updates.append({"id": item["id"], "props": _null_missing(props, current_entities.get(item["id"]))})
            else:
                kinds = frozenset(known_kinds(before.get("kinds") or []))
                by_kinds[kinds or frozenset({NodeKind.DOCUMENT})].append({"id": item["id"], "props": props})
        for kinds, rows in by_kinds.items():
            writer.write_rows(cypher.create_entities(kinds), rows)
        if updates:
            writer.write_rows("update_entities", updates)
        by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for item in rels:
            before = item.get("before")
            if before is not None and is_relationship_type(item["type"]):
                by_type[item["type"]].append({"id": item["id"], "from_id": item["from"], "to_id": item["to"],
                                              "props": {k: v for k, v in before.items() if k != "id"}})
        for rel_type, rows in by_type.items():
            writer.write_rows(cypher.merge_relationship(RelationshipType(rel_type)), rows)
        writer.run("mark_run_undone", id=run_id, by=undo_id)
        record_run(writer, undo_id, started, command=f"undo {run_id}", inputs=[run_id], log=log, actor=actor,
                   updated=len(items), message={"undoes": run_id}, extra={"undoes": run_id})

    store.write(work)
    sync_labels(store)
    return {"run_id": undo_id, "undid": run_id, "items": len(items)}
