import unicodedata

import pytest

from graph.store import GraphStore
from queries.paths import find_paths
from queries.profile import NotFound, show
from queries.search import SearchError, search
from queries.stats import stats


def top(store: GraphStore, text: str) -> str:
    return search(store, text, limit=5)[0]["id"]


def test_stats_counts_kinds_and_types(store: GraphStore):
    result = stats(store)
    assert result["nodes"]["Union"] == 1
    assert result["relationships"]["MEMBER_OF"] >= 2
    assert sum(result["nodes"].values()) > 150


@pytest.mark.parametrize("text, expected", [
    ("lien hiep hoi", "vusta"),
    ("Liên hiệp Hội Việt Nam", "vusta"),
    ("LHHVN", "vusta"),
    ("vusta", "vusta"),
    ("Vietnam Union of Science and Technology Associations", "vusta"),
    ("Lien hiep hoi viet nma", "vusta"),           # typo
    ("duong thi nga", "person-duong-thi-nga"),
    ("Dương Thị Nga", "person-duong-thi-nga"),
    ("GIZ", "giz"),
    ("to chuc hop tac phat trien duc", "giz"),
    ("AFEO", "afeo"),
    ("CAFEO 38", "cafeo-38"),
    ("International Science Council", "isc"),
    ("hoi dong khoa hoc the gioi", "isc"),
    ("SRD", "srd"),
    ("Hoi luat gia", "hoi-luat-gia"),
])
def test_search_with_and_without_diacritics_aliases_acronyms_typos(store: GraphStore, text: str, expected: str):
    assert top(store, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Lien hiep hoi viet nma", "vusta"),
    ("Hoi luat gai", "hoi-luat-gia"),
    ("duong thi ngaa", "person-duong-thi-nga"),
    ("to chuc hop tac phat trien duk", "giz"),
])
def test_typos_are_corrected_word_by_word_on_a_large_index(store: GraphStore, monkeypatch, text: str, expected: str):
    """Above FULL_SCAN_KEYS names (a graph of 100k entities and more) a misspelt query is not
    compared with every name: each unknown word is matched to the index's words instead."""
    import queries.search as search_module

    monkeypatch.setattr(search_module, "FULL_SCAN_KEYS", 0)
    assert top(store, text) == expected


@pytest.mark.parametrize("text", ["hoi", "vien", "trung tam", "quy", "viet nam", "hoi luat gai", "GIZ"])
def test_the_first_results_are_those_of_the_full_ranking(store: GraphStore, text: str):
    """Search stops ranking once no further match can enter the first results: the same first
    results as when every match is ranked."""
    everything = search(store, text, limit=100_000)
    assert [r["id"] for r in search(store, text, limit=5)] == [r["id"] for r in everything[:5]]
    assert len(everything) > 5 or text == "GIZ"


def test_search_decomposed_unicode_input(store: GraphStore):
    assert top(store, unicodedata.normalize("NFD", "Dương Thị Nga")) == "person-duong-thi-nga"


def test_search_results_have_the_contract_fields(store: GraphStore):
    hit = search(store, "lien hiep hoi")[0]
    assert {"id", "name", "kinds", "aliases", "score"} <= set(hit)
    assert 0 < hit["score"] <= 1 and "Union" in hit["kinds"] and "LHHVN" in hit["aliases"]


@pytest.mark.parametrize("text", ["", "   ", "!!!", "x" * 201])
def test_search_rejects_empty_or_huge_text(store: GraphStore, text: str):
    with pytest.raises(SearchError):
        search(store, text)


def test_hostile_search_text_is_only_text(store: GraphStore):
    before = stats(store)
    for text in ["') MATCH (n) DETACH DELETE n //", "<script>alert(1)</script>", "$id", "\u0000\u202e"]:
        try:
            search(store, text)
        except SearchError:
            pass
    assert stats(store) == before


def test_show_vusta_lists_memberships_with_sources(store: GraphStore, settings):
    profile = show(store, "VUSTA", documents_dir=settings.documents_dir)
    assert profile["id"] == "vusta" and "LHHVN" in profile["aliases"]
    assert profile["sources"] and profile["sources"][0]["document"].endswith(".txt")
    memberships = {r["other"]["id"]: r for r in profile["relationships"]
                   if r["type"] == "MEMBER_OF" and r["direction"] == "out"}
    assert {"afeo", "isc"} <= set(memberships)
    source = memberships["afeo"]["sources"][0]
    assert source["document"] == "000_f6208c092d653411.txt" and source["line"] >= 1
    assert "AFEO" in source["sentence"]  # the sentence from the document itself


def test_show_unknown_entity(store: GraphStore):
    with pytest.raises(NotFound):
        show(store, "zzzz qqqq no such thing")


def test_path_connects_a_member_association_to_a_donor(store: GraphStore):
    result = find_paths(store, "Hội Luật gia", "GIZ", limit=3)
    assert result["paths"], "no path"
    first = result["paths"][0]
    assert first["nodes"][0]["id"] == "hoi-luat-gia" and first["nodes"][-1]["id"] == "giz"
    assert "Donor" in first["nodes"][-1]["kinds"]
    assert first["length"] == len(first["relationships"]) >= 1
    assert "→" in first["sentence_en"] or "←" in first["sentence_en"]
    lengths = [p["length"] for p in result["paths"]]
    assert lengths == sorted(lengths) and len(result["paths"]) > 1


def test_path_can_avoid_kinds(store: GraphStore):
    result = find_paths(store, "Hội Luật gia", "GIZ", limit=5, avoid_kinds=["GovernmentBody", "PartyBody"])
    for path in result["paths"]:
        for node in path["nodes"][1:-1]:
            assert not {"GovernmentBody", "PartyBody", "Document", "Figure"} & set(node["kinds"])


def test_a_cached_value_is_built_once_while_others_wait(store: GraphStore):
    """The app's warm-up and its first reader ask for the same projection at once: one builds it,
    the other waits for that build (at 100k entities a build takes about 40 s)."""
    import threading
    import time

    from queries.projection import cached

    builds: list[int] = []

    def build() -> str:
        builds.append(1)
        time.sleep(0.3)
        return "built"

    name = f"test-single-build-{time.monotonic_ns()}"
    answers: list[str] = []
    readers = [threading.Thread(target=lambda: answers.append(cached(store, name, build))) for _ in range(4)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert answers == ["built"] * 4 and len(builds) == 1


def test_large_cached_values_are_kept_out_of_the_garbage_collector(fresh_store: GraphStore, monkeypatch):
    """A large build is frozen out of the collector's walks (at 100k entities a full collection
    over the projections paused a partner search for 1.4–1.7 s); when the data changes, the old
    value, cycles included, is still freed."""
    import gc
    import weakref

    import queries.projection as projection_module
    from ingest.load import load_records
    from graph.schema import EntityRecord

    monkeypatch.setattr(projection_module, "SETTLE_AFTER_S", 0.0)  # every build counts as large here
    projection_module.forget_cached()
    assert gc.get_freeze_count() == 0

    class Node:
        pass

    def build() -> list[Node]:
        nodes = [Node() for _ in range(5000)]
        for node, following in zip(nodes, nodes[1:] + nodes[:1]):
            node.next = following  # one big cycle: only the cyclic collector can free it
        return nodes

    def new_version(name: str) -> None:
        load_records(fresh_store, [EntityRecord(id=name, kinds=["Person"], name="Người Thử")], [],
                     command="test", inputs=["test"], quiet=True)

    first = projection_module.cached(fresh_store, "test-frozen", build)
    assert gc.get_freeze_count() >= 5000
    old = weakref.ref(first[0])
    del first
    new_version("gc-probe-1")
    second = projection_module.cached(fresh_store, "test-frozen", build)  # a large build again
    assert old() is None  # the replaced value was handed back to the collector and freed
    assert gc.get_freeze_count() >= 5000 and second[0].next is second[1]
    old = weakref.ref(second[0])
    del second
    monkeypatch.setattr(projection_module, "SETTLE_AFTER_S", 1e9)  # now a small build: nothing is frozen
    new_version("gc-probe-2")
    third = projection_module.cached(fresh_store, "test-frozen", build)
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert old() is None and third[0].next is third[1]
    projection_module.forget_cached()


@pytest.mark.parametrize("graph", ["store", pytest.param("demo_store", marks=pytest.mark.slow)])
def test_paths_are_the_k_shortest_that_networkx_finds(graph: str, request: pytest.FixtureRequest):
    """The compact path search (bidirectional breadth-first search and Yen's algorithm) against
    networkx's shortest_simple_paths on the same ties: the same lengths, valid simple paths."""
    import random
    from itertools import islice

    import networkx as nx

    from queries.paths import path_lookups, _shortest_paths
    from queries.projection import projection

    store = request.getfixturevalue(graph)
    proj = projection(store)
    connections = proj.connections()
    lookups = path_lookups(store)
    rng = random.Random(3)
    nodes = sorted(n for n in connections if connections.degree(n) and n not in lookups.never_through)
    compared = 0
    for _ in range(60):
        source, target = rng.sample(nodes, 2)
        blocked = set(lookups.never_through) - {source, target}
        for real_only in (True, False):
            ours = _shortest_paths(lookups, source, target, 4, 6, blocked, real_ties_only=real_only)
            view = nx.subgraph_view(
                connections, filter_node=lambda n: n not in blocked,
                filter_edge=lambda x, y: not (real_only and y in lookups.likeness.get(x, ())))
            try:
                theirs = [p for p in islice(nx.shortest_simple_paths(view, source, target), 4) if len(p) - 1 <= 6]
            except nx.NetworkXNoPath:
                theirs = []
            assert [len(p) for p in ours] == [len(p) for p in theirs], (source, target, real_only)
            for path in ours:
                assert path[0] == source and path[-1] == target and len(set(path)) == len(path)
                assert all(view.has_edge(a, b) for a, b in zip(path, path[1:]))
            compared += bool(ours)
    assert compared >= 30



def test_paths_on_random_graphs_are_the_k_shortest_that_networkx_finds():
    """The path search's cuts (Lawler's refinement of Yen's algorithm, the length bound) on 150
    random graphs of two shapes, with nodes never passed through, likeness ties, varied limits and
    lengths: the same lengths as networkx's shortest_simple_paths, valid and distinct simple paths.
    (Starting each path's searches one node later than where it left its earlier path fails this.)"""
    import random
    from itertools import islice

    import networkx as nx

    from queries.paths import PathLookups, _shortest_paths

    rng = random.Random(11)
    compared = 0
    for _ in range(150):
        size = rng.randint(6, 40)
        if rng.random() < 0.5:
            ties = nx.gnm_random_graph(size, rng.randint(size, 4 * size), seed=rng.randrange(10**9))
        else:
            ties = nx.barabasi_albert_graph(size, rng.randint(1, 3), seed=rng.randrange(10**9))
        nodes = list(ties)
        never = frozenset(rng.sample(nodes, rng.randint(0, 2)))
        likeness: dict[int, set[int]] = {}
        for theme in rng.sample(nodes, 3):
            for other in ties[theme]:
                if rng.random() < 0.3:
                    likeness.setdefault(theme, set()).add(other)
                    likeness.setdefault(other, set()).add(theme)
        lookups = PathLookups({n: tuple(ties[n]) for n in ties}, never,
                              {n: frozenset(others) for n, others in likeness.items()})
        for _ in range(10):
            source, target = rng.sample(nodes, 2)
            blocked = set(never) - {source, target}
            limit, max_length = rng.randint(1, 9), rng.randint(2, 8)
            for real_only in (True, False):
                ours = _shortest_paths(lookups, source, target, limit, max_length, blocked, real_ties_only=real_only)
                view = nx.subgraph_view(
                    ties, filter_node=lambda n: n not in blocked,
                    filter_edge=lambda x, y: not (real_only and y in likeness.get(x, ())))
                try:
                    theirs = [p for p in islice(nx.shortest_simple_paths(view, source, target), limit)
                              if len(p) - 1 <= max_length]
                except nx.NetworkXNoPath:
                    theirs = []
                assert [len(p) for p in ours] == [len(p) for p in theirs], (source, target, limit, max_length)
                assert len({tuple(p) for p in ours}) == len(ours)
                for path in ours:
                    assert path[0] == source and path[-1] == target and len(set(path)) == len(path)
                    assert all(view.has_edge(a, b) for a, b in zip(path, path[1:]))
                compared += len(ours) > 1
    assert compared >= 500

def test_projection_keeps_each_connecting_relationship_once_with_its_year(store: GraphStore):
    """The compact projection (one undirected graph holding the ties) against the store's rows, read
    as a list and as a stream: every connecting relationship once, in its direction, with its year;
    provenance relationships left out."""
    from queries.projection import PROVENANCE_TYPES, projection

    rows = store.read("relationship_projection")
    assert list(store.stream("relationship_projection")) == rows
    expected = {(r["source"], r["type"], r["target"]): r["year"] or r["since"] for r in rows
                if r["type"] not in PROVENANCE_TYPES}
    assert any(r["type"] in PROVENANCE_TYPES for r in rows) and expected
    proj = projection(store)
    kept = list(proj.all_ties())
    assert len(kept) == len(expected)
    assert {(t.source, t.type, t.target): t.year for t in kept} == expected
    source, rel_type, target = next(iter(expected))
    assert any(t.type == rel_type for t in proj.ties(target, source))  # either way round
    assert target in proj.neighbours(source) and source in proj.neighbours(target)
    assert list(proj.neighbours("no-such-entity")) == [] and proj.ties("no-such-entity", source) == ()
