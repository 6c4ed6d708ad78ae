"""Backup and restore: the whole graph as JSON lines, portable between Neo4j and the
embedded store.

Format (one JSON object per line, sorted so that two exports of the same graph are
byte-for-byte equal):

* ``{"record": "header", "format": "vusta-graph", "version": 1, "full": bool, ...counts}``
* ``{"record": "entity", "id", "labels", "properties"}`` (labels without ``Entity``)
* ``{"record": "relationship", "id", "type", "from", "to", "properties"}``
* ``{"record": "ingest_run", "id", "properties"}``

Without ``full`` the export is safe to share: contact details of people without consent are
left out (:mod:`graph.privacy`). A ``full`` export is an administrator's backup (file mode
0600) that restores exactly.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from graph import cypher
from graph.maintenance import sync_labels
from graph.limits import MAX_NESTING
from graph.privacy import CONTACT_PROPERTIES, redact
from graph.schema import ENTITY_LABEL, NodeKind, RelationshipType, is_kind, is_relationship_type
from graph.store import GraphStore, ValueTooLarge, Writer, batches

FORMAT = "vusta-graph"
VERSION = 1
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,199}$")


class BackupError(ValueError):
    """A backup file that cannot be restored; says which line and why. Nothing was written."""


class ShareableBackup(BackupError):
    """A shareable (redacted) export given to ``import --replace``: restoring it would delete the
    contact details it leaves out. Refused unless forced."""


def _depth(value: Any, limit: int = MAX_NESTING) -> int:
    """How deeply a parsed value nests (stops counting past ``limit``)."""
    stack = [(value, 1)]
    deepest = 0
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack += [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]
    return deepest


def _check_values(where: str, props: dict[str, Any]) -> None:
    """Values a store can hold: finite numbers, 64-bit integers, plain lists, sizes in limits."""
    from graph.schema import check_limits

    for key, value in props.items():
        if key == "kinds":
            continue
        try:
            check_limits(key, value)
        except ValueError as error:
            raise BackupError(f"{where}: {error}") from None


def full_backup_bytes(store: GraphStore) -> bytes:
    """The exact (full) backup as bytes, for the Administration page's download (administrators
    only: it holds the contact details of every person)."""
    return ("\n".join(export_lines(store, full=True)) + "\n").encode("utf-8")


def _dump(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def export_lines(store: GraphStore, full: bool = False) -> Iterator[str]:
    entities = sorted(store.read("export_entities"), key=lambda r: r["id"] or "")
    relationships = store.read("export_relationships")
    runs = sorted(store.read("export_ingest_runs"), key=lambda r: str(r["props"].get("id")))
    rel_records = []
    for row in relationships:
        props = dict(row["props"])
        rel_id = props.get("id") or f"{row['from_id']}|{row['type']}|{row['to_id']}|"
        props.pop("id", None)
        rel_records.append({"record": "relationship", "id": rel_id, "type": row["type"], "from": row["from_id"],
                            "to": row["to_id"], "properties": props})
    rel_records.sort(key=lambda r: r["id"])
    yield _dump({"record": "header", "format": FORMAT, "version": VERSION, "full": full,
                 "entities": len(entities), "relationships": len(rel_records), "ingest_runs": len(runs)})
    for row in entities:
        props = dict(row["props"])
        props.pop("id", None)
        if not full:
            props = redact(props)
        labels = sorted(label for label in row["labels"] if label != ENTITY_LABEL)
        yield _dump({"record": "entity", "id": row["id"], "labels": labels, "properties": props})
    for record in rel_records:
        yield _dump(record)
    for row in runs:
        props = dict(row["props"])
        yield _dump({"record": "ingest_run", "id": props.pop("id", None), "properties": props})


def export_graph(store: GraphStore, path: Path, full: bool = False) -> dict[str, Any]:
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if full else 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        for line in export_lines(store, full=full):
            handle.write(line + "\n")
            count += 1
    tmp.replace(path)
    return {"path": str(path), "lines": count, "full": full}


@dataclass
class Backup:
    entities: list[dict[str, Any]]
    relationships: list[dict[str, Any]]
    ingest_runs: list[dict[str, Any]]
    full: bool


def read_backup(path: Path) -> Backup:
    """Parse and check a backup file completely before anything is written."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise BackupError(f"{path}: not UTF-8 (byte {error.start})") from error
    except OSError as error:
        raise BackupError(f"{path}: cannot be read ({error.strerror or error})") from error
    lines = text.splitlines()
    if not lines:
        raise BackupError(f"{path}: empty file, not a {FORMAT} backup")
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, parse_constant=_refuse_constant)
        except json.JSONDecodeError as error:
            raise BackupError(f"{path}:{number}: not valid JSON ({error.msg})") from error
        except RecursionError:
            raise BackupError(f"{path}:{number}: nested too deeply (more than {MAX_NESTING} levels)") from None
        except ValueError as error:
            raise BackupError(f"{path}:{number}: {error}") from None
        if _depth(record) > MAX_NESTING:
            raise BackupError(f"{path}:{number}: nested too deeply (more than {MAX_NESTING} levels)")
        if not isinstance(record, dict) or "record" not in record:
            raise BackupError(f"{path}:{number}: each line must be an object with a 'record' field")
        records.append((number, record))
    header = records[0][1]
    if header.get("record") != "header" or header.get("format") != FORMAT:
        raise BackupError(f"{path}:1: not a {FORMAT} backup (missing header)")
    if header.get("version") != VERSION:
        raise BackupError(f"{path}:1: backup version {header.get('version')} is not supported (expected {VERSION})")
    backup = Backup([], [], [], bool(header.get("full")))
    ids: set[str] = set()
    for number, record in records[1:]:
        kind = record.get("record")
        where = f"{path}:{number}"
        if kind == "entity":
            entity_id, labels, props = record.get("id"), record.get("labels"), record.get("properties")
            if not isinstance(entity_id, str) or not _ID.match(entity_id):
                raise BackupError(f"{where}: invalid entity id {entity_id!r}")
            if entity_id in ids:
                raise BackupError(f"{where}: entity {entity_id!r} appears twice")
            if not isinstance(labels, list) or not labels or \
                    any(not is_kind(label) for label in labels):
                raise BackupError(f"{where}: unknown or missing labels {labels!r}; known kinds: "
                                  + ", ".join(k.value for k in NodeKind))
            if not isinstance(props, dict):
                raise BackupError(f"{where}: 'properties' must be an object")
            kinds = props.get("kinds", labels)
            if not isinstance(kinds, list) or not kinds or \
                    any(not isinstance(k, str) or not is_kind(k) for k in kinds):
                raise BackupError(f"{where}: entity {entity_id!r}: unknown or missing kinds {kinds!r} in "
                                  "'properties.kinds'; known kinds: " + ", ".join(k.value for k in NodeKind))
            if sorted(set(kinds)) != sorted(set(labels)):
                raise BackupError(f"{where}: entity {entity_id!r}: labels {sorted(labels)} and "
                                  f"'properties.kinds' {sorted(kinds)} disagree; they must name the same kinds")
            _check_values(f"{where}: entity {entity_id!r}", props)
            ids.add(entity_id)
            backup.entities.append(record)
        elif kind == "relationship":
            if not is_relationship_type(record.get("type")):
                raise BackupError(f"{where}: unknown relationship type {record.get('type')!r}")
            if not isinstance(record.get("properties"), dict) or not isinstance(record.get("id"), str):
                raise BackupError(f"{where}: a relationship needs an 'id' and 'properties'")
            if not isinstance(record.get("from"), str) or not isinstance(record.get("to"), str):
                raise BackupError(f"{where}: a relationship needs 'from' and 'to' entity ids")
            _check_values(f"{where}: relationship {record['id']!r}", record["properties"])
            backup.relationships.append((number, record))  # type: ignore[arg-type]
        elif kind == "ingest_run":
            if not isinstance(record.get("id"), str) or not isinstance(record.get("properties"), dict):
                raise BackupError(f"{where}: an ingest_run needs an 'id' and 'properties'")
            backup.ingest_runs.append(record)
        else:
            raise BackupError(f"{where}: unknown record type {kind!r}")
    return backup


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows (NaN and Infinity are refused)")


def import_graph(store: GraphStore, path: Path, replace: bool = False, force: bool = False) -> dict[str, Any]:
    """Restore a backup in one transaction: entities and relationships are created or updated
    by id. With ``replace`` the database is emptied first, so it ends up exactly as exported.

    A shareable export (no contact details of people who did not consent) is refused with
    ``replace`` unless ``force``: it would delete those details. Merged without ``replace`` it
    never removes contact details the graph holds."""
    backup = read_backup(path)
    if replace and not backup.full and not force:
        raise ShareableBackup(
            f"{path}: this is a shareable export (made without --full): it leaves out the email and phone of "
            "people who did not consent, so restoring it with --replace would delete them from the graph. "
            "Restore a full backup (python -m graph export FILE --full), or add --force to replace the graph "
            "with this file anyway. / Đây là bản xuất chia sẻ (không có thông tin liên hệ); khôi phục với "
            "--replace sẽ xóa email và điện thoại. Hãy dùng bản sao lưu đầy đủ (--full) hoặc thêm --force.")
    existing = {row["id"]: row for row in store.read("export_entities")} if not replace else {}
    file_ids = {e["id"] for e in backup.entities}
    for number, rel in backup.relationships:  # type: ignore[misc]
        for end in ("from", "to"):
            if rel[end] not in file_ids and rel[end] not in existing:
                raise BackupError(f"{path}:{number}: relationship refers to entity {rel[end]!r}, which is "
                                  "neither in the backup nor in the graph")
    store.ensure_schema()

    def work(writer: Writer) -> None:
        if replace:
            writer.run("delete_all")
        created: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
        updated: list[dict[str, Any]] = []
        for entity in backup.entities:
            props = dict(entity["properties"])
            props["kinds"] = props.get("kinds") or entity["labels"]
            old = existing.get(entity["id"])
            if old is None:
                created[frozenset(entity["labels"])].append({"id": entity["id"], "props": props})
            else:
                for key in old["props"]:
                    if key != "id" and (backup.full or key not in CONTACT_PROPERTIES):
                        props.setdefault(key, None)  # a shareable file never erases contact details
                updated.append({"id": entity["id"], "props": props})
        for labels, rows in created.items():
            writer.write_rows(cypher.create_entities([NodeKind(label) for label in labels]), rows)
        writer.write_rows("update_entities", updated)
        by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for _, rel in backup.relationships:  # type: ignore[misc]
            by_type[rel["type"]].append({"id": rel["id"], "from_id": rel["from"], "to_id": rel["to"],
                                         "props": rel["properties"]})
        for rel_type, rows in by_type.items():
            writer.write_rows(cypher.merge_relationship(RelationshipType(rel_type)), rows)
        runs = [{"id": run["id"], "props": run["properties"]} for run in backup.ingest_runs]
        for chunk in batches(runs):
            writer.write_rows("restore_ingest_runs", list(chunk))

    try:
        store.write(work)
    except ValueTooLarge as error:
        raise BackupError(f"{path}: {error}") from error
    sync_labels(store)
    return {"entities": len(backup.entities), "relationships": len(backup.relationships),
            "ingest_runs": len(backup.ingest_runs), "replaced": replace, "full": backup.full}
