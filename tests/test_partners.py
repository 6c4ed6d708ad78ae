"""The partner finder: each score component on a small hand-made graph, the weights, empty and
unknown inputs, and the real CLI on the loaded data (the two ideas of the issue)."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from graph.store import GraphStore
from ingest.curated_load import load_curated
from queries.partners import (COMPONENTS, ROLES, IdeaError, Scorer, WeightsError, load_weights, partner_features,
                              recommend_partners)
from queries.partners import bounds
from queries.partners.explanations import explain
from queries.partners.features import build_features
from queries.partners.scoring import prepare_every_theme
from queries.project_idea import ChosenTheme, understand

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = [ROOT / "data" / "seed" / "documents.yaml", ROOT / "data" / "seed" / "places.yaml",
             ROOT / "data" / "reference" / "themes.yaml", ROOT / "data" / "reference" / "provinces.yaml"]
SRC = "[{document: test-partners}]"

# A small world: a climate donor focused on the Mekong Delta, a health donor working nationwide
# (reachable through a person), a donor known only by name, a donor seen long ago and one seen
# recently, VUSTA, two of its organisations and a handful of projects.
SMALL_WORLD = textwrap.dedent(f"""
    documents:
      - {{id: test-partners, title: "Test partners", publisher: "tests"}}
    entities:
      - {{id: vusta, kinds: [Union], name: "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam", aliases: [VUSTA, LHHVN], sources: {SRC}}}
      - {{id: org-lead, kinds: [AffiliatedOrganisation], name: "Trung tâm Khí hậu", name_en: "Climate Centre", sources: {SRC}}}
      - {{id: org-health, kinds: [AffiliatedOrganisation], name: "Trung tâm Sức khỏe", name_en: "Health Centre", sources: {SRC}}}
      - {{id: person-bridge, kinds: [Person], name: "Nguyễn Văn Cầu", sources: {SRC}}}
      - id: d-climate
        kinds: [Donor]
        name: "Quỹ Khí hậu Thử"
        aliases: [DCL]
        properties: {{typical_grant_min_usd: 50000, typical_grant_max_usd: 500000, geographic_focus: ["Đồng bằng sông Cửu Long"], instruments: ["grant"], origin_country: "Hà Lan"}}
        sources: {SRC}
      - id: d-health
        kinds: [Donor]
        name: "Quỹ Sức khỏe Thử"
        aliases: [DHE]
        properties: {{typical_grant_min_usd: 100000, typical_grant_max_usd: 1000000, geographic_focus: ["toàn quốc"]}}
        sources: {SRC}
      - {{id: d-unknown, kinds: [Donor], name: "Nhà tài trợ chưa rõ", sources: {SRC}}}
      - {{id: d-profile, kinds: [Donor], name: "Quỹ Hồ sơ Khí hậu", sources: {SRC}}}
      - {{id: d-broad, kinds: [Donor], name: "Quỹ Đa lĩnh vực", sources: {SRC}}}
      - {{id: d-old, kinds: [Donor], name: "Nhà tài trợ cũ", properties: {{geographic_focus: ["Miền Bắc"]}}, sources: {SRC}}}
      - {{id: d-new, kinds: [Donor], name: "Nhà tài trợ mới", properties: {{geographic_focus: ["Miền Bắc"]}}, sources: {SRC}}}
      - {{id: p-climate, kinds: [Project], name: "Dự án khí hậu", properties: {{year: 2020, amount_usd: 200000, region: place-mekong-delta}}, sources: {SRC}}}
      - {{id: p-hiv-old, kinds: [Project], name: "Dự án HIV 2012", properties: {{year: 2012, amount_usd: 80000}}, sources: {SRC}}}
      - {{id: p-hiv-new, kinds: [Project], name: "Dự án HIV 2021", properties: {{year: 2021, amount_usd: 150000}}, sources: {SRC}}}
      - {{id: p-old, kinds: [Project], name: "Dự án 2011", properties: {{year: 2011, amount_usd: 30000}}, sources: {SRC}}}
      - {{id: p-new, kinds: [Project], name: "Dự án 2021", properties: {{year: 2021, amount_usd: 30000}}, sources: {SRC}}}
      - {{id: d-table, kinds: [Donor], name: "Nhà tài trợ từ bảng", sources: {SRC}}}
      - id: p-table
        kinds: [Project]
        name: "Dự án nhập từ bảng"
        properties: {{year: 2019, themes: ["nước sạch"], provinces: ["Cần Thơ"], region: "Mekong Delta"}}
        sources: {SRC}
    relationships:
      - {{type: AFFILIATED_WITH, from: org-lead, to: vusta, sources: {SRC}}}
      - {{type: AFFILIATED_WITH, from: org-health, to: vusta, sources: {SRC}}}
      - {{type: LOCATED_IN, from: org-health, to: place-ha-noi, sources: {SRC}}}
      - {{type: FOCUSES_ON, from: d-climate, to: theme-climate-change, sources: {SRC}}}
      - {{type: FOCUSES_ON, from: d-health, to: theme-hiv-aids, sources: {SRC}}}
      - {{type: FOCUSES_ON, from: d-health, to: theme-health, sources: {SRC}}}
      - {{type: FOCUSES_ON, from: d-profile, to: theme-climate-change, sources: {SRC}}}
      - {{type: FOCUSES_ON, from: d-broad, to: theme-climate-change, sources: {SRC}}}
      - {{type: FOCUSES_ON, from: d-broad, to: theme-health, sources: {SRC}}}
      - {{type: FOCUSES_ON, from: d-broad, to: theme-education, sources: {SRC}}}
      - {{type: FOCUSES_ON, from: d-broad, to: theme-water, sources: {SRC}}}
      - {{type: FOCUSES_ON, from: d-broad, to: theme-gender, sources: {SRC}}}
      - {{type: FOCUSES_ON, from: d-broad, to: theme-energy, sources: {SRC}}}
      - {{type: HOLDS_POSITION, from: person-bridge, to: org-health, properties: {{role: "cố vấn"}}, sources: {SRC}}}
      - {{type: HOLDS_POSITION, from: person-bridge, to: d-health, properties: {{role: "chuyên gia"}}, sources: {SRC}}}
      - {{type: FUNDS, from: d-climate, to: p-climate, properties: {{amount: 200000, year: 2020}}, sources: {SRC}}}
      - {{type: IMPLEMENTS, from: org-lead, to: p-climate, sources: {SRC}}}
      - {{type: FOCUSES_ON, from: p-climate, to: theme-climate-change, sources: {SRC}}}
      - {{type: LOCATED_IN, from: p-climate, to: place-vinh-long, sources: {SRC}}}
      - {{type: FUNDS, from: d-health, to: p-hiv-old, properties: {{amount: 80000, year: 2012}}, sources: {SRC}}}
      - {{type: FUNDS, from: d-health, to: p-hiv-new, properties: {{amount: 150000, year: 2021}}, sources: {SRC}}}
      - {{type: IMPLEMENTS, from: org-health, to: p-hiv-old, sources: {SRC}}}
      - {{type: IMPLEMENTS, from: org-health, to: p-hiv-new, sources: {SRC}}}
      - {{type: FOCUSES_ON, from: p-hiv-old, to: theme-hiv-aids, sources: {SRC}}}
      - {{type: FOCUSES_ON, from: p-hiv-new, to: theme-hiv-aids, sources: {SRC}}}
      - {{type: LOCATED_IN, from: p-hiv-new, to: place-ha-noi, sources: {SRC}}}
      - {{type: FUNDS, from: d-old, to: p-old, properties: {{year: 2011}}, sources: {SRC}}}
      - {{type: IMPLEMENTS, from: org-lead, to: p-old, sources: {SRC}}}
      - {{type: IMPLEMENTS, from: org-lead, to: p-new, sources: {SRC}}}
      - {{type: FUNDS, from: d-new, to: p-new, properties: {{year: 2021}}, sources: {SRC}}}
      - {{type: FOCUSES_ON, from: p-old, to: theme-education, sources: {SRC}}}
      - {{type: FOCUSES_ON, from: p-new, to: theme-education, sources: {SRC}}}
      - {{type: FUNDS, from: d-table, to: p-table, sources: {SRC}}}
""")


@pytest.fixture(scope="module")
def small(server, settings, tmp_path_factory) -> GraphStore:
    from tests.conftest import make_fresh_store

    graph = make_fresh_store(settings)
    path = tmp_path_factory.mktemp("partners") / "small.yaml"
    path.write_text(SMALL_WORLD, encoding="utf-8")
    load_curated(graph, [*REFERENCE, path], quiet=True)
    yield graph
    graph.close()


def component(store: GraphStore, candidate: str, name: str, **idea) -> SimpleNamespace:
    """One component of one candidate: its score, its facts and its reason in both languages."""
    understood = understand(store, idea)
    scorer = Scorer(partner_features(store), understood, load_weights())
    found = partner_features(store).candidates[candidate]
    part = scorer.components(found)[name]
    text = explain(name, part, found, scorer)
    return SimpleNamespace(score=part.score, facts=part.facts, vi=text["vi"], en=text["en"])


# --- each component ------------------------------------------------------------------------------------

def test_theme_fit(small: GraphStore):
    recorded = component(small, "d-climate", "theme_fit", themes=["climate change"])  # profile and a project
    assert recorded.score >= 0.7 and "p-climate" in recorded.facts["projects"]
    related = component(small, "d-climate", "theme_fit", themes=["theme-environment"])  # climate is part of it
    assert 0.4 <= related.score < recorded.score
    unrelated = component(small, "d-health", "theme_fit", themes=["biến đổi khí hậu"])
    assert unrelated.score == 0.0 and unrelated.facts["projects"] == []
    # the portfolio counts too: a donor with no stated focus but past projects on the theme
    assert component(small, "d-new", "theme_fit", themes=["giáo dục"]).score > 0.3
    assert component(small, "d-climate", "theme_fit", regions=["Can Tho"]).score is None  # no theme asked


def test_theme_fit_is_graded_by_recorded_projects_and_by_specificity(small: GraphStore):
    recorded = component(small, "d-climate", "theme_fit", themes=["climate change"]).score
    profile_only = component(small, "d-profile", "theme_fit", themes=["climate change"]).score
    broad = component(small, "d-broad", "theme_fit", themes=["climate change"]).score
    assert recorded > profile_only > broad > 0       # a project beats a profile; a specific profile beats a broad one
    assert profile_only <= 0.5                        # a stated focus alone stays well below a track record


def test_thin_evidence_is_said_plainly(small: GraphStore):
    result = recommend_partners(small, {"themes": ["climate change"]}, roles=["donor"])
    by_id = {r["id"]: r for r in result["results"]}
    thin = by_id["d-profile"]
    theme = next(r for r in thin["reasons"] if r["component"] == "theme_fit")
    assert "no recorded project on this theme; public profile only" in theme["en"]
    assert "chưa có dự án nào được ghi nhận về chủ đề này; chỉ dựa trên hồ sơ công khai" in theme["vi"]
    assert thin["evidence"]["level"] == "profile_only" and thin["evidence_projects"] == []
    strong = by_id["d-climate"]
    assert strong["evidence"]["level"] == "recorded" and strong["score"] > thin["score"]
    assert [p["id"] for p in strong["evidence_projects"]] == ["p-climate"]
    assert strong["evidence_projects"][0]["sources"][0]["document"] == "test-partners"
    assert "no recorded project on this theme" not in next(r for r in strong["reasons"]
                                                            if r["component"] == "theme_fit")["en"]


def test_geographic_fit(small: GraphStore):
    focused = component(small, "d-climate", "geographic_fit", regions=["Mekong Delta"])  # focus and a project there
    assert focused.score > 0.6 and focused.facts["in_region"] == ["p-climate"]
    assert focused.facts["focus_match"] == ["place-mekong-delta"]
    nationwide = component(small, "d-health", "geographic_fit", regions=["Cần Thơ"])  # profile only
    assert nationwide.score == pytest.approx(0.25) and nationwide.facts["nationwide"]
    elsewhere = component(small, "d-climate", "geographic_fit", regions=["Hà Nội"])
    assert elsewhere.score < 0.3
    # past projects in the province add to a nationwide focus
    assert component(small, "d-health", "geographic_fit", regions=["Hà Nội"]).score > 0.6
    assert component(small, "d-climate", "geographic_fit", themes=["water"]).score is None


def test_budget_fit(small: GraphStore):
    inside = component(small, "d-climate", "budget_fit", budget_usd=200_000)  # in range, and a recorded 200k
    assert inside.score > 0.8 and inside.facts["closest"] == 200_000 and inside.facts["side"] == "inside"
    range_only = component(small, "d-profile", "budget_fit", budget_usd=200_000)
    assert range_only.score == 0.0                    # nothing recorded, nothing stated: 0, not a guess
    far = component(small, "d-climate", "budget_fit", budget_usd=5_000_000)
    assert far.score < 0.3 and far.facts["side"] == "above"
    assert component(small, "d-unknown", "budget_fit", budget_usd=200_000).score == 0.0
    assert component(small, "d-climate", "budget_fit", themes=["water"]).score is None


def test_past_collaboration_counts_projects_recency_ties_and_the_lead(small: GraphStore):
    new = component(small, "d-new", "past_collaboration", themes=["education"])
    old = component(small, "d-old", "past_collaboration", themes=["education"])
    assert new.score > old.score > 0.0                    # the same one project, more recent weighs more
    assert component(small, "d-unknown", "past_collaboration", themes=["education"]).score == 0.0
    with_vusta = component(small, "d-health", "past_collaboration", themes=["HIV"])
    with_lead = component(small, "d-health", "past_collaboration", themes=["HIV"], lead="org-health")
    assert with_lead.score > with_vusta.score and len(with_lead.facts["with_lead"]) == 2


def test_network_proximity_finds_the_warm_path_through_a_person(small: GraphStore):
    result = recommend_partners(small, {"themes": ["HIV/AIDS"]}, roles=["donor"])
    health = next(r for r in result["results"] if r["id"] == "d-health")
    kinds = [step["kinds"] for step in health["intro_path"]]
    assert health["intro_path"][0]["id"] == "vusta" and health["intro_path"][-1]["id"] == "d-health"
    assert ["Person"] in kinds                            # through people, not only through projects
    assert health["components"]["network_proximity"] > 0
    assert "Nguyễn Văn Cầu" in health["intro_sentence_vi"]
    unknown = component(small, "d-unknown", "network_proximity", themes=["HIV"])
    assert unknown.score == 0.0 and unknown.facts["distance"] is None


def test_recent_activity(small: GraphStore):
    assert component(small, "d-new", "recent_activity", themes=["education"]).score > 0
    stale = component(small, "d-old", "recent_activity", themes=["education"])
    assert stale.score == 0.0 and stale.facts["span"] == [2019, 2021]


def test_every_component_is_explained_in_both_languages(small: GraphStore):
    result = recommend_partners(small, {"text": "phòng chống HIV ở Hà Nội, 150.000 USD"}, roles=["donor"])
    top = result["results"][0]
    assert top["id"] == "d-health"
    assert [r["component"] for r in sorted(top["reasons"], key=lambda r: COMPONENTS.index(r["component"]))] == \
        list(COMPONENTS)
    for reason in top["reasons"]:
        assert reason["vi"] and reason["en"] and reason["vi"] != reason["en"]
    assert set(top["components"]) == set(COMPONENTS)
    assert 0.0 <= top["score"] <= 1.0
    assert top["score"] == pytest.approx(sum(top["contributions"].values()), abs=0.002)


def test_projects_that_name_themes_and_places_only_as_text_are_understood(small: GraphStore):
    project = partner_features(small).projects["p-table"]
    assert project.themes == {"theme-water"} and project.provinces == {"place-can-tho"}
    assert project.region == "place-mekong-delta"
    assert component(small, "d-table", "theme_fit", themes=["water"]).score > 0.3


def test_co_applicants_are_ranked_by_their_experience(small: GraphStore):
    result = recommend_partners(small, {"themes": ["HIV"], "regions": ["Hà Nội"]}, roles=["co_applicant"])
    assert [r["id"] for r in result["results"]][:1] == ["org-health"]
    reasons = " ".join(r["en"] for r in result["results"][0]["reasons"])
    assert "carried out 2 projects" in reasons and "suggested donors" in reasons


# --- weights ----------------------------------------------------------------------------------------------

def test_default_weights_are_normalised_and_documented():
    weights = load_weights().normalised()
    assert set(weights) == set(COMPONENTS) and sum(weights.values()) == pytest.approx(1.0, abs=0.001)
    assert weights["theme_fit"] == max(weights.values())


def test_weights_can_be_overridden_by_text_mapping_and_file(tmp_path: Path):
    assert load_weights("theme=1,geography=0,budget=0,collaboration=0,proximity=0,activity=0").normalised()[
        "theme_fit"] == 1.0
    assert load_weights({"budget_fit": 3}).model_dump()["budget_fit"] == 3
    path = tmp_path / "w.yaml"
    path.write_text("theme_fit: 2\nrecent_activity: 2\n", encoding="utf-8")
    assert load_weights(str(path)).normalised()["recent_activity"] == load_weights(str(path)).normalised()["theme_fit"]
    json_path = tmp_path / "w.json"
    json_path.write_text(json.dumps({"network": 5}), encoding="utf-8")
    assert load_weights(str(json_path)).model_dump()["network_proximity"] == 5


@pytest.mark.parametrize("bad,message", [
    ("colour=1", "unknown component"),
    ("theme=lots", "not a number"),
    ("theme=-1", "greater than or equal to 0"),
    ("theme=0,geography=0,budget=0,collaboration=0,proximity=0,activity=0", "at least one weight"),
    ("theme", "NAME=NUMBER"),
    ("/no/such/weights.yaml", "cannot read"),
])
def test_bad_weights_are_clear_errors(bad: str, message: str):
    with pytest.raises(WeightsError, match=message):
        load_weights(bad)


def test_weights_change_the_ranking(small: GraphStore):
    idea = {"themes": ["climate change"], "budget_usd": 150_000}
    by_theme = recommend_partners(small, idea, weights="theme=1,geography=0,budget=0,collaboration=0,proximity=0,"
                                                        "activity=0", roles=["donor"])
    assert by_theme["results"][0]["id"] == "d-climate"
    assert by_theme["results"][0]["score"] == by_theme["results"][0]["components"]["theme_fit"]
    by_budget = recommend_partners(small, {"budget_usd": 150_000},
                                   weights="theme=0,geography=0,budget=1,collaboration=0,proximity=0,activity=0",
                                   roles=["donor"])
    scores = {r["id"]: r["score"] for r in by_budget["results"]}
    assert scores["d-health"] > scores["d-climate"] > scores["d-unknown"] == 0.0  # closest recorded sizes first


# --- empty and unknown inputs ------------------------------------------------------------------------------

@pytest.mark.parametrize("idea,message", [
    ({}, "Describe the project idea"),
    ({"text": "   "}, "Describe the project idea"),
    ({"themes": ["không có chủ đề này"]}, "Unknown theme"),
    ({"text": "x", "regions": ["Atlantis"]}, "Unknown region or province"),
    ({"text": "HIV", "lead": "Tổ chức không tồn tại XYZ"}, "No organisation"),
    ({"text": "HIV", "budget_usd": -5}, "not valid"),
    ({"text": "HIV", "colour": "red"}, "not valid"),
])
def test_empty_and_unknown_inputs_are_clear_errors(small: GraphStore, idea: dict, message: str):
    with pytest.raises(IdeaError, match=message) as caught:
        recommend_partners(small, idea)
    assert caught.value.vi  # also said in Vietnamese, for the app


def test_a_limit_out_of_range_is_an_error(small: GraphStore):
    with pytest.raises(IdeaError, match="--limit"):
        recommend_partners(small, {"text": "HIV"}, limit=0)


def test_an_idea_with_no_recognisable_theme_still_answers_and_says_so(small: GraphStore):
    result = recommend_partners(small, {"text": "một ý tưởng rất chung chung"})
    assert result["query"]["themes"] == []
    assert any("No theme was recognised" in note["en"] for note in result["notes"])
    assert result["results"]  # ranked on the other components


def test_candidates_that_do_not_work_on_the_themes_are_not_listed(small: GraphStore):
    result = recommend_partners(small, {"themes": ["climate change"]}, roles=["donor"])
    listed = {r["id"] for r in result["results"]}
    assert "d-climate" in listed and "d-health" not in listed and "d-unknown" not in listed
    assert any("not listed" in note["en"] for note in result["notes"])


# --- the real data and the CLI --------------------------------------------------------------------------

def cli(*args: str, database: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if database:
        env["VUSTA_EMBEDDED_DATABASE"] = database
    return subprocess.run([sys.executable, "-m", "queries", "partners", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


CLIMATE_THEMES = {"theme-climate-change", "theme-environment", "theme-water", "theme-energy", "theme-biodiversity",
                  "theme-disaster-response", "theme-forestry", "theme-green-growth"}


def donors(result: dict) -> list[dict]:
    return [r for r in result["results"] if r["role"] == "donor"]


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_cli_climate_adaptation_in_the_mekong_delta(demo_store: GraphStore):
    store = demo_store  # with the demo data (sample portfolio): sample evidence, said so
    done = cli("--text", "thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long", "--json", database=store.database)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["query"]["themes"][0]["id"] == "theme-climate-change"
    assert result["query"]["places"][0]["region"] == "place-mekong-delta"
    features = partner_features(store)
    top = donors(result)[:5]
    for item in top:  # climate and environment donors near the top, by their public profile
        assert features.candidates[item["id"]].themes & CLIMATE_THEMES, item["id"]
        # a public profile alone counts at most 0.5 for theme fit; a weak recorded match a little less
        assert item["components"]["theme_fit"] >= 0.4
        assert all(reason["vi"] and reason["en"] for reason in item["reasons"])
    assert any(len(item["intro_path"]) >= 2 for item in top)
    assert {"donor", "co_applicant", "international_partner"} <= {r["role"] for r in result["results"]}
    assert result["sample_data"] and any("SAMPLE" in n["en"] for n in result["notes"])


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_cli_health_idea_gives_a_different_fitting_list(demo_store: GraphStore):
    store = demo_store
    climate = json.loads(cli("--text", "thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long", "--json",
                             database=store.database).stdout)
    done = cli("--text", "phong chong HIV/AIDS cho nguoi su dung ma tuy o Hai Phong", "--budget", "150000", "--json",
               database=store.database)
    assert done.returncode == 0, done.stderr
    health = json.loads(done.stdout)
    assert {t["id"] for t in health["query"]["themes"]} >= {"theme-hiv-aids"}
    top_health = [r["id"] for r in donors(health)[:5]]
    # at most one broad donor (one that funds both, as USAID does in the real portfolio) is in both lists
    assert len(set(top_health) & {r["id"] for r in donors(climate)[:5]}) <= 1
    features = partner_features(store)
    health_themes = {"theme-hiv-aids", "theme-health", "theme-drugs-prostitution", "theme-tuberculosis-malaria"}
    for donor_id in top_health:
        assert features.candidates[donor_id].themes & health_themes, donor_id


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_cli_text_output_and_errors(store: GraphStore):
    done = cli("--theme", "water", "--region", "Can Tho", "--limit", "3")
    assert done.returncode == 0 and "Donors:" in done.stdout and "Themes: Water resources" in done.stdout
    both = json.loads(cli("--theme", "water", "climate change", "--region", "Cần Thơ", "--json").stdout)
    assert [t["id"] for t in both["query"]["themes"]] == ["theme-water", "theme-climate-change"]
    assert both["query"]["places"][0]["province"] == "place-can-tho"
    bad = cli("--theme", "nothing-like-this", "--json")
    assert bad.returncode == 1 and "Unknown theme" in json.loads(bad.stdout)["error"]
    empty = cli("--json")
    assert empty.returncode == 1 and "Describe the project idea" in json.loads(empty.stdout)["error"]
    weights = cli("--text", "HIV", "--weights", "theme=abc", "--json")
    assert weights.returncode == 1 and "not a number" in json.loads(weights.stdout)["error"]


@pytest.mark.slow  # the first to load the demo data (14 s): left out of the fast subset
def test_sample_records_are_marked(demo_store: GraphStore):
    store = demo_store
    result = recommend_partners(store, {"text": "phòng chống HIV/AIDS"}, roles=["co_applicant"], limit=20)
    sample_orgs = [r for r in result["results"] if r["id"].startswith("sample-org-")]
    assert sample_orgs and all(r["sample"] and r["uses_sample_data"] for r in sample_orgs)
    assert all("(mẫu)" in r["name"] for r in sample_orgs)


@pytest.mark.parametrize("graph", ["store", pytest.param("demo_store", marks=pytest.mark.slow)])
def test_stopping_early_keeps_the_same_top_results(graph: str, request: pytest.FixtureRequest):
    store = request.getfixturevalue(graph)
    for text in ("thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long", "giáo dục và nâng cao năng lực"):
        few = recommend_partners(store, {"text": text}, limit=3)
        many = recommend_partners(store, {"text": text}, limit=80)
        for role in ("donor", "co_applicant", "international_partner"):
            top = [(r["id"], r["score"]) for r in few["results"] if r["role"] == role]
            assert top == [(r["id"], r["score"]) for r in many["results"] if r["role"] == role][:3], (text, role)


@pytest.mark.parametrize("graph", ["store", pytest.param("demo_store", marks=pytest.mark.slow)])
def test_no_candidate_scores_above_its_upper_bound(graph: str, request: pytest.FixtureRequest):
    """The ranking passes over candidates by Scorer.upper_bound and Scorer.tight_bound: both must
    hold for every candidate, whatever the idea asks (places, budget, another lead) and whichever
    evidence is used, and the closer one is never above the other (but for rounding)."""
    store = request.getfixturevalue(graph)
    features = partner_features(store)
    lead = max((c for c in features.candidates.values() if c.role == "co_applicant"),
               key=lambda c: (len(features.history.get(c.id, [])), c.id)).id
    ideas = [{"text": "thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long"},
             {"text": "phòng chống HIV/AIDS cho thanh niên", "budget_usd": 250_000},
             {"text": "nước sạch nông thôn miền núi phía Bắc", "lead": lead},
             {"text": "giáo dục và nâng cao năng lực trên cả nước", "budget_usd": 40_000}]
    checked = skipped = 0
    for idea in ideas:
        understood = understand(store, idea)
        for options in ({}, {"use_profile": False}, {"use_history": False},
                        {"exclude": frozenset(list(features.projects)[:5])}):
            scorer = Scorer(features, understood, load_weights(), explain=False, **options)
            donors = scorer.rank("donor", min_theme_fit=0.1)
            scorer.set_top_donors([item[1].id for item in donors[:5]])
            for role in ("donor", "co_applicant", "international_partner"):
                ranked = donors if role == "donor" else scorer.rank(role, min_theme_fit=0.1)
                for total, candidate, parts, _ in ranked:
                    bound = scorer.upper_bound(candidate, parts["theme_fit"].score)
                    closer, known = scorer.tight_bound(candidate, parts["theme_fit"].score)
                    assert total <= closer + 1e-3 and closer <= bound + 1e-3, (idea, options, candidate.id, total)
                    assert all(known[name] == parts[name] for name in known)  # the parts it made are the real ones
                    checked += 1
                scorer.rank(role, min_theme_fit=0.1, top=3)
                skipped += scorer.skipped[role]
    assert checked > 100
    if graph == "demo_store":
        assert skipped > 0  # the bound does leave candidates out on the sample portfolio


def test_every_theme_is_prepared_as_a_request_would_make_it(store: GraphStore):
    """prepare_every_theme keeps every theme's evidence and fits once per graph version; what it
    keeps is what a request on that theme alone makes, with the default options."""
    prepared = build_features(store)
    prepare_every_theme(prepared)
    assert prepared.every_theme_ready
    assert {key for key in prepared._theme_evidence} == {(theme, True) for theme in prepared.taxonomy.themes}
    lazy = build_features(store)
    base = understand(store, {"text": "thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long"})
    compared = 0
    for theme in prepared.taxonomy.themes:
        idea = dataclasses.replace(base, themes=[ChosenTheme(theme, 1.0, "given")])
        scorer = Scorer(lazy, idea, load_weights(), explain=False)
        made = scorer._themes[0]
        kept = prepared._theme_evidence[(theme, True)]
        assert (kept.profile, kept.funded, kept.implemented) == (made.profile, made.funded, made.implemented), theme
        assert kept.fits[True] == scorer.theme_fits(made), theme
        for role in ROLES:  # and the same fits as the arrays the first bounds read
            made_arrays = bounds.theme_fit_array(bounds.role_table(lazy, role), made, scorer.theme_fits(made)[role], True)
            kept_arrays = kept.fit_arrays[(True, role)]
            assert [a.tolist() for a in kept_arrays] == [a.tolist() for a in made_arrays], (theme, role)
        compared += bool(made.funded or made.implemented)
    assert compared >= 10  # themes with recorded projects, not only profiles
    kept_before = dict(prepared._theme_evidence)
    prepare_every_theme(prepared)  # once per graph version: nothing made again
    assert all(prepared._theme_evidence[k] is v for k, v in kept_before.items())


def test_theme_evidence_is_kept_between_requests_but_not_when_projects_are_hidden(store: GraphStore):
    features = partner_features(store)
    understood = understand(store, {"text": "thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long"})
    first, again = (Scorer(features, understood, load_weights(), explain=False) for _ in range(2))
    assert first._themes and all(a is b for a, b in zip(first._themes, again._themes))
    assert [(s, c.id) for s, c, _, _ in first.rank("donor")] == [(s, c.id) for s, c, _, _ in again.rank("donor")]
    project = next(iter(features.projects))
    hidden = Scorer(features, understood, load_weights(), explain=False, exclude=frozenset([project]))
    assert all(a is not b for a, b in zip(first._themes, hidden._themes))
    assert all(project not in ids for e in hidden._themes for ids in e.funded_ids.values())


@pytest.mark.parametrize("graph", ["store", pytest.param("demo_store", marks=pytest.mark.slow)])
def test_donors_shared_with_the_lead_are_all_found(graph: str, request: pytest.FixtureRequest):
    """The donors a co-applicant shares with the lead are found per project within a request (no
    donor set per organisation is kept): the same as gathering both sets in full, with projects
    hidden or not."""
    store = request.getfixturevalue(graph)
    features = partner_features(store)
    co_applicants = [c for c in features.candidates.values() if c.role == "co_applicant"]
    lead = max(co_applicants, key=lambda c: (len(features.history.get(c.id, [])), c.id)).id
    understood = understand(store, {"text": "nước sạch nông thôn miền núi phía Bắc", "lead": lead})
    found = 0
    for exclude in (frozenset(), frozenset(p.id for p in features.history[lead][:1])):
        scorer = Scorer(features, understood, load_weights(), exclude=exclude)
        lead_donors = {d for p in features.history[lead] if p.id not in exclude for d in p.donors}
        for candidate in co_applicants:
            if candidate.id == lead:
                continue
            history = scorer.history(candidate)
            expected = sorted({d for p in history for d in p.donors} & lead_donors)
            facts = scorer.past_collaboration(candidate, history).facts
            assert facts.get("shared_donors", []) == expected, (candidate.id, exclude)
            found += bool(expected)
    assert found > 0


@pytest.mark.parametrize("graph", ["store", pytest.param("demo_store", marks=pytest.mark.slow)])
def test_kept_theme_fits_give_every_candidate_its_theme_fit(graph: str, request: pytest.FixtureRequest):
    """The ranking reads the theme fit from per-theme fits kept with the evidence and makes every
    candidate's first bound at once (arrays): for every candidate the same theme fit and the same
    bound as computing them one at a time, and the same ranking, scored and skipped as without them."""
    store = request.getfixturevalue(graph)
    features = partner_features(store)
    compared = 0
    for text in ("thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long", "HIV/AIDS prevention for young people",
                 "nước sạch và vệ sinh, giáo dục cho trẻ em vùng cao"):
        understood = understand(store, {"text": text})
        for options in ({}, {"use_profile": False}, {"use_history": False}):
            scorer = Scorer(features, understood, load_weights(), explain=False, **options)
            donors = scorer.rank("donor", min_theme_fit=0.1)
            scorer.set_top_donors([item[1].id for item in donors[:5]])  # co-applicants' bounds read them
            for role in ("donor", "co_applicant", "international_partner"):
                kept = scorer.theme_scores(role)
                upper = scorer.upper_bounds(role)
                for candidate in features.candidates.values():
                    if candidate.role != role:
                        continue
                    score = scorer.theme_fit(candidate, scorer.history(candidate)).score
                    assert kept.get(candidate.id, 0.0) == score, (text, options, candidate.id)
                    if candidate.id in kept:  # every bound at once: the same number as one at a time
                        assert upper[candidate.id] == scorer.upper_bound(candidate, score), (text, options, candidate.id)
                        compared += 1
                fast = scorer.rank(role, min_theme_fit=0.1, top=5)
                passed, skipped = scorer.passed[role], scorer.skipped[role]
                slow = scorer.explaining().rank(role, min_theme_fit=0.1, top=5)  # one candidate at a time
                assert [(s, c.id) for s, c, _, _ in fast] == [(s, c.id) for s, c, _, _ in slow], (text, role)
                assert (passed, skipped) == (scorer.passed[role], scorer.skipped[role]), (text, role)
    assert compared > 50


def test_place_evidence_is_kept_for_the_next_request_and_top_donors_projects_are_all_found(store: GraphStore):
    """What a request makes from its places is kept for the next request asking the same (the same
    as made afresh), but not when projects are hidden. The projects each co-applicant carried out
    for the top donors, found in its own history, and the marks the bounds read are those of a
    scan of every top donor's projects."""

    features = partner_features(store)
    understood = understand(store, {"text": "thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long"})
    first, again = (Scorer(features, understood, load_weights(), explain=False) for _ in range(2))
    places = first._places
    assert places is again._places and places.funded_ids  # kept, and the Mekong delta has projects
    fresh = first._make_place_evidence()
    assert (fresh.funded, fresh.implemented, fresh.funded_ids, fresh.implemented_ids) == \
        (places.funded, places.implemented, places.funded_ids, places.implemented_ids)
    donors = [item[1].id for item in first.rank("donor", min_theme_fit=0.1)[:5]]
    project = next(iter(places.funded_ids.values()))[0]
    table = bounds.role_table(features, "co_applicant")
    found = 0
    for hidden in (frozenset(), frozenset([project])):
        scorer = Scorer(features, understood, load_weights(), explain=False, exclude=hidden)
        scorer.set_top_donors(donors)
        scanned: dict[str, set[str]] = {}
        for donor in donors:
            for project_id in features.funded_by.get(donor, []):
                if project_id not in hidden:
                    for organisation in features.projects[project_id].implementers:
                        scanned.setdefault(organisation, set()).add(project_id)
        marks = scorer._top_marks(table)
        for position, candidate in enumerate(table.candidates):
            mine = {p.id for p in scorer.with_top_donors(candidate)}
            assert mine == scanned.get(candidate.id, set()), (candidate.id, hidden)
            assert bool(marks[position]) == bool(mine), candidate.id
            found += bool(mine)
    assert found > 0
    hidden_scorer = Scorer(features, understood, load_weights(), explain=False, exclude=frozenset([project]))
    assert hidden_scorer._places is not places
    assert all(project not in ids for ids in hidden_scorer._places.funded_ids.values())


def test_cited_projects_name_all_their_donors_and_implementers_and_each_answer_owns_its_lists(store: GraphStore):
    """A cited project's donors and implementers are sorted once and kept; every answer gets its
    own copy, so changing one answer does not change the next."""
    features = partner_features(store)
    text = "thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long"
    cited = [p for r in recommend_partners(store, text=text)["results"] for p in r["evidence_projects"]]
    assert cited
    for project in cited:
        recorded = features.projects[project["id"]]
        assert project["donors"] == sorted(recorded.donors) and project["implementers"] == sorted(recorded.implementers)
        project["donors"].append("changed")
    again = [p for r in recommend_partners(store, text=text)["results"] for p in r["evidence_projects"]]
    assert all("changed" not in p["donors"] for p in again)
