"""The Diaspora page, driven by Streamlit's AppTest: charts, experts without contact details
for people who did not consent, communities, bridges — and a clear message when empty."""

import os
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graph.store import GraphStore
from ingest.curated_load import load_curated
from ingest.load import load_records
from ingest.sample_roster import generate

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
from ui.pages.diaspora import page
page()
"""


def run_page(database: str) -> AppTest:
    old = os.environ.get("VUSTA_EMBEDDED_DATABASE")
    os.environ["VUSTA_EMBEDDED_DATABASE"] = database
    st.cache_resource.clear()
    try:
        app = AppTest.from_string(SCRIPT, default_timeout=120)
        app.run()
        return app
    finally:
        os.environ["VUSTA_EMBEDDED_DATABASE"] = old or "vusta"
        st.cache_resource.clear()


def test_empty_diaspora_says_how_to_load_the_sample(fresh_store: GraphStore):
    app = run_page(fresh_store.database)
    assert not app.exception
    assert any("python -m ingest demo" in info.value for info in app.info)


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_diaspora_page_with_the_sample_roster(fresh_store: GraphStore):
    load_curated(fresh_store, [ROOT / "data"], quiet=True)
    entities, relationships = generate(1050, seed=5)  # over a thousand: the digits are grouped the Vietnamese way
    load_records(fresh_store, entities, relationships, command="test", inputs=["sample"], quiet=True)
    app = run_page(fresh_store.database)
    assert not app.exception
    assert app.metric[0].value == "1.050"
    assert len(app.get("vega_lite_chart")) >= 3  # map, countries, fields
    frames = app.dataframe
    assert len(frames) >= 3  # experts, communities, bridges
    experts = frames[0].value
    contact_column = [c for c in experts.columns if c in ("Liên hệ", "Contact")][0]
    by_name = {e.name: e.properties for e in entities if "Person" in e.kinds}
    for _, row in experts.iterrows():
        if row[contact_column].startswith("—"):
            continue
        assert "@example.org" in row[contact_column]
    shown = " ".join(str(v) for v in experts[contact_column])
    hidden = [p["email"] for p in by_name.values() if not p["consent"]]
    assert not any(email in shown for email in hidden)
    assert any("DỮ LIỆU MẪU" in m.value for m in app.markdown)
