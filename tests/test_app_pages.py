"""Each page of the explorer, driven by Streamlit's AppTest against the session's real store."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from graph.schema import EntityRecord, NodeKind, RelationshipRecord
from graph.text import fold
from ingest.load import load_records

VUSTA_NAME = "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam"


def _run_app(start: str) -> None:
    from ui.app import main

    main(start=start)


def open_page(start: str, **session: object) -> AppTest:
    app = AppTest.from_function(_run_app, kwargs={"start": start}, default_timeout=90)
    for key, value in session.items():
        app.session_state[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def iframes(app: AppTest) -> list[str]:
    """The HTML of every st.iframe on the page (the relationship maps)."""
    return [element.proto.srcdoc for element in app.get("iframe")]


def unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


# --- overview ------------------------------------------------------------------------------------

def test_overview_shows_counts_charts_partners_and_latest_ingestion(store):
    app = open_page("overview")
    metrics = {m.label: m.value for m in app.metric}
    entities = store.read("count_entities")[0]["count"]
    assert metrics["Thực thể"] == f"{entities:,}".replace(",", ".")
    assert int(metrics["Tài liệu nguồn"]) >= 5
    subheaders = [s.value for s in app.subheader]
    for title in ("Viện trợ theo năm", "Nhà tài trợ theo nguồn gốc", "Đối tác có nhiều kết nối nhất",
                  "Lần nạp dữ liệu gần nhất", "Thực thể theo loại"):
        assert title in subheaders
    assert any(s.startswith("Dự án viện trợ theo lĩnh vực (2019") for s in subheaders)
    assert len(app.get("vega_lite_chart")) >= 6
    assert "python -m ingest" in " ".join(m.value for m in app.markdown)  # the latest IngestRun
    partners = app.dataframe[1].value  # [0] is the table of all figures
    assert list(partners.columns) == ["Tên", "Loại", "Kết nối"] and len(partners) == 10


# --- search --------------------------------------------------------------------------------------

@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_search_finds_vusta_for_lien_hiep_hoi_and_opens_its_profile(store):
    app = open_page("search")
    app.text_input(key="q").input("lien hiep hoi").run()
    assert not app.exception
    results = [m.value for m in app.markdown if m.value.startswith("**")]
    assert results and results[0].startswith(f"**{VUSTA_NAME}**")
    assert "Liên hiệp hội" in results[0]  # the kind badge
    app.button(key="open-vusta").click().run()
    assert not app.exception
    assert [t.value for t in app.title] == [VUSTA_NAME]
    assert app.session_state["selected_entity"] == "vusta"


@pytest.mark.parametrize("text, expected", [("LHHVN", "vusta"), ("giz", "giz"), ("Hoi luat gia", "hoi-luat-gia"),
                                            ("Lien hiep hoi viet nma", "vusta")])
def test_search_by_acronym_without_diacritics_and_with_typos(store, text, expected):
    app = open_page("search")
    app.text_input(key="q").input(text).run()
    assert not app.exception
    first_open_button = next(b for b in app.button if b.key and b.key.startswith("open-"))
    assert first_open_button.key == f"open-{expected}"


def test_search_says_so_when_nothing_matches(store):
    app = open_page("search")
    app.text_input(key="q").input("zzzzqqqq xxxyyy").run()
    assert not app.exception
    assert [i.value for i in app.info] == ["Không tìm thấy. Thử tên khác, tên viết tắt hoặc bớt từ."]


# --- profile -------------------------------------------------------------------------------------

@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_profile_shows_names_relationships_and_the_sentence_behind_each_fact(store):
    app = open_page("profile", selected_entity="vusta")
    assert [t.value for t in app.title] == [VUSTA_NAME]
    text = unescaped(" ".join(m.value for m in app.markdown))
    assert "LHHVN" in text  # aliases
    assert "là thành viên của" in text and "AFEO" in text
    # the sources: a document title and the sentence quoted from the document itself
    assert "Tăng cường kết nối, phát triển mạng lưới hợp tác quốc tế" in text
    assert "000_f6208c092d653411.txt, dòng" in text
    assert re.search(r"vusta-quote'>“[^”]*AFEO", text), "the sentence naming AFEO is quoted"
    maps = iframes(app)
    assert len(maps) == 1 and '"id": "vusta"' in maps[0]


def test_a_long_list_of_relationships_ends_in_a_table(store, monkeypatch):
    """Past the first few relationships of a type, the rest are rows of one table (a large donor has
    over a thousand): every relationship is still shown once, written out or in the table."""
    from queries.profile import show
    from ui.pages import profile

    monkeypatch.setattr(profile, "RELATIONSHIPS_WRITTEN", 2)
    app = open_page("profile", selected_entity="vusta")
    relationships = [r for r in show(store, "vusta")["relationships"] if r["type"] != "MENTIONED_IN"]
    by_type: dict[str, int] = {}
    for rel in relationships:
        by_type[rel["type"]] = by_type.get(rel["type"], 0) + 1
    long_types = [t for t, n in by_type.items() if n > 2]
    tables = [d.value for d in app.dataframe if "Quan hệ" in d.value.columns]
    assert len(tables) == len(long_types) >= 1
    assert sum(len(t) for t in tables) == sum(n - 2 for n in by_type.values() if n > 2)
    assert all(list(t.columns) == ["Quan hệ", "Loại", "Chi tiết", "Nguồn", "Mã"] for t in tables)
    members = next(t for t in tables if t["Quan hệ"].str.contains("là thành viên của").any())
    assert members["Nguồn"].str.len().min() > 0 and "vusta" not in set(members["Mã"])
    assert any(c.value.endswith("quan hệ khác, trong bảng:") for c in app.caption)


def test_profile_opens_from_a_link_with_the_entity_id(store):
    app = AppTest.from_function(_run_app, kwargs={"start": "profile"}, default_timeout=90)
    app.query_params["id"] = "giz"
    app.run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Tổ chức Hợp tác Phát triển Đức"]


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_profile_picker_changes_the_entity(store):
    app = open_page("profile", selected_entity="vusta")
    app.text_input(key="profile-entity__q").input("afeo").run()
    assert not app.exception
    assert [t.value for t in app.title] != [VUSTA_NAME]
    assert app.session_state["selected_entity"] == "afeo"
    assert "AFEO" in " ".join(m.value for m in app.markdown)


@pytest.mark.parametrize("typed, expected", [
    ("hoi luat gia", "hoi-luat-gia"),    # no accents
    ("banh my", "bfw"),                  # Bánh Mỳ cho Thế giới, no accents
    ("Bread for the World", "bfw"),      # English name
    ("LHHVN", "vusta"),                  # acronym
    ("hoi luat gai", "hoi-luat-gia"),    # a typo
])
def test_the_profile_picker_finds_like_search(store, typed, expected):
    app = open_page("profile", selected_entity="giz")
    app.text_input(key="profile-entity__q").input(typed).run()
    assert not app.exception
    assert app.selectbox(key="profile-entity").value == expected
    assert app.session_state["selected_entity"] == expected
    assert not any("Không tìm thấy" in c.value for c in app.caption)


def test_one_word_offers_the_entities_holding_it(store):
    app = open_page("profile", selected_entity="giz")
    app.text_input(key="profile-entity__q").input("luat").run()
    picker = app.selectbox(key="profile-entity")
    assert any(fold(o).startswith("hoi luat gia") for o in picker.options), picker.options
    assert "luat" in fold(picker.options[0])  # not "Lê Quang Tuấn…"


def test_a_picker_says_in_the_users_language_when_nothing_matches(store):
    app = open_page("paths", lang="en")
    app.text_input(key="paths-a__q").input("zzzqqxx").run()
    assert not app.exception
    captions = " ".join(c.value for c in app.caption)
    assert "Nothing found for “zzzqqxx”" in captions and "Không tìm thấy" not in captions
    assert app.session_state["paths-a"] == "hoi-luat-gia"  # the choice stays as it was


# --- relationship map ------------------------------------------------------------------------------

def test_map_draws_the_network_around_vusta(store):
    app = open_page("network")
    assert app.multiselect(key="map-seeds").value == ["vusta"]
    maps = iframes(app)
    assert len(maps) == 1
    html = maps[0]
    assert "new vis.Network" in html and '"id": "vusta"' in html
    assert "https://" not in html.split("<script>", 1)[0]  # nothing fetched from the internet
    assert any("thực thể khác không hiện" in w.value for w in app.warning)  # the guard said what it left out
    assert app.get("download_button")


def test_map_answers_who_we_work_with_on_climate(store):
    app = open_page("network")
    app.button(key="map-quick-climate").click().run()
    assert not app.exception
    html = iframes(app)[0]
    ids = set(re.findall(r'"id": "([^"]+)"', html))
    assert {"vusta", "theme-climate-change", "ecf", "project-ecf-vusta-coordination"} <= ids
    assert "cpv" not in ids  # the Communist Party is connected to VUSTA, but not in its climate work


def test_map_filters_by_kind_and_depth(store):
    app = open_page("network")
    app.multiselect(key="map-kinds").set_value(["Donor"]).run()
    app.slider(key="map-depth").set_value(2).run()
    assert not app.exception
    ids = set(re.findall(r'"id": "([^"]+)"', iframes(app)[0]))
    assert "giz" in ids and "cpv" not in ids


# --- paths ---------------------------------------------------------------------------------------

def test_paths_finds_how_hoi_luat_gia_reaches_giz(store):
    app = open_page("paths")
    assert app.selectbox(key="paths-a").value == "hoi-luat-gia"
    assert app.selectbox(key="paths-b").value == "giz"
    sentences = [m.value for m in app.markdown if m.value.startswith("**1.**")]
    assert sentences and "GIZ" in sentences[0]
    assert app.subheader[0].value.endswith("đường kết nối")
    html = iframes(app)[0]
    assert '"id": "hoi-luat-gia"' in html and '"id": "giz"' in html


def test_paths_pickers_take_unaccented_names(store):
    app = open_page("paths")
    app.text_input(key="paths-a__q").input("hoi luat gia").run()
    app.text_input(key="paths-b__q").input("banh my").run()
    assert not app.exception
    assert app.selectbox(key="paths-a").value == "hoi-luat-gia" and app.selectbox(key="paths-b").value == "bfw"
    assert any(m.value.startswith("**1.**") for m in app.markdown)


def test_paths_through_a_shared_theme_come_last_and_are_marked(store):
    from queries.paths import find_paths

    found = find_paths(store, "hoi-luat-gia", "giz", limit=6, max_length=6)["paths"]
    flags = [p["similarity"] for p in found]
    assert flags == sorted(flags), "a similarity path never comes before a path of real ties"
    for path in found:
        through_theme = any("Theme" in n["kinds"] for n in path["nodes"][1:-1])
        assert path["similarity"] == (through_theme and any(r["type"] == "FOCUSES_ON" for r in path["relationships"]))


def test_paths_can_avoid_a_kind(store):
    app = open_page("paths")
    app.multiselect(key="paths-avoid").set_value(["Union"]).run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown if m.value.startswith("**"))
    assert "LHHVN" not in text


# --- data & sources ------------------------------------------------------------------------------

def test_sources_page_lists_documents_contributions_log_and_warnings(store):
    app = open_page("sources")
    documents = app.dataframe[0].value
    assert "Tăng cường kết nối, phát triển mạng lưới hợp tác quốc tế" in set(documents["Tài liệu"])
    assert documents["Thực thể"].max() > 50
    mentioned, facts = app.dataframe[1].value, app.dataframe[2].value
    assert len(mentioned) > 50 and "AFEO" in " ".join(mentioned["Tên"])
    assert any("là thành viên của" in r for r in facts["Quan hệ"])
    assert any(s for s in mentioned["Câu trích"])  # sentences from the document file
    log = app.dataframe[3].value
    assert "python -m ingest" in set(log["Lệnh"])
    assert [m.label for m in app.metric] == ["Thực thể không có nguồn", "Quan hệ không có nguồn",
                                             "Có thể trùng lặp (cùng tên)", "Thực thể không có quan hệ"]


# --- sample data, hostile names, an empty store: a database of its own ---------------------------

@pytest.fixture
def odd_store(fresh_store, monkeypatch):
    """A database with a sample entity, a hostile name, a duplicate name and an isolated entity;
    the app is pointed at it through the environment, as a deployment would be."""
    entities = [
        EntityRecord(id="real-donor", kinds=[NodeKind.DONOR], name="Quỹ Thật", sources=["doc.txt:1"]),
        EntityRecord(id="sample-project", kinds=[NodeKind.PROJECT], name="Dự án minh họa", sample=True,
                     sources=["doc.txt:2"]),
        EntityRecord(id="evil", kinds=[NodeKind.FOREIGN_PARTNER], name="<script>alert(1)</script>"),
        EntityRecord(id="twin-a", kinds=[NodeKind.NETWORK], name="Mạng Lưới Sông", sources=["doc.txt:3"]),
        EntityRecord(id="twin-b", kinds=[NodeKind.NETWORK], name="mang luoi song", sources=["doc.txt:3"]),
        EntityRecord(id="doc.txt", kinds=[NodeKind.DOCUMENT], name="Tài liệu thử", sources=["doc.txt:1"]),
    ]
    relationships = [
        RelationshipRecord(type="FUNDS", **{"from": "real-donor", "to": "sample-project"}, sample=True),
        RelationshipRecord(type="PARTNER_OF", **{"from": "evil", "to": "real-donor"}),
    ]
    load_records(fresh_store, entities, relationships, command="test", inputs=[], quiet=True)
    monkeypatch.setenv("VUSTA_EMBEDDED_DATABASE", fresh_store.database)
    return fresh_store


def test_sample_entities_are_marked_as_sample_data(odd_store):
    app = open_page("profile", selected_entity="sample-project")
    assert [t.value for t in app.title] == ["Dự án minh họa"]
    assert any(w.value.startswith("Dữ liệu mẫu") for w in app.warning)
    assert "DỮ LIỆU MẪU" in " ".join(m.value for m in app.markdown)  # the badge
    search = open_page("search")
    search.text_input(key="q").input("du an minh hoa").run()
    assert "DỮ LIỆU MẪU" in " ".join(m.value for m in search.markdown)


def test_the_map_leaves_sample_data_out_unless_asked_and_marks_it(odd_store):
    app = open_page("network", **{"map-seeds": ["real-donor"]})
    html = iframes(app)[0]
    assert '"id": "sample-project"' not in html
    assert any("dữ liệu mẫu không hiện" in c.value for c in app.caption)
    app.checkbox(key="map-sample").check().run()
    html = iframes(app)[0]
    assert '"id": "sample-project"' in html and "borderDashes" in html
    assert any("là dữ liệu mẫu" in w.value for w in app.warning)


def test_a_hostile_name_is_only_text_on_every_page(odd_store):
    app = open_page("profile", selected_entity="evil")
    assert not any("<script>" in m.value for m in app.markdown)
    html = iframes(app)[0]
    assert "<script>alert(1)" not in html and "\\u003cscript\\u003ealert(1)" in html
    search = open_page("search")
    search.text_input(key="q").input("script alert").run()
    assert not any("<script>" in m.value for m in search.markdown)


def test_the_quality_tab_reports_missing_sources_duplicates_and_isolated_entities(odd_store):
    app = open_page("sources")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Thực thể không có nguồn"] == "1"          # evil has no source
    assert metrics["Quan hệ không có nguồn"] == "2"
    assert metrics["Có thể trùng lặp (cùng tên)"] == "1"      # twin-a and twin-b
    assert metrics["Thực thể không có quan hệ"] == "2"        # the twins are connected to nothing
    frames = [d.value for d in app.dataframe]
    assert any("twin-a, twin-b" in set(f.get("Mã", [])) for f in frames)
