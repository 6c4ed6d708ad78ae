"""Search entities by any name, alias or acronym, in Vietnamese with or without diacritics,
in English, and despite typos.

The index is built from the graph's name table (cached until the data changes) and works the
same on Neo4j and on the embedded store: no full-text index is needed.

>>> # search(store, "lien hiep hoi")[0]["id"]  -> 'vusta'
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from graph.store import GraphStore
from graph.text import acronym, fold
from queries.projection import Projection, cached, projection

MAX_QUERY_LENGTH = 200


class SearchError(ValueError):
    """A search that cannot be run as asked (empty or over-long text)."""


@dataclass
class SearchIndex:
    keys: list[str] = field(default_factory=list)          # folded names, aliases, acronyms
    owners: list[str] = field(default_factory=list)        # entity id of each key
    exact: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_token: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    sorted_tokens: list[str] = field(default_factory=list)
    projection: Projection | None = None


def _build_index(proj: Projection) -> SearchIndex:
    index = SearchIndex(projection=proj)
    for row in proj.entities.values():
        names = [row.name, *([row.name_en] if row.name_en else []), *row.aliases]
        keys = {fold(n) for n in names if n}
        initials = acronym(row.name)
        if len(initials) >= 3:
            keys.add(initials)
        for key in keys:
            if not key:
                continue
            position = len(index.keys)
            index.keys.append(key)
            index.owners.append(row.id)
            index.exact[key].add(row.id)
            for token in key.split():
                index.by_token[token].add(position)
    index.sorted_tokens = sorted(index.by_token)
    return index


def search_index(store: GraphStore) -> SearchIndex:
    return cached(store, "search_index", lambda: _build_index(projection(store)))


def _key_score(query: str, key: str) -> float:
    """0..100: how well a folded query matches one folded key."""
    if query == key:
        return 100.0
    if key.startswith(query + " ") or key.startswith(query):
        return 88.0 + 10.0 * len(query) / len(key)
    padded = f" {key} "
    if f" {query} " in padded:
        return 80.0 + 10.0 * len(query) / len(key)
    q_tokens, k_tokens = query.split(), set(key.split())
    found = sum(1 for t in q_tokens if t in k_tokens)
    if q_tokens and found == len(q_tokens):
        return 75.0 + 10.0 * len(query) / len(key)
    overlap = 60.0 + 25.0 * found / len(q_tokens) if len(q_tokens) > 1 and found * 2 >= len(q_tokens) else 0.0
    ratio = fuzz.WRatio(query, key)
    if len(query) <= 4 or len(key) <= 4:  # short strings: only near-exact counts
        ratio = fuzz.ratio(query, key)
    return max(ratio * 0.8, overlap)


MAX_CANDIDATES = 5000


def _prefixed(index: SearchIndex, prefix: str) -> set[int]:
    """Positions of the keys with a word starting with ``prefix`` (an unfinished last word)."""
    out: set[int] = set()
    start = bisect_left(index.sorted_tokens, prefix)
    for token in index.sorted_tokens[start:start + 200]:
        if not token.startswith(prefix):
            break
        out |= index.by_token[token]
    return out


def _candidates(index: SearchIndex, words: list[str]) -> set[int]:
    """Keys worth scoring: those holding every word (the last one may be unfinished); failing
    that, those holding any word, rarest words first, up to a bound."""
    postings = [set(index.by_token.get(w, ())) for w in words]
    if len(words[-1]) >= 2:
        postings[-1] |= _prefixed(index, words[-1])
    if all(postings):
        common = set.intersection(*sorted(postings, key=len))
        if common:
            return common
    out: set[int] = set()
    for posting in sorted((p for p in postings if p), key=len):
        if out and len(out) + len(posting) > MAX_CANDIDATES:
            break
        out |= posting
    return out


def search(store: GraphStore, text: str, limit: int = 10, kinds: list[str] | None = None,
           include_sample: bool = True) -> list[dict[str, Any]]:
    """Entities matching ``text``, best first: ``{"id", "name", "kinds", "aliases", "score", "matched"}``."""
    if not isinstance(text, str) or not text.strip():
        raise SearchError("Type a name, an alias or an acronym to search for.")
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchError(f"The search text is {len(text)} characters long; at most {MAX_QUERY_LENGTH} are used.")
    query = fold(text)
    if not query:
        raise SearchError("The search text has no letters or digits.")
    index = search_index(store)
    proj = index.projection
    assert proj is not None
    candidates = _candidates(index, query.split())
    best: dict[str, tuple[float, str]] = {}

    def consider(position: int, score: float) -> None:
        owner = index.owners[position]
        if score > best.get(owner, (0.0, ""))[0]:
            best[owner] = (score, index.keys[position])

    for position in candidates:
        consider(position, _key_score(query, index.keys[position]))
    if not best or max(s for s, _ in best.values()) < 85:
        # typos: edit-distance ratio over all keys (rapidfuzz, C++), then scored like the rest
        for _, _, position in process.extract(query, index.keys, scorer=fuzz.ratio, limit=50, score_cutoff=70):
            consider(position, _key_score(query, index.keys[position]))
    results = []
    wanted = set(kinds or [])
    top = max((score for score, _ in best.values()), default=0.0)
    floor = max(60.0, top - 20.0)
    for entity_id, (score, matched) in best.items():
        if score < floor:
            continue
        row = proj.entities[entity_id]
        if wanted and not wanted.intersection(row.kinds):
            continue
        if not include_sample and row.sample:
            continue
        # well-connected entities first among good matches: a small, bounded boost
        boost = min(math.log1p(proj.degree(entity_id)), 5.0) * (1.0 if score >= 85 else 0.2)
        results.append({
            "id": entity_id,
            "name": row.name,
            "name_en": row.name_en,
            "kinds": row.kinds,
            "aliases": row.aliases,
            "score": round(min(score + boost, 100.0) / 100.0, 3),
            "matched": matched,
            "sample": row.sample,
        })
    results.sort(key=lambda r: (-r["score"], len(r["name"]), r["id"]))
    return results[:limit]


def resolve(store: GraphStore, id_or_name: str) -> str | None:
    """An entity id from an id, a name, an alias or an acronym (the best search hit)."""
    proj = projection(store)
    if id_or_name in proj.entities:
        return id_or_name
    lowered = id_or_name.strip().lower()
    if lowered in proj.entities:
        return lowered
    try:
        hits = search(store, id_or_name, limit=1)
    except SearchError:
        return None
    return hits[0]["id"] if hits and hits[0]["score"] >= 0.7 else None
