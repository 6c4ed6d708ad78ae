"""Data-quality warnings: facts without a source, likely duplicates and isolated entities."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.schema import NodeKind
from graph.store import GraphStore
from graph.text import fold
from queries.projection import cached, projection

LIMIT = 500
# Documents and figures are connected through provenance only; being "isolated" is normal for them.
NOT_EXPECTED_CONNECTED = frozenset({NodeKind.DOCUMENT.value, NodeKind.FIGURE.value})


def likely_duplicates(store: GraphStore) -> list[dict[str, Any]]:
    """Groups of different entities whose names fold to the same key (``Hội Luật gia`` = ``hoi luat gia``):
    ``[{"key", "entities": [{"id", "name", "kinds"}]}]``."""
    proj = projection(store)
    groups: dict[str, list[str]] = defaultdict(list)
    for entity_id, row in proj.entities.items():
        if NodeKind.FIGURE.value in row.kinds:
            continue
        key = fold(row.name)
        if key:
            groups[key].append(entity_id)
    out = []
    for key, ids in sorted(groups.items()):
        if len(ids) > 1:
            out.append({"key": key, "entities": [
                {"id": i, "name": proj.entities[i].name, "kinds": proj.entities[i].kinds} for i in sorted(ids)]})
    return out


def isolated_entities(store: GraphStore) -> list[dict[str, Any]]:
    """Entities with no connecting relationship (provenance does not count), documents and figures aside."""
    proj = projection(store)
    graph = proj.connections()
    out = []
    for entity_id, row in sorted(proj.entities.items(), key=lambda kv: kv[1].name):
        if NOT_EXPECTED_CONNECTED.intersection(row.kinds):
            continue
        if entity_id not in graph or graph.degree(entity_id) == 0:
            out.append({"id": entity_id, "name": row.name, "kinds": row.kinds, "sample": row.sample})
    return out


def quality_warnings(store: GraphStore, limit: int = LIMIT) -> dict[str, list[dict[str, Any]]]:
    """``{"entities_without_source", "relationships_without_source", "likely_duplicates", "isolated"}``,
    found once per graph version (each scans the whole graph)."""
    def build() -> dict[str, list[dict[str, Any]]]:
        return {
            "entities_without_source": [dict(r) for r in store.read("entities_without_source", limit=limit)],
            "relationships_without_source": [dict(r) for r in store.read("relationships_without_source", limit=limit)],
            "likely_duplicates": likely_duplicates(store)[:limit],
            "isolated": isolated_entities(store)[:limit],
        }

    return cached(store, f"quality_warnings|{limit}", build)
