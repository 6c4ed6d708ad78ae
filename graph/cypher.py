"""Every Cypher statement the product sends, in one registry.

Two sources, both found here and nowhere else:

* named ``.cypher`` files in ``graph/cypher/`` (the write side's fixed statements) and
  ``queries/cypher/`` (the read side), one statement per file, named by the file's stem;
* statements rendered from the schema (:mod:`graph.schema`): constraints, indexes, and the
  per-kind and per-relationship-type writes, because labels and relationship types cannot be
  parameters in Cypher. Labels and types come only from the schema's enums, never from user
  text; user values are always parameters.

``tests/test_cypher_lint.py`` collects :func:`all_statements` and checks each with Neo4j's own
linter; the other tests run the same statements against the embedded server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Iterable
from pathlib import Path

from graph.schema import ENTITY_LABEL, INGEST_RUN_LABEL, NodeKind, RelationshipType

ROOT = Path(__file__).resolve().parent.parent
STATEMENT_DIRS = (ROOT / "graph" / "cypher", ROOT / "queries" / "cypher")
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Statement:
    name: str
    text: str
    origin: str

    @property
    def parameters(self) -> frozenset[str]:
        return frozenset(_PARAMETER.findall(self.text))


class UnknownStatement(KeyError):
    pass


# --- rendered from the schema -------------------------------------------------------------

def _schema_statements() -> list[Statement]:
    origin = "graph/cypher.py (rendered from graph/schema.py)"
    out = [
        Statement(
            "constraint_entity_id",
            f"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:{ENTITY_LABEL}) REQUIRE n.id IS UNIQUE",
            origin,
        ),
        Statement(
            "constraint_ingest_run_id",
            f"CREATE CONSTRAINT ingest_run_id IF NOT EXISTS FOR (r:{INGEST_RUN_LABEL}) REQUIRE r.id IS UNIQUE",
            origin,
        ),
        Statement(
            "index_entity_name",
            f"CREATE INDEX entity_name IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON (n.name)",
            origin,
        ),
    ]
    for kind in NodeKind:
        out.append(Statement(
            f"add_kind_{kind.value.lower()}",
            f"UNWIND $ids AS id MATCH (n:{ENTITY_LABEL} {{id: id}}) SET n:{kind.value}",
            origin,
        ))
        out.append(Statement(
            f"remove_kind_{kind.value.lower()}",
            f"UNWIND $ids AS id MATCH (n:{ENTITY_LABEL}:{kind.value} {{id: id}}) REMOVE n:{kind.value}",
            origin,
        ))
    for rel in RelationshipType:
        out.append(Statement(
            f"merge_relationship_{rel.value.lower()}",
            f"UNWIND $rows AS row "
            f"MATCH (a:{ENTITY_LABEL} {{id: row.from_id}}) MATCH (b:{ENTITY_LABEL} {{id: row.to_id}}) "
            f"MERGE (a)-[r:{rel.value} {{id: row.id}}]->(b) SET r += row.props",
            origin,
        ))
        out.append(Statement(  # new relationships only (the plan checked they are not there)
            f"create_relationship_{rel.value.lower()}",
            f"UNWIND $rows AS row "
            f"MATCH (a:{ENTITY_LABEL} {{id: row.from_id}}) MATCH (b:{ENTITY_LABEL} {{id: row.to_id}}) "
            f"CREATE (a)-[r:{rel.value} {{id: row.id}}]->(b) SET r += row.props",
            origin,
        ))
        out.append(Statement(  # the loader's plan: which of these are stored, and their properties
            f"stored_relationships_{rel.value.lower()}",
            f"UNWIND $rows AS row WITH row.from_id AS from_id, collect(row.id) AS wanted "
            f"MATCH (:{ENTITY_LABEL} {{id: from_id}})-[r:{rel.value}]->() WHERE r.id IN wanted "
            f"RETURN r.id AS id, properties(r) AS props",
            origin,
        ))
    return out


def create_entities(kinds: Iterable[NodeKind]) -> Statement:
    """CREATE new entities with all their kind labels at once.

    Labels are set at creation because a node's labels cannot be changed more than once per
    transaction on the embedded server. Rendered per combination of kinds (from the enum only);
    the lint test checks every single kind, every pair and the full set.
    """
    ordered = sorted({NodeKind(k).value for k in kinds})
    if not ordered:
        raise ValueError("an entity needs at least one kind")
    labels = ":".join([ENTITY_LABEL, *ordered])
    return Statement(
        "create_entities_" + "_".join(k.lower() for k in ordered),
        f"UNWIND $rows AS row CREATE (n:{labels} {{id: row.id}}) SET n += row.props",
        "graph/cypher.py (rendered from graph/schema.py)",
    )


def schema_setup_statements() -> list[Statement]:
    """Constraints and indexes, created idempotently at connection time."""
    return [s for s in _schema_statements() if s.name.startswith(("constraint_", "index_"))]


def add_kind(kind: NodeKind) -> Statement:
    return statement(f"add_kind_{NodeKind(kind).value.lower()}")


def remove_kind(kind: NodeKind) -> Statement:
    return statement(f"remove_kind_{NodeKind(kind).value.lower()}")


def merge_relationship(rel: RelationshipType) -> Statement:
    return statement(f"merge_relationship_{RelationshipType(rel).value.lower()}")


def create_relationship(rel: RelationshipType) -> Statement:
    return statement(f"create_relationship_{RelationshipType(rel).value.lower()}")


def stored_relationships(rel: RelationshipType) -> Statement:
    """Which of the given relationships of one type are stored (``$rows`` of ``id`` and
    ``from_id``): each start entity is looked up once and only its relationships of that type are
    read (a relationship's id names both ends, so the end needs no lookup of its own)."""
    return statement(f"stored_relationships_{RelationshipType(rel).value.lower()}")


# --- named files ------------------------------------------------------------------------------

def _file_statements() -> list[Statement]:
    out = []
    for folder in STATEMENT_DIRS:
        for path in sorted(folder.glob("*.cypher")):
            name = path.stem
            if not _NAME.match(name):
                raise ValueError(f"{path}: statement names are lowercase snake_case")
            text = path.read_text(encoding="utf-8").strip().rstrip(";")
            if not text:
                raise ValueError(f"{path}: empty statement file")
            out.append(Statement(name, text, str(path.relative_to(ROOT))))
    return out


@cache
def _registry() -> dict[str, Statement]:
    registry: dict[str, Statement] = {}
    for stmt in [*_schema_statements(), *_file_statements()]:
        if stmt.name in registry:
            raise ValueError(f"statement '{stmt.name}' is defined twice: {registry[stmt.name].origin} and {stmt.origin}")
        registry[stmt.name] = stmt
    return registry


def statement(name: str) -> Statement:
    try:
        return _registry()[name]
    except KeyError:
        raise UnknownStatement(f"no Cypher statement named '{name}'") from None


def all_statements() -> list[Statement]:
    return list(_registry().values())
