"""Store-level upkeep: keeping kind labels in line with data, and forgetting a person."""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict

from graph import cypher
from graph.schema import NodeKind, is_kind
from graph.runlog import new_run_id, record_run
from graph.store import GraphStore, Writer


def sync_labels(store: GraphStore, limit: int = 10000) -> int:
    """Bring kind labels in line with each entity's ``kinds`` property; returns labels changed.

    The embedded server allows one label change per node per transaction, so each round
    applies at most one change per node, grouped by statement.
    """
    changed = 0
    for _ in range(100):
        rows = [r for r in store.read("entities_with_stale_labels", limit=limit) if r["id"] and r["kinds"]]
        if not rows:
            return changed
        todo: dict[str, list[tuple[str, NodeKind]]] = {}
        for row in rows:
            ops = [("add", NodeKind(k)) for k in row["kinds"]
                   if k not in row["labels"] and is_kind(k)]
            ops += [("remove", NodeKind(label)) for label in row["labels"]
                    if is_kind(label) and label not in row["kinds"]]
            todo[row["id"]] = ops
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


def forget(store: GraphStore, entity_id: str) -> dict[str, object]:
    """Delete an entity (a person, on request) and every fact about them: their relationships
    and the figures describing them, in one transaction. The log keeps only a hash of the id."""
    profile = store.read("entity_profile", id=entity_id)
    if not profile:
        raise LookupError(f"No entity with id {entity_id!r}.")
    figures = [row["id"] for row in store.read("figures_describing", id=entity_id)]
    fingerprint = hashlib.sha256(entity_id.encode()).hexdigest()[:16]
    started = time.time()
    run_id = new_run_id(started)

    def work(writer: Writer) -> None:
        writer.run("delete_entities", ids=[entity_id, *figures])
        record_run(writer, run_id, started=started, command="python -m graph forget",
                   inputs=[f"sha256:{fingerprint}"], message={"deleted_entities": 1 + len(figures)})

    store.write(work)
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
