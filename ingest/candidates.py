"""The reviewable candidates file of ``python -m ingest docs`` and loading the accepted ones.

``docs`` without ``--apply`` writes what it found to a JSON file and changes nothing. Each
candidate has its kind, name, aliases, proposed id, status (``new`` or ``merge-into:<id>``), a
confidence, its evidence (document, line, character span in the line, the sentence, the method)
and an ``accept`` field: ``null`` until a reviewer sets it to ``true`` or ``false``. Applying
loads the accepted candidates — ``accept: true``, or ``accept: null`` with a confidence at or
above the threshold — through :func:`ingest.load.load_records`: one transaction, idempotent,
logged as an ``IngestRun``. Mentions of entities the graph has are resolved to their ids first,
so curated entities are never duplicated; their curated values are kept and the new evidence is
added to their sources (see :mod:`ingest.provenance`).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph.schema import (
    EntityRecord,
    NodeKind,
    RelationshipProperties,
    RelationshipRecord,
    SourceRef,
    allowed_properties,
    known_kinds,
)
from graph.settings import PROJECT_ROOT
from graph.store import GraphStore, batches
from ingest.curated import InvalidInput, Problem
from ingest.documents import SourceDocument
from ingest.extract import SYMMETRIC, Evidence, Extraction, Extractor, proposed_id
from ingest.gazetteer import Gazetteer
from ingest.load import LoadResult, load_records

DEFAULT_THRESHOLD = 0.7
MAX_EVIDENCE_PER_DOCUMENT = 3
CANDIDATES_DIR = PROJECT_ROOT / "var" / "candidates"


class CandidateEvidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: str
    line: int = Field(ge=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    sentence: str
    method: str
    confidence: float = Field(ge=0, le=1)

    def source(self) -> SourceRef:
        return SourceRef(document=self.document, line=self.line, start=self.start, end=self.end,
                         sentence=self.sentence[:2000], method=self.method[:60], confidence=self.confidence)


class EntityCandidate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: NodeKind
    kinds: list[NodeKind]
    name: str
    aliases: list[str] = Field(default_factory=list)
    id: str
    status: str = Field(pattern=r"^(new|merge-into:.+)$")
    properties: dict[str, Any] = Field(default_factory=dict)
    confidence: float = Field(ge=0, le=1)
    evidence: list[CandidateEvidence]
    accept: bool | None = None


class RelationshipCandidate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: str
    from_id: str
    to_id: str
    from_name: str
    to_name: str
    status: str = Field(pattern=r"^(new|merge-into:.+)$")
    properties: dict[str, Any] = Field(default_factory=dict)
    confidence: float = Field(ge=0, le=1)
    evidence: list[CandidateEvidence]
    accept: bool | None = None


class CandidateDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    id: str
    title: str
    characters: int
    sha256: str
    in_graph: bool


class CandidatesFile(BaseModel):
    """What ``ingest docs`` found, for review. Set ``accept`` to true/false; null means 'by threshold'."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    created_at: str
    command: str
    threshold: float = Field(ge=0, le=1)
    documents: list[CandidateDocument]
    entities: list[EntityCandidate]
    relationships: list[RelationshipCandidate]

    def accepted(self, confidence: float, accept: bool | None, threshold: float | None = None) -> bool:
        return accept is True or (accept is None and confidence >= (self.threshold if threshold is None else threshold))


def _evidence(items: list[Evidence]) -> list[CandidateEvidence]:
    per_document: dict[str, int] = defaultdict(int)
    out = []
    for item in sorted(items, key=lambda e: (e.document, -e.confidence, e.line, e.start)):
        if per_document[item.document] >= MAX_EVIDENCE_PER_DOCUMENT:
            continue
        per_document[item.document] += 1
        out.append(CandidateEvidence(document=item.document, line=item.line, start=item.start, end=item.end,
                                     sentence=item.sentence, method=item.method, confidence=item.confidence))
    return sorted(out, key=lambda e: (e.document, e.line, e.start))


def _clean_properties(kinds: list[NodeKind], properties: dict[str, Any]) -> dict[str, Any]:
    allowed = allowed_properties(kinds)
    out = {}
    for key, value in properties.items():
        if key in allowed:
            expected = allowed[key]
            if expected == "date" and isinstance(value, int):
                value = str(value)
            if expected == "text" and not isinstance(value, str):
                value = str(value)
            out[key] = value
    return out


def graph_gazetteer(store: GraphStore) -> Gazetteer:
    return Gazetteer.from_rows(store.read("name_table"))


def build_candidates(store: GraphStore, documents: list[SourceDocument], *, threshold: float = DEFAULT_THRESHOLD,
                     command: str = "python -m ingest docs") -> CandidatesFile:
    """Extract from documents and resolve every find against the graph."""
    gazetteer = graph_gazetteer(store)
    extraction = Extractor(gazetteer).run(documents)
    return candidates_from(extraction, gazetteer, store, threshold=threshold, command=command)


def candidates_from(extraction: Extraction, gazetteer: Gazetteer, store: GraphStore, *, threshold: float,
                    command: str) -> CandidatesFile:
    taken = set(gazetteer.names_of)
    ids: dict[str, str] = {}
    entities: list[EntityCandidate] = []
    for key, entity in sorted(extraction.entities.items(), key=lambda item: (not item[1].existing, item[0])):
        if not entity.evidence:
            continue
        kinds = known_kinds(entity.kinds) or [NodeKind.AFFILIATED_ORGANISATION]
        entity_id = key if entity.existing else proposed_id(entity, taken)
        ids[key] = entity_id
        known = {a.casefold() for a in [gazetteer.names_of.get(entity_id, ""), *_names(gazetteer, entity_id)]}
        aliases = [a for a in entity.aliases if a.casefold() not in known and a.casefold() != entity.name.casefold()]
        entities.append(EntityCandidate(
            kind=kinds[0], kinds=kinds, name=entity.name, aliases=aliases, id=entity_id,
            status=f"merge-into:{entity_id}" if entity.existing else "new",
            properties=_clean_properties(kinds, entity.properties), confidence=round(entity.confidence, 3),
            evidence=_evidence(entity.evidence)))
    existing = _existing_relationships(store, [(ids[r.from_key], ids[r.to_key]) for r in extraction.relationships.values()
                                              if r.from_key in ids and r.to_key in ids])
    names = {c.id: c.name for c in entities}
    relationships: list[RelationshipCandidate] = []
    seen: set[tuple[str, str, str]] = set()
    for rel in extraction.relationships.values():
        if rel.from_key not in ids or rel.to_key not in ids:
            continue
        from_id, to_id = ids[rel.from_key], ids[rel.to_key]
        if from_id == to_id:
            continue
        properties: dict[str, Any] = dict(rel.properties)
        status = "new"
        match = existing.get((rel.type, from_id, to_id))
        if match is None and rel.type in SYMMETRIC:
            match = existing.get((rel.type, to_id, from_id))
        if match:
            from_id, to_id = match["from_id"], match["to_id"]
            if match.get("role"):
                properties["role"] = match["role"]
            status = f"merge-into:{match['id']}"
        key = (rel.type, from_id, to_id)
        if key in seen:
            continue
        seen.add(key)
        properties["confidence"] = round(rel.confidence, 3)
        relationships.append(RelationshipCandidate(
            type=rel.type, from_id=from_id, to_id=to_id, from_name=names.get(from_id, from_id),
            to_name=names.get(to_id, to_id), status=status, properties=properties,
            confidence=round(rel.confidence, 3), evidence=_evidence(rel.evidence)))
    in_graph = _existing_ids(store, [d.id for d in extraction.documents])
    documents = [CandidateDocument(name=d.name, id=d.id, title=d.title(), characters=d.characters,
                                   sha256=hashlib.sha256(d.path.read_bytes()).hexdigest(), in_graph=d.id in in_graph)
                 for d in extraction.documents]
    return CandidatesFile(created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), command=command,
                          threshold=threshold, documents=documents, entities=entities,
                          relationships=sorted(relationships, key=lambda r: (r.type, r.from_id, r.to_id)))


def _names(gazetteer: Gazetteer, entity_id: str) -> list[str]:
    return [e.name for entries in gazetteer.entries.values() for e in entries if e.entity_id == entity_id]


def _existing_ids(store: GraphStore, ids: list[str]) -> set[str]:
    missing: set[str] = set()
    for chunk in batches(ids):
        missing |= {row["id"] for row in store.read("missing_entity_ids", ids=list(chunk))}
    return set(ids) - missing


def _existing_relationships(store: GraphStore, pairs: list[tuple[str, str]]) -> dict[tuple[str, str, str], dict]:
    rows = [{"from_id": a, "to_id": b} for a, b in set(pairs) | {(b, a) for a, b in pairs}]
    out: dict[tuple[str, str, str], dict] = {}
    for chunk in batches(rows):
        for row in store.read("relationships_between", pairs=list(chunk)):
            out.setdefault((row["type"], row["from_id"], row["to_id"]), row)
    return out


# -- the file ------------------------------------------------------------------------------------

def write_candidates(candidates: CandidatesFile, path: Path | None = None) -> Path:
    if path is None:
        CANDIDATES_DIR.mkdir(parents=True, exist_ok=True)
        path = CANDIDATES_DIR / f"candidates-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(candidates.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
                         encoding="utf-8")
    temporary.replace(path)
    return path


def read_candidates(path: Path) -> CandidatesFile:
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidInput([Problem(name, f"cannot be read: {error.strerror or error}")]) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise InvalidInput([Problem(name, f"is not valid UTF-8 (byte {error.start})")]) from None
    except json.JSONDecodeError as error:
        raise InvalidInput([Problem(name, f"is not valid JSON: {error.msg}", line=error.lineno)]) from None
    try:
        return CandidatesFile.model_validate(data)
    except ValidationError as error:
        raise InvalidInput([Problem(name, d["msg"], field=".".join(str(p) for p in d["loc"]))
                            for d in error.errors()]) from None


# -- applying ------------------------------------------------------------------------------------

def records_to_load(store: GraphStore, candidates: CandidatesFile, threshold: float | None = None
                    ) -> tuple[list[EntityRecord], list[RelationshipRecord], dict[str, Any]]:
    """Entity and relationship records for the accepted candidates (problems raise InvalidInput)."""
    problems: list[Problem] = []
    gazetteer = graph_gazetteer(store)
    entities: list[EntityRecord] = []
    for document in candidates.documents:
        if not document.in_graph and document.id not in gazetteer.names_of:
            entities.append(EntityRecord(
                id=document.id, kinds=[NodeKind.DOCUMENT], name=document.title,
                properties={"title": document.title, "file": document.name, "characters": document.characters,
                            "sha256": document.sha256, "kind_of_text": "document"},
                sources=[SourceRef(document=document.name, line=1, method="document")]))
    loaded: set[str] = set(gazetteer.names_of)
    skipped = {"entities": 0, "relationships": 0, "relationships_without_endpoint": 0}
    for index, candidate in enumerate(candidates.entities):
        if not candidates.accepted(candidate.confidence, candidate.accept, threshold):
            skipped["entities"] += 1
            continue
        sources = [e.source() for e in candidate.evidence]
        try:
            if candidate.status.startswith("merge-into:"):
                target = candidate.status.split(":", 1)[1]
                if target not in gazetteer.names_of:
                    problems.append(Problem("candidates", f"merges into '{target}', which is not in the graph",
                                            record=f"entities.{index}", field="status"))
                    continue
                kinds = known_kinds(gazetteer.kinds_of.get(target, ()))
                entities.append(EntityRecord(id=target, kinds=kinds or candidate.kinds,
                                             name=gazetteer.names_of[target], aliases=candidate.aliases,
                                             sources=sources))
            else:
                entities.append(EntityRecord(id=candidate.id, kinds=candidate.kinds, name=candidate.name,
                                             aliases=candidate.aliases, properties=candidate.properties,
                                             sources=sources))
                loaded.add(candidate.id)
        except ValidationError as error:
            for detail in error.errors():
                problems.append(Problem("candidates", detail["msg"], record=f"entities.{index} ({candidate.id})",
                                        field=".".join(str(p) for p in detail["loc"])))
    relationships: list[RelationshipRecord] = []
    for index, candidate in enumerate(candidates.relationships):
        if not candidates.accepted(candidate.confidence, candidate.accept, threshold):
            skipped["relationships"] += 1
            continue
        if candidate.from_id not in loaded or candidate.to_id not in loaded:
            skipped["relationships_without_endpoint"] += 1
            continue
        try:
            relationships.append(RelationshipRecord(
                type=candidate.type, **{"from": candidate.from_id, "to": candidate.to_id},
                properties=RelationshipProperties(**candidate.properties),
                sources=[e.source() for e in candidate.evidence]))
        except ValidationError as error:
            for detail in error.errors():
                problems.append(Problem("candidates", detail["msg"], record=f"relationships.{index}",
                                        field=".".join(str(p) for p in detail["loc"])))
    if problems:
        raise InvalidInput(problems)
    return entities, relationships, skipped


def apply_candidates(store: GraphStore, candidates: CandidatesFile, *, inputs: list[str], threshold: float | None = None,
                     dry_run: bool = False, quiet: bool = False,
                     command: str = "python -m ingest docs --apply") -> tuple[LoadResult, dict[str, Any]]:
    entities, relationships, skipped = records_to_load(store, candidates, threshold)
    result = load_records(store, entities, relationships, command=command, inputs=inputs, dry_run=dry_run,
                          quiet=quiet)
    return result, skipped


def summary(candidates: CandidatesFile, threshold: float | None = None) -> dict[str, Any]:
    limit = candidates.threshold if threshold is None else threshold

    def count(items: list[Any]) -> dict[str, int]:
        return {
            "new": sum(1 for c in items if c.status == "new"),
            "merge": sum(1 for c in items if c.status != "new"),
            "accepted": sum(1 for c in items if candidates.accepted(c.confidence, c.accept, limit)),
        }

    return {"documents": len(candidates.documents), "threshold": limit, "entities": count(candidates.entities),
            "relationships": count(candidates.relationships)}
