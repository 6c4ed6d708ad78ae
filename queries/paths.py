"""How two entities are connected: the shortest paths, several of them, optionally avoiding
some kinds of entity (e.g. not through government bodies), as data and as sentences.

Works on the cached networkx projection (:mod:`queries.projection`), so it runs the same on
Neo4j and the embedded store; relationships that only record provenance are not used. With the
``database`` analytics setting (``VUSTA_ANALYTICS=database``) the database finds the shortest
paths itself (``allShortestPaths`` in Cypher, no projection held by the app): for graphs too large
for an in-process projection, and for a Neo4j cluster or Aura.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.privacy import PRIVATE, masked_name
from graph.schema import KindGroup, NodeKind, RelationshipType, kinds_in, relationship_verb
from graph.store import GraphStore
from queries.profile import not_found_entity
from queries.projection import PROVENANCE_TYPES, NameRow, Projection, cached, projection
from queries.search import resolve

# Source documents and figures connect everything they mention; a path through them says nothing.
NEVER_THROUGH = kinds_in(KindGroup.SOURCES)
# "Both focus on the same theme" is likeness, not acquaintance: paths through such hops come after
# every path of real ties, and they are marked as similarity.
SIMILARITY_TYPES = frozenset({RelationshipType.FOCUSES_ON.value})
SIMILARITY_KINDS = frozenset({NodeKind.THEME.value})


def _name(proj: Projection, entity_id: str) -> str:
    row = proj.entities.get(entity_id)
    return row.name if row else entity_id


def _short_name(proj: Projection, entity_id: str) -> str:
    """The shortest all-caps alias (an acronym) if there is one, else the name."""
    row = proj.entities.get(entity_id)
    if not row:
        return entity_id
    acronyms = [a for a in row.aliases if a.isupper() and 2 <= len(a) <= 12 and " " not in a]
    if not acronyms:
        return row.name
    # the English acronym first (VUSTA rather than LHHVN): the initials of the English name
    english = "".join(w[0] for w in (row.name_en or "").split() if len(w) > 3 or w[:1].isupper()).upper()
    return min(acronyms, key=lambda a: (a not in english, len(a), a))


def _step(proj: Projection, graph: nx.Graph, a: str, b: str) -> dict[str, Any]:
    source, rel_type, target = graph[a][b]["types"][0]
    return {"type": rel_type, "from": source, "to": target, "forward": source == a}


def describe_path(proj: Projection, graph: nx.Graph, nodes: list[str], language: str = "vi",
                  steps: list[dict[str, Any]] | None = None) -> str:
    """'VUSTA — là thành viên của → AFEO ← … — …' with the relationship read in its direction."""
    parts = [_short_name(proj, nodes[0])]
    for index, (a, b) in enumerate(zip(nodes, nodes[1:])):
        step = steps[index] if steps is not None else _step(proj, graph, a, b)
        verb = relationship_verb(step["type"], language)
        parts.append(f" — {verb} → " if step["forward"] else f" ← {verb} — ")
        parts.append(_short_name(proj, b))
    return "".join(parts)


@dataclass(frozen=True)
class PathLookups:
    """What path finding needs beyond the graph, per graph version: the entities no path goes
    through (documents, figures) and the ties that are likeness only (both focus on a theme),
    each as an ordered pair of ids."""

    never_through: frozenset[str]
    similarity_edges: frozenset[tuple[str, str]]


def _path_lookups(store: GraphStore) -> PathLookups:
    def build() -> PathLookups:
        proj = projection(store)
        never = frozenset(n for n, row in proj.entities.items() if NEVER_THROUGH.intersection(row.kinds))
        themes = {n for n, row in proj.entities.items() if SIMILARITY_KINDS.intersection(row.kinds)}
        graph = proj.connections()
        similar = set()
        for theme in themes:
            if theme not in graph:
                continue
            for other, data in graph[theme].items():
                if all(t in SIMILARITY_TYPES for _, t, _ in data["types"]):
                    similar.add((theme, other) if theme < other else (other, theme))
        return PathLookups(never, frozenset(similar))

    return cached(store, "path_lookups", build)


def _shortest_paths(graph: nx.Graph, source: str, target: str, limit: int, max_length: int) -> list[list[str]]:
    """Up to ``limit`` simple paths of at most ``max_length`` steps, shortest first (Yen's
    algorithm on breadth-first searches that start from both ends)."""
    found: list[list[str]] = []
    try:
        for path in nx.shortest_simple_paths(graph, source, target):
            if len(path) - 1 > max_length or len(found) >= limit:
                break
            found.append(path)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        pass
    return found


def find_paths(store: GraphStore, a: str, b: str, *, limit: int = 3, max_length: int = 6,
               avoid_kinds: list[str] | None = None) -> dict[str, Any]:
    """``{"from", "to", "paths": [{"length", "similarity", "nodes", "relationships", "sentence_vi", "sentence_en"}]}``.

    A path through a theme both ends merely focus on is ``similarity`` (likeness, not a tie) and comes
    after every path of real ties."""
    source, target = resolve(store, a), resolve(store, b)
    for asked, found in ((a, source), (b, target)):
        if found is None:
            raise not_found_entity(asked)
    assert source is not None and target is not None
    avoid = set(avoid_kinds or []) | NEVER_THROUGH
    if getattr(store.settings, "analytics", "app") == "database":
        return _paths_in_database(store, source, target, limit=limit, avoid=avoid, avoid_kinds=avoid_kinds)
    proj = projection(store)
    graph = proj.connections()
    lookups = _path_lookups(store)
    blocked = set(lookups.never_through)
    if avoid_kinds:
        blocked |= {n for n, row in proj.entities.items() if avoid.intersection(row.kinds)}
    blocked -= {source, target}
    paths: list[list[str]] = []
    if source == target:
        paths = [[source]]
    elif source in graph and target in graph:
        # real ties first (shortest first), then, when fewer than asked, paths through a shared theme
        similar = lookups.similarity_edges
        real_ties = nx.subgraph_view(graph, filter_node=lambda n: n not in blocked,
                                     filter_edge=lambda x, y: ((x, y) if x < y else (y, x)) not in similar)
        paths = _shortest_paths(real_ties, source, target, limit, max_length)
        if len(paths) < limit and similar:
            with_likeness = nx.subgraph_view(graph, filter_node=lambda n: n not in blocked)
            for path in _shortest_paths(with_likeness, source, target, limit + len(paths), max_length):
                if path not in paths:
                    paths.append(path)
                if len(paths) >= limit:
                    break
    out: list[dict[str, Any]] = []
    for nodes in paths:
        steps = [_step(proj, graph, x, y) for x, y in zip(nodes, nodes[1:])]
        similar = any(SIMILARITY_KINDS.intersection(proj.kinds(n)) for n in nodes[1:-1]) and any(
            s["type"] in SIMILARITY_TYPES for s in steps)
        out.append({
            "length": len(nodes) - 1,
            "similarity": bool(similar),
            "nodes": [{"id": n, "name": _name(proj, n), "kinds": proj.kinds(n)} for n in nodes],
            "relationships": [{"type": s["type"], "from": s["from"], "to": s["to"]} for s in steps],
            "sentence_vi": describe_path(proj, graph, nodes, "vi"),
            "sentence_en": describe_path(proj, graph, nodes, "en"),
        })
    out.sort(key=lambda path: path["similarity"])  # stable: likeness never before a real tie
    return {
        "from": {"id": source, "name": _name(proj, source)},
        "to": {"id": target, "name": _name(proj, target)},
        "avoided_kinds": sorted(set(avoid_kinds or [])),
        "paths": out,
    }


def _paths_in_database(store: GraphStore, source: str, target: str, *, limit: int, avoid: set[str],
                       avoid_kinds: list[str] | None) -> dict[str, Any]:
    """The ``database`` analytics mode: the shortest paths (all of the shortest length, at most
    ``limit``) found by the store, named from what it returns (private people masked)."""
    rows = [] if source == target else store.read("shortest_paths", from_id=source, to_id=target,
                                                     skip_types=sorted(str(t) for t in PROVENANCE_TYPES), avoid=sorted(str(k) for k in avoid),
                                                     limit=limit)
    local = Projection()
    found: list[tuple[list[str], list[dict[str, Any]]]] = []
    for row in rows:
        ids = []
        for node in row["nodes"]:
            private = node.get("visibility") == PRIVATE
            local.entities[node["id"]] = NameRow(
                id=node["id"], name=masked_name(node["id"]) if private else (node["name"] or node["id"]),
                name_en=None if private else node.get("name_en"), aliases=[] if private else node.get("aliases") or [],
                kinds=node.get("kinds") or [], sample=False)
            ids.append(node["id"])
        steps = []
        for a, rel in zip(ids, row["rels"]):
            steps.append({"type": rel["type"], "from": rel["from"], "to": rel["to"], "forward": rel["from"] == a})
        found.append((ids, steps))
    if source == target:
        found = [([source], [])]
        if source not in local.entities:
            local.entities[source] = NameRow(id=source, name=source, name_en=None, aliases=[], kinds=[], sample=False)
    out = []
    for ids, steps in found:
        out.append({
            "length": len(ids) - 1,
            "nodes": [{"id": n, "name": _name(local, n), "kinds": local.kinds(n)} for n in ids],
            "relationships": [{"type": s["type"], "from": s["from"], "to": s["to"]} for s in steps],
            "sentence_vi": describe_path(local, nx.Graph(), ids, "vi", steps),
            "sentence_en": describe_path(local, nx.Graph(), ids, "en", steps),
        })
    ends = {}
    for end in (source, target):
        ends[end] = local.entities[end].name if end in local.entities else end
    return {
        "from": {"id": source, "name": ends[source]},
        "to": {"id": target, "name": ends[target]},
        "avoided_kinds": sorted(set(avoid_kinds or [])),
        "paths": out,
        "computed_by": "database",
    }
