"""``python -m ingest dedupe [--apply] [--review FILE] [--out FILE] [--threshold X] [--json]`` —
one entity, one node.

Lists likely duplicates already in the graph, each pair with its evidence:

* ``same folded name`` — the names are equal without diacritics and case (score 1.0);
* ``alias = name`` — an alias of one is the name of the other (0.95);
* ``shared alias`` — both have the same alias or acronym (0.9);
* ``acronym`` — the initials of one name are an alias of the other ("LHHVN") (0.85);
* ``similar name`` — names at least 90 % alike (rapidfuzz) with a kind in common (0.9 × similarity).

Kinds must be compatible (a person is never merged with an organisation). With ``--apply`` the
pairs scoring at least ``--threshold`` (default 0.95), or marked ``"accept": true`` in a review
file (``--review``; write one with ``--out``), are merged.

**Merge rule.** The survivor is the curated entity (curated data is authoritative); if neither
is curated, the one with more relationships, then the older id. A pair of two curated entities
is never merged here: fix it in ``data/`` (a reload would re-create the duplicate). The
survivor keeps its name and its values; the other's name, English name and aliases become
aliases; properties the survivor lacks are taken from the other; kinds and sources are united.
Every relationship of the duplicate is re-created on the survivor (the Cypher in
``graph/cypher/entity_relationships_out|in.cypher`` and the per-type ``merge_relationship_*``
statements, sources merged when the survivor already has it), then the duplicate is deleted —
one transaction per run, logged as an IngestRun. Kind labels are synced afterwards, outside
that transaction (a node's labels change once per transaction on the embedded store).
When the survivor is curated, the next ``python -m ingest`` restores its curated aliases: add
the merged names to ``data/`` to keep them (the report lists them).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rapidfuzz import fuzz, process

from cli.output import STORE_UNAVAILABLE, emit, fail
from graph import cypher
from graph.maintenance import sync_labels
from graph.runlog import new_run_id, record_run
from graph.schema import (
    EntityRecord,
    KindGroup,
    NodeKind,
    RelationshipProperties,
    RelationshipRecord,
    RelationshipType,
    SourceRef,
    kinds_in,
    parse_provenance,
)
from graph.store import GraphStore, StoreUnavailable, Writer
from graph.text import acronym, fold_name
from ingest.curated import InvalidInput, Problem
from ingest.extract import compatible
from ingest.provenance import CURATED, entity_from_node, stored_sources

DEFAULT_THRESHOLD = 0.95


@dataclass
class Node:
    id: str
    name: str
    name_en: str | None
    aliases: list[str]
    kinds: list[str]
    curated: bool
    degree: int
    sample: bool = False

    @property
    def names(self) -> list[str]:
        return [self.name, *([self.name_en] if self.name_en else []), *self.aliases]


class Pair(BaseModel):
    model_config = ConfigDict(extra="forbid")

    survivor: str
    duplicate: str
    survivor_name: str
    duplicate_name: str
    score: float = Field(ge=0, le=1)
    evidence: list[str]
    action: str
    accept: bool | None = None


class Review(BaseModel):
    model_config = ConfigDict(extra="forbid")

    created_at: str
    threshold: float
    pairs: list[Pair]


def graph_nodes(store: GraphStore) -> list[Node]:
    """Every entity of the graph as the duplicate finder reads it (names, kinds, curated or not)."""
    out = []
    for row in store.read("dedupe_entities"):
        methods = {s.get("method", CURATED) for s in parse_provenance(row["provenance"])}
        out.append(Node(row["id"], row["name"] or row["id"], row.get("name_en"), list(row.get("aliases") or []),
                        list(row.get("kinds") or []), CURATED in methods, int(row.get("degree") or 0),
                        bool(row.get("sample"))))
    return out


def _survivor(a: Node, b: Node) -> tuple[Node, Node]:
    ranked = sorted([a, b], key=lambda n: (not n.curated, -n.degree, n.id))
    return ranked[0], ranked[1]


# Names of these kinds do not identify one thing (two projects may share a title): review only.
NAMES_NOT_UNIQUE = kinds_in(KindGroup.ACTIVITIES, KindGroup.WRITINGS)


def find_duplicates(nodes: list[Node], threshold: float = DEFAULT_THRESHOLD) -> list[Pair]:
    """Likely duplicate pairs with their evidence; sample (demonstration) entities are left out."""
    nodes = [n for n in nodes if not n.sample]
    by_id = {n.id: n for n in nodes}
    names: dict[str, set[str]] = defaultdict(set)       # folded name -> ids
    aliases: dict[str, set[str]] = defaultdict(set)     # folded alias -> ids
    first_word: dict[str, set[str]] = defaultdict(set)
    for node in nodes:
        names[fold_name(node.name)].add(node.id)
        for alias in node.aliases + ([node.name_en] if node.name_en else []):
            aliases[fold_name(alias)].add(node.id)
        first_word[fold_name(node.name).split(" ")[0]].add(node.id)
    found: dict[tuple[str, str], tuple[float, list[str]]] = {}

    def note(a: str, b: str, score: float, why: str) -> None:
        if a == b or not compatible(by_id[a].kinds, by_id[b].kinds):
            return
        if NAMES_NOT_UNIQUE & (set(by_id[a].kinds) | set(by_id[b].kinds)):
            score = min(score, 0.9)
        key = tuple(sorted((a, b)))
        best, reasons = found.get(key, (0.0, []))
        if why not in reasons:
            reasons.append(why)
        found[key] = (max(best, score), reasons)

    for key, ids in names.items():
        for a in ids:
            for b in ids:
                if a < b:
                    note(a, b, 1.0, f"same folded name '{key}'")
    for key, ids in aliases.items():
        for a in ids:
            for b in names.get(key, ()):
                note(a, b, 0.95, f"alias of {a} = name of {b} ('{key}')")
            for b in ids:
                if a < b:
                    note(a, b, 0.9, f"shared alias '{key}'")
    for node in nodes:
        if NodeKind.PERSON in node.kinds:
            continue
        initials = acronym(node.name)
        if len(initials) >= 3:
            for other in aliases.get(initials, set()) | names.get(initials, set()):
                note(node.id, other, 0.85, f"acronym of {node.id}'s name '{initials.upper()}' = a name of {other}")
    for ids in first_word.values():
        ordered = sorted(ids)
        if len(ordered) < 2:
            continue
        folded = [fold_name(by_id[i].name) for i in ordered]
        scores = process.cdist(folded, folded, scorer=fuzz.token_sort_ratio, score_cutoff=90)
        for i, j in zip(*scores.nonzero()):
            if i >= j:
                continue
            a, b = ordered[i], ordered[j]
            if set(by_id[a].kinds) & set(by_id[b].kinds) and _variants(folded[i], folded[j]):
                ratio = float(scores[i, j])
                note(a, b, round(0.9 * ratio / 100, 3), f"similar names ({ratio:.0f}%) with kind in common")
    pairs = []
    for (a, b), (score, reasons) in sorted(found.items(), key=lambda item: (-item[1][0], item[0])):
        survivor, duplicate = _survivor(by_id[a], by_id[b])
        if survivor.curated and duplicate.curated:
            action = "review: both curated — fix in data/"
        elif score >= threshold:
            action = "merge"
        else:
            action = "review"
        pairs.append(Pair(survivor=survivor.id, duplicate=duplicate.id, survivor_name=survivor.name,
                          duplicate_name=duplicate.name, score=score, evidence=reasons, action=action))
    return pairs


def _variants(a: str, b: str) -> bool:
    """Whether two similar folded names differ only by a typo or an extra word, not by a number
    ("CAFEO 28"/"CAFEO 38") or another place ("Quảng Bình"/"Quảng Ninh")."""
    numbers = lambda text: [w for w in text.split() if any(c.isdigit() for c in w)]  # noqa: E731
    if numbers(a) != numbers(b):
        return False
    only_a, only_b = set(a.split()) - set(b.split()), set(b.split()) - set(a.split())
    if not only_a or not only_b:
        return True
    return all(max(fuzz.ratio(x, y) for y in only_b) >= 80 for x in only_a) and len(only_a) <= 2


# -- merging -----------------------------------------------------------------------------------------

def _merged_survivor(store: GraphStore, survivor_id: str, duplicate_id: str) -> tuple[EntityRecord, list[str]]:
    survivor_props = store.read("entity_profile", id=survivor_id)[0]["props"]
    duplicate_props = store.read("entity_profile", id=duplicate_id)[0]["props"]
    survivor = entity_from_node(survivor_id, survivor_props, stored_sources(survivor_props))
    duplicate = entity_from_node(duplicate_id, duplicate_props, stored_sources(duplicate_props))
    known = {fold_name(n) for n in [survivor.name, *survivor.aliases]}
    new_aliases = [n for n in dict.fromkeys([duplicate.name, *([duplicate.name_en] if duplicate.name_en else []),
                                             *duplicate.aliases]) if fold_name(n) not in known]
    kinds = list(dict.fromkeys([*survivor.kinds, *duplicate.kinds]))
    record = EntityRecord.model_construct(
        id=survivor_id, kinds=kinds, name=survivor.name, name_en=survivor.name_en or duplicate.name_en,
        aliases=[*survivor.aliases, *new_aliases], properties={**duplicate.properties, **survivor.properties},
        sources=list(dict.fromkeys([*survivor.sources, *duplicate.sources])),
        sample=survivor.sample and duplicate.sample)
    return record, new_aliases


def _moved_relationships(store: GraphStore, survivor_id: str, duplicate_id: str) -> list[RelationshipRecord]:
    existing = {}
    for direction in ("out", "in"):
        for row in store.read(f"entity_relationships_{direction}", id=survivor_id):
            existing[row["props"].get("id")] = row["props"]
    moved: dict[str, RelationshipRecord] = {}
    for direction in ("out", "in"):
        for row in store.read(f"entity_relationships_{direction}", id=duplicate_id):
            other = survivor_id if row["other"] == duplicate_id else row["other"]
            if other == survivor_id:
                continue  # a relationship between the two becomes a loop: dropped
            ends = {"from": survivor_id, "to": other} if direction == "out" else {"from": other, "to": survivor_id}
            props = row["props"]
            known = {k: v for k, v in props.items() if k in RelationshipProperties.model_fields and v is not None}
            sources = [SourceRef.model_validate(s) for s in parse_provenance(props.get("provenance"))]
            try:
                record = RelationshipRecord(type=RelationshipType(row["type"]), **ends,
                                            properties=RelationshipProperties(**known), sources=sources,
                                            sample=bool(props.get("sample", False)))
            except (ValidationError, ValueError):
                continue
            if record.id in existing:  # the survivor has it already: one relationship, sources united
                old = [SourceRef.model_validate(s) for s in parse_provenance(existing[record.id].get("provenance"))]
                old_props = {k: v for k, v in existing[record.id].items()
                             if k in RelationshipProperties.model_fields and v is not None}
                record = record.model_copy(update={"sources": list(dict.fromkeys([*old, *record.sources])),
                                                   "properties": RelationshipProperties(**old_props)})
            if record.id in moved:
                record = record.model_copy(update={"sources": list(dict.fromkeys([*moved[record.id].sources,
                                                                                   *record.sources]))})
            moved[record.id] = record
    return list(moved.values())


def merge_pairs(store: GraphStore, pairs: list[Pair], *, command: str = "python -m ingest dedupe --apply"
                ) -> dict[str, Any]:
    """Merge each duplicate into its survivor: one transaction for the run, labels synced after."""
    started = time.time()
    run_id = new_run_id(started)
    done: list[dict[str, Any]] = []
    gone: set[str] = set()
    plans = []
    for pair in pairs:
        if pair.duplicate in gone or pair.survivor in gone:
            continue
        survivor, new_aliases = _merged_survivor(store, pair.survivor, pair.duplicate)
        relationships = _moved_relationships(store, pair.survivor, pair.duplicate)
        plans.append((pair, survivor, relationships))
        gone.add(pair.duplicate)
        done.append({"survivor": pair.survivor, "merged": pair.duplicate, "new_aliases": new_aliases,
                     "relationships_moved": len(relationships)})
    if not plans:
        return {"run_id": None, "merged": []}

    def work(writer: Writer) -> None:
        for pair, survivor, relationships in plans:
            writer.write_rows("update_entities", [{"id": survivor.id, "props": survivor.node_properties(run_id)}])
            by_type: dict[RelationshipType, list[dict[str, Any]]] = defaultdict(list)
            for rel in relationships:
                by_type[rel.type].append({"id": rel.id, "from_id": rel.from_id, "to_id": rel.to_id,
                                          "props": rel.relationship_properties(run_id)})
            for rel_type, rows in by_type.items():
                writer.write_rows(cypher.merge_relationship(rel_type), rows)
            writer.run("delete_entities", ids=[pair.duplicate])
        record_run(writer, run_id, started=started, command=command,
                   inputs=[f"{p.duplicate}->{p.survivor}" for p, _, _ in plans], updated=len(plans),
                   message={"merged": [p.duplicate for p, _, _ in plans]})

    store.write(work)
    sync_labels(store)
    return {"run_id": run_id, "merged": done}


# -- command line -------------------------------------------------------------------------------------

def _read_review(path: Path) -> Review:
    try:
        return Review.model_validate(json.loads(path.read_text(encoding="utf-8-sig")))
    except OSError as error:
        raise InvalidInput([Problem(str(path), f"cannot be read: {error.strerror or error}")]) from None
    except json.JSONDecodeError as error:
        raise InvalidInput([Problem(str(path), f"is not valid JSON: {error.msg}", line=error.lineno)]) from None
    except ValidationError as error:
        raise InvalidInput([Problem(str(path), d["msg"], field=".".join(str(p) for p in d["loc"]))
                            for d in error.errors()]) from None


def run(args: argparse.Namespace) -> dict[str, Any]:
    if not 0 <= args.threshold <= 1:
        raise InvalidInput([Problem("--threshold", f"must be between 0 and 1, got {args.threshold}")])
    with GraphStore() as store:
        pairs = find_duplicates(graph_nodes(store), args.threshold)
        out: dict[str, Any] = {"threshold": args.threshold, "pairs": [p.model_dump() for p in pairs]}
        if args.out:
            review = Review(created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), threshold=args.threshold,
                            pairs=pairs)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(review.model_dump(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            out["review_file"] = str(args.out)
        if args.apply:
            chosen = [p for p in pairs if p.action == "merge"]
            if args.review:
                marked = {(p.survivor, p.duplicate): p for p in _read_review(args.review).pairs}
                current = {(p.survivor, p.duplicate): p for p in pairs}
                chosen = [p for p in chosen if marked.get((p.survivor, p.duplicate), p).accept is not False]
                for key, reviewed in marked.items():
                    if reviewed.accept and key in current and current[key] not in chosen:
                        if current[key].action.startswith("review: both curated"):
                            continue
                        chosen.append(current[key])
            out["apply"] = merge_pairs(store, chosen)
    return out


def text(out: dict[str, Any]) -> str:
    lines = [f"{len(out['pairs'])} likely duplicate pair(s) (merged automatically at score ≥ {out['threshold']}):"]
    for pair in out["pairs"]:
        lines.append(f"  {pair['score']:.2f}  {pair['duplicate']} → {pair['survivor']}  [{pair['action']}]  "
                     f"{pair['duplicate_name']} / {pair['survivor_name']}: {'; '.join(pair['evidence'])}")
    if "apply" in out:
        merged = out["apply"]["merged"]
        lines.append(f"Merged {len(merged)}: " + ", ".join(f"{m['merged']} → {m['survivor']}" for m in merged)
                     if merged else "Nothing merged.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest dedupe", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--apply", action="store_true", help="merge pairs above the threshold or accepted in --review")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="score needed to merge unreviewed")
    parser.add_argument("--review", type=Path, help="a review file whose pairs have \"accept\": true/false")
    parser.add_argument("--out", type=Path, help="write the pairs to a review file")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    try:
        out = run(args)
    except InvalidInput as error:
        return fail(args.json, str(error), [p.as_json() for p in error.problems])
    except StoreUnavailable as error:
        return fail(args.json, str(error), code=STORE_UNAVAILABLE)
    emit(out, args.json, "" if args.json else text(out))
    return 0


__all__ = ["find_duplicates", "merge_pairs", "Pair"]
