"""Store-level upkeep: keeping kind labels in line with data, and forgetting a person."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from collections import defaultdict
from pathlib import Path

from graph import cypher
from graph.schema import NodeKind, is_kind
from graph.runlog import new_run_id, record_run
from graph.store import GraphStore, Writer

FORGET_KEY_ENV = "VUSTA_FORGET_KEY"


class NotAPerson(LookupError):
    """``forget`` was asked to delete something that is not a person."""


def sync_labels(store: GraphStore, limit: int = 10000) -> int:
    """Bring kind labels in line with each entity's ``kinds`` property; returns labels changed.

    The embedded server allows one label change per node per transaction, so each round
    applies at most one change per node, grouped by statement.
    """
    changed = 0
    skipped: set[str] = set()
    for _ in range(100):
        rows = [r for r in store.read("entities_with_stale_labels", limit=limit)
                if r["id"] and r["kinds"] and r["id"] not in skipped]
        if not rows:
            return changed
        todo: dict[str, list[tuple[str, NodeKind]]] = {}
        for row in rows:
            known = [k for k in row["kinds"] if is_kind(k)]
            if not known:
                # no kind this schema knows: keep the labels the node has rather than strip them all
                # (a node without a kind label could no longer be exported or found)
                skipped.add(row["id"])
                continue
            # adds first, removes after: the node keeps at least one kind label at every step
            ops = [("add", NodeKind(k)) for k in known if k not in row["labels"]]
            ops += [("remove", NodeKind(label)) for label in row["labels"]
                    if is_kind(label) and label not in known]
            todo[row["id"]] = ops
        if not any(todo.values()):
            return changed
        while any(todo.values()):
            groups: dict[tuple[str, NodeKind], list[str]] = defaultdict(list)
            for entity_id, ops in todo.items():
                if ops:
                    groups[ops.pop(0)].append(entity_id)

            def work(writer: Writer) -> None:
                for (op, kind), ids in groups.items():
                    stmt = cypher.add_kind(kind) if op == "add" else cypher.remove_kind(kind)
                    writer.write_rows(stmt, ids, key="ids")

            store.write(work)
            changed += sum(len(ids) for ids in groups.values())
    raise RuntimeError("kind labels could not be brought in line with the kinds property")


def forget_key_file(store: GraphStore) -> Path:
    """Where the secret key of the deletion log is kept: with the store's credentials."""
    if store.embedded:
        return store.embedded.home / "forget.key"
    return store.settings.data_dir / "forget.key"


def forget_key(store: GraphStore) -> bytes:
    """The secret key for the deletion log's fingerprints (``VUSTA_FORGET_KEY``, or generated once
    into ``forget.key`` next to the credentials, mode 0600). Without it, a fingerprint cannot be
    matched against a list of candidate ids."""
    if os.environ.get(FORGET_KEY_ENV):
        return os.environ[FORGET_KEY_ENV].encode()
    path = forget_key_file(store)
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made meanwhile by another process
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return bytes.fromhex(key)


def fingerprint(store: GraphStore, entity_id: str) -> str:
    """A keyed hash (HMAC-SHA256) of an id, for the deletion log."""
    return hmac.new(forget_key(store), entity_id.encode("utf-8"), hashlib.sha256).hexdigest()


def purge_deleted(store: GraphStore) -> None:
    """Leave no trace of deleted values in the store's files: rebuild the indexes that hold names
    and ids from the remaining nodes, and (embedded store) close and reopen the database, which
    checkpoints it and empties its write-ahead log. Done under the write lock; readers may see
    the store unavailable for a moment while the database reopens.

    On a Neo4j server the indexes are rebuilt the same way; its transaction logs are kept as its
    ``db.tx_log.rotation.retention_policy`` setting says (see README, "Personal data")."""
    with store.write_lock(), store.driver().session(database=store.database) as session:
        for name in ("drop_index_entity_name", "drop_constraint_entity_id"):
            session.run(cypher.statement(name).text).consume()
        for stmt in cypher.schema_setup_statements():
            session.run(stmt.text).consume()
        if store.embedded:
            store.close()  # our connections go before the database closes
            store.embedded.reopen_database(store.database or store.settings.embedded_database)


def forget(store: GraphStore, entity_id: str) -> dict[str, object]:
    """Delete a person, on request, and every fact about them: their relationships and the
    figures describing them, in one transaction; then rebuild what still held them on disk
    (:func:`purge_deleted`). Only people can be forgotten (other kinds: :class:`NotAPerson`).
    The log keeps only a keyed hash of the id (:func:`fingerprint`)."""
    profile = store.read("entity_profile", id=entity_id)
    if not profile:
        raise LookupError(f"No entity with id {entity_id!r}. / Không có thực thể nào có mã {entity_id!r}.")
    kinds = [str(k) for k in (profile[0].get("kinds") or [])]
    if NodeKind.PERSON.value not in kinds:
        raise NotAPerson(f"{entity_id!r} is a {', '.join(kinds) or 'entity'}, not a person: `forget` deletes people "
                         f"only (to remove other data, correct the source files and load them again). / "
                         f"{entity_id!r} không phải là một người ({', '.join(kinds)}): chỉ có thể xóa người.")
    figures = [row["id"] for row in store.read("figures_describing", id=entity_id)]
    keyed = fingerprint(store, entity_id)
    started = time.time()
    run_id = new_run_id(started)

    def work(writer: Writer) -> None:
        writer.run("delete_entities", ids=[entity_id, *figures])
        record_run(writer, run_id, started=started, command="python -m graph forget",
                   inputs=[f"hmac-sha256:{keyed}"], message={"deleted_entities": 1 + len(figures)})

    store.write(work)
    purge_deleted(store)
    return {"deleted": entity_id, "deleted_figures": figures, "run_id": run_id}


# Named sample sets: the id prefixes of their (sample-marked) entities, and the source documents
# that only they cite (the generator's roster and the CSV files of the tabular import).
SAMPLE_SETS: dict[str, dict[str, tuple[str, ...]]] = {
    "diaspora": {"prefixes": ("dia-", "sample-diaspora-roster"),
                 "documents": ("sample-diaspora-roster", "diaspora-people.csv", "diaspora-ties.csv")},
    "portfolio": {"prefixes": ("sample-org-", "sample-project-"), "documents": ("sample-portfolio",)},
}
# The command that loads all demonstration data (``python -m ingest demo``), and the older
# commands that loaded part of it; their ingestion-log entries are demo data too.
DEMO_COMMAND = "python -m ingest demo"
DEMO_COMMANDS = (DEMO_COMMAND, "python -m ingest.sample_roster --load")
ALL = "all"


def remove_sample(store: GraphStore, name_or_prefix: str | None = None) -> dict[str, object]:
    """Delete every sample entity of a set (or with an id prefix), with all their relationships,
    and the set's own source documents, in one transaction. Real (non-sample) entities are
    never touched.

    With no set (or ``"all"``) every sample set goes, together with the ingestion-log entries of
    the demo command that loaded them, and nothing new is logged: the graph is then exactly what
    it was before ``python -m ingest demo`` (an export is byte-for-byte the same).
    """
    everything = name_or_prefix in (None, "", ALL)
    name = ALL if everything else str(name_or_prefix)
    specs = list(SAMPLE_SETS.values()) if everything else [
        SAMPLE_SETS.get(name, {"prefixes": (name,), "documents": ()})]
    # everything: every sample-marked entity, whatever its id
    prefixes = [""] if everything else [p for spec in specs for p in spec["prefixes"]]
    ids = {row["id"] for prefix in prefixes for row in store.read("sample_entity_ids", prefix=prefix)}
    documents = [d for spec in specs for d in spec["documents"] if store.read("entity_profile", id=d)]
    ids = sorted(ids | set(documents))
    runs = [row["id"] for row in store.read("ingest_run_ids_by_command", commands=list(DEMO_COMMANDS))] \
        if everything else []
    if not ids and not runs:
        return {"removed": 0, "set": name, "removed_runs": 0}
    started = time.time()
    run_id = new_run_id(started)

    def work(writer: Writer) -> None:
        writer.write_rows("delete_entities", ids, key="ids")
        if everything:
            writer.write_rows("delete_ingest_runs", runs, key="ids")
            return
        record_run(writer, run_id, started=started, command=f"remove sample {name}",
                   inputs=[name], updated=len(ids), message={"deleted_entities": len(ids)})

    store.write(work)
    out: dict[str, object] = {"removed": len(ids), "set": name, "removed_runs": len(runs)}
    if not everything:
        out["run_id"] = run_id
    return out
