"""The analytics switch (``VUSTA_ANALYTICS``): with ``database`` the store finds the paths itself
(no in-process projection), and they agree with the app's networkx paths on the real data."""

from __future__ import annotations

import pytest

from graph.settings import Settings
from graph.store import GraphStore
from queries.paths import find_paths


pytestmark = pytest.mark.slow  # the fixture loads the real data into a store of its own (4 s)


@pytest.fixture
def database_mode(store: GraphStore):
    graph = GraphStore(Settings(**{**store.settings.__dict__, "analytics": "database"}))
    yield graph
    graph.close()


def test_the_setting_is_read_and_checked(monkeypatch):
    monkeypatch.setenv("VUSTA_ANALYTICS", "Database")
    assert Settings.from_env().analytics == "database"
    monkeypatch.setenv("VUSTA_ANALYTICS", "gpu")
    with pytest.raises(SystemExit, match="VUSTA_ANALYTICS"):
        Settings.from_env()
    monkeypatch.delenv("VUSTA_ANALYTICS")
    assert Settings.from_env().analytics == "app"


def test_paths_computed_by_the_database_agree_with_the_app(store: GraphStore, database_mode: GraphStore):
    in_app = find_paths(store, "Hội Luật gia", "GIZ", limit=3)
    in_db = find_paths(database_mode, "Hội Luật gia", "GIZ", limit=3)
    assert in_db["computed_by"] == "database" and "computed_by" not in in_app
    assert in_db["paths"], "the database found no path"
    assert in_db["paths"][0]["length"] == in_app["paths"][0]["length"]
    for path in in_db["paths"]:
        ids = [n["id"] for n in path["nodes"]]
        assert ids[0] == "hoi-luat-gia" and ids[-1] == "giz"
        assert path["length"] == len(path["relationships"]) == len(ids) - 1
        for step, (a, b) in zip(path["relationships"], zip(ids, ids[1:])):
            assert {step["from"], step["to"]} == {a, b}
            assert step["type"] not in ("MENTIONED_IN", "DESCRIBES")
        assert "→" in path["sentence_en"] or "←" in path["sentence_en"]
    assert in_db["to"]["name"] == in_app["to"]["name"]


def test_the_database_avoids_kinds_too(store: GraphStore, database_mode: GraphStore):
    result = find_paths(database_mode, "Hội Luật gia", "GIZ", limit=5, avoid_kinds=["GovernmentBody", "PartyBody"])
    for path in result["paths"]:
        for node in path["nodes"][1:-1]:
            assert not {"GovernmentBody", "PartyBody", "Document", "Figure"} & set(node["kinds"])
