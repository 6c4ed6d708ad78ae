"""The read-side functions behind the explorer (queries/overview, neighbourhood, documents, quality,
status) and the relationship-map HTML, against the session's real store."""

from __future__ import annotations

import json
import re

import pytest

from graph.settings import Settings
from graph.store import GraphStore
from queries.documents import contributions, documents
from queries.neighbourhood import (UnknownEntities, best_acronym, entity_choices, fit_label, neighbourhood,
                                   path_network, sub_themes, year_range)
from queries.overview import donor_origins, figure_charts, figures, ingest_log, overview, top_partners
from queries.paths import find_paths
from queries.projection import projection
from queries.status import store_status
from ui.network_html import render_network


def node_ids(hood: dict) -> set[str]:
    return {n["id"] for n in hood["nodes"]}


# --- overview ------------------------------------------------------------------------------------

def test_figures_are_grouped_into_the_overview_charts(store):
    charts = figure_charts(figures(store))
    aid = {(r["when"], r["value"]) for r in charts["aid_by_year"]}
    assert {("2018", 8_000_000.0), ("2019", 9_500_000.0), ("2019", 5_400_000.0)} <= aid
    assert all(r["unit"] in ("USD", "USD/year") for r in charts["aid_by_year"])
    themes = {r["category"]: r["value"] for r in charts["theme_share"]}
    assert themes["Lĩnh vực khác"] == 35 and sum(themes.values()) == 100
    sizes = {r["category_en"]: r["value"] for r in charts["project_size"]}
    assert sizes == {"< 100k USD": 58, "100k – 400k USD": 30, "> 400k USD": 12}
    assert all(r["source"].endswith(".txt:32") or ".txt:" in r["source"] for r in charts["project_size"])


def test_donor_origins_count_donors_by_country(store):
    origins = {r["origin"]: r for r in donor_origins(store)}
    assert origins["Đức"]["count"] >= 3 and "Tổ chức Hợp tác Phát triển Đức" in origins["Đức"]["names"]
    assert sum(r["count"] for r in origins.values()) == len(
        [c for c in entity_choices(store, kinds=["Donor"])])


def test_top_partners_count_real_connections_only(store):
    top = top_partners(store, limit=5)
    assert len(top) == 5 and top[0]["connections"] >= top[-1]["connections"] > 0
    assert "vusta" not in {t["id"] for t in top}  # VUSTA is not its own partner
    assert all("sample_connections" in t for t in top)


def test_overview_has_everything_the_page_shows(store):
    data = overview(store)
    assert data["entities"] == store.read("count_entities")[0]["count"]
    assert data["entities_by_kind"]["Union"] == 1
    assert "MENTIONED_IN" in data["relationships_by_type"]
    assert data["relationships"] < sum(data["relationships_by_type"].values())  # provenance is not counted
    assert data["latest_runs"][0]["command"] and ingest_log(store, 1)[0]["id"] == data["latest_runs"][0]["id"]


# --- neighbourhood -------------------------------------------------------------------------------

def test_neighbourhood_of_vusta_is_guarded_and_says_how_many_were_left_out(store):
    hood = neighbourhood(store, ["vusta"], depth=1, max_nodes=25)
    assert len(hood["nodes"]) == 25 and hood["nodes"][0]["id"] == "vusta" and hood["nodes"][0]["seed"]
    assert hood["omitted"] == hood["total"] - 25 > 0
    ids = node_ids(hood)
    assert all(e["from"] in ids and e["to"] in ids for e in hood["edges"])
    assert not {"Document", "Figure"} & {n["kind"] for n in hood["nodes"]}
    assert all(e["type"] not in ("MENTIONED_IN", "DESCRIBES") for e in hood["edges"])
    kept = sorted((n for n in hood["nodes"][1:]), key=lambda n: -n["importance"])
    assert kept[0]["importance"] >= kept[-1]["importance"]


def test_neighbourhood_grows_with_depth(store):
    one = neighbourhood(store, ["afeo"], depth=1, max_nodes=400)
    two = neighbourhood(store, ["afeo"], depth=2, max_nodes=400)
    assert node_ids(one) < node_ids(two)
    assert max(n["distance"] for n in two["nodes"]) == 2


def test_neighbourhood_filters_by_kind_type_and_year(store):
    donors = neighbourhood(store, ["vusta"], depth=1, kinds=["Donor"], max_nodes=400)
    assert all("Donor" in n["kinds"] for n in donors["nodes"][1:]) and "giz" in node_ids(donors)
    members = neighbourhood(store, ["vusta"], depth=1, types=["MEMBER_OF"], max_nodes=400)
    assert {"afeo", "isc"} <= node_ids(members) and {e["type"] for e in members["edges"]} == {"MEMBER_OF"}
    first, last = year_range(store)
    assert first < last
    dated = neighbourhood(store, ["vusta"], depth=1, years=(2019, 2019), include_undated=False, max_nodes=400)
    assert dated["edges"] and all(e["year"] == 2019 for e in dated["edges"])


def test_the_climate_theme_keeps_only_the_climate_work(store):
    hood = neighbourhood(store, ["vusta"], depth=2, themes=["theme-climate-change"], max_nodes=400)
    ids = node_ids(hood)
    assert {"vusta", "theme-climate-change", "ecf", "project-ecf-vusta-coordination"} <= ids
    assert "cpv" not in ids
    themes = {n["id"] for n in hood["nodes"] if "Theme" in n["kinds"]}
    assert "theme-environment" not in themes  # the broader theme is not climate work
    assert themes <= sub_themes(projection(store), ["theme-climate-change"])


@pytest.mark.slow  # loads the demo data (15 s): left out of the fast subset
def test_sample_data_can_be_left_out_of_a_map(demo_store):
    store = demo_store
    with_sample = neighbourhood(store, ["vusta"], depth=1, max_nodes=400)
    real = neighbourhood(store, ["vusta"], depth=1, max_nodes=400, include_sample=False)
    assert not any(n["sample"] for n in real["nodes"])
    assert real["sample_hidden"] == sum(1 for n in with_sample["nodes"] if n["sample"])


def test_unknown_entities_are_reported(store):
    with pytest.raises(UnknownEntities):
        neighbourhood(store, ["no-such-entity"])
    hood = neighbourhood(store, ["vusta", "no-such-entity"])
    assert hood["unknown"] == ["no-such-entity"]


def test_paths_become_a_network(store):
    found = find_paths(store, "hoi-luat-gia", "giz", limit=3)
    hood = path_network(store, found)
    ids = node_ids(hood)
    assert {"hoi-luat-gia", "giz"} <= ids and set(hood["seeds"]) == {"hoi-luat-gia", "giz"}
    assert len(hood["edges"]) >= found["paths"][0]["length"]


def test_labels_fit_on_a_map():
    assert best_acronym(["LHHVN", "VUSTA"], "Vietnam Union of Science and Technology Associations") == "VUSTA"
    assert best_acronym(["LHHVN", "VUSTA"], "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam") == "LHHVN"
    first = fit_label("Thỏa thuận phối hợp công tác giai đoạn 2011 – 2016 giữa Ủy ban và Liên hiệp Hội")
    second = fit_label("Thỏa thuận phối hợp công tác giai đoạn 2016 – 2021 giữa Ủy ban và Liên hiệp Hội")
    assert first != second and "2011 – 2016" in first
    assert all(len(line) <= 31 for line in first.split("\n"))


# --- the map as HTML -----------------------------------------------------------------------------

def test_the_map_html_is_standalone_coloured_and_sized(store):
    hood = neighbourhood(store, ["vusta"], depth=1, max_nodes=20)
    html = render_network(hood, "vi", title="Bản đồ")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)  # nothing loaded from elsewhere
    assert "vis.Network" in html and len(html) > 300_000  # vis-network itself is inside
    nodes = json.loads(re.search(r"new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1))
    vusta = next(n for n in nodes if n["id"] == "vusta")
    from ui.colours import colour_of

    assert vusta["color"]["background"] == colour_of(["Union"]) == "#D55E00"  # the VUSTA-system group colour
    assert vusta["size"] == max(n["size"] for n in nodes)  # the most important is the largest
    assert "Liên hiệp hội" in html  # legend in Vietnamese
    assert "Union" in render_network(hood, "en")


def test_a_map_in_the_app_links_the_library_the_app_serves(store):
    """Inside the app a map links vis-network where the app serves it (a copy made from the
    installed pyvis, byte for byte); without that, and in a download, the map carries it."""
    from ui import network_html

    hood = neighbourhood(store, ["vusta"], depth=1, max_nodes=20)
    network_html._served_library.cache_clear()
    address = network_html._served_library()
    assert address is not None and address.startswith("app/static/")
    served = network_html.STATIC / address.removeprefix("app/static/")
    assert served.read_bytes() == network_html.VIS_JS.read_bytes()
    linked = render_network(hood, "vi", library=address)
    assert f'<script src="{address}"></script>' in linked and "vis.Network" in linked and len(linked) < 100_000
    standalone = render_network(hood, "vi")
    assert "app/static" not in standalone and len(standalone) > 300_000


def test_the_map_html_escapes_every_name():
    hood = {"seeds": ["x"], "omitted": 0, "depth": 1, "unknown": [], "edges": [], "nodes": [{
        "id": "x", "name": "<script>alert(1)</script>", "name_en": "</script><b>x</b>", "aliases": ["<img src=x>"],
        "label": "<script>alert(1)</script>", "label_en": "x", "kinds": ["Donor"], "kind": "Donor",
        "colour": "#16a34a", "importance": 1.0, "distance": 0, "seed": True, "sample": True}]}
    html = render_network(hood, "vi", title="<script>alert(2)</script>")
    assert "<script>alert" not in html and "</script><b>" not in html and "<img src=x>" not in html
    assert "\\u003cscript\\u003ealert(1)" in html and "&lt;script&gt;alert(2)" in html


# --- documents, quality, status ----------------------------------------------------------------------

def test_documents_say_what_each_contributed(store, settings):
    items = {d["id"]: d for d in documents(store, settings.documents_dir)}
    first = items["000_f6208c092d653411.txt"]
    assert first["available"] and first["entities"] > 50 and first["by_kind"]["Theme"] > 5
    found = contributions(store, "000_f6208c092d653411.txt", settings.documents_dir)
    afeo = next(e for e in found["entities"] if e["id"] == "afeo")
    assert afeo["lines"] and "AFEO" in afeo["sentence"]
    member = next(r for r in found["relationships"] if r["type"] == "MEMBER_OF" and r["to_id"] == "afeo")
    assert member["from_id"] == "vusta" and "AFEO" in member["sentence"]


def test_status_of_a_reachable_and_an_unreachable_store(store, settings):
    status = store_status(store)
    assert status["reachable"] and status["entities"] == store.read("count_entities")[0]["count"]
    down = GraphStore(Settings(**{**settings.__dict__, "neo4j_uri": "bolt://127.0.0.1:9", "neo4j_password": "x"}))
    status = store_status(down)
    assert not status["reachable"] and status["backend"] == "neo4j" and "NEO4J_URI" in status["what_to_do"]["en"]
    assert "cannot be reached" in status["message"]
