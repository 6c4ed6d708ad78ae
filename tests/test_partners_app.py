"""The partner finder page (ui/pages/partners.py), driven by Streamlit's AppTest against the
session's real store: the form, the ranked tables with score bars, the reasons, the introduction
map, the downloads, sample data marked, and clear messages for empty or unknown input."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graph.store import GraphStore

SCRIPT = """
from ui.pages.partners import page
page()
"""


@pytest.fixture
def on_demo(demo_store: GraphStore, monkeypatch: pytest.MonkeyPatch):
    """The app talks to the database with the demo data (sample portfolio) during the test."""
    monkeypatch.setenv("VUSTA_EMBEDDED_DATABASE", demo_store.database)
    st.cache_resource.clear()
    yield demo_store
    st.cache_resource.clear()


def open_page(**session: object) -> AppTest:
    app = AppTest.from_string(SCRIPT, default_timeout=120)
    for key, value in session.items():
        app.session_state[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def ask(app: AppTest, text: str) -> AppTest:
    app.text_area(key="partners-text").input(text)
    app.button(key="partners-submit").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_the_page_waits_for_an_idea(store: GraphStore):
    app = open_page()
    assert app.title[0].value == "Tìm nhà tài trợ và đối tác"
    assert any("Tìm đối tác" in info.value for info in app.info)
    assert not app.dataframe


def test_a_climate_idea_gives_ranked_tables_reasons_a_map_and_downloads(on_demo: GraphStore):
    app = ask(open_page(), "thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long")
    assert any("danh mục dự án mẫu" in w.value for w in app.warning)          # sample data visibly marked
    assert [t.label.split(" (")[0] for t in app.tabs] == ["Nhà tài trợ", "Tổ chức cùng đề xuất", "Đối tác quốc tế"]
    donors = app.dataframe[0].value
    assert list(donors.columns)[:3] == ["#", "Tên", "Điểm"] and "Hoạt động gần đây" in donors.columns
    assert donors["Điểm"].is_monotonic_decreasing and donors["Chủ đề"].min() >= 0.4  # profile alone: at most 0.5
    config = json.loads(app.dataframe[0].proto.columns)
    assert config["Điểm"]["type_config"]["type"] == "progress"               # score bars
    assert config["Chủ đề"]["type_config"] == {"type": "progress", "format": "%.2f", "min_value": 0.0,
                                               "max_value": 1.0}
    text = " ".join(m.value for m in app.markdown)
    assert "Biến đổi khí hậu" in text and "Đồng bằng sông Cửu Long" in text
    assert "Vì sao" in text and "Đường giới thiệu" in text
    assert app.get("iframe"), "the introduction path is drawn"
    downloads = {d.proto.label: d for d in app.get("download_button")}
    assert {"Tải CSV", "Tải Excel"} <= set(downloads)


def test_downloads_hold_the_ranked_table(demo_store: GraphStore):
    from queries.partners import recommend_partners, results_table

    store = demo_store
    result = recommend_partners(store, {"text": "phòng chống HIV/AIDS ở Hà Nội"}, limit=5)
    rows = results_table(result, "en")
    frame = pd.DataFrame(rows)
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    back = pd.read_excel(io.BytesIO(buffer.getvalue()), engine="openpyxl")
    assert list(back["id"]) == [r["id"] for r in result["results"]]
    assert {"donors", "co-applicants"} <= set(back["role"])
    assert back["sample"].any()


def test_english_and_an_empty_idea(store: GraphStore):
    app = open_page(lang="en")
    assert app.title[0].value == "Partner finder"
    app.button(key="partners-submit").click().run()
    assert not app.exception
    assert any("Describe the project idea" in w.value for w in app.warning)


def test_an_unrecognised_idea_still_answers_and_says_so(store: GraphStore):
    app = ask(open_page(), "một ý tưởng rất chung chung")
    assert any("Không nhận ra chủ đề nào" in c.value for c in app.caption)
    assert app.dataframe


def test_the_page_is_in_the_app_menu(store: GraphStore):
    def run_app() -> None:
        from ui.app import main

        main(start="partners")

    app = AppTest.from_function(run_app, default_timeout=120)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "Tìm nhà tài trợ và đối tác"


def test_the_lead_is_found_by_typing_and_applied_with_the_form(store: GraphStore):
    """The lead organisation is picked by typing (no accents needed) among VUSTA's organisations only,
    from a short list however many there are, and takes effect when the form is sent."""
    from ui.widgets import PICKER_BROWSE

    app = open_page()
    picker = app.selectbox(key="partners-lead-pick")
    assert picker.value == "vusta" and len(picker.options) <= PICKER_BROWSE + 1
    app.text_input(key="partners-lead-pick__q").input("GIZ").run()  # a donor cannot lead
    assert "giz" not in app.selectbox(key="partners-lead-pick").options
    app.text_input(key="partners-lead-pick__q").input("hoi luat gia").run()
    assert app.selectbox(key="partners-lead-pick").value == "hoi-luat-gia"
    assert any("Nhập ý tưởng dự án" in i.value for i in app.info)  # nothing searched until the form is sent
    ask(app, "thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long")
    understood = next(m.value for m in app.markdown if "Hiểu ý tưởng như sau" in m.value)
    assert "Chủ trì: Hội Luật Gia" in understood


def test_an_empty_graph_asks_for_data_without_blaming_the_lead(fresh_store: GraphStore,
                                                               monkeypatch: pytest.MonkeyPatch):
    """On a graph with nothing loaded yet, no lead can be picked: the search runs with the default
    lead and says what is missing, not that the lead is unknown."""
    monkeypatch.setenv("VUSTA_EMBEDDED_DATABASE", fresh_store.database)
    st.cache_resource.clear()
    try:
        app = ask(open_page(), "thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long")
        assert app.selectbox(key="partners-lead-pick").options == []
        said = " ".join(str(e.value) for kind in ("warning", "info", "caption", "markdown") for e in app.get(kind))
        assert "Chưa có danh mục dự án" in said and "Không tìm thấy tổ chức chủ trì" not in said
    finally:
        st.cache_resource.clear()
