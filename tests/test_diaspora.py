"""The diaspora network: analyses on a small known graph with known answers, the sample
roster, consent in the CLI, and removing the sample completely."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.maintenance import remove_sample
from graph.schema import EntityRecord, RelationshipRecord
from graph.store import GraphStore
from ingest.load import load_records
from ingest.sample_roster import RESERVED_NAMES, generate, write_csv
from queries.diaspora import bridges, by_country, communities, experts, introducers
from queries.profile import NotFound, show
from queries.search import search
from queries.stats import stats

ROOT = Path(__file__).resolve().parent.parent


def person(pid, name, country, expertise, **extra):
    props = {"overseas": True, "country_of_residence": country, "expertise": expertise, "consent": False,
             "visibility": "internal", "email": f"{pid}@example.org", **extra}
    return EntityRecord(id=pid, kinds=["Person"], name=name, properties=props)


def rel(kind, a, b):
    return RelationshipRecord.model_validate({"type": kind, "from": a, "to": b})


@pytest.fixture
def known(fresh_store: GraphStore) -> GraphStore:
    entities = [
        EntityRecord(id="vusta", kinds=["Union"], name="Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
                     aliases=["VUSTA"]),
        EntityRecord(id="assoc-a", kinds=["MemberAssociation"], name="Hội Khí tượng"),
        EntityRecord(id="theme-climate-change", kinds=["Theme"], name="Biến đổi khí hậu", name_en="Climate change"),
        EntityRecord(id="theme-health", kinds=["Theme"], name="Y tế", name_en="Health"),
        person("p1", "Nguyễn Cầu Nối", "Hoa Kỳ", ["theme-climate-change"]),
        person("p2", "Trần Riêng Tư", "Hoa Kỳ", ["theme-climate-change"], visibility="private"),
        person("p3", "Lê Ba", "Hoa Kỳ", ["theme-health", "theme-climate-change"]),
        person("p4", "Phạm Cố Vấn", "Pháp", ["theme-health"], consent=True),
        person("p5", "Hoàng Năm", "Pháp", ["theme-health"]),
        person("p6", "Vũ Sáu", "Pháp", ["theme-health"]),
        person("p7", "Đỗ Xa", "Nhật Bản", ["theme-climate-change"]),
    ]
    relationships = [
        rel("MEMBER_OF", "assoc-a", "vusta"), rel("MEMBER_OF", "p1", "assoc-a"),
        rel("COOPERATES_WITH", "p2", "p1"), rel("COOPERATES_WITH", "p3", "p1"), rel("COOPERATES_WITH", "p2", "p3"),
        rel("ADVISES", "p4", "vusta"), rel("COOPERATES_WITH", "p5", "p4"), rel("COOPERATES_WITH", "p6", "p4"),
        rel("COOPERATES_WITH", "p5", "p6"),
    ]
    load_records(fresh_store, entities, relationships, command="test", inputs=["test"], quiet=True)
    return fresh_store


def test_experts_ranked_by_fit_and_closeness_without_contact_details(known: GraphStore):
    result = experts(known, "bien doi khi hau")
    assert result["themes"] == ["theme-climate-change"]
    ids = [p["id"] for p in result["experts"]]
    # score = 0.55 fit + 0.35 closeness + 0.10 ties: p1 .785 (2 hops, 3 ties), p2 .707 (3 hops),
    # p7 .55 (primary field, no ties), p3 .542 (climate only a secondary field, 3 hops)
    assert ids == ["p1", "p2", "p7", "p3"]
    assert [p["distance_to_vusta"] for p in result["experts"]] == [2, 3, None, 3]
    assert [p["score"] for p in result["experts"]] == [0.785, 0.707, 0.55, 0.542]
    assert result["experts"][1]["name"].startswith("Chuyên gia ẩn danh")  # private: never named
    text = json.dumps(result, ensure_ascii=False)
    assert "@example.org" not in text and "Trần Riêng Tư" not in text


def test_experts_show_contact_only_with_consent_and_filter_by_country(known: GraphStore):
    health = experts(known, "Health")
    assert health["experts"][0]["id"] == "p4"
    assert health["experts"][0]["contact"] == {"email": "p4@example.org"}
    assert all("contact" not in p for p in health["experts"][1:])
    assert [p["id"] for p in experts(known, "y te", country="phap")["experts"]] == ["p4", "p5", "p6"]


def test_experts_unknown_theme_is_a_clear_error(known: GraphStore):
    with pytest.raises(NotFound, match="No theme matches"):
        experts(known, "qqqq zzzz")


def test_countries_communities_bridges_introducers(known: GraphStore):
    assert by_country(known)[:3] == [
        {"country": "Hoa Kỳ", "people": 3, "lat": 39.8, "lon": -98.6},
        {"country": "Pháp", "people": 3, "lat": 46.6, "lon": 2.4},
        {"country": "Nhật Bản", "people": 1, "lat": 36.2, "lon": 138.3},
    ]
    groups = communities(known)
    community_of = {p["id"]: g["community"] for g in groups for p in g["top_people"]}
    assert len(groups) >= 2
    assert community_of["p1"] == community_of["p2"] == community_of["p3"]
    assert community_of["p4"] == community_of["p5"] == community_of["p6"] != community_of["p1"]
    top = [b["id"] for b in bridges(known)]
    assert set(top[:3]) >= {"p1", "p4"} or set(top[:4]) >= {"p1", "p4", "assoc-a"}
    people_bridges = [b["id"] for b in bridges(known) if "Person" in b["kinds"]]
    assert people_bridges[:2] in (["p1", "p4"], ["p4", "p1"])
    intro = introducers(known, "p2")
    assert intro["introducers"][0]["id"] in {"assoc-a", "p1"}
    assert any(i["id"] == "p1" for i in intro["introducers"])


def test_private_people_are_not_named_in_search_or_profiles(known: GraphStore):
    assert all("Trần Riêng Tư" != hit["name"] for hit in search(known, "Tran Rieng Tu"))
    profile = show(known, "p2")
    assert profile["name"].startswith("Chuyên gia ẩn danh") and "email" not in profile["properties"]
    p1 = show(known, "p1")
    assert all("Trần Riêng Tư" != r["other"]["name"] for r in p1["relationships"])


def test_roster_generator_is_deterministic_and_marked_sample(tmp_path: Path):
    ties = {"associations": ["hoi-luat-gia"], "organisations": ["scdi"], "events": ["cafeo-38"]}
    first = generate(500, seed=3, ties=ties)
    second = generate(500, seed=3, ties=ties)
    assert [e.model_dump() for e in first[0]] == [e.model_dump() for e in second[0]]
    assert [r.id for r in first[1]] == [r.id for r in second[1]]
    people = [e for e in first[0] if "Person" in e.kinds]
    assert len(people) == 500 and all(e.sample for e in first[0]) and all(r.sample for r in first[1])
    assert not {p.name for p in people} & RESERVED_NAMES
    consent = sum(1 for p in people if p.properties["consent"]) / len(people)
    assert 0.25 < consent < 0.45
    countries = {p.properties["country_of_residence"] for p in people}
    assert {"Hoa Kỳ", "Pháp", "Úc", "Đức", "Nhật Bản"} <= countries
    paths = write_csv(*first, tmp_path)
    header = paths[0].read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("id,kinds,name") and "consent" in header


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_roster_csv_goes_through_the_tabular_import_and_is_removed_completely(store: GraphStore,
                                                                              fresh_store: GraphStore,
                                                                              tmp_path: Path):
    from ingest.curated_load import load_curated

    load_curated(fresh_store, [ROOT / "data"], quiet=True)
    before = stats(fresh_store)
    entities, relationships = generate(150, seed=4)
    paths = write_csv(entities, relationships, tmp_path)
    env = {**os.environ, "VUSTA_EMBEDDED_DATABASE": fresh_store.database}
    result = subprocess.run([sys.executable, "-m", "ingest", *map(str, paths), "--json"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["entities"]["created"] == 150 + 2  # the people and the two CSV files as documents
    assert experts(fresh_store, "theme-health")["total"] > 0
    assert remove_sample(fresh_store, "diaspora")["removed"] == 152
    assert stats(fresh_store) == before


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_sample_roster_loads_answers_experts_in_the_cli_and_is_removed_completely(store: GraphStore,
                                                                                   fresh_store: GraphStore):
    from ingest.curated_load import load_curated

    load_curated(fresh_store, [ROOT / "data"], quiet=True)
    before = stats(fresh_store)
    entities, relationships = generate(600, seed=11)
    load_records(fresh_store, entities, relationships, command="test roster", inputs=["sample"], quiet=True)
    assert stats(fresh_store)["nodes"]["Person"] > before["nodes"]["Person"] + 500
    env = {**os.environ, "VUSTA_EMBEDDED_DATABASE": fresh_store.database}
    result = subprocess.run([sys.executable, "-m", "queries", "experts", "--theme", "biến đổi khí hậu", "--json",
                             "--limit", "200"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["experts"] and out["themes"][0] == "theme-climate-change"
    scores = [p["score"] for p in out["experts"]]
    assert scores == sorted(scores, reverse=True)
    consenting = {e.id: e.properties for e in entities if e.properties.get("consent")}
    for expert in out["experts"]:
        assert "theme-climate-change" in expert["expertise"]
        assert "email" not in expert and "phone" not in expert
        private = expert["name"].startswith("Chuyên gia ẩn danh")
        assert ("contact" in expert) == (expert["id"] in consenting and not private)
    hidden = [e.properties["email"] for e in entities if "Person" in e.kinds and not e.properties.get("consent")]
    assert not any(email in result.stdout for email in hidden)
    removed = remove_sample(fresh_store, "diaspora")
    assert removed["removed"] == 601
    after = stats(fresh_store)
    assert after["nodes"] == before["nodes"]
    assert after["relationships"] == before["relationships"]
