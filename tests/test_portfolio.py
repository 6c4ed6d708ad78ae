"""The sample portfolio: generated deterministically, committed, matching what the documents
report, marked as sample everywhere, and loaded into the graph."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from graph.store import GraphStore
from ingest.curated import InvalidInput
from ingest.sample_portfolio import OUTPUT, generate, origin_groups, read_reference, render, rows, summarise

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def portfolio():
    return generate()


@pytest.fixture(scope="module")
def summary(portfolio):
    return summarise(rows(portfolio), origin_groups(portfolio["reference"]))


def test_generation_is_deterministic_and_the_committed_file_is_up_to_date(portfolio):
    assert render(generate()) == render(portfolio)
    assert OUTPUT.read_text(encoding="utf-8") == render(portfolio)
    done = subprocess.run([sys.executable, "-m", "ingest.sample_portfolio", "--check", "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_2019_matches_the_documents(summary):
    year = summary["years"][2019]
    assert year["ngo_aid"]["count"] == 50 and year["ngo_aid"]["total_usd"] == pytest.approx(9_500_000, rel=0.02)
    assert year["oda"]["count"] == 6 and year["oda"]["total_usd"] == pytest.approx(5_400_000, rel=0.02)
    bands = year["size_bands_ngo"]
    assert (bands["under_100k"], bands["100k_400k"], bands["over_400k"], bands["near_2m"]) == (29, 15, 6, 2)
    assert bands["under_10k"] >= 1                     # "a few projects under USD 10,000"
    assert year["recipients"] == 26 and year["scdi_projects"] == 7 and year["top_recipient"] == "scdi"


def test_2018_and_the_decade_match_the_documents(summary):
    year = summary["years"][2018]
    assert year["projects"] == 89 and year["total_usd"] > 8_000_000
    assert year["recipients"] == 40 and year["scdi_projects"] == 13 and year["top_recipient"] == "scdi"
    assert sorted(summary["years"]) == list(range(2011, 2022))
    for number, figures in summary["years"].items():
        if number not in (2018, 2019):
            assert 9_000_000 <= figures["ngo_aid"]["total_usd"] <= 10_000_000, number


def test_themes_places_durations_and_donor_origins_match_the_documents(summary):
    shares = summary["theme_group_share"]
    for group, share in {"social": 0.25, "health": 0.20, "environment": 0.20, "other": 0.35}.items():
        assert shares[group] == pytest.approx(share, abs=0.02), group
    regions = summary["region_share"]
    assert regions["place-mekong-delta"] == pytest.approx(0.10, abs=0.01)
    assert summary["mekong_water_or_climate_share"] >= 0.9
    assert regions["place-northern-provinces"] + regions["place-central-vietnam"] > 0.7
    assert summary["one_year_share"] == pytest.approx(0.7, abs=0.05)
    origins = summary["ngo_donor_origin_share"]
    order = ["us", "germany", "regional", "france", "netherlands", "uk"]
    assert [origins[o] for o in order] == sorted((origins[o] for o in order), reverse=True)


def test_every_record_is_marked_sample_and_cites_the_generator():
    data = yaml.safe_load(OUTPUT.read_text(encoding="utf-8"))
    assert [d["id"] for d in data["documents"]] == ["sample-portfolio"]
    for section in ("entities", "relationships"):
        for record in data[section]:
            assert record["sample"] is True
            assert record["sources"] == [{"document": "sample-portfolio", "method": "generated"}]
    names = [e["name"] for e in data["entities"]]
    assert all("(mẫu)" in n or n.startswith("(Mẫu)") for n in names)
    kinds = Counter(k for e in data["entities"] for k in e["kinds"])
    assert kinds["Project"] > 800 and kinds["AffiliatedOrganisation"] >= 40


def test_the_graph_holds_the_sample_marked(demo_store: GraphStore):
    store = demo_store
    rows_ = [r for r in store.read("name_table") if "Project" in (r["kinds"] or []) and r["id"].startswith("sample-")]
    assert len(rows_) > 800 and all(r["sample"] for r in rows_)
    funding = store.read("portfolio_funding")
    assert len(funding) > 800


def test_a_broken_reference_file_is_a_clear_error(tmp_path: Path):
    broken = tmp_path / "donor_profiles.yaml"
    broken.write_text("entities:\n  - {id: x, kinds: [Donor]}\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_reference([broken])
    assert "donor_profiles.yaml" in str(caught.value) and "name" in str(caught.value)
