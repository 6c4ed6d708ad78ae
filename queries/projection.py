"""Projections of the graph fetched with Cypher and cached until the data changes.

Search and the networkx analytics work on these in-memory views. Each is cached under the
graph's version (:func:`graph_version`: the ingestion log's size and last change), so a load
or a deletion invalidates them on the next call, in every process. Inside
:func:`one_graph_version` (one run of an app page) the version is asked of the store once, not on
every cached lookup; a write made by this process in the meantime makes it ask again.
"""

from __future__ import annotations

import gc
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from sys import intern
from typing import Any, Callable, Iterable, Iterator, NamedTuple, TypeVar

import networkx as nx

from graph.privacy import is_anonymous, masked_name, staff_audience
from graph.schema import DERIVED_RELATIONSHIP_TYPES
from graph.store import GraphStore, commits

T = TypeVar("T")
_lock = threading.Lock()
_cache: dict[tuple[Any, ...], Any] = {}
_building: dict[tuple[Any, ...], threading.Event] = {}  # values being built now, by key

# A build slower than this made a large value that lives until the data changes (see settle_heap).
SETTLE_AFTER_S = 0.5

# Relationships that record where facts come from rather than how entities are connected;
# left out of paths and network measures.
PROVENANCE_TYPES = DERIVED_RELATIONSHIP_TYPES


# Within one_graph_version(): store identity -> (this process's commits when read, version).
_versions_read: ContextVar[dict[tuple[str, ...], tuple[int, tuple[Any, ...]]] | None] = ContextVar(
    "graph_versions_read", default=None)


@contextmanager
def one_graph_version() -> Iterator[None]:
    """Ask each store for its version once in this block (one run of an app page), not on every
    cached lookup; a write committed by this process in the block makes it ask again."""
    token = _versions_read.set({})
    try:
        yield
    finally:
        _versions_read.reset(token)


def graph_version(store: GraphStore) -> tuple[Any, ...]:
    read = _versions_read.get()
    identity = store.identity()
    if read is not None and identity in read and read[identity][0] == commits():
        return read[identity][1]
    writes = commits()
    row = store.read("graph_version")[0]
    version = (row["runs"], row["last_change"])
    if read is not None:
        read[identity] = (writes, version)
    return version


def forget_cached() -> None:
    """Drop every cached projection of this process (the benchmark frees its memory with it)."""
    with _lock:
        _cache.clear()
    gc.unfreeze()  # what was frozen with them can be collected again


def settle_heap() -> None:
    """Keep Python's cyclic garbage collector away from the cached values.

    At 100k entities the projections and the partner finder's features are millions of objects;
    every full collection walked them all and paused whichever request set it off for 1.4–1.7 s
    (measured on the partner finder at 100k: p95 1.6 s, p50 0.37 s). After a large build (and
    after the app's warm-up) the heap is collected once and what survives is moved out of the
    collector's reach (``gc.freeze``). When a cached value is replaced (the data changed), the
    frozen objects are handed back at once (:func:`cached`): the old values hold cycles, which
    only the collector frees; until the next large build they are walked again.
    """
    gc.collect()
    gc.freeze()


def cached(store: GraphStore, name: str, build: Callable[[], T]) -> T:
    """``build()`` once per graph version and store. While one thread builds a value, the others
    that ask for it wait for that build instead of making the same one again (the app's warm-up
    and its first reader)."""
    identity = store.identity()
    key = (identity, name, graph_version(store), staff_audience())
    while True:
        with _lock:
            if key in _cache:
                return _cache[key]
            building = _building.get(key)
            if building is None:
                building = _building[key] = threading.Event()
                break
        building.wait()  # then take the value, or build it if that build failed
    try:
        started = time.perf_counter()
        value = build()
        with _lock:
            replaced = [k for k in _cache if k[:2] == key[:2] and k[-1] == key[-1]]
            for old in replaced:
                del _cache[old]
            _cache[key] = value
        if replaced:
            gc.unfreeze()  # the old value's cycles must be collectable (see settle_heap)
        if time.perf_counter() - started > SETTLE_AFTER_S:
            settle_heap()
        return value
    finally:
        with _lock:
            del _building[key]
        building.set()


@dataclass
class NameRow:
    id: str
    name: str
    name_en: str | None
    aliases: list[str]
    kinds: list[str]
    sample: bool


class Tie(NamedTuple):
    """One connecting relationship, as the projection keeps it (on the edge between its ends)."""

    source: str
    type: str
    target: str
    year: int | None


@dataclass
class Projection:
    """Entities (names and kinds) and the connecting relationships between them.

    The relationships are kept once, on the undirected simple graph :meth:`connections`: each edge
    holds the :class:`Tie` tuples between its two ends (``data["types"]``). Relationships that
    record where facts come from (:data:`PROVENANCE_TYPES`) are left out. Ids, kinds and types are
    kept once (interned) rather than once per row. At 100k entities (503k relationships) this holds
    in 257 MB what took 730 MB with a second, directed multigraph (an attribute dict per
    relationship) and the rows read as one list.
    """

    entities: dict[str, NameRow] = field(default_factory=dict)
    _connections: nx.Graph = field(default_factory=nx.Graph)

    def kinds(self, entity_id: str) -> list[str]:
        row = self.entities.get(entity_id)
        return row.kinds if row else []

    def degree(self, entity_id: str) -> int:
        return self._connections.degree(entity_id) if entity_id in self._connections else 0

    def connections(self) -> nx.Graph:
        """Undirected simple graph of the connecting relationships (provenance left out)."""
        return self._connections

    def ties(self, a: str, b: str) -> tuple[Tie, ...]:
        """The relationships between ``a`` and ``b``, either way round."""
        data = self._connections.get_edge_data(a, b)
        return data["types"] if data else ()

    def neighbours(self, entity_id: str) -> Iterable[str]:
        return self._connections[entity_id] if entity_id in self._connections else ()

    def all_ties(self) -> Iterator[Tie]:
        for _, _, ties in self._connections.edges(data="types"):
            yield from ties


def _build_projection(store: GraphStore) -> Projection:
    projection = Projection()
    connections = projection.connections()
    for row in store.stream("name_table"):
        if is_anonymous(row.get("visibility")):  # private (or internal, to the public) is never named
            row = {**row, "name": masked_name(row["id"]), "name_en": None, "aliases": []}
        entity_id = intern(row["id"])
        projection.entities[entity_id] = NameRow(
            id=entity_id, name=row["name"] or entity_id, name_en=row["name_en"], aliases=row["aliases"] or [],
            kinds=[intern(k) for k in row["kinds"] or []], sample=bool(row["sample"]))
    connections.add_nodes_from(projection.entities)
    adjacency = connections.adj
    years: dict[Any, Any] = {}
    for row in store.stream("relationship_projection"):
        # each row brings its own copies of the ids, the type and the year: one copy of each is kept
        source, target, rel_type = intern(row["source"]), intern(row["target"]), intern(row["type"])
        if rel_type in PROVENANCE_TYPES:
            continue
        year = row["year"] or row["since"]
        tie = Tie(source, rel_type, target, years.setdefault(year, year))
        data = adjacency.get(source, {}).get(target)
        if data is not None:  # another relationship between the two (one of a type and direction)
            data["types"] = (*(t for t in data["types"] if t[:3] != tie[:3]), tie)
        else:
            connections.add_edge(source, target, types=(tie,))
    return projection


def projection(store: GraphStore) -> Projection:
    return cached(store, "projection", lambda: _build_projection(store))
