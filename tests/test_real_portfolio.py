"""The real portfolio (data/portfolio/): projects, grants and programmes of VUSTA's organisations
curated from public web pages. Loaded with everything under data/ into a fresh database, it must
give enough real projects, each citing a web page with its address, publisher and date, each with
a donor or an implementer, none marked as sample, and every stated amount positive with a currency."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graph.schema import parse_provenance
from ingest.curated_load import load_curated

pytestmark = pytest.mark.slow  # the fixture loads the real data into a store of its own (3 s)

ROOT = Path(__file__).resolve().parent.parent
PORTFOLIO = ROOT / "data" / "portfolio"
MIN_REAL_PROJECTS = 150


@pytest.fixture(scope="module")
def loaded(server, settings):
    from tests.conftest import make_fresh_store

    store = make_fresh_store(settings)
    load_curated(store, [ROOT / "data"], quiet=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def documents(loaded):
    return {row["id"]: row for row in loaded.read("document_table")}


@pytest.fixture(scope="module")
def real_projects(loaded):
    return [row for row in loaded.read("project_sources") if not row["sample"]]


def test_the_portfolio_files_define_real_projects_only():
    files = sorted(PORTFOLIO.glob("*.yaml"))
    assert files, "data/portfolio/ holds the real portfolio"
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in ("entities", "relationships"):
            for record in data.get(section) or []:
                assert not record.get("sample"), (path.name, record.get("id") or record)
        for document in data.get("documents") or []:
            assert document.get("url", "").startswith(("http://", "https://")), (path.name, document["id"])


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_there_are_enough_real_projects(real_projects):
    assert len(real_projects) >= MIN_REAL_PROJECTS, len(real_projects)


def test_every_real_project_cites_a_web_page_with_publisher_and_date(real_projects, documents):
    for project in real_projects:
        cited = [s["document"] for s in parse_provenance(project["provenance"])]
        assert cited, project["id"]
        pages = [documents[d] for d in cited if d in documents and documents[d]["url"]]
        if project["id"].startswith("proj-"):  # the portfolio's projects; seed projects cite seed files
            assert pages, f"{project['id']} cites no web page"
            for page in pages:
                assert page["url"].startswith(("http://", "https://")), page["id"]
                assert page["publisher"], page["id"]
                assert page["published"] or page["retrieved"], page["id"]
                assert page["kind_of_text"], page["id"]
                assert not page["sample"], page["id"]


def test_every_real_project_has_a_donor_or_an_implementer(real_projects):
    orphans = [p["id"] for p in real_projects if p["id"].startswith("proj-") and not (p["donors"] or p["implementers"])]
    assert orphans == []


def test_amounts_are_positive_and_carry_a_currency(loaded, real_projects):
    real = {p["id"] for p in real_projects}
    rows = [r for r in loaded.read("project_funding_amounts") if r["project"] in real]
    stated = [r for r in rows if r["amount"] is not None]
    assert stated, "some sources state an amount"
    for row in stated:
        assert row["amount"] > 0, row
        assert row["currency"] and len(row["currency"]) == 3 and row["currency"].isupper(), row
    for project in real_projects:
        if project["amount_usd"] is not None:
            assert project["amount_usd"] > 0, project["id"]


def test_a_portfolio_project_is_linked_to_its_donor_places_and_themes(loaded):
    """One known record, end to end: CDI's Asia Foundation project (source: cdivietnam.org)."""
    project = "proj-cdi-taf-knowledge-is-power-2013-2015"
    links = {(r["type"], r["other_id"]) for r in loaded.read("entity_relationships", id=project, limit=100)}
    assert {("FUNDS", "asia-foundation"), ("IMPLEMENTS", "cdi"), ("LOCATED_IN", "place-vinh-phuc"),
            ("FOCUSES_ON", "theme-employment-labour")} <= links
    funding = [r for r in loaded.read("project_funding_amounts") if r["project"] == project]
    assert [(r["donor"], r["amount"], r["currency"]) for r in funding] == [("asia-foundation", 2095878000, "VND")]
