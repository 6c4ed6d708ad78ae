"""``python -m ingest.evaluate [--documents DIR] [--threshold X] [--corpus both|test|dev|none] [--json]`` —
how well document extraction works: on the held-out half of the evaluation corpus (and its
development half, for reference; :mod:`ingest.evaluate_corpus`), and on the five seed documents
against the curated dataset. ``--errors`` lists misses of the development half and the seeds only:
the test half's errors are never shown, so that nobody tunes on them.

Gold standard: the curated data (``data/``: ``seed/`` and the records ``reference/`` keeps for
the entities the documents name). For each source document, the gold entities are the curated
entities whose sources cite that document, and the gold relationships are the curated
relationships (type, from, to) whose sources cite it. Documents and figures are left out (they
are not named in the text the same way). A prediction counts per document: an entity found in a
document is right when the curated data says that document mentions it.

Two modes, printed separately:

* **discovery** — extraction from an *empty* gazetteer: patterns and cue phrases only, nothing
  from the graph. To score it, each new entity is matched to a curated entity by name (folded
  name or alias equal, or ≥ 90 % similar, kinds compatible, or the same document reference);
  this matching is part of the measurement, never of the extractor. This is the honest figure
  for finding *new* entities.
* **linking** — extraction with the gazetteer built from the curated entities (what the loaded
  graph holds: every name, alias and acronym): how well mentions of known entities are linked
  and relationships read. Recall here is not discovery: the names come from the gold.

Only candidates at or above the threshold (the one ``docs --apply`` uses) count as predictions.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.schema import EntityRecord, KINDS, NodeKind, RelationshipRecord, RelationshipType
from graph.settings import PROJECT_ROOT
from ingest.curated import read_bundle
from ingest.documents import read_documents
from ingest.extract import SYMMETRIC, Extraction, Extractor, compatible
from ingest.gazetteer import Gazetteer
from ingest.patterns import find_policy_documents, policy_reference_key
from ingest.vietnamese import tokenize

DEFAULT_GOLD = PROJECT_ROOT / "data"
DEFAULT_DOCUMENTS = PROJECT_ROOT.parent / "shared" / "seeds"
DEFAULT_THRESHOLD = 0.7
SKIPPED = {NodeKind.DOCUMENT, NodeKind.FIGURE}
# Scopes printed beside the totals (a subset, said so): names the patterns are about (organisations,
# people, events, numbered documents — not themes, places, agreements), and the relationship
# types the cue phrases signal (membership, partnership, agreements, funding and aid,
# hosting, consultative status, chairing, participation).
NAMED_KINDS = {k.value for k, spec in KINDS.items()
               if spec.group in ("organisation", "government", "person")} | {NodeKind.EVENT, NodeKind.POLICY_DOCUMENT}
CUE_TYPES = {RelationshipType.MEMBER_OF, RelationshipType.PARTNER_OF, RelationshipType.COOPERATES_WITH, RelationshipType.PARTY_TO, RelationshipType.FUNDS, RelationshipType.SUPPORTS, RelationshipType.HOSTS,
             RelationshipType.HAS_CONSULTATIVE_STATUS, RelationshipType.CHAIRS, RelationshipType.PARTICIPATES_IN}


@dataclass
class Gold:
    entities: dict[str, EntityRecord]
    by_document: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    relationships_by_document: dict[str, set[tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(set))


def load_gold(path: Path = DEFAULT_GOLD) -> Gold:
    bundle, problems = read_bundle([path])
    if problems:
        raise SystemExit("the gold standard does not validate:\n" + "\n".join(str(p) for p in problems))
    entities = {located.record.id: located.record for located in bundle.entities
                if not SKIPPED.intersection(located.record.kinds)}
    gold = Gold(entities)
    for entity in entities.values():
        for source in entity.sources:
            gold.by_document[source.document].add(entity.id)
    for located in bundle.relationships:
        rel: RelationshipRecord = located.record
        if rel.from_id not in entities or rel.to_id not in entities:
            continue
        for source in rel.sources:
            gold.relationships_by_document[source.document].add(_triple(str(rel.type), rel.from_id, rel.to_id))
    return gold


def _triple(rel_type: str, a: str, b: str) -> tuple[str, str, str]:
    return (rel_type, *sorted((a, b))) if rel_type in SYMMETRIC else (rel_type, a, b)


class GoldMatcher:
    """Matches a discovered entity to a curated one by its names (for scoring only)."""

    def __init__(self, gold: Gold) -> None:
        self.gazetteer = Gazetteer.from_records(gold.entities.values())
        self.kinds = {i: [str(k) for k in e.kinds] for i, e in gold.entities.items()}
        self.references: dict[str, str] = {}
        for entity in gold.entities.values():
            for name in [entity.name, *entity.aliases]:
                for found in find_policy_documents(name, tokenize(name)):
                    if found.properties.get("reference"):
                        self.references.setdefault(policy_reference_key(str(found.properties["reference"])),
                                                   entity.id)

    def match(self, name: str, aliases: list[str], kinds: list[str], properties: dict[str, Any]) -> str | None:
        reference = properties.get("reference")
        if reference and policy_reference_key(str(reference)) in self.references:
            return self.references[policy_reference_key(str(reference))]
        for text in [name, *aliases]:
            ids = [i for i in self.gazetteer.lookup(text) if compatible(self.kinds[i], kinds)]
            if len(ids) == 1:
                return ids[0]
        for text in [name, *aliases]:
            near = self.gazetteer.lookup_fuzzy(text, threshold=90.0)
            if near and compatible(self.kinds[near[0]], kinds):
                return near[0]
        return None


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def _f1(p: float | None, r: float | None) -> float | None:
    return round(2 * p * r / (p + r), 3) if p and r else (0.0 if p is not None and r is not None else None)


def score(extraction: Extraction, gold: Gold, matcher: GoldMatcher, threshold: float) -> dict[str, Any]:
    documents = [d.name for d in extraction.documents]
    unit_of: dict[str, str] = {}
    unit_kinds: dict[str, list[str]] = {}
    for key, entity in extraction.entities.items():
        if entity.existing:
            unit_of[key] = key
        else:
            unit_of[key] = matcher.match(entity.name, entity.aliases, entity.kinds, entity.properties) or key
        unit_kinds[unit_of[key]] = [str(k) for k in gold.entities[unit_of[key]].kinds] \
            if unit_of[key] in gold.entities else list(entity.kinds)
    ent = {"tp": 0, "pred": 0, "gold": 0}
    ent_kinds: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "pred": 0, "gold": 0})
    rel = {"tp": 0, "pred": 0, "gold": 0}
    rel_types: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "pred": 0, "gold": 0})
    misses: dict[str, list[str]] = {"entities_missed": [], "entities_wrong": [], "relationships_missed": [],
                                    "relationships_wrong": []}
    for document in documents:
        predicted: set[str] = set()
        for key, entity in extraction.entities.items():
            evidence = [e for e in entity.evidence if e.document == document and e.confidence >= threshold]
            if evidence:
                predicted.add(unit_of[key])
        truth = gold.by_document.get(document, set())
        ent["tp"] += len(predicted & truth)
        ent["pred"] += len(predicted)
        ent["gold"] += len(truth)
        for unit in predicted | truth:
            kinds = [str(k) for k in gold.entities[unit].kinds] if unit in gold.entities else unit_kinds.get(unit, [])
            for kind in kinds[:1]:
                ent_kinds[kind]["tp"] += unit in predicted and unit in truth
                ent_kinds[kind]["pred"] += unit in predicted
                ent_kinds[kind]["gold"] += unit in truth
        misses["entities_missed"] += [f"{document[:3]}:{u}" for u in sorted(truth - predicted)]
        misses["entities_wrong"] += [f"{document[:3]}:{u}" for u in sorted(predicted - truth)]
        predicted_rels: set[tuple[str, str, str]] = set()
        for item in extraction.relationships.values():
            if any(e.document == document and e.confidence >= threshold for e in item.evidence):
                predicted_rels.add(_triple(item.type, unit_of.get(item.from_key, item.from_key),
                                           unit_of.get(item.to_key, item.to_key)))
        truth_rels = gold.relationships_by_document.get(document, set())
        rel["tp"] += len(predicted_rels & truth_rels)
        rel["pred"] += len(predicted_rels)
        rel["gold"] += len(truth_rels)
        for triple in predicted_rels | truth_rels:
            counts = rel_types[triple[0]]
            counts["tp"] += triple in predicted_rels and triple in truth_rels
            counts["pred"] += triple in predicted_rels
            counts["gold"] += triple in truth_rels
        misses["relationships_missed"] += [f"{document[:3]}:{'|'.join(t)}" for t in sorted(truth_rels - predicted_rels)]
        misses["relationships_wrong"] += [f"{document[:3]}:{'|'.join(t)}" for t in sorted(predicted_rels - truth_rels)]

    def figures(counts: dict[str, int]) -> dict[str, Any]:
        p, r = _ratio(counts["tp"], counts["pred"]), _ratio(counts["tp"], counts["gold"])
        return {"precision": p, "recall": r, "f1": _f1(p, r), "correct": counts["tp"], "predicted": counts["pred"],
                "gold": counts["gold"]}

    def subset(table: dict[str, dict[str, int]], keys: set[str]) -> dict[str, Any]:
        total = {"tp": 0, "pred": 0, "gold": 0}
        for key, counts in table.items():
            if key in keys:
                for part in total:
                    total[part] += counts[part]
        return figures(total)

    return {
        "entities": figures(ent),
        "entities_named": subset(ent_kinds, NAMED_KINDS),
        "entities_by_kind": {k: figures(v) for k, v in sorted(ent_kinds.items())},
        "relationships": figures(rel),
        "relationships_cue_types": subset(rel_types, CUE_TYPES),
        "relationships_by_type": {k: figures(v) for k, v in sorted(rel_types.items())},
        "errors": misses,
    }


def evaluate(documents_dir: Path = DEFAULT_DOCUMENTS, gold_dir: Path = DEFAULT_GOLD,
             threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any]:
    gold = load_gold(gold_dir)
    matcher = GoldMatcher(gold)
    documents = read_documents([documents_dir])
    discovery = Extractor(Gazetteer()).run(documents)
    linking = Extractor(Gazetteer.from_records(gold.entities.values())).run(documents)
    return {
        "gold": str(gold_dir),
        "documents": [d.name for d in documents],
        "threshold": threshold,
        "discovery": {"description": "patterns and cue phrases only, empty gazetteer (finding new entities)",
                      **score(discovery, gold, matcher, threshold)},
        "linking": {"description": "gazetteer = the curated graph's names, aliases, acronyms (linking mentions)",
                    **score(linking, gold, matcher, threshold)},
    }


def _line(label: str, f: dict[str, Any]) -> str:
    def pct(x: float | None) -> str:
        return "  n/a" if x is None else f"{x:5.2f}"
    return (f"  {label:36} P {pct(f['precision'])}  R {pct(f['recall'])}  F1 {pct(f['f1'])}   "
            f"({f['correct']} right of {f['predicted']} predicted, {f['gold']} in gold)")


def text_report(result: dict[str, Any], verbose: bool = False) -> str:
    lines = [f"Gold: {result['gold']} — documents: {', '.join(result['documents'])}",
             f"Counting candidates with confidence ≥ {result['threshold']}", ""]
    for mode in ("discovery", "linking"):
        block = result[mode]
        lines.append(f"{mode.upper()}: {block['description']}")
        lines.append(_line("entities (all kinds)", block["entities"]))
        lines.append(_line("  named: orgs, people, events, docs", block["entities_named"]))
        lines.append(_line("relationships (all types)", block["relationships"]))
        lines.append(_line("  cue types (membership …)", block["relationships_cue_types"]))
        lines.append("  entities by kind:")
        lines += [_line("  " + k, v) for k, v in block["entities_by_kind"].items()]
        lines.append("  relationships by type:")
        lines += [_line("  " + k, v) for k, v in block["relationships_by_type"].items()]
        if verbose:
            for key, items in block["errors"].items():
                lines.append(f"  {key}: {', '.join(items)}")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.evaluate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=Path, default=DEFAULT_DOCUMENTS, help="folder of source documents")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="curated YAML folder (the gold standard)")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="minimum confidence counted")
    parser.add_argument("--errors", action="store_true", help="list missed and wrong items")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--corpus", choices=("both", "test", "dev", "none"), default="both",
                        help="which half of the evaluation corpus to score besides the seeds (default both)")
    parser.add_argument("--no-seeds", action="store_true", help="score the corpus only")
    args = parser.parse_args(argv)
    try:
        from ingest.evaluate_corpus import evaluate_corpus
        from ingest.evaluate_corpus import text_report as corpus_report
        halves = {"both": ["test", "dev"], "test": ["test"], "dev": ["dev"], "none": []}[args.corpus]
        corpus = evaluate_corpus(halves, args.threshold) if halves else None
        result = {} if args.no_seeds else evaluate(args.documents, args.gold, args.threshold)
    except Exception as error:  # noqa: BLE001 - reported as the CLI contract asks
        from ingest.curated import InvalidInput
        if isinstance(error, InvalidInput):
            message = str(error)
            if args.json:
                print(json.dumps({"error": message, "problems": [p.as_json() for p in error.problems]},
                                 ensure_ascii=False, indent=2))
            else:
                print(f"error: {message}", file=sys.stderr)
            return 2
        raise
    if args.json:
        if not args.errors:
            for mode in ("discovery", "linking"):
                if mode in result:
                    result[mode].pop("errors")
        if corpus is not None:
            for half in ("test", "dev"):
                for mode in ("discovery", "linking"):
                    for language, block in corpus.get(half, {}).get(mode, {}).items():
                        if isinstance(block, dict) and (half == "test" or not args.errors):
                            block.pop("errors", None)  # the test half's errors are never shown
            result["corpus"] = corpus
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        if corpus is not None:
            print(corpus_report(corpus, verbose=args.errors))
        if result:
            print("SEED DOCUMENTS (the five texts the patterns were first written on)")
            print(text_report(result, verbose=args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
