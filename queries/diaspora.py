"""The diaspora network: overseas Vietnamese intellectuals — where they are, what they know,
whom they are tied to, and who could help or introduce.

Personal data rules (see graph/privacy.py): contact details only with consent; people whose
``visibility`` is ``private`` appear in counts and analyses but never by name.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import networkx as nx

from graph.privacy import CONTACT_PROPERTIES, is_anonymous, has_consent, masked_name
from graph.schema import HOME_ID, KindGroup, NodeKind, kinds_in
from graph.store import GraphStore
from graph.text import fold
from queries.profile import NotFound
from queries.projection import cached, projection
from queries.search import SearchError, search

HOME_KINDS = kinds_in(KindGroup.VUSTA_SYSTEM)
# Approximate centres of the countries of residence, for the map (no tiles needed).
COUNTRY_CENTRES: dict[str, tuple[float, float]] = {
    "Hoa Kỳ": (39.8, -98.6), "Pháp": (46.6, 2.4), "Úc": (-25.3, 133.8), "Đức": (51.2, 10.4),
    "Nhật Bản": (36.2, 138.3), "Canada": (56.1, -106.3), "Anh": (54.0, -2.0), "Hàn Quốc": (36.5, 127.9),
    "Singapore": (1.35, 103.8), "Nga": (61.5, 105.3), "Cộng hòa Séc": (49.8, 15.5), "Đài Loan": (23.7, 121.0),
    "Hà Lan": (52.1, 5.3), "Thụy Điển": (60.1, 18.6), "Thụy Sĩ": (46.8, 8.2), "Bỉ": (50.5, 4.5),
    "Việt Nam": (14.1, 108.3),
}


def _display_name(row: dict[str, Any]) -> str:
    if is_anonymous(row.get("visibility")):
        return masked_name(row["id"])
    return row.get("name") or row["id"]


def public_person(row: dict[str, Any]) -> dict[str, Any]:
    """A person as the CLI and the app may show them: no contact details without consent,
    no name when private."""
    out = {k: v for k, v in row.items() if k not in CONTACT_PROPERTIES}
    out["name"] = _display_name(row)
    if has_consent(row) and not is_anonymous(row.get("visibility")):  # an address would name a private person
        out["contact"] = {k: row[k] for k in CONTACT_PROPERTIES if row.get(k)}
    return out


def overseas_people(store: GraphStore) -> list[dict[str, Any]]:
    """Every overseas intellectual (raw rows, with contact details: internal use only)."""
    return cached(store, "overseas_people", lambda: store.read("overseas_people"))


def by_country(store: GraphStore) -> list[dict[str, Any]]:
    counts = Counter(row["country"] or "?" for row in overseas_people(store))
    out = []
    for country, count in counts.most_common():
        lat, lon = COUNTRY_CENTRES.get(country, (None, None))
        out.append({"country": country, "people": count, "lat": lat, "lon": lon})
    return out


def by_field(store: GraphStore) -> list[dict[str, Any]]:
    proj = projection(store)
    counts: Counter[str] = Counter()
    for row in overseas_people(store):
        for field in row["expertise"] or []:
            counts[field] += 1
    return [{"field": field, "name": proj.entities[field].name if field in proj.entities else field,
             "name_en": proj.entities[field].name_en if field in proj.entities else field, "people": count}
            for field, count in counts.most_common()]


def resolve_themes(store: GraphStore, theme: str) -> list[str]:
    """Theme ids for a theme given as id, name, alias or keyword (any language, any accents)."""
    proj = projection(store)
    if theme in proj.entities and NodeKind.THEME in proj.entities[theme].kinds:
        return [theme]
    if any(theme in (row["expertise"] or []) for row in overseas_people(store)):
        return [theme]  # a field id the roster uses, whether or not the theme is in the graph
    try:
        hits = search(store, theme, limit=5, kinds=[NodeKind.THEME])
    except SearchError:
        return []
    if not hits:
        return []
    best = hits[0]["score"]
    return [hit["id"] for hit in hits if hit["score"] >= max(0.75, best - 0.05)]


def diaspora_graph(store: GraphStore) -> nx.Graph:
    """Overseas people, their ties, and the home institutions they reach (themes left out:
    sharing a field is not a tie)."""

    def build() -> nx.Graph:
        proj = projection(store)
        people = {row["id"] for row in overseas_people(store)}
        full = proj.connections()
        graph = nx.Graph()
        for person in people:
            if person not in full:
                continue
            graph.add_node(person)
            for other in full.neighbors(person):
                if NodeKind.THEME in proj.kinds(other):
                    continue
                graph.add_edge(person, other)
        # home institutions among themselves (how associations reach VUSTA)
        home = [n for n in graph.nodes if HOME_KINDS & set(proj.kinds(n))]
        for node in home:
            for other in full.neighbors(node):
                if HOME_KINDS & set(proj.kinds(other)):
                    graph.add_edge(node, other)
        return graph

    return cached(store, "diaspora_graph", build)


def _distances_from_home(store: GraphStore) -> dict[str, int]:
    def build() -> dict[str, int]:
        graph = diaspora_graph(store)
        if HOME_ID not in graph:
            return {}
        return nx.single_source_shortest_path_length(graph, HOME_ID)

    return cached(store, "diaspora_distances", build)


def experts(store: GraphStore, theme: str, country: str | None = None, limit: int = 20) -> dict[str, Any]:
    """Who knows this theme, and how close they are to us: ranked overseas experts."""
    if not theme or not theme.strip():
        raise SearchError("Give a theme, e.g. --theme \"biến đổi khí hậu\".")
    themes = resolve_themes(store, theme)
    if not themes:
        raise NotFound(f"No theme matches {theme!r}. Try `python -m queries search {theme!r} --kind Theme`.",
                       vi=f"Không có chủ đề nào khớp với {theme!r}.", asked=theme)
    distances = _distances_from_home(store)
    graph = diaspora_graph(store)
    wanted_country = fold(country) if country else None
    ranked = []
    for row in overseas_people(store):
        expertise = row["expertise"] or []
        matched = [t for t in themes if t in expertise]
        if not matched:
            continue
        if wanted_country and fold(row["country"] or "") != wanted_country:
            continue
        primary = expertise.index(matched[0]) == 0
        fit = 1.0 if primary else 0.7
        distance = distances.get(row["id"])
        closeness = 1.0 / distance if distance else 0.0
        ties = graph.degree(row["id"]) if row["id"] in graph else 0
        score = 0.55 * fit + 0.35 * closeness + 0.10 * min(ties / 5.0, 1.0)
        person = public_person(row)
        person.update({"score": round(score, 3), "components": {"expertise_fit": fit, "closeness": round(closeness, 3),
                                                                "ties": ties},
                       "distance_to_vusta": distance, "matched_themes": matched})
        ranked.append(person)
    ranked.sort(key=lambda p: (-p["score"], p["id"]))
    return {"themes": themes, "country": country, "total": len(ranked), "experts": ranked[:limit]}


def communities(store: GraphStore, seed: int = 7) -> list[dict[str, Any]]:
    """Communities of the diaspora network (Louvain modularity), largest first."""

    def build() -> list[dict[str, Any]]:
        graph = diaspora_graph(store)
        if graph.number_of_nodes() == 0:
            return []
        proj = projection(store)
        people = {row["id"]: row for row in overseas_people(store)}
        groups = nx.community.louvain_communities(graph, seed=seed)
        out = []
        for index, group in enumerate(sorted(groups, key=len, reverse=True)):
            members = [people[n] for n in group if n in people]
            countries = Counter(m["country"] for m in members).most_common(3)
            fields = Counter(f for m in members for f in (m["expertise"] or [])[:1]).most_common(3)
            anchors = sorted((n for n in group if n not in people), key=lambda n: (-graph.degree(n), n))[:5]
            leaders = sorted((n for n in group if n in people), key=lambda n: (-graph.degree(n), n))[:5]
            out.append({
                "community": index + 1,
                "size": len(group),
                "people": len(members),
                "countries": [{"country": c, "people": k} for c, k in countries],
                "fields": [{"field": f, "name": proj.entities[f].name if f in proj.entities else f, "people": k}
                           for f, k in fields],
                "anchors": [{"id": a, "name": proj.entities[a].name if a in proj.entities else a} for a in anchors],
                "top_people": [{"id": p, "name": _display_name(people[p]), "ties": graph.degree(p)} for p in leaders],
            })
        return out

    return cached(store, f"diaspora_communities_{seed}", build)


def bridges(store: GraphStore, limit: int = 15, sample_sources: int = 400, seed: int = 7) -> list[dict[str, Any]]:
    """People and institutions that carry the most shortest paths from the diaspora to home
    institutions (betweenness restricted to those endpoints; sources sampled on large graphs)."""

    def build() -> list[dict[str, Any]]:
        graph = diaspora_graph(store)
        proj = projection(store)
        people = {row["id"]: row for row in overseas_people(store)}
        sources = sorted(n for n in graph.nodes if n in people)
        targets = sorted(n for n in graph.nodes if HOME_KINDS & set(proj.kinds(n)))
        if not sources or not targets:
            return []
        if len(sources) > sample_sources:
            sources = random.Random(seed).sample(sources, sample_sources)
        scores = nx.betweenness_centrality_subset(graph, sources=sources, targets=targets, normalized=True)
        ranked = sorted((n for n, s in scores.items() if s > 0), key=lambda n: (-scores[n], n))
        out = []
        for node in ranked[:limit]:
            is_person = node in people
            out.append({
                "id": node,
                "name": _display_name(people[node]) if is_person else proj.entities[node].name,
                "kinds": proj.kinds(node),
                "betweenness": round(scores[node], 5),
                "ties": graph.degree(node),
            })
        return out

    return cached(store, f"diaspora_bridges_{limit}_{sample_sources}_{seed}", build)


def introducers(store: GraphStore, target: str, limit: int = 5) -> dict[str, Any]:
    """Who could introduce us (VUSTA) to X: the people and institutions on the shortest paths."""
    from queries.paths import find_paths

    result = find_paths(store, HOME_ID, target, limit=limit, avoid_kinds=[NodeKind.THEME])
    people = {row["id"]: row for row in overseas_people(store)}
    seen: dict[str, dict[str, Any]] = {}
    for path in result["paths"]:
        for node in path["nodes"][1:-1]:
            entry = seen.setdefault(node["id"], {"id": node["id"], "name": node["name"], "kinds": node["kinds"],
                                                 "paths": 0})
            if node["id"] in people:
                entry["name"] = _display_name(people[node["id"]])
            entry["paths"] += 1
    return {"target": result["to"], "introducers": sorted(seen.values(), key=lambda e: -e["paths"]),
            "paths": result["paths"]}
