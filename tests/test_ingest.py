import json
import textwrap
from pathlib import Path

import pytest

from graph.schema import parse_provenance
from graph.store import GraphStore
from ingest.curated import InvalidInput
from ingest.curated_load import load_curated
from queries.stats import stats

ROOT = Path(__file__).resolve().parent.parent
DOC = "000_f6208c092d653411.txt"
HEADER = f"""
    documents:
      - id: {DOC}
        title: "Tăng cường kết nối"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def snapshot(store: GraphStore) -> dict:
    return stats(store)


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_seed_data_loads_with_provenance_and_twice_changes_nothing(fresh_store: GraphStore):
    first = load_curated(fresh_store, [ROOT / "data"], quiet=True)
    counts = first.plan.summary()
    assert counts["entities"]["created"] > 200
    assert counts["relationships"]["created"] > 400
    held = stats(fresh_store)
    assert sum(held["nodes"].values()) > 150
    for kind in ("Union", "MemberAssociation", "AffiliatedOrganisation", "Donor", "Network", "GovernmentBody",
                 "Person", "Event", "Agreement", "Theme", "Document", "Figure", "Province"):
        assert held["nodes"].get(kind, 0) > 0, kind
    second = load_curated(fresh_store, [ROOT / "data"], quiet=True)
    assert second.run_id is None
    assert second.plan.changes == 0
    assert stats(fresh_store) == held
    # every entity and every relationship carries its source
    for row in fresh_store.read("name_table"):
        profile = fresh_store.read("entity_profile", id=row["id"])[0]["props"]
        assert parse_provenance(profile["provenance"]), row["id"]
    runs = fresh_store.read("ingest_runs", limit=10)
    assert len(runs) == 1 and runs[0]["run"]["status"] == "committed"


def test_changes_are_detected_and_applied(fresh_store: GraphStore, tmp_path: Path):
    path = write(tmp_path, "a.yaml", HEADER + f"""
    entities:
      - id: giz
        kinds: [ForeignPartner, Donor]
        name: "Tổ chức Hợp tác Phát triển Đức"
        aliases: [GIZ]
        properties: {{country: "Đức"}}
        sources: ["{DOC}:7"]
    """)
    load_curated(fresh_store, [path], quiet=True)
    path.write_text(path.read_text(encoding="utf-8").replace("[ForeignPartner, Donor]", "[InternationalOrganisation]")
                    .replace('country: "Đức"', "founded: 2011"), encoding="utf-8")
    dry = load_curated(fresh_store, [path], dry_run=True, quiet=True)
    assert dry.plan.summary()["entities"]["updated"] == 1
    assert stats(fresh_store)["nodes"].get("Donor") == 1  # dry run wrote nothing
    load_curated(fresh_store, [path], quiet=True)
    held = stats(fresh_store)["nodes"]
    assert held.get("Donor") is None and held["InternationalOrganisation"] == 1
    props = fresh_store.read("entity_profile", id="giz")[0]["props"]
    assert props["founded"] == 2011 and "country" not in props
    assert load_curated(fresh_store, [path], quiet=True).plan.changes == 0


BAD_FILES = {
    "unknown_kind": (HEADER + f"""
    entities:
      - {{id: x, kinds: [Charity], name: X, sources: ["{DOC}:1"]}}
    """, "kinds"),
    "unknown_relationship_type": (HEADER + f"""
    entities:
      - {{id: x, kinds: [Theme], name: X, sources: ["{DOC}:1"]}}
    relationships:
      - {{type: LIKES, from: x, to: x, sources: ["{DOC}:1"]}}
    """, "type"),
    "dangling_reference": (HEADER + f"""
    entities:
      - {{id: x, kinds: [Theme], name: X, sources: ["{DOC}:1"]}}
    relationships:
      - {{type: PART_OF, from: x, to: nowhere, sources: ["{DOC}:1"]}}
    """, "nowhere"),
    "undeclared_document": (HEADER + """
    entities:
      - {id: x, kinds: [Theme], name: X, sources: ["missing.txt:1"]}
    """, "missing.txt"),
    "conflicting_duplicate": (HEADER + f"""
    entities:
      - {{id: x, kinds: [Theme], name: X, sources: ["{DOC}:1"]}}
      - {{id: x, kinds: [Theme], name: Y, sources: ["{DOC}:1"]}}
    """, "defined twice"),
    "broken_yaml": (HEADER + """
    entities:
      - {id: x, kinds: [Theme, name: X
    """, "not valid YAML"),
    "wrong_type": (HEADER + f"""
    entities:
      - {{id: x, kinds: [Event], name: X, properties: {{year: "last year"}}, sources: ["{DOC}:1"]}}
    """, "year"),
    "unknown_top_level_key": (HEADER + """
    people: []
    """, "unknown top-level key"),
    "derived_type_written": (HEADER + f"""
    entities:
      - {{id: x, kinds: [Theme], name: X, sources: ["{DOC}:1"]}}
    relationships:
      - {{type: MENTIONED_IN, from: x, to: {DOC}, sources: ["{DOC}:1"]}}
    """, "derived"),
    "empty_file": ("", "empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_invalid_input_names_the_place_and_writes_nothing(store: GraphStore, tmp_path: Path, case: str):
    text, expected = BAD_FILES[case]
    good = write(tmp_path, "good.yaml", f"""
    entities:
      - {{id: test-good-entity, kinds: [Theme], name: Good, sources: ["{DOC}:1"]}}
    """)
    bad = write(tmp_path, f"{case}.yaml", text)
    before = stats(store)
    with pytest.raises(InvalidInput) as error:
        load_curated(store, [good, bad], quiet=True)
    message = str(error.value)
    assert expected in message
    assert f"{case}.yaml" in message
    assert stats(store) == before
    assert store.read("entity_profile", id="test-good-entity") == []


def test_non_utf8_file_is_rejected_with_its_line(store: GraphStore, tmp_path: Path):
    path = tmp_path / "latin1.yaml"
    text = textwrap.dedent(HEADER + "    entities:\n      - {id: x, kinds: [Theme], name: Hội}\n")
    path.write_bytes(text.encode("cp1258", "replace"))
    before = stats(store)
    with pytest.raises(InvalidInput, match=r"latin1.yaml:\d+.*not valid UTF-8"):
        load_curated(store, [path], quiet=True)
    assert stats(store) == before


def test_problem_lines_point_at_the_record(store: GraphStore, tmp_path: Path):
    path = write(tmp_path, "lines.yaml", HEADER + f"""
    entities:
      - {{id: ok, kinds: [Theme], name: Ok, sources: ["{DOC}:1"]}}
      - id: bad
        kinds: [Theme]
        name: Bad
        properties: {{colour: red}}
        sources: ["{DOC}:1"]
    """)
    with pytest.raises(InvalidInput) as error:
        load_curated(store, [path], quiet=True)
    problem = error.value.problems[0]
    assert problem.line == 8 and problem.record.startswith("#2 (bad)") and problem.field == "properties"
    assert json.dumps(problem.as_json())
