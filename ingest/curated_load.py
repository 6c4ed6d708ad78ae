"""Validate curated YAML files against the schema and the graph, then load them."""

from __future__ import annotations

from pathlib import Path

from graph.schema import SourceRef, document_id
from graph.store import GraphStore, batches
from ingest.curated import InvalidInput, check_bundle, read_bundle
from ingest.load import LoadResult, load_records


UPLOAD = "upload"


def _as_upload(record, file: str):
    """The record with its sources marked as an upload (not curated): see ingest/provenance.py."""
    sources = [s.model_copy(update={"method": UPLOAD}) for s in record.sources] or \
        [SourceRef(document=Path(file).name, method=UPLOAD)]
    return record.model_copy(update={"sources": sources})


def _upload_documents(store: GraphStore, records, defined: set[str]) -> list:
    """Document nodes for the uploaded files the records now cite (as the tabular import does)."""
    from graph.schema import EntityRecord, NodeKind

    names = {s.document for r in records for s in r.sources if s.method == UPLOAD}
    ids = {document_id(n): n for n in names if document_id(n) not in defined}
    if not ids:
        return []
    missing = {row["id"] for row in store.read("missing_entity_ids", ids=sorted(ids))}
    return [EntityRecord(id=i, kinds=[NodeKind.DOCUMENT], name=ids[i],
                         properties={"title": ids[i], "file": ids[i], "kind_of_text": "upload"},
                         sources=[SourceRef(document=ids[i], method=UPLOAD)]) for i in sorted(missing)]


def load_curated(store: GraphStore, paths: list[Path], *, dry_run: bool = False, quiet: bool = False,
                 command: str = "python -m ingest", authoritative: bool = True) -> LoadResult:
    """Load curated YAML. ``authoritative`` (the reviewed files of ``data/``, loaded with the CLI):
    their values are the reference. An uploaded file (``authoritative=False``, the app's upload)
    goes through the same rules as spreadsheets and documents: it adds its sources, never
    overwrites curated values (each difference is listed in ``plan.conflicts``) and never erases
    names, aliases or values."""
    bundle, problems = read_bundle(paths)
    located_entities = bundle.all_entities()
    entities = [located.record for located in located_entities]
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
    if not authoritative:
        entities = [_as_upload(located.record, located.file) for located in located_entities]
        entities += _upload_documents(store, entities, {e.id for e in entities})
        relationships = [_as_upload(r, located.file) for r, located in zip(relationships, bundle.relationships)]
    return load_records(store, entities, relationships, command=command,
                        inputs=bundle.files, dry_run=dry_run, quiet=quiet)


__all__ = ["load_curated", "InvalidInput"]
