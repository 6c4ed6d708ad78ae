"""The write side's entry points, shared by the command line and the app.

* :func:`import_files` — curated YAML (files or folders) or spreadsheets (.csv, .tsv, .xlsx,
  .json), dispatched by extension; ``python -m ingest PATH`` and the Administration page's
  upload both call it, so they accept the same files and report the same problems.
* :func:`review_documents` / :func:`apply_review` — documents through extraction and a
  person's review (the Review page; ``python -m ingest docs`` for files).
* :func:`import_iati_files` — IATI activity files (.xml, ``ingest/iati/``); ``python -m ingest
  iati`` and the Administration page's IATI upload both call it.
* :func:`forget`, :func:`remove_sample` / :func:`sample_sets`, :func:`backup_lines` — deletion of
  a person on request, removal of sample data, backups (``python -m graph`` and the
  Administration page).
* the app's curation functions (:mod:`ingest.curation`) and history (:mod:`ingest.history`).

The app imports this module, never ``graph.backup``, ``graph.maintenance`` or ingest internals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from graph.backup import export_lines
from graph.maintenance import ALL as ALL_SAMPLES
from graph.maintenance import SAMPLE_SETS
from graph.maintenance import forget as _forget
from graph.maintenance import remove_sample as _remove_sample
from graph.store import GraphStore
from ingest.candidates import CandidatesFile, EntityCandidate
from ingest.curated import InvalidInput, Problem
from ingest.curated_load import load_curated
from ingest.dedupe import find_duplicates, graph_nodes
from ingest.history import Actor, history_hook
from ingest.iati import InvalidIatiFile
from ingest.iati.importer import IatiResult
from ingest.load import LoadResult
from ingest.tabular import TABULAR_SUFFIXES, import_tables, is_tabular

__all__ = ["ALL_SAMPLES", "CandidatesFile", "EntityCandidate", "IatiResult", "InvalidIatiFile", "InvalidInput",
           "apply_review", "backup_lines", "extract_document", "forget", "import_files", "import_iati_files",
           "likely_duplicates", "remove_sample", "sample_sets", "summary_line"]

CURATED_SUFFIXES = (".yaml", ".yml")
IMPORT_SUFFIXES = (*CURATED_SUFFIXES, *TABULAR_SUFFIXES)


def import_files(store: GraphStore, paths: list[Path], *, dry_run: bool = False, quiet: bool = False,
                 command: str = "python -m ingest", actor: Actor | None = None,
                 authoritative: bool = True) -> LoadResult:
    """Validate and load curated YAML or spreadsheets (not both in one run). An invalid input
    raises :class:`InvalidInput` naming file, line/row, record and field, and writes nothing."""
    tabular = [p for p in paths if is_tabular(p)]
    if tabular and len(tabular) != len(paths):
        raise InvalidInput([Problem(", ".join(str(p) for p in paths), "give curated YAML and spreadsheets "
                                    "(.csv, .tsv, .xlsx, .json) in separate runs")])
    unknown = [p for p in paths if p.is_file() and p.suffix.lower() not in IMPORT_SUFFIXES]
    if unknown:
        raise InvalidInput([Problem(str(p), f"this kind of file is not imported; use one of {', '.join(IMPORT_SUFFIXES)}")
                            for p in unknown])
    if tabular:
        return import_tables(store, tabular, dry_run=dry_run, quiet=quiet, command=command)
    # authoritative=False (the app's upload): curated values are kept, differences are conflicts
    return load_curated(store, paths, dry_run=dry_run, quiet=quiet, command=command, authoritative=authoritative)


def extract_document(store: GraphStore, path: Path, *, command: str = "app: review document") -> CandidatesFile:
    """What extraction proposes for one document (the extract helper's reader and extractor);
    nothing is written. Problems (not readable, empty, wrong encoding) raise InvalidInput."""
    from ingest.candidates import build_candidates
    from ingest.documents import read_document

    problems: list[Problem] = []
    document = read_document(path, problems)
    if problems or document is None:
        raise InvalidInput(problems or [Problem(path.name, "cannot be read")])
    return build_candidates(store, [document], command=command)


def apply_review(store: GraphStore, candidates: CandidatesFile, actor: Actor | None, *,
                 command: str = "app: review document") -> tuple[LoadResult, dict[str, Any]]:
    """Write only the rows a reviewer accepted (``accept: true``; everything else is left out),
    with their evidence as provenance, in one transaction, as a run carrying who and what it replaced."""
    from ingest.candidates import records_to_load
    from ingest.load import load_records

    reviewed = candidates.model_copy(deep=True)
    for row in [*reviewed.entities, *reviewed.relationships]:
        row.accept = row.accept is True
    entities, relationships, skipped = records_to_load(store, reviewed, threshold=1.0)
    names = [d.name for d in reviewed.documents]
    if not any(c.accept for c in reviewed.entities) and not any(r.accept for r in reviewed.relationships):
        raise InvalidInput([Problem(", ".join(names) or "review", "nothing was accepted; nothing was written")])
    result = load_records(store, entities, relationships, command=command, inputs=names, quiet=True,
                          run_properties=history_hook(actor, documents=names))
    return result, skipped


def import_iati_files(store: GraphStore, paths: list[Path], *, dry_run: bool = False, valid_only: bool = False,
                      quiet: bool = False, command: str = "python -m ingest iati") -> Any:
    """Check and load IATI activity files or folders of them (:func:`ingest.iati.import_iati`).
    A file with any error raises :class:`ingest.iati.InvalidIatiFile` and writes nothing, unless
    ``valid_only`` loads its valid activities."""
    from ingest.iati import import_iati
    return import_iati(store, paths, dry_run=dry_run, valid_only=valid_only, quiet=quiet, command=command)


def forget(store: GraphStore, entity_id: str) -> dict[str, object]:
    """Delete a person and every fact about them, and purge them from the store's files;
    LookupError when unknown, graph.maintenance.NotAPerson (a LookupError) for other kinds."""
    return _forget(store, entity_id)


def likely_duplicates(store: GraphStore, threshold: float = 0.95) -> list[dict[str, Any]]:
    """Pairs of entities that are probably the same, with their evidence (sample data left out)."""
    return [pair.model_dump() for pair in find_duplicates(graph_nodes(store), threshold=threshold)]


def sample_sets() -> list[str]:
    """The named sample data sets that :func:`remove_sample` knows."""
    return sorted(SAMPLE_SETS)


def remove_sample(store: GraphStore, name: str) -> dict[str, object]:
    """Delete a sample data set and its ties; real data is never touched."""
    return _remove_sample(store, name)


def backup_lines(store: GraphStore, full: bool = False) -> Iterator[str]:
    """The graph as JSON lines; without ``full`` no contact details of people who did not consent."""
    return export_lines(store, full=full)


def summary_line(result: LoadResult) -> dict[str, Any]:
    out = result.as_json(details=result.dry_run)
    if result.plan.conflicts:
        out["conflicts"] = result.plan.conflicts[:200]
    return out


__all__ = ["import_files", "import_iati_files", "extract_document", "apply_review", "summary_line", "IMPORT_SUFFIXES",
           "InvalidInput", "Actor", "history_hook", "forget", "sample_sets", "remove_sample", "backup_lines"]
