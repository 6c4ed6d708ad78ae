"""How two entities are connected: the shortest paths, several of them, optionally avoiding
some kinds of entity (e.g. not through government bodies), as data and as sentences.

Works on the cached networkx projection (:mod:`queries.projection`), so it runs the same on
Neo4j and the embedded store; relationships that only record provenance are not used. With the
``database`` analytics setting (``VUSTA_ANALYTICS=database``) the database finds the shortest
paths itself (``allShortestPaths`` in Cypher, no projection held by the app): for graphs too large
for an in-process projection, and for a Neo4j cluster or Aura.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

import networkx as nx

from graph.privacy import PRIVATE, masked_name
from graph.schema import KindGroup, NodeKind, RelationshipType, kinds_in, relationship_verb
from graph.store import GraphStore
from queries.profile import NotFound, not_found_entity
from queries.projection import PROVENANCE_TYPES, NameRow, Projection, projection
from queries.search import resolve

# Source documents and figures connect everything they mention; a path through them says nothing.
NEVER_THROUGH = kinds_in(KindGroup.SOURCES)
# "Both focus on the same theme" is likeness, not acquaintance: such hops cost this much more, so the
# paths through them come after the real ties, and they are marked as similarity.
SIMILARITY_TYPES = frozenset({RelationshipType.FOCUSES_ON.value})
SIMILARITY_KINDS = frozenset({NodeKind.THEME.value})
SIMILARITY_COST = 10.0


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
    # a lazy view (only the nodes a search reaches are checked), not a subgraph of every node
    view = nx.subgraph_view(graph, filter_node=lambda n: n in (source, target)
                            or not avoid.intersection(proj.kinds(n)))
    paths: list[list[str]] = []
    if source == target:
        paths = [[source]]
    elif source in view and target in view and nx.has_path(view, source, target):
        def cost(x: str, y: str, data: dict[str, Any]) -> float:
            through_theme = SIMILARITY_KINDS.intersection(proj.kinds(x)) or SIMILARITY_KINDS.intersection(proj.kinds(y))
            similar = all(t in SIMILARITY_TYPES for _, t, _ in data["types"]) and through_theme
            return SIMILARITY_COST if similar else 1.0

        # Yen's algorithm on the costs: real ties first; paths longer than asked are skipped
        for path in islice(nx.shortest_simple_paths(view, source, target, weight=cost), limit * 20):
            if len(path) - 1 <= max_length:
                paths.append(path)
            if len(paths) >= limit:
                break
    out = []
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
