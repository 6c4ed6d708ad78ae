"""The app with imported IATI activities (Streamlit AppTest against a real store): the aid-flows
page (empty, then with data, filters, CSV), a donor's IATI portfolio on its profile, the partner
finder using IATI projects, and the IATI upload of the administration page."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graph.store import GraphStore
from ingest.curated_load import load_curated
from ingest.iati import import_iati

pytestmark = pytest.mark.slow  # the fixture imports IATI files into a store of its own; each test over 1 s

ROOT = Path(__file__).resolve().parent.parent
WRITTEN = ROOT / "tests" / "fixtures" / "iati" / "written"


@pytest.fixture(scope="module")
def iati_graph(server, settings):
    from conftest import make_fresh_store
    graph = make_fresh_store(settings)
    load_curated(graph, [ROOT / "data" / "seed", ROOT / "data" / "reference"], quiet=True)
    previous = os.environ.get("VUSTA_EMBEDDED_DATABASE")
    os.environ["VUSTA_EMBEDDED_DATABASE"] = graph.database
    st.cache_resource.clear()
    yield graph
    if previous is None:
        os.environ.pop("VUSTA_EMBEDDED_DATABASE", None)
    else:
        os.environ["VUSTA_EMBEDDED_DATABASE"] = previous
    st.cache_resource.clear()
    graph.close()


def run_page(module: str, **session: object) -> AppTest:
    app = AppTest.from_string(f"from ui.pages.{module} import page\npage()\n", default_timeout=90)
    for key, value in session.items():
        app.session_state[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_aid_flows_page_empty_then_with_iati_data(iati_graph: GraphStore):
    app = run_page("aid_flows")
    assert any("IATI Datastore" in i.value and "python -m ingest iati" in i.value for i in app.info)

    import_iati(iati_graph, [WRITTEN / "vn-activities.xml"], quiet=True)
    app = run_page("aid_flows")
    assert app.title[0].value == "Dòng viện trợ (dữ liệu IATI)"
    assert len(app.get("vega_lite_chart")) == 4
    table = app.dataframe[0].value
    assert set(table["Mã IATI"]) == {"TEST-VN-UNDP-0001", "TEST-VN-GIZ-0002", "TEST-VN-FDN-0003"}
    assert table["USD (phần chia)"].sum() == pytest.approx(2_500_000.0)   # 0.5 M + 1 M + 1 M
    assert "3 hoạt động" in " ".join(m.value for m in app.markdown)

    app.multiselect(key="flows-donors").select("giz").run()
    table = app.dataframe[0].value
    assert set(table["Mã IATI"]) == {"TEST-VN-GIZ-0002"}
    assert set(table["Tỉnh/thành"]) == {"Sóc Trăng", "Cần Thơ"}
    download = app.get("download_button")[0]
    assert download.proto.label == "Tải CSV"

    english = run_page("aid_flows", lang="en")
    assert english.title[0].value == "Aid flows (IATI data)"
    assert "Province" in english.dataframe[0].value.columns


def test_flows_csv_matches_the_table(iati_graph: GraphStore):
    from queries.aid_flows import flows
    from ui.downloads import csv_bytes, safe_cell
    rows = flows(iati_graph, "en")
    again = pd.read_csv(io.StringIO(csv_bytes(pd.DataFrame(rows)).decode("utf-8-sig")))
    assert len(again) == len(rows) and set(again["identifier"]) >= {"TEST-VN-UNDP-0001"}
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_cell("plain") == "plain"


def test_donor_profile_shows_its_iati_portfolio(iati_graph: GraphStore):
    import_iati(iati_graph, [WRITTEN / "vn-activities.xml"], quiet=True)
    app = run_page("profile", selected_entity="giz", **{"profile-entity": "giz"})
    subheaders = [s.value for s in app.subheader]
    assert "Danh mục IATI tại Việt Nam" in subheaders
    assert any("1 hoạt động IATI" in c.value for c in app.caption)
    assert any("TEST-VN-GIZ-0002" in set(d.value.get("Mã IATI", [])) for d in app.dataframe)
    other = run_page("profile", selected_entity="vusta", **{"profile-entity": "vusta"})
    assert "Danh mục IATI tại Việt Nam" not in [s.value for s in other.subheader]


def test_partner_finder_uses_iati_projects(iati_graph: GraphStore):
    """The partner finder's features see IATI projects like any other: donors (FUNDS), implementers
    (IMPLEMENTS), themes (FOCUSES_ON) and provinces (LOCATED_IN); the foundation is a donor candidate
    known only from the IATI file."""
    import_iati(iati_graph, [WRITTEN / "vn-activities.xml"], quiet=True)
    from queries.partners import build_features
    features = build_features(iati_graph)
    project = features.projects["iati-test-vn-fdn-0003"]
    assert project.themes == {"theme-health"} and project.provinces == {"place-ha-noi"}
    assert project.donors == {"iati-org-xx-test-fdn"} and project.amount == 1_000_000.0 and project.year == 2023
    assert "iati-org-hanoi-community-health-network-test" in project.implementers
    assert features.candidates["iati-org-xx-test-fdn"].role == "donor"
    assert "iati-test-vn-fdn-0003" in features.funded_by["iati-org-xx-test-fdn"]
    giz = features.projects["iati-test-vn-giz-0002"]
    assert giz.donors == {"giz"} and giz.provinces == {"place-soc-trang", "place-can-tho"}
    assert "iati-test-vn-giz-0002" in [p.id for p in features.history["giz"]]


def test_admin_iati_upload_checks_then_writes(iati_graph: GraphStore):
    import tempfile

    def upload_folders() -> set[Path]:
        return set(Path(tempfile.gettempdir()).glob("vusta-iati-*"))

    before = upload_folders()
    app = AppTest.from_string("from ui.iati_upload import iati_upload_section\niati_upload_section()\n",
                              default_timeout=90)
    app.run()
    bad = (WRITTEN / "bad" / "external-entity.xml").read_bytes()
    app.get("file_uploader")[0].set_value(("external-entity.xml", bad, "text/xml"))
    app.run()
    assert any("không có gì được ghi" in e.value for e in app.error)
    assert any("DOCTYPE" in c.value for c in app.code)
    assert iati_graph.read("entity_profile", id="iati-test-xxe-1") == []

    app.get("file_uploader")[0].set_value(("mixed.xml", (WRITTEN / "bad" / "schema-invalid-activity.xml").read_bytes(),
                                           "text/xml"))
    app.checkbox(key="iati-valid-only").check()
    app.run()
    assert any("sẽ nạp 2" in i.value for i in app.info)
    assert iati_graph.read("entity_profile", id="iati-test-mix-0001") == []    # checked, not written yet
    app.button(key="iati-apply").click().run()
    assert any("nạp 2 hoạt động" in s.value for s in app.success)
    assert iati_graph.read("entity_profile", id="iati-test-mix-0001") != []
    assert upload_folders() == before  # each run's copy of the upload is removed (they were left behind)
