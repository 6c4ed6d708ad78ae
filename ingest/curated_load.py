"""Validate curated YAML files against the schema and the graph, then load them."""

from __future__ import annotations

from pathlib import Path

from graph.schema import document_id
from graph.store import GraphStore, batches
from ingest.curated import InvalidInput, check_bundle, read_bundle
from ingest.load import LoadResult, load_records


def load_curated(store: GraphStore, paths: list[Path], *, dry_run: bool = False, quiet: bool = False,
                 command: str = "python -m ingest") -> LoadResult:
    bundle, problems = read_bundle(paths)
    entities = [located.record for located in bundle.all_entities()]
    defined = {e.id for e in entities}
    referenced = {r.record.from_id for r in bundle.relationships} | {r.record.to_id for r in bundle.relationships}
    referenced |= {f.record.subject for f in bundle.figures}
    documents_referenced = {
        source.document for section in (bundle.entities, bundle.relationships, bundle.figures)
        for located in section for source in located.record.sources
    }
    outside = sorted((referenced | {document_id(d) for d in documents_referenced}) - defined)
    missing: set[str] = set()
    if outside:
        for chunk in batches(outside):
            missing |= {row["id"] for row in store.read("missing_entity_ids", ids=list(chunk))}
    known = set(outside) - missing
    check_bundle(bundle, problems, known_ids=known, known_documents=known)
    if problems:
        raise InvalidInput(problems)
    relationships = [located.record for located in bundle.relationships]
    return load_records(store, entities, relationships, command=command,
                        inputs=bundle.files, dry_run=dry_run, quiet=quiet)


__all__ = ["load_curated", "InvalidInput"]
