"""Search entities by any name, alias or acronym, in Vietnamese with or without diacritics,
in English, and despite typos.

The index is built from the graph's name table (cached until the data changes) and works the
same on Neo4j and on the embedded store: no full-text index is needed.

>>> # search(store, "lien hiep hoi")[0]["id"]  -> 'vusta'
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

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
    words: list[str] = field(default_factory=list)         # tokens of letters only, 3 or more
    lengths: list[int] = field(default_factory=list)       # length of each key
    projection: Projection | None = None


def build_index(proj: Projection) -> SearchIndex:
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
            index.lengths.append(len(key))
            index.exact[key].add(row.id)
            for token in key.split():
                index.by_token[token].add(position)
    index.sorted_tokens = sorted(index.by_token)
    index.words = [t for t in index.sorted_tokens if len(t) >= 3 and t.isalpha()]  # numbers are not misspelt
    return index


def search_index(store: GraphStore) -> SearchIndex:
    return cached(store, "search_index", lambda: build_index(projection(store)))


def _word_score(query: str, key: str) -> float:
    """The word-level part of :func:`_key_score`: exact, prefix, whole words, every word (0 when
    none of these holds)."""
    if query == key:
        return 100.0
    if key.startswith(query + " ") or key.startswith(query):
        return 88.0 + 10.0 * len(query) / len(key)
    if f" {query} " in f" {key} ":
        return 80.0 + 10.0 * len(query) / len(key)
    q_tokens, k_tokens = query.split(), set(key.split())
    if q_tokens and all(t in k_tokens for t in q_tokens):
        return 75.0 + 10.0 * len(query) / len(key)
    return 0.0


def _loose_score(query: str, key: str, at_least: float = 0.0) -> float:
    """The rest of :func:`_key_score`: most of the words, or the edit-distance ratio (the costly
    part, skipped when it cannot reach ``at_least``)."""
    q_tokens, k_tokens = query.split(), set(key.split())
    found = sum(1 for t in q_tokens if t in k_tokens)
    overlap = 60.0 + 25.0 * found / len(q_tokens) if len(q_tokens) > 1 and found * 2 >= len(q_tokens) else 0.0
    cutoff = min(max(at_least, overlap) / 0.8, 100.0)
    if len(query) <= 4 or len(key) <= 4:  # short strings: only near-exact counts
        ratio = fuzz.ratio(query, key, score_cutoff=cutoff)
    else:
        ratio = fuzz.WRatio(query, key, score_cutoff=cutoff)
    return max(ratio * 0.8, overlap)


def _key_score(query: str, key: str) -> float:
    """0..100: how well a folded query matches one folded key."""
    return _word_score(query, key) or _loose_score(query, key)


MAX_CANDIDATES = 1000
MAX_BOOST = 5.0  # points a well-connected entity gains over an equal match
MAX_SCORED = 500  # names holding every word of the query that are scored (a common name at 1M)


_NONE: frozenset[int] = frozenset()


def _prefixed(index: SearchIndex, prefix: str) -> list[set[int]]:
    """Postings of the words starting with ``prefix`` (an unfinished last word), the word itself
    included; at most 200 words."""
    start = bisect_left(index.sorted_tokens, prefix)
    out = []
    for token in index.sorted_tokens[start:start + 200]:
        if not token.startswith(prefix):
            break
        out.append(index.by_token[token])
    return out


def _nearest(index: SearchIndex, positions: set[int], length: int, n: int) -> set[int]:
    """At most ``n`` of ``positions``: the names nearest ``length`` characters long (the closest
    matches among names that hold the same words)."""
    if len(positions) <= n:
        return positions
    lengths = index.lengths
    return set(heapq.nsmallest(n, positions, key=lambda p: (abs(lengths[p] - length), p)))


def _candidates(index: SearchIndex, words: list[str]) -> set[int]:
    """Keys worth scoring: those holding every word (the last one may be unfinished); failing
    that, those holding any word, rarest words first; at most :data:`MAX_SCORED` and
    :data:`MAX_CANDIDATES`, nearest the query's length first. Postings are read, never copied."""
    length = len(" ".join(words))
    last = words[-1]
    last_postings = _prefixed(index, last) if len(last) >= 2 else [index.by_token.get(last, _NONE)]
    others = [index.by_token.get(w, _NONE) for w in words[:-1]]
    if all(others) and any(last_postings):
        if others:
            base = set.intersection(*sorted(others, key=len)) if len(others) > 1 else others[0]
            common: set[int] = set()
            for posting in last_postings:
                common |= base & posting  # (a set intersection walks the smaller set)
        else:
            common = set().union(*last_postings)
        if common:
            return _nearest(index, common, length, MAX_SCORED)
    out: set[int] = set()
    postings = [p for p in (*others, *last_postings) if p]
    for posting in sorted(postings, key=len):
        room = MAX_CANDIDATES - len(out)
        if room <= 0:
            break
        out |= posting if len(posting) <= room else _nearest(index, posting, length, room)
    return out


FULL_SCAN_KEYS = 100_000  # above this many names, typos are corrected word by word only


def _similar_words(index: SearchIndex, word: str) -> list[set[int]]:
    """Postings of ``word`` and of the index's words close to it by edit distance (the
    vocabulary is small next to the names)."""
    out = [index.by_token[word]] if word in index.by_token else []
    if len(word) >= 3:
        for token, _, _ in process.extract(word, index.words, scorer=fuzz.ratio, limit=8, score_cutoff=65):
            if token != word:
                out.append(index.by_token[token])
    return out


def _holding_all(groups: list[list[set[int]]]) -> set[int]:
    """Positions found in some posting of every group (set operations only, smallest group first)."""
    groups = sorted(groups, key=lambda g: sum(map(len, g)))
    current: set[int] = set().union(*groups[0])
    for group in groups[1:]:
        if not current:
            break
        narrowed: set[int] = set()
        for posting in group:
            narrowed |= current & posting
        current = narrowed
    return current


def _consider_typos(index: SearchIndex, query: str, consider: Callable[[int, float], None],
                    at_least: float = 0.0) -> None:
    """Names a misspelt query may mean: those holding, for every word of the query, that word or
    one close to it (failing that, for some word, rarest first), nearest the query's length first;
    on an index of up to :data:`FULL_SCAN_KEYS` names every name is also compared as a whole
    (rapidfuzz, C++), which also finds joined or split words."""
    groups = [g for g in (_similar_words(index, w) for w in query.split()) if g]
    candidates: set[int] = _holding_all(groups) if groups else set()
    if not candidates:
        for posting in sorted((p for g in groups for p in g), key=len):
            room = MAX_CANDIDATES - len(candidates)
            if room <= 0:
                break
            candidates |= posting if len(posting) <= room else _nearest(index, posting, len(query), room)
    candidates = _nearest(index, candidates, len(query), MAX_SCORED)
    for position in candidates:
        key = index.keys[position]
        consider(position, _word_score(query, key) or _loose_score(query, key, at_least))
    if len(index.keys) <= FULL_SCAN_KEYS:
        for _, _, position in process.extract(query, index.keys, scorer=fuzz.ratio, limit=50, score_cutoff=70):
            consider(position, _key_score(query, index.keys[position]))


def _shown_from(best: dict[str, tuple[float, str]]) -> float:
    """The lowest score still shown: within 20 points of the best match, and never under 60."""
    return max(60.0, max((score for score, _ in best.values()), default=0.0) - 20.0)


def _folded(text: Any) -> str:
    """The search text folded (no diacritics, lower case); :class:`SearchError` when it cannot
    be searched."""
    if not isinstance(text, str) or not text.strip():
        raise SearchError("Type a name, an alias or an acronym to search for.")
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchError(f"The search text is {len(text)} characters long; at most {MAX_QUERY_LENGTH} are used.")
    query = fold(text)
    if not query:
        raise SearchError("The search text has no letters or digits.")
    return query


def search(store: GraphStore, text: str, limit: int = 10, kinds: list[str] | None = None,
           include_sample: bool = True) -> list[dict[str, Any]]:
    """Entities matching ``text``, best first: ``{"id", "name", "kinds", "aliases", "score", "matched"}``."""
    _folded(text)  # a text that cannot be searched is refused before the index is read
    return search_with_index(search_index(store), text, limit, kinds, include_sample)


def search_with_index(index: SearchIndex, text: str, limit: int = 10, kinds: list[str] | None = None,
                      include_sample: bool = True) -> list[dict[str, Any]]:
    """:func:`search` on a given index (the benchmark of search alone uses it)."""
    query = _folded(text)
    proj = index.projection
    assert proj is not None
    candidates = _candidates(index, query.split())
    best: dict[str, tuple[float, str]] = {}

    def consider(position: int, score: float) -> None:
        owner = index.owners[position]
        if score > best.get(owner, (0.0, ""))[0]:
            best[owner] = (score, index.keys[position])

    # Word-level scores first; the edit-distance ratio (the costly part) only where it could
    # still reach what is shown (within 20 points of the best): the same results, found faster.
    waiting = []
    for position in candidates:
        score = _word_score(query, index.keys[position])
        if score:
            consider(position, score)
        else:
            waiting.append(position)
    shown_from = _shown_from(best)
    for position in waiting:
        consider(position, _loose_score(query, index.keys[position], at_least=shown_from))
    if not best or max(s for s, _ in best.values()) < 85:
        _consider_typos(index, query, consider, _shown_from(best))
    results = []
    kept: list[float] = []  # the best `limit` final scores so far (a heap)
    wanted = set(kinds or [])
    floor = _shown_from(best)
    for entity_id, (score, matched) in sorted(best.items(), key=lambda item: -item[1][0]):
        if score < floor:
            break
        if len(kept) >= limit and round(min(score + MAX_BOOST, 100.0) / 100.0, 3) < kept[0]:
            break  # no one further down can enter the first `limit`, even with the largest boost
        row = proj.entities[entity_id]
        if wanted and not wanted.intersection(row.kinds):
            continue
        if not include_sample and row.sample:
            continue
        # well-connected entities first among good matches: a small, bounded boost
        boost = min(math.log1p(proj.degree(entity_id)), MAX_BOOST) * (1.0 if score >= 85 else 0.2)
        final = round(min(score + boost, 100.0) / 100.0, 3)
        heapq.heappush(kept, final)
        if len(kept) > limit:
            heapq.heappop(kept)
        results.append({
            "id": entity_id,
            "name": row.name,
            "name_en": row.name_en,
            "kinds": row.kinds,
            "aliases": row.aliases,
            "score": final,
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
