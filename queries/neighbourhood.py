"""The neighbourhood of one or more entities, as data for a relationship map.

Works on the cached networkx projection (:mod:`queries.projection`), so a map is drawn without
a query per node and runs the same on Neo4j and the embedded store. Relationships that only
record provenance (MENTIONED_IN, DESCRIBES) are never drawn.

>>> # hood = neighbourhood(store, ["vusta"], depth=1, max_nodes=50)
>>> # hood["nodes"][0]["id"], hood["omitted"]  -> ('vusta', 135)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

import networkx as nx

from graph.schema import KINDS, NodeKind, RelationshipType, as_kind, is_kind, known_kinds
from graph.store import GraphStore
from graph.text import best_acronym
from queries.projection import PROVENANCE_TYPES, Projection, Tie, cached, projection

MAX_DEPTH = 3
DEFAULT_MAX_NODES = 30
HARD_MAX_NODES = 400
# Kinds that would connect everything they mention; left off maps unless asked for.
NOT_ON_MAPS = frozenset({NodeKind.DOCUMENT.value, NodeKind.FIGURE.value})
# Kinds whose participants are part of the work on a theme (who takes part in a climate project...).
ACTIVITY_GROUPS = frozenset({"event", "agreement", "project"})
MAP_RELATIONSHIP_TYPES = tuple(t.value for t in RelationshipType if t.value not in PROVENANCE_TYPES)
MAP_KINDS = tuple(k.value for k in NodeKind if k.value not in NOT_ON_MAPS)


_YEARS = re.compile(r"\b(?:19|20)\d{2}(?:\s*[–-]\s*(?:19|20)\d{2})?\b")


class UnknownEntities(LookupError):
    """None of the entities asked for is in the graph."""


@dataclass(frozen=True)
class Filters:
    """Which entities and relationships a map may show."""

    kinds: frozenset[str] | None = None          # None: every kind except documents and figures
    types: frozenset[str] | None = None          # None: every connecting relationship type
    years: tuple[int, int] | None = None         # dated relationships outside are left out
    include_undated: bool = True
    themes: frozenset[str] = frozenset()          # keep only the work on these themes

    def kind_ok(self, kinds: Iterable[str]) -> bool:
        allowed = self.kinds if self.kinds is not None else frozenset(MAP_KINDS)
        return bool(allowed.intersection(kinds))

    def edge_ok(self, tie: Tie) -> bool:
        if tie.type in PROVENANCE_TYPES:
            return False
        if self.types is not None and tie.type not in self.types:
            return False
        year = tie.year
        if self.years is not None:
            if year is None:
                return self.include_undated
            return self.years[0] <= int(year) <= self.years[1]
        return True


def importance(store: GraphStore, include_sample: bool = True) -> dict[str, float]:
    """Degree centrality on the connecting relationships, scaled so the most connected entity is 1;
    without sample data unless ``include_sample``. Cached until the graph changes (networkx
    ``degree_centrality``)."""
    def build() -> dict[str, float]:
        proj = projection(store)
        graph = proj.connections()
        if not include_sample:
            graph = graph.subgraph([n for n in graph.nodes if not _is_sample(proj, n)])
        if graph.number_of_nodes() < 2:
            return {n: 1.0 for n in graph.nodes}
        centrality = nx.degree_centrality(graph)
        top = max(centrality.values()) or 1.0
        return {n: c / top for n, c in centrality.items()}

    return cached(store, "importance" if include_sample else "importance_real", build)


def _is_sample(proj: Projection, entity_id: str) -> bool:
    row = proj.entities.get(entity_id)
    return bool(row and row.sample)


def fit_label(name: str, width: int = 24, lines: int = 2) -> str:
    """A name on at most ``lines`` (1 or 2) lines of about ``width`` characters; a longer name keeps
    its beginning and its end, or the years in it (what tells two similar names apart).

    >>> fit_label("Thỏa thuận phối hợp công tác giữa LHHVN và UBKHCN&MT 2011-2016")
    'Thỏa thuận phối hợp công\\n…LHHVN và UBKHCN&MT 2011-2016'
    >>> fit_label("Thỏa thuận phối hợp công tác giai đoạn 2011 – 2016 giữa Ủy ban Khoa học và Liên hiệp Hội")
    'Thỏa thuận phối hợp công\\ntác giai đoạn 2011 – 2016…'
    >>> fit_label("Thỏa thuận phối hợp công tác giai đoạn 2011 – 2016 giữa Ủy ban Khoa học", lines=1)
    'Thỏa thuận… 2011 – 2016'
    >>> fit_label("Ban Đối ngoại Trung ương Đảng", lines=1)
    'Ban Đối ngoại Trung ương…'
    """
    if len(name) <= width + (4 if lines == 1 else 0):
        return name
    words, first = name.split(), ""
    if lines == 1:
        year = _YEARS.search(name)
        room = width - (len(year.group()) + 2 if year else 0)
        while words and len(f"{first} {words[0]}".strip()) <= max(room, 8):
            first = f"{first} {words.pop(0)}".strip()
        first = first or name[:room]
        if year and year.group() not in first:
            return f"{first}… {year.group()}"
        return f"{first}…"
    while words and len(f"{first} {words[0]}".strip()) <= width:
        first = f"{first} {words.pop(0)}".strip()
    if not first:  # one very long word
        first, words = name[:width], [name[width:]]
    rest = " ".join(words)
    if len(rest) > width + 6:
        year = _YEARS.search(rest)
        if year and year.end() <= width + 8:
            rest = rest[:year.end()] + "…"
        else:
            rest = "…" + rest[-(width + 5):].lstrip()
    return f"{first}\n{rest}" if rest else first


def short_name(proj: Projection, entity_id: str, language: str = "vi") -> str:
    """A label that fits on a map: the acronym of the name if there is one, else the name (English
    name in English) on two lines."""
    row = proj.entities.get(entity_id)
    if row is None:
        return entity_id
    return map_label(row.name, row.name_en, row.aliases, language)


def map_label(name: str, name_en: str | None, aliases: Iterable[str], language: str = "vi", lines: int = 2) -> str:
    """The label of an entity on a map: its acronym, else its name fitted on ``lines`` lines."""
    shown = name_en if language == "en" and name_en else name
    acronym = best_acronym(aliases, shown)
    return acronym if acronym else fit_label(shown, width=28 if lines == 1 else 24, lines=lines)


def sub_themes(proj: Projection, themes: Iterable[str]) -> set[str]:
    """The themes and every theme that is PART_OF one of them, however deep."""
    found: set[str] = set()
    todo = [t for t in themes if t in proj.entities]
    while todo:
        theme = todo.pop()
        if theme in found:
            continue
        found.add(theme)
        for narrower in proj.neighbours(theme):
            if NodeKind.THEME.value in proj.kinds(narrower) and any(
                    tie.type == RelationshipType.PART_OF.value and tie.target == theme
                    for tie in proj.ties(narrower, theme)):
                todo.append(narrower)
    return found


def _theme_work(proj: Projection, themes: frozenset[str]) -> set[str]:
    """The themes (with their sub-themes), what focuses on them, and who takes part in those
    activities; other themes are left out."""
    graph = proj.connections()
    area = sub_themes(proj, themes)
    work: set[str] = set(area)
    for theme in area:
        if theme not in graph:
            continue
        for neighbour in graph[theme]:
            if NodeKind.THEME.value in proj.kinds(neighbour):
                continue
            work.add(neighbour)
            groups = {KINDS[k].group for k in known_kinds(proj.kinds(neighbour))}
            if groups & ACTIVITY_GROUPS:  # its participants, but not the other themes it touches
                work.update(n for n in graph[neighbour] if NodeKind.THEME.value not in proj.kinds(n))
    return work


def _edges_between(proj: Projection, a: str, b: str, filters: Filters) -> list[dict[str, Any]]:
    return [{"from": tie.source, "to": tie.target, "type": tie.type, "year": tie.year}
            for tie in proj.ties(a, b) if filters.edge_ok(tie)]


def _neighbours(proj: Projection, node: str) -> set[str]:
    return set(proj.neighbours(node))


def _node(proj: Projection, entity_id: str, weight: dict[str, float], distance: int, seeds: set[str]) -> dict[str, Any]:
    row = proj.entities[entity_id]
    kinds = list(row.kinds)
    main = _main_kind(proj, entity_id)
    return {
        "id": entity_id,
        "name": row.name,
        "name_en": row.name_en,
        "label": short_name(proj, entity_id),
        "label_en": short_name(proj, entity_id, "en"),
        "aliases": row.aliases,
        "kinds": kinds,
        "kind": main,
        "colour": KINDS[as_kind(main)].colour if is_kind(main) else "#94a3b8",
        "importance": round(weight.get(entity_id, 0.0), 4),
        "distance": distance,
        "seed": entity_id in seeds,
        "sample": row.sample,
    }


def _main_kind(proj: Projection, entity_id: str) -> str:
    kinds = proj.kinds(entity_id)
    return next((k for k in kinds if is_kind(k)), kinds[0] if kinds else "")


def _keep(proj: Projection, seeds: list[str], distance: dict[str, int], weight: dict[str, float],
          max_nodes: int) -> list[str]:
    """The entities a map keeps: the seeds, then the nearest first; among entities at the same
    distance, kinds take turns (most important first within each kind), so a hub's map shows its
    partners, events and agreements rather than only the most connected kind."""
    order = list(seeds)
    by_distance: dict[int, dict[str, list[str]]] = {}
    for node, steps in distance.items():
        if node not in seeds:
            by_distance.setdefault(steps, {}).setdefault(_main_kind(proj, node), []).append(node)
    for steps in sorted(by_distance):
        buckets = [sorted(nodes, key=lambda n: (-weight.get(n, 0.0), proj.entities[n].name))
                   for nodes in by_distance[steps].values()]
        buckets.sort(key=lambda nodes: (-weight.get(nodes[0], 0.0), proj.entities[nodes[0]].name))
        for turn in range(max(len(b) for b in buckets)):
            order.extend(b[turn] for b in buckets if turn < len(b))
    return order[:max(max_nodes, len(seeds))]


def neighbourhood(store: GraphStore, ids: list[str], depth: int = 1, kinds: Iterable[str] | None = None,
                  types: Iterable[str] | None = None, years: tuple[int, int] | None = None,
                  max_nodes: int = DEFAULT_MAX_NODES, themes: Iterable[str] | None = None,
                  include_undated: bool = True, include_sample: bool = True) -> dict[str, Any]:
    """The entities within ``depth`` (1–3) steps of ``ids`` and the relationships between them.

    ``kinds``/``types`` keep only those entity kinds / relationship types; ``years`` (from, to)
    keeps dated relationships of those years (and undated ones when ``include_undated``);
    ``themes`` keeps only the work on those themes (what focuses on them and who takes part); the
    themes are drawn, but the map spreads from the other entities, not through the themes.
    When more than ``max_nodes`` entities are reached, the nearest are kept, kinds taking turns and
    the most important of each kind first, and ``omitted`` says how many were left out. Without ``include_sample``, entities marked as
    sample data are left out (unless asked for by id) and ``sample_hidden`` says how many.

    Returns ``{"seeds", "nodes", "edges", "total", "omitted", "sample_hidden", "depth", "unknown"}``; each node has
    ``id, name, name_en, label, label_en, kinds, kind, colour, importance (0–1), distance, seed, sample``; each
    edge ``from, to, type, year``.
    """
    proj = projection(store)
    depth = max(1, min(int(depth), MAX_DEPTH))
    max_nodes = max(1, min(int(max_nodes), HARD_MAX_NODES))
    theme_ids = frozenset(t for t in (themes or []) if t in proj.entities)
    filters = Filters(
        kinds=frozenset(kinds) if kinds is not None else None,
        types=frozenset(types) if types is not None else None,
        years=(min(years), max(years)) if years else None,
        include_undated=include_undated,
        themes=theme_ids,
    )
    unknown = [i for i in ids if i not in proj.entities]
    seeds = list(dict.fromkeys([i for i in ids if i in proj.entities] + sorted(theme_ids)))
    if not seeds:
        raise UnknownEntities(f"None of {', '.join(map(repr, ids)) or 'the entities'} is in the graph.")
    seed_set = set(seeds)
    allowed_area = _theme_work(proj, theme_ids) | seed_set if theme_ids else None

    sample_hidden: set[str] = set()

    def node_ok(node: str) -> bool:
        if node in seed_set:
            return True
        if allowed_area is not None and node not in allowed_area:
            return False
        if not filters.kind_ok(proj.kinds(node)):
            return False
        if not include_sample and _is_sample(proj, node):
            sample_hidden.add(node)
            return False
        return True

    distance = {s: 0 for s in seeds}
    # A theme chosen as a filter is drawn, but the map does not spread through it: "who are we
    # connected to in climate work" is not "everyone who works on climate". Alone, it is the start.
    frontier = [s for s in seeds if s not in theme_ids] or list(seeds)
    for step in range(1, depth + 1):
        nxt = []
        for node in frontier:
            for neighbour in sorted(_neighbours(proj, node)):
                if neighbour in distance or not node_ok(neighbour):
                    continue
                if _edges_between(proj, node, neighbour, filters):
                    distance[neighbour] = step
                    nxt.append(neighbour)
        frontier = nxt
    weight = importance(store, include_sample)
    total = len(distance)
    kept = _keep(proj, seeds, distance, weight, max_nodes)
    kept_set = set(kept)
    edges = []
    for node in kept:
        for neighbour in _neighbours(proj, node):
            if neighbour in kept_set and node < neighbour:
                edges.extend(_edges_between(proj, node, neighbour, filters))
    edges.sort(key=lambda e: (e["from"], e["to"], e["type"]))
    return {
        "seeds": seeds,
        "nodes": [_node(proj, n, weight, distance[n], seed_set) for n in kept],
        "edges": edges,
        "total": total,
        "omitted": total - len(kept),
        "sample_hidden": len(sample_hidden),
        "depth": depth,
        "unknown": unknown,
    }


def path_network(store: GraphStore, found: dict[str, Any]) -> dict[str, Any]:
    """The entities and relationships of the paths :func:`queries.paths.find_paths` found, in the
    same shape as :func:`neighbourhood` (the two ends are the seeds)."""
    proj = projection(store)
    weight = importance(store)
    seeds = {found["from"]["id"], found["to"]["id"]}
    order: dict[str, int] = {}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for path in found["paths"]:
        for position, node in enumerate(path["nodes"]):
            order.setdefault(node["id"], position)
        for rel in path["relationships"]:
            tie = next((t for t in proj.ties(rel["from"], rel["to"])
                        if (t.source, t.type, t.target) == (rel["from"], rel["type"], rel["to"])), None)
            edges[(rel["from"], rel["to"], rel["type"])] = {
                "from": rel["from"], "to": rel["to"], "type": rel["type"], "year": tie.year if tie else None}
    nodes = [_node(proj, n, weight, d, seeds) for n, d in order.items() if n in proj.entities]
    return {"seeds": sorted(seeds), "nodes": nodes, "edges": list(edges.values()), "total": len(nodes),
            "omitted": 0, "sample_hidden": 0, "depth": max((p["length"] for p in found["paths"]), default=0),
            "unknown": []}


def entity_choices(store: GraphStore, kinds: Iterable[str] | None = None,
                   leave_out: Iterable[str] = NOT_ON_MAPS) -> list[dict[str, Any]]:
    """Entities to pick from: ``[{"id", "name", "label", "kinds", "connections"}]``, most connected first.
    Made once per graph version and choice of kinds, from one list of every entity made once (the
    lists are shared: read them, do not change them)."""
    wanted = sorted(set(kinds)) if kinds is not None else None
    skip = sorted(set(leave_out))
    name = f"entity_choices|{','.join(wanted) if wanted is not None else '*'}|{','.join(skip)}"

    def chosen() -> list[dict[str, Any]]:
        every = cached(store, "entity_choices|every", lambda: _entity_choices(store))
        if wanted is not None:
            asked = set(wanted)
            return [c for c in every if not asked.isdisjoint(c["kinds"])]
        left_out = set(skip)
        return [c for c in every if left_out.isdisjoint(c["kinds"])] if left_out else every

    return cached(store, name, chosen)


def _entity_choices(store: GraphStore) -> list[dict[str, Any]]:
    proj = projection(store)
    graph = proj.connections()
    out = []
    for entity_id, row in proj.entities.items():
        acronym = best_acronym([a for a in row.aliases if a != row.name], row.name)
        label = f"{row.name} ({acronym})" if acronym else row.name
        out.append({"id": entity_id, "name": row.name, "name_en": row.name_en, "label": label, "kinds": row.kinds,
                    "connections": graph.degree(entity_id) if entity_id in graph else 0, "sample": row.sample})
    out.sort(key=lambda r: (-r["connections"], r["name"]))
    return out


def year_range(store: GraphStore) -> tuple[int, int] | None:
    """The first and last year of the dated connecting relationships, or None."""
    def build() -> tuple[int, int] | None:
        years = [int(tie.year) for tie in projection(store).all_ties() if tie.year is not None]
        return (min(years), max(years)) if years else None

    return cached(store, "year_range", build)
