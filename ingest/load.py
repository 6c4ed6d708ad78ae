"""Loading validated records into the graph, through :mod:`graph.store`.

The loader compares every record with what the graph holds and writes only what is new or
changed, in one transaction: a load commits whole or not at all, and loading the same input
twice changes nothing. A run that changed something is recorded as an ``IngestRun`` node (the
ingestion log the app shows).
"""

from __future__ import annotations

from contextlib import nullcontext
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from neo4j.exceptions import ConstraintError, Neo4jError, TransientError

from graph import cypher
from graph.schema import (EntityRecord, NodeKind, RelationshipRecord, RelationshipType, SourceRef, document_id,
                          endpoint_problem, is_kind)
from graph.maintenance import sync_labels
from graph.runlog import new_run_id, record_run
from graph.store import GraphStore, Writer, batches
from ingest.curated import InvalidInput, Problem
from ingest.provenance import reconcile_entity, reconcile_relationship

LOADER_MANAGED = ("ingest_run", "app_edit")  # app_edit: an editor changed it in the app; loads keep the mark


@dataclass
class LoadPlan:
    """What a load would do: per entity/relationship, created, updated or unchanged."""

    entities_created: list[EntityRecord] = field(default_factory=list)
    # (record, changed keys, kinds to remove, keys the graph holds now)
    entities_updated: list[tuple[EntityRecord, dict[str, Any], list[str], set[str]]] = field(default_factory=list)
    entities_unchanged: int = 0
    relationships_created: list[RelationshipRecord] = field(default_factory=list)
    relationships_updated: list[tuple[RelationshipRecord, dict[str, Any], set[str]]] = field(default_factory=list)
    relationships_unchanged: int = 0
    # values another source gave for curated nodes, kept as curated (see ingest/provenance.py)
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return (len(self.entities_created) + len(self.entities_updated) + len(self.relationships_created)
                + len(self.relationships_updated))

    def summary(self) -> dict[str, Any]:
        return {
            "entities": {"created": len(self.entities_created), "updated": len(self.entities_updated),
                         "unchanged": self.entities_unchanged},
            "relationships": {"created": len(self.relationships_created),
                              "updated": len(self.relationships_updated),
                              "unchanged": self.relationships_unchanged},
        }

    def details(self, limit: int = 200) -> dict[str, Any]:
        return {
            "entities_created": [e.id for e in self.entities_created[:limit]],
            "entities_updated": [{"id": e.id, "changed": sorted(diff)} for e, diff, _, _ in self.entities_updated[:limit]],
            "relationships_created": [r.id for r in self.relationships_created[:limit]],
            "relationships_updated": [{"id": r.id, "changed": sorted(diff)}
                                      for r, diff, _ in self.relationships_updated[:limit]],
            "conflicts": self.conflicts[:limit],
        }


def derived_relationships(entities: Iterable[EntityRecord]) -> list[RelationshipRecord]:
    """MENTIONED_IN (entity → each source document) and DESCRIBES (figure → its subject)."""
    out: dict[str, RelationshipRecord] = {}
    for entity in entities:
        if NodeKind.DOCUMENT in entity.kinds:
            continue
        by_document: dict[str, list[SourceRef]] = defaultdict(list)
        for source in entity.sources:
            by_document[source.document].append(source)
        for document, sources in by_document.items():
            rel = RelationshipRecord(type=RelationshipType.MENTIONED_IN, **{"from": entity.id, "to": document_id(document)},
                                     sources=sources, sample=entity.sample)
            out[rel.id] = rel
        if NodeKind.FIGURE in entity.kinds and entity.properties.get("subject"):
            rel = RelationshipRecord(type=RelationshipType.DESCRIBES,
                                     **{"from": entity.id, "to": entity.properties["subject"]},
                                     sources=entity.sources, sample=entity.sample)
            out[rel.id] = rel
    return list(out.values())


def _comparable(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None and k not in LOADER_MANAGED and k != "id"}


def plan_load(store: GraphStore, entities: list[EntityRecord], relationships: list[RelationshipRecord]) -> LoadPlan:
    plan = LoadPlan()
    existing: dict[str, dict[str, Any]] = {}
    for chunk in batches([e.id for e in entities]):
        for row in store.read("existing_entities", ids=list(chunk)):
            existing[row["id"]] = row
    for entity in entities:
        row = existing.get(entity.id)
        if row is None:
            plan.entities_created.append(entity)
            continue
        entity, conflicts = reconcile_entity(entity, row["props"])  # curated values win, sources accumulate
        plan.conflicts += conflicts
        new = _comparable(entity.node_properties())
        old = _comparable(row["props"])
        diff = {k for k in new.keys() | old.keys() if new.get(k) != old.get(k)}
        stale_kinds = [label for label in row["labels"]
                       if is_kind(label) and label not in entity.kinds]
        missing_kinds = [k for k in entity.kinds if k.value not in row["labels"]]
        if diff or stale_kinds or missing_kinds:
            if stale_kinds or missing_kinds:
                diff.add("kinds")
            plan.entities_updated.append((entity, {k: True for k in diff}, stale_kinds, set(row["props"])))
        else:
            plan.entities_unchanged += 1
    rel_ids = [r.id for r in relationships]
    existing_rels = stored_relationships(store, relationships, rel_ids)
    for rel_id, rel in zip(rel_ids, relationships):
        row = existing_rels.get(rel_id)
        if row is None:
            plan.relationships_created.append(rel)
            continue
        rel = reconcile_relationship(rel, row["props"])
        new = _comparable(rel.relationship_properties())
        old = _comparable(row["props"])
        diff = {k for k in new.keys() | old.keys() if new.get(k) != old.get(k)}
        if diff:
            plan.relationships_updated.append((rel, {k: True for k in diff}, set(row["props"])))
        else:
            plan.relationships_unchanged += 1
    return plan


def stored_relationships(store: GraphStore, relationships: list[RelationshipRecord],
                         rel_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The stored state (``props``) of those of ``relationships`` (with their ``rel_ids``) that
    the graph has, read type by type: a read of one type loads only that type's relationships of
    each start entity (a third less time than all of them at 100k)."""
    by_type: dict[RelationshipType, list[dict[str, str]]] = defaultdict(list)
    for rel_id, rel in zip(rel_ids, relationships):
        by_type[rel.type].append({"id": rel_id, "from_id": rel.from_id})
    out: dict[str, dict[str, Any]] = {}
    for rel_type, rows in by_type.items():
        for chunk in batches(rows):
            for row in store.read(cypher.stored_relationships(rel_type), rows=list(chunk)):
                out[row["id"]] = row
    return out


class Progress:
    """Progress on stderr for long loads (silent for small ones or when asked)."""

    def __init__(self, total: int, label: str, quiet: bool = False, min_total: int = 20000) -> None:
        self.total, self.label, self.done = total, label, 0
        self.enabled = not quiet and total >= min_total
        self.started = time.monotonic()

    def __call__(self, n: int) -> None:
        self.done += n
        if self.enabled:
            rate = self.done / max(time.monotonic() - self.started, 1e-6)
            print(f"\r{self.label}: {self.done}/{self.total} rows ({rate:,.0f} rows/s)", end="", file=sys.stderr,
                  flush=True)
            if self.done >= self.total:
                print(file=sys.stderr)


def _entity_row(entity: EntityRecord, run_id: str, old_keys: Iterable[str] = ()) -> dict[str, Any]:
    props = entity.node_properties(run_id)
    for key in old_keys:  # keys the graph has that the record no longer has: remove them
        if key != "id" and key not in LOADER_MANAGED:
            props.setdefault(key, None)
    return {"id": entity.id, "props": props}


def _new_entity_row(entity: EntityRecord, run_id: str) -> dict[str, Any]:
    row = _entity_row(entity, run_id)
    row["props"] = {k: v for k, v in row["props"].items() if v is not None}
    return row


def _relationship_row(rel: RelationshipRecord, run_id: str, old_keys: Iterable[str] = ()) -> dict[str, Any]:
    props = rel.relationship_properties(run_id)
    for key in old_keys:
        if key != "id":
            props.setdefault(key, None)
    return {"id": rel.id, "from_id": rel.from_id, "to_id": rel.to_id, "props": props}


def apply_plan(writer: Writer, plan: LoadPlan, run_id: str) -> None:
    """Write a plan inside one transaction. New entities get their kind labels at creation;
    changed kinds of existing entities are stored in ``kinds`` and synced by :func:`sync_labels`."""
    # Rows are made as they are sent (generators): the writer makes the next batch while the
    # store writes the current one.
    by_kinds: dict[frozenset[NodeKind], list[EntityRecord]] = defaultdict(list)
    for entity in plan.entities_created:
        by_kinds[frozenset(entity.kinds)].append(entity)
    for kinds, entities in by_kinds.items():
        writer.write_rows(cypher.create_entities(kinds), (_new_entity_row(e, run_id) for e in entities))
    writer.write_rows("update_entities",
                      (_entity_row(e, run_id, old_keys) for e, _, _, old_keys in plan.entities_updated))
    # New relationships are CREATEd: the plan found them absent, and a MERGE would search the
    # endpoints' relationships again (most of the loader's time at 100k, see bench/). Changed
    # ones are MERGEd onto the existing relationship.
    created: dict[RelationshipType, list[RelationshipRecord]] = defaultdict(list)
    for rel in plan.relationships_created:
        created[rel.type].append(rel)
    for rel_type, rels in created.items():
        writer.write_rows(cypher.create_relationship(rel_type), (_relationship_row(r, run_id) for r in rels))
    updated: dict[RelationshipType, list[tuple[RelationshipRecord, set[str]]]] = defaultdict(list)
    for rel, _, old_keys in plan.relationships_updated:
        updated[rel.type].append((rel, old_keys))
    for rel_type, changed in updated.items():
        writer.write_rows(cypher.merge_relationship(rel_type),
                          (_relationship_row(r, run_id, old_keys) for r, old_keys in changed))


@dataclass
class LoadResult:
    run_id: str | None
    plan: LoadPlan
    dry_run: bool
    seconds: float

    def as_json(self, details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"run_id": self.run_id, "dry_run": self.dry_run, **self.plan.summary(),
                               "seconds": round(self.seconds, 3)}
        if details or self.dry_run:
            out["details"] = self.plan.details()
        return out


def load_records(store: GraphStore, entities: list[EntityRecord], relationships: list[RelationshipRecord], *,
                 command: str, inputs: list[str], dry_run: bool = False, quiet: bool = False,
                 on_written: Callable[[Writer], None] | None = None, retries: int = 5,
                 run_properties: Callable[[GraphStore, LoadPlan], dict[str, Any]] | None = None) -> LoadResult:
    """Diff the records against the graph and write what changed, in one transaction.

    When a concurrent writer got there first (a constraint or transient error), the plan is
    made again against the new state and retried, so overlapping loads neither duplicate nor
    lose facts. ``run_properties(store, plan)`` adds properties to the run's ``IngestRun`` (who
    made it and what it replaced: see :mod:`ingest.history`).
    """
    started = time.time()
    store.ensure_schema()
    relationships = _dedupe_relationships([*relationships, *derived_relationships(entities)])
    check_endpoints(store, entities, relationships, inputs)
    # plan and write against the same state: one writer at a time (a dry run only reads)
    with (nullcontext() if dry_run else store.write_lock()):
        return _load_locked(store, entities, relationships, started=started, command=command, inputs=inputs,
                            dry_run=dry_run, quiet=quiet, on_written=on_written, retries=retries,
                            run_properties=run_properties)


def _load_locked(store: GraphStore, entities: list[EntityRecord], relationships: list[RelationshipRecord], *,
                 started: float, command: str, inputs: list[str], dry_run: bool, quiet: bool,
                 on_written: Callable[[Writer], None] | None, retries: int,
                 run_properties: Callable[[GraphStore, LoadPlan], dict[str, Any]] | None) -> LoadResult:
    delay = 0.2
    for attempt in range(retries + 1):
        plan = plan_load(store, entities, relationships)
        if dry_run or plan.changes == 0:
            return LoadResult(None, plan, dry_run, time.time() - started)
        run_id = new_run_id(started)
        total = plan.changes
        progress = Progress(total, "loading", quiet=quiet)
        extra = run_properties(store, plan) if run_properties else {}

        def work(writer: Writer) -> None:
            apply_plan(writer, plan, run_id)
            summary = plan.summary()
            record_run(writer, run_id, started=started, command=command, inputs=inputs,
                       created=summary["entities"]["created"] + summary["relationships"]["created"],
                       updated=summary["entities"]["updated"] + summary["relationships"]["updated"],
                       unchanged=summary["entities"]["unchanged"] + summary["relationships"]["unchanged"],
                       message=summary, extra=extra)
            if on_written:
                on_written(writer)

        try:
            store.write(work, retries=0, progress=progress)
        except Neo4jError as error:
            if attempt == retries or not is_write_conflict(error):
                raise
            time.sleep(delay)
            delay *= 2
            continue
        if any("kinds" in diff for _, diff, _, _ in plan.entities_updated):
            sync_labels(store)  # kinds of existing entities changed: bring their labels in line
        return LoadResult(run_id, plan, False, time.time() - started)
    raise AssertionError("unreachable")


def check_endpoints(store: GraphStore, entities: list[EntityRecord], relationships: list[RelationshipRecord],
                    inputs: list[str]) -> None:
    """Refuse relationships whose endpoints the schema does not allow (``RelationshipSpec.sources``
    and ``targets``); nothing is written. Endpoints outside the records are looked up in the graph."""
    kinds: dict[str, list[str]] = {e.id: [str(k) for k in e.kinds] for e in entities}
    outside = sorted({end for rel in relationships for end in (rel.from_id, rel.to_id)} - kinds.keys())
    for chunk in batches(outside):
        for row in store.read("entity_kinds", ids=list(chunk)):
            for entity_id in row["ids"]:
                kinds[entity_id] = row["kinds"] or []
    problems = []
    answers: dict[tuple[Any, ...], str | None] = {}  # a load has few combinations of type and kinds
    for rel in relationships:
        from_kinds, to_kinds = tuple(kinds.get(rel.from_id, ())), tuple(kinds.get(rel.to_id, ()))
        key = (rel.type, from_kinds, to_kinds)
        if key not in answers:
            answers[key] = endpoint_problem(rel.type, from_kinds, to_kinds)
        message = answers[key]
        if message:
            problems.append(Problem(", ".join(inputs[:3]) or "(input)", message, record=rel.id, field="type"))
    if problems:
        raise InvalidInput(problems)


def is_write_conflict(error: Neo4jError) -> bool:
    """A concurrent writer got there first: a uniqueness violation, a transient error, or the
    embedded server's concurrent-modification error (reported as a general database error)."""
    if isinstance(error, (ConstraintError, TransientError)):
        return True
    text = f"{getattr(error, 'code', '')} {getattr(error, 'message', '')} {error}"
    return "oncurrent" in text or "DuplicatedKey" in text or "Duplicated key" in text


def _dedupe_relationships(relationships: list[RelationshipRecord]) -> list[RelationshipRecord]:
    out: dict[str, RelationshipRecord] = {}
    for rel in relationships:
        rel_id = rel.id
        if rel_id in out:
            first = out[rel_id]
            merged_sources = list(dict.fromkeys([*first.sources, *rel.sources]))
            out[rel_id] = first.model_copy(update={"sources": merged_sources})
        else:
            out[rel_id] = rel
    return list(out.values())
