"""Extraction measured on the evaluation corpus: real public texts it was never tuned on.

The corpus (``../shared/corpus``, setting ``VUSTA_CORPUS_DIR``) is split once into a development
half and a test half (``data/evaluation/corpus_split.yaml``); the gold annotations are in
``data/evaluation/gold/`` (:mod:`ingest.gold`). Extraction was tuned on the development half only;
the test half is read here, by the evaluation, and nowhere else.

For each half and language, in two modes:

* **discovery** — an empty gazetteer: patterns and cue phrases only;
* **linking** — the gazetteer is the graph's curated names (``data/``: every name, alias and
  acronym) *less* the entities whose only sources are test-half corpus documents, so that
  linking never reads the answers.

Figures: entity precision/recall over *named* entities (organisations, people, events,
projects, agreements), places and themes reported apart; relationships as *related pairs* (two
entities the text relates, whatever the type or direction) and *typed* (type, from, to; the
symmetric types either way round). A prediction counts per document. A predicted entity is
matched to a gold entity of that document by name (folded, a leading "the" ignored, any name or
alias equal, or ≥ 90 % similar with compatible kinds); this matching is part of the measurement,
never of the extractor.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable


from graph.schema import KINDS, EntityRecord, NodeKind, RelationshipType
from graph.settings import PROJECT_ROOT
from ingest.curated import read_bundle
from ingest.documents import SourceDocument, read_document
from ingest.extract import SYMMETRIC, Extraction, Extractor, compatible
from ingest.gazetteer import Gazetteer
from ingest.vietnamese import fold_name
from graph.text import fold

DEFAULT_THRESHOLD = 0.7
_GROUP = {kind.value: spec.group for kind, spec in KINDS.items()}
NAMED_GROUPS = {"organisation", "government", "person", "event", "project", "agreement"}
SCOPES = ("named", "documents", "places", "themes")
GROUPS = ("organisation", "person", "event", "project", "agreement")


def corpus_dir() -> Path:
    configured = os.environ.get("VUSTA_CORPUS_DIR")
    return Path(configured) if configured else PROJECT_ROOT.parent / "shared" / "corpus"


def split_files(half: str, language: str | None = None) -> list[str]:
    """Corpus file names of one half (and language), from ``data/evaluation/corpus_split.yaml``."""
    from graph.yaml_text import load_yaml

    path = PROJECT_ROOT / "data" / "evaluation" / "corpus_split.yaml"
    files = (load_yaml(path.read_text(encoding="utf-8")) or {}).get("files", {})
    return sorted(name for name, info in files.items()
                  if info.get("half") == half and (language is None or info.get("language") == language))


def split_language(file: str) -> str:
    return next((language for language in ("vi", "en") for half in ("dev", "test")
                 if file in split_files(half, language)), "vi")


def scope_of(kinds: Iterable[str]) -> str | None:
    groups = {_GROUP.get(str(k), "") for k in kinds}
    if groups & NAMED_GROUPS:
        return "named"
    if "document" in groups:
        return "documents"
    if "place" in groups:
        return "places"
    if "theme" in groups:
        return "themes"
    return None


def group_of(kinds: Iterable[str]) -> str:
    from ingest.gold import SCORE_GROUPS
    for kind in kinds:
        try:
            return SCORE_GROUPS.get(NodeKind(str(kind)), "other")
        except ValueError:
            continue
    return "other"


# --------------------------------------------------------------------------------------------
# gold, in the shape the scoring needs

@dataclass
class GoldEntity:
    id: str
    kinds: list[str]
    names: list[str]
    scope: str                         # named | documents | places | themes
    group: str                         # organisation | person | event | project | agreement | …
    graph_id: str | None = None


@dataclass
class GoldDocument:
    file: str
    half: str
    language: str
    entities: dict[str, GoldEntity] = field(default_factory=dict)
    relationships: set[tuple[str, str, str]] = field(default_factory=set)
    alternatives: dict[tuple[str, str, str], set[tuple[str, str, str]]] = field(default_factory=dict)


def triple(rel_type: str, a: str, b: str) -> tuple[str, str, str]:
    return (str(rel_type), *sorted((a, b))) if str(rel_type) in SYMMETRIC else (str(rel_type), a, b)


def gold_documents(halves: Iterable[str] = ("dev", "test")) -> list[GoldDocument]:
    """The annotated corpus documents of the given halves (:mod:`ingest.gold`)."""
    from ingest import gold as gold_module

    out = []
    for half in halves:
        for language in ("vi", "en"):
            for file in split_files(half, language):
                if not gold_module.gold_path(file).exists():
                    continue
                out.append(_gold_document(gold_module.load_gold(file), file, half, language))
    return out


def _gold_document(annotated: Any, file: str, half: str, language: str) -> GoldDocument:
    from ingest.gold import NAMED_GROUPS

    document = GoldDocument(file, half, language)
    for entity in annotated.all_entities():
        group = entity.group
        scope = "named" if group in NAMED_GROUPS else {"document": "documents", "place": "places",
                                                       "theme": "themes"}.get(group, group)
        kinds = [str(entity.kind), *(str(k) for k in getattr(entity, "alt_kinds", []))]
        document.entities[entity.key] = GoldEntity(entity.key, kinds, entity.names(), scope, group,
                                                   getattr(entity, "graph_id", None))
    for rel in annotated.all_relationships():
        main = triple(rel.type, rel.source, rel.target)
        document.relationships.add(main)
        document.alternatives[main] = {main, *(triple(t, rel.source, rel.target) for t in rel.alt_types)}
    return document


def read_corpus_document(path: Path) -> SourceDocument:
    """A corpus text with its header (``URL:``, ``Retrieved:``) blanked; line numbers kept."""
    problems: list = []
    document = read_document(path, problems)
    if document is None:
        from ingest.curated import InvalidInput
        raise InvalidInput(problems)
    for index, line in enumerate(document.lines[:3]):
        if line.startswith(("URL:", "Retrieved:")):
            document.lines[index] = ""
    return document


# --------------------------------------------------------------------------------------------
# the linking gazetteer without the test half's answers

def linking_records(gold_dir: Path = PROJECT_ROOT / "data", excluded_documents: Iterable[str] = ()
                    ) -> tuple[list[EntityRecord], list[str]]:
    """The curated entities, less those whose only sources are the excluded documents (by file name,
    stem or web address); also the ids left out."""
    excluded = set()
    for name in excluded_documents:
        excluded |= {name, Path(name).stem, Path(name).name}
    bundle, problems = read_bundle([gold_dir])
    if problems:
        raise SystemExit("the curated data does not validate:\n" + "\n".join(str(p) for p in problems))
    urls = {}
    for located in getattr(bundle, "documents", []):
        record = located.record
        url = getattr(record, "url", None) or (getattr(record, "properties", None) or {}).get("url")
        if url:
            urls[url] = record.id
    kept, left_out = [], []
    for located in bundle.entities:
        record = located.record
        if record.sample:
            continue  # invented demonstration data is never evidence
        documents = {str(s.document) for s in record.sources}
        if documents and all(d in excluded or Path(d).stem in excluded for d in documents):
            left_out.append(record.id)
        else:
            kept.append(record)
    return kept, left_out


# --------------------------------------------------------------------------------------------
# matching and scoring

def _keys(name: str) -> set[str]:
    return {k for k in (fold_name(name), fold(name)) if k}


class DocumentMatcher:
    """Matches predicted entities to the gold entities of one document: the graph id (linking), or a
    name or alias folded equal (diacritics, case and spacing ignored) with a compatible kind."""

    def __init__(self, document: GoldDocument) -> None:
        self.document = document
        self.index: dict[str, set[str]] = defaultdict(set)
        self.by_graph_id: dict[str, str] = {}
        for entity in document.entities.values():
            if entity.graph_id:
                self.by_graph_id[entity.graph_id] = entity.id
            for name in entity.names:
                for key in _keys(name):
                    self.index[key].add(entity.id)

    def match(self, key: str, names: Iterable[str], kinds: Iterable[str]) -> str | None:
        if key in self.by_graph_id:
            return self.by_graph_id[key]
        kinds = list(kinds)
        for name in names:
            if not name:
                continue
            for folded in _keys(name):
                ids = sorted(i for i in self.index.get(folded, ()) if compatible(self.document.entities[i].kinds, kinds))
                if ids:
                    return ids[0]
        return None


def _counts() -> dict[str, int]:
    return {"tp": 0, "pred": 0, "gold": 0}


def _figures(counts: dict[str, int]) -> dict[str, Any]:
    p = round(counts["tp"] / counts["pred"], 3) if counts["pred"] else None
    r = round(counts["tp"] / counts["gold"], 3) if counts["gold"] else None
    f1 = round(2 * p * r / (p + r), 3) if p and r else (0.0 if p is not None and r is not None else None)
    return {"precision": p, "recall": r, "f1": f1, "correct": counts["tp"], "predicted": counts["pred"],
            "gold": counts["gold"]}


def score_documents(extraction: Extraction, golds: dict[str, GoldDocument], names_of: dict[str, list[str]],
                    threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any]:
    """Entity and relationship figures per scope, summed over the documents of ``golds``."""
    entities = {scope: _counts() for scope in SCOPES}
    groups = {group: _counts() for group in GROUPS}
    pairs, typed = _counts(), _counts()
    errors: dict[str, list[str]] = defaultdict(list)
    for file, gold in golds.items():
        matcher = DocumentMatcher(gold)
        unit: dict[str, str] = {}
        predicted: dict[str, list[str]] = {}
        for key, entity in extraction.entities.items():
            if not any(e.document == file and e.confidence >= threshold for e in entity.evidence):
                continue
            names = [entity.name, *entity.aliases, *names_of.get(key, [])]
            matched = matcher.match(key, names, entity.kinds)
            unit[key] = matched or f"?{key}"
            predicted.setdefault(unit[key], entity.kinds)

        def scope(u: str) -> str | None:
            return gold.entities[u].scope if u in gold.entities else scope_of(predicted[u])

        def group(u: str) -> str:
            return gold.entities[u].group if u in gold.entities else group_of(predicted[u])

        for name in SCOPES:
            truth = {i for i, e in gold.entities.items() if e.scope == name}
            guessed = {u for u in predicted if scope(u) == name}
            entities[name]["tp"] += len(truth & guessed)
            entities[name]["pred"] += len(guessed)
            entities[name]["gold"] += len(truth)
            if name == "named":
                for g in GROUPS:
                    t = {i for i in truth if gold.entities[i].group == g}
                    q = {u for u in guessed if group(u) == g}
                    groups[g]["tp"] += len(t & q)
                    groups[g]["pred"] += len(q)
                    groups[g]["gold"] += len(t)
                errors["entities_missed"] += [f"{file[:2]}:{gold.entities[i].names[0]}" for i in sorted(truth - guessed)]
                errors["entities_wrong"] += [f"{file[:2]}:{_name(extraction, u)}" for u in sorted(guessed - truth)]
        predicted_triples: set[tuple[str, str, str]] = set()
        for item in extraction.relationships.values():
            if any(e.document == file and e.confidence >= threshold for e in item.evidence):
                a, b = unit.get(item.from_key), unit.get(item.to_key)
                if a and b and a != b:
                    predicted_triples.add(triple(item.type, a, b))
        truth_pairs = {frozenset(t[1:]) for t in gold.relationships}
        guessed_pairs = {frozenset(t[1:]) for t in predicted_triples}
        pairs["tp"] += len(truth_pairs & guessed_pairs)
        pairs["pred"] += len(guessed_pairs)
        pairs["gold"] += len(truth_pairs)
        right = {t for t in gold.relationships if gold.alternatives.get(t, {t}) & predicted_triples}
        typed["tp"] += len(right)
        typed["pred"] += len(predicted_triples)
        typed["gold"] += len(gold.relationships)
        label = {i: e.names[0] for i, e in gold.entities.items()}
        errors["pairs_missed"] += [f"{file[:2]}:" + " ~ ".join(sorted(label.get(x, x) for x in p))
                                   for p in truth_pairs - guessed_pairs]
        errors["pairs_wrong"] += [f"{file[:2]}:" + " ~ ".join(sorted(label.get(x, _name(extraction, x)) for x in p))
                                  for p in guessed_pairs - truth_pairs]
        errors["typed_wrong"] += [f"{file[:2]}:{t[0]} " + " > ".join(label.get(x, _name(extraction, x)) for x in t[1:])
                                  for t in predicted_triples if not any(t in gold.alternatives.get(g, {g})
                                                                        for g in gold.relationships)]
    return {"entities": {name: _figures(c) for name, c in entities.items()},
            "named_by_group": {g: _figures(c) for g, c in groups.items()},
            "related_pairs": _figures(pairs), "typed_relationships": _figures(typed), "errors": dict(errors)}


def _name(extraction: Extraction, unit: str) -> str:
    key = unit[1:] if unit.startswith("?") else unit
    entity = extraction.entities.get(key)
    return entity.name if entity else unit


def evaluate_corpus(halves: Iterable[str] = ("test", "dev"), threshold: float = DEFAULT_THRESHOLD,
                    data_dir: Path = PROJECT_ROOT / "data") -> dict[str, Any]:
    halves = list(halves)
    test_files = split_files("test")
    records, left_out = linking_records(data_dir, test_files)
    linking_gazetteer = Gazetteer.from_records(records)
    names_of: dict[str, list[str]] = defaultdict(list)
    for record in records:
        names_of[record.id] += [n for n in [record.name, record.name_en, *record.aliases] if n]
    root = corpus_dir()
    result: dict[str, Any] = {"corpus": str(root), "threshold": threshold,
                              "linking_gazetteer": {"entities": len(records), "left_out_test_only": len(left_out)}}
    for half in halves:
        golds = {g.file: g for g in gold_documents([half])}
        if not golds:
            result[half] = {"note": "no gold annotations yet for this half"}
            continue
        documents = [read_corpus_document(root / file) for file in sorted(golds)]
        block: dict[str, Any] = {"documents": len(documents)}
        for mode, gazetteer in (("discovery", Gazetteer()), ("linking", linking_gazetteer)):
            started = time.perf_counter()
            extraction = Extractor(gazetteer).run(documents)
            elapsed = time.perf_counter() - started
            by_language: dict[str, Any] = {}
            for language in ("vi", "en"):
                subset = {f: g for f, g in golds.items() if g.language == language}
                if subset:
                    by_language[language] = score_documents(extraction, subset, names_of if mode == "linking" else {},
                                                            threshold)
            by_language["all"] = score_documents(extraction, golds, names_of if mode == "linking" else {}, threshold)
            by_language["seconds"] = round(elapsed, 2)
            block[mode] = by_language
        result[half] = block
    return result


def _pct(x: float | None) -> str:
    return " n/a" if x is None else f"{x:4.2f}"


def text_report(result: dict[str, Any], verbose: bool = False) -> str:
    lines = [f"CORPUS: {result['corpus']} (confidence ≥ {result['threshold']}; linking gazetteer: "
             f"{result['linking_gazetteer']['entities']} curated entities, "
             f"{result['linking_gazetteer']['left_out_test_only']} left out because only test-half texts source them)"]
    header = f"  {'half/mode/language':28} {'named P':>8} {'R':>5} {'places P':>9} {'R':>5} {'themes P':>9} {'R':>5} " \
             f"{'pairs P':>8} {'R':>5} {'typed P':>8} {'R':>5}"
    for half in ("test", "dev"):
        if half not in result:
            continue
        block = result[half]
        if "note" in block:
            lines.append(f"{half.upper()}: {block['note']}")
            continue
        lines.append(f"{half.upper()} half ({block['documents']} documents)" +
                     (" — the held-out figures" if half == "test" else " — tuned on, for reference"))
        lines.append(header)
        for mode in ("discovery", "linking"):
            for language in ("vi", "en", "all"):
                if language not in block[mode]:
                    continue
                f = block[mode][language]
                e = f["entities"]
                lines.append(f"  {mode + ' ' + language:28} {_pct(e['named']['precision']):>8} "
                             f"{_pct(e['named']['recall']):>5} {_pct(e['places']['precision']):>9} "
                             f"{_pct(e['places']['recall']):>5} {_pct(e['themes']['precision']):>9} "
                             f"{_pct(e['themes']['recall']):>5} {_pct(f['related_pairs']['precision']):>8} "
                             f"{_pct(f['related_pairs']['recall']):>5} {_pct(f['typed_relationships']['precision']):>8} "
                             f"{_pct(f['typed_relationships']['recall']):>5}   "
                             f"(named {e['named']['correct']}/{e['named']['predicted']}/{e['named']['gold']}, "
                             f"pairs {f['related_pairs']['correct']}/{f['related_pairs']['predicted']}/"
                             f"{f['related_pairs']['gold']})")
                if verbose and language == "all" and half == "dev":  # never the test half's errors
                    for key, items in f["errors"].items():
                        lines.append(f"    {key}: {'; '.join(items)}")
        lines.append("")
    return "\n".join(lines)


__all__ = ["evaluate_corpus", "text_report", "linking_records", "score_documents", "gold_documents",
           "read_corpus_document", "corpus_dir", "NodeKind", "RelationshipType"]
