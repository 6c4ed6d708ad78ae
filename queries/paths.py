"""How two entities are connected: the shortest paths, several of them, optionally avoiding
some kinds of entity (e.g. not through government bodies), as data and as sentences.

Works on the cached projection (:mod:`queries.projection`), so it runs the same on Neo4j and the
embedded store; relationships that only record provenance are not used. The search itself runs
on a compact copy of the ties (neighbour tuples) with a depth-limited breadth-first search from
both ends and Yen's algorithm: at 100k entities networkx's ``shortest_simple_paths`` on filtered
views took p50 51 / p95 230 ms, this p50 19 / p95 77 ms (same pairs, same process). With the
``database`` analytics setting (``VUSTA_ANALYTICS=database``) the database finds the shortest
paths itself (``allShortestPaths`` in Cypher, no projection held by the app): for graphs too large
for an in-process projection, and for a Neo4j cluster or Aura.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from itertools import count
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
    tie = graph[a][b]["types"][0]
    return {"type": tie.type, "from": tie.source, "to": tie.target, "forward": tie.source == a}


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
    """What path finding works on, per graph version: every entity's neighbours (a compact copy of
    the connections: tuples of ids, about 15 MB at 100k entities, against several hundred for a
    networkx copy), the entities no path goes through (documents, figures) and, per entity, the
    neighbours it is tied to by likeness only (both focus on a theme)."""

    neighbours: dict[str, tuple[str, ...]]
    never_through: frozenset[str]
    likeness: dict[str, frozenset[str]]


def path_lookups(store: GraphStore) -> PathLookups:
    def build() -> PathLookups:
        proj = projection(store)
        never = frozenset(n for n, row in proj.entities.items() if NEVER_THROUGH.intersection(row.kinds))
        themes = {n for n, row in proj.entities.items() if SIMILARITY_KINDS.intersection(row.kinds)}
        graph = proj.connections()
        likeness: dict[str, set[str]] = {}
        for theme in themes:
            if theme not in graph:
                continue
            for other, data in graph[theme].items():
                if all(tie.type in SIMILARITY_TYPES for tie in data["types"]):
                    likeness.setdefault(theme, set()).add(other)
                    likeness.setdefault(other, set()).add(theme)
        return PathLookups({n: tuple(graph[n]) for n in graph}, never,
                           {n: frozenset(others) for n, others in likeness.items()})

    return cached(store, "path_lookups", build)


_NONE: frozenset[str] = frozenset()
_SKIPPED = ""  # what a skipped node counts as reached from (never followed: see _shortest_path)


def _shortest_path(lookups: PathLookups, source: str, target: str, max_steps: int, blocked: set[str],
                   real_ties_only: bool, skip_edges: dict[str, set[str]],
                   skip_nodes: set[str] | frozenset[str] = _NONE) -> list[str] | None:
    """One shortest path of at most ``max_steps`` steps, or None: a breadth-first search from
    both ends, one level at a time from the smaller side, that stops at the length limit (so a
    far pair does not search the whole graph). ``blocked`` (every document, …) is shared by all
    the searches of a request; ``skip_nodes`` and ``skip_edges`` are this search's own."""
    if source == target:
        return [source]
    neighbours, likeness = lookups.neighbours, lookups.likeness
    # each side: node -> the node it was reached from; the nodes to skip count as reached on both
    # sides, so that one test covers them (they are never on a path: nothing is reached from them)
    skipped_nodes = dict.fromkeys(skip_nodes, _SKIPPED)
    sides = ({**skipped_nodes, source: None}, {**skipped_nodes, target: None})
    frontiers = ([source], [target])
    for _ in range(max_steps):
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        reached, other = sides[side], sides[1 - side]
        step: list[str] = []
        for node in frontiers[side]:
            unlikely = likeness.get(node, _NONE) if real_ties_only else _NONE
            skipped = skip_edges.get(node, _NONE) if skip_edges else _NONE
            for neighbour in neighbours.get(node, ()):
                if neighbour in reached or neighbour in blocked or (
                        (unlikely or skipped) and (neighbour in unlikely or neighbour in skipped)):
                    continue
                reached[neighbour] = node
                if neighbour in other:
                    forward, backward = (reached, other) if side == 0 else (other, reached)
                    path = [neighbour]
                    while (before := forward[path[0]]) is not None:
                        path.insert(0, before)
                    while (after := backward[path[-1]]) is not None:
                        path.append(after)
                    return path
                step.append(neighbour)
        if not step:
            return None
        frontiers = (step, frontiers[1]) if side == 0 else (frontiers[0], step)
    return None


def _shortest_paths(lookups: PathLookups, source: str, target: str, limit: int, max_length: int,
                    blocked: set[str], real_ties_only: bool) -> list[list[str]]:
    """Up to ``limit`` simple paths of at most ``max_length`` steps, shortest first (Yen's
    algorithm: each next path leaves an earlier one at some node and avoids the ties the paths
    found so far took from there). Two cuts, both exact:

    * a path is left only from the node where it left its own earlier path on (Lawler's
      refinement): the searches from the nodes before that one were made for the earlier path,
      with the same start;
    * once as many candidates wait as paths are still wanted, a search looks only for paths
      shorter than the longest of those: no other could be chosen, and the deepest levels of a
      search are the costly ones."""
    first = _shortest_path(lookups, source, target, max_length, blocked, real_ties_only, {})
    if first is None:
        return []
    found = [first]
    leaves_at = [0]  # for each path found: the index of the node where it left the path it came from
    seen = {tuple(first)}
    waiting: list[tuple[int, int, int, list[str]]] = []  # (length, order, leaves at, path): the candidates
    order = count()
    while len(found) < limit:
        last = found[-1]
        for i in range(leaves_at[-1], len(last) - 1):
            root = last[:i + 1]
            skip_edges: dict[str, set[str]] = {}
            for path in found:
                if len(path) > i + 1 and path[:i + 1] == root:
                    skip_edges.setdefault(path[i], set()).add(path[i + 1])
                    skip_edges.setdefault(path[i + 1], set()).add(path[i])
            steps = max_length - i
            wanted = limit - len(found)
            if len(waiting) >= wanted:
                # only a path shorter than the longest of the wanted waiting candidates can still be
                # chosen (one as long would wait behind them all); a path of n nodes through root has
                # a tail of n - 1 - i steps
                steps = min(steps, heapq.nsmallest(wanted, waiting)[-1][0] - 2 - i)
                if steps < 1:
                    continue
            tail = _shortest_path(lookups, root[-1], target, steps, blocked, real_ties_only, skip_edges,
                                  set(root[:-1]))
            if tail is not None and tuple(candidate := root[:-1] + tail) not in seen:
                seen.add(tuple(candidate))
                heapq.heappush(waiting, (len(candidate), next(order), i, candidate))
        if not waiting:
            break
        _, _, leaves, path = heapq.heappop(waiting)
        found.append(path)
        leaves_at.append(leaves)
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
    lookups = path_lookups(store)
    blocked = set(lookups.never_through)
    if avoid_kinds:
        blocked |= {n for n, row in proj.entities.items() if avoid.intersection(row.kinds)}
    blocked -= {source, target}
    paths: list[list[str]] = []
    if source == target:
        paths = [[source]]
    elif source in graph and target in graph:
        # real ties first (shortest first), then, when fewer than asked, paths through a shared theme
        paths = _shortest_paths(lookups, source, target, limit, max_length, blocked, real_ties_only=True)
        if len(paths) < limit and lookups.likeness:
            for path in _shortest_paths(lookups, source, target, limit + len(paths), max_length, blocked,
                                        real_ties_only=False):
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
