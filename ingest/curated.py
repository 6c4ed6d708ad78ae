"""Reading and validating curated YAML files (see ``data/README.md`` for the format).

Every problem is reported with its file, line, record and field; a bundle with any problem is
never loaded. Cross-file checks (duplicate ids, references to unknown entities or documents)
are made over all files read together, and against the graph for ids the files do not define.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ValidationError

from graph.limits import MAX_NESTING, too_deep
from graph.schema import (
    DERIVED_RELATIONSHIP_TYPES,
    DocumentRecord,
    EntityRecord,
    FigureRecord,
    RelationshipRecord,
    document_id,
    endpoint_problem,
)
from graph.yaml_text import load_yaml_with_nodes

SECTIONS: dict[str, type[BaseModel]] = {
    "documents": DocumentRecord,
    "entities": EntityRecord,
    "relationships": RelationshipRecord,
    "figures": FigureRecord,
}
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, and where."""

    file: str
    message: str
    line: int | None = None
    record: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.record:
            parts.append(f"record {self.record}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts) + f": {self.message}"

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class InvalidInput(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the input; nothing was written:\n{shown}{more}")


@dataclass
class Located:
    record: Any
    file: str
    line: int | None


@dataclass
class Bundle:
    """Validated records from one or more files, each with where it was read."""

    documents: list[Located] = field(default_factory=list)
    entities: list[Located] = field(default_factory=list)
    relationships: list[Located] = field(default_factory=list)
    figures: list[Located] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def all_entities(self) -> list[Located]:
        """Entities, documents and figures, all as entity records."""
        out = list(self.entities)
        out += [Located(d.record.as_entity(), d.file, d.line) for d in self.documents]
        out += [Located(f.record.as_entity(), f.file, f.line) for f in self.figures]
        return out


def _line_numbers(root: yaml.Node | None) -> dict[str, list[int]]:
    """1-based line of each record under each top-level key."""
    lines: dict[str, list[int]] = {}
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if isinstance(value_node, yaml.SequenceNode):
                lines[str(key_node.value)] = [item.start_mark.line + 1 for item in value_node.value]
    return lines


def _field_path(loc: Iterable[Any]) -> str:
    return ".".join(str(part) for part in loc) or "(record)"


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            # templates/ are CSV examples; evaluation/ holds the corpus split and gold annotations
            # (ingest.gold), not graph records; sample/ is demo data, loaded only by `python -m ingest demo`.
            files += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")
                            and not {"templates", "evaluation", "sample"} & set(p.relative_to(path).parts))
        else:
            files.append(path)
    return files


def read_yaml_file(path: Path, bundle: Bundle, problems: list[Problem]) -> None:
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Problem(name, f"cannot be read: {error.strerror or error}"))
        return
    if len(raw) > MAX_FILE_BYTES:
        problems.append(Problem(name, f"is {len(raw)} bytes; the limit for one file is {MAX_FILE_BYTES}"))
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(Problem(name, f"is not valid UTF-8 (byte {error.start}); save the file as UTF-8", line=line))
        return
    try:
        data, root = load_yaml_with_nodes(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.append(Problem(name, f"is not valid YAML: {getattr(error, 'problem', None) or error}",
                                line=mark.line + 1 if mark else None))
        return
    except RecursionError:
        problems.append(Problem(name, f"is nested too deeply (lists or mappings more than {MAX_NESTING} levels "
                                      "inside each other); a record holds plain values"))
        return
    if too_deep(data):
        problems.append(Problem(name, f"is nested too deeply (lists or mappings more than {MAX_NESTING} levels "
                                      "inside each other); a record holds plain values"))
        return
    bundle.files.append(name)
    if data is None:
        problems.append(Problem(name, "is empty; expected some of the keys " + ", ".join(SECTIONS)))
        return
    if not isinstance(data, dict):
        problems.append(Problem(name, "must be a mapping with the keys " + ", ".join(SECTIONS), line=1))
        return
    lines = _line_numbers(root)
    for key, records in data.items():
        if key not in SECTIONS:
            problems.append(Problem(name, f"unknown top-level key '{key}'; expected one of " + ", ".join(SECTIONS)))
            continue
        if records is None:
            continue
        if not isinstance(records, list):
            problems.append(Problem(name, f"'{key}' must be a list of records", field=key))
            continue
        model = SECTIONS[key]
        for index, raw_record in enumerate(records):
            line = lines.get(key, [None] * (index + 1))[index] if index < len(lines.get(key, [])) else None
            label = f"#{index + 1}"
            if isinstance(raw_record, dict) and isinstance(raw_record.get("id"), str):
                label += f" ({raw_record['id']})"
            if not isinstance(raw_record, dict):
                problems.append(Problem(name, "a record must be a mapping", line=line, record=label))
                continue
            try:
                record = model.model_validate(raw_record)
            except ValidationError as error:
                for detail in error.errors():
                    problems.append(Problem(name, detail["msg"], line=line, record=label,
                                            field=_field_path(detail["loc"])))
                continue
            if isinstance(record, RelationshipRecord) and record.type in DERIVED_RELATIONSHIP_TYPES:
                problems.append(Problem(name, f"{record.type} is derived by the loader and cannot be written",
                                        line=line, record=label, field="type"))
                continue
            getattr(bundle, key).append(Located(record, name, line))


def check_bundle(bundle: Bundle, problems: list[Problem], known_ids: set[str] | None = None,
                 known_documents: set[str] | None = None) -> None:
    """Cross-record checks: duplicate ids, references to unknown entities and documents.

    ``known_ids``/``known_documents``: ids that exist in the graph already (may be referenced).
    """
    seen: dict[str, Located] = {}
    for located in bundle.all_entities():
        entity = located.record
        if entity.id in seen:
            first = seen[entity.id]
            same = first.record.model_dump() == entity.model_dump()
            problems.append(Problem(
                located.file,
                f"id '{entity.id}' is defined twice (first at {first.file}:{first.line})"
                + ("" if same else " with different values"),
                line=located.line, record=entity.id, field="id"))
        else:
            seen[entity.id] = located
    known_ids = known_ids or set()
    documents = {d.record.id for d in bundle.documents} | (known_documents or set())
    seen_rel: dict[str, Located] = {}
    for located in bundle.relationships:
        rel: RelationshipRecord = located.record
        for end, value in (("from", rel.from_id), ("to", rel.to_id)):
            if value not in seen and value not in known_ids:
                problems.append(Problem(located.file, f"refers to entity '{value}', which does not exist",
                                        line=located.line, record=rel.id, field=end))
        if rel.from_id in seen and rel.to_id in seen:
            message = endpoint_problem(rel.type, seen[rel.from_id].record.kinds, seen[rel.to_id].record.kinds)
            if message:
                problems.append(Problem(located.file, message, line=located.line, record=rel.id, field="type"))
        if rel.id in seen_rel and seen_rel[rel.id].record.model_dump() != rel.model_dump():
            first = seen_rel[rel.id]
            problems.append(Problem(located.file, f"relationship defined twice with different values "
                                    f"(first at {first.file}:{first.line})", line=located.line, record=rel.id))
        seen_rel.setdefault(rel.id, located)
    for located in bundle.figures:
        if located.record.subject not in seen and located.record.subject not in known_ids:
            problems.append(Problem(located.file, f"subject '{located.record.subject}' does not exist",
                                    line=located.line, record=located.record.id, field="subject"))
    for section in (bundle.entities, bundle.relationships, bundle.figures):
        for located in section:
            for index, source in enumerate(located.record.sources):
                if document_id(source.document) not in documents:
                    record_id = located.record.id
                    problems.append(Problem(located.file, f"source document '{source.document}' is not declared "
                                            "under 'documents'", line=located.line, record=record_id,
                                            field=f"sources.{index}"))


def read_bundle(paths: Iterable[Path]) -> tuple[Bundle, list[Problem]]:
    """Read and validate files (not yet checked against the graph)."""
    bundle = Bundle()
    problems: list[Problem] = []
    files = yaml_files(paths)
    if not files:
        problems.append(Problem(", ".join(str(p) for p in paths) or "(no path)", "no YAML files found"))
    for path in files:
        if not path.exists():
            problems.append(Problem(str(path), "does not exist"))
            continue
        read_yaml_file(path, bundle, problems)
    return bundle, problems
