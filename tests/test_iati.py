"""IATI import (ingest/iati/): the standard's own files, files written for these tests, bad
inputs refused with nothing written, idempotent re-import, newer versions, codelist warnings.
Everything runs against the real embedded store, through the real CLI where a user would."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from graph.backup import export_lines
from graph.store import GraphStore
from ingest.curated_load import load_curated
from ingest.iati import InvalidIatiFile, check_file, import_iati, project_id
from ingest.iati.importer import Tables
from ingest.iati.reader import read_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "iati"
OFFICIAL = FIXTURES / "official"
WRITTEN = FIXTURES / "written"
BAD = WRITTEN / "bad"
EXAMPLES = OFFICIAL / "examples"   # the standard's example activity files, origin in the README beside them


def snapshot(store: GraphStore) -> str:
    return "\n".join(export_lines(store, full=True))


def run_cli(args: list[str], capsys) -> tuple[int, dict]:
    from ingest.__main__ import main
    code = main(["iati", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def count_activities(path: Path) -> int:
    """Counted independently of the importer: opening tags of iati-activity in the text."""
    return len(re.findall(r"<iati-activity[\s>]", path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def graph(server, settings):
    """A database of its own with the curated data (donors, themes, provinces) loaded."""
    from conftest import make_fresh_store
    store = make_fresh_store(settings)
    load_curated(store, [ROOT / "data" / "seed", ROOT / "data" / "reference"], quiet=True)
    previous = os.environ.get("VUSTA_EMBEDDED_DATABASE")
    os.environ["VUSTA_EMBEDDED_DATABASE"] = store.settings.embedded_database   # the CLI writes here too
    yield store
    if previous is None:
        os.environ.pop("VUSTA_EMBEDDED_DATABASE", None)
    else:
        os.environ["VUSTA_EMBEDDED_DATABASE"] = previous
    store.close()


def project(store: GraphStore, identifier: str) -> dict | None:
    from queries.profile import NotFound, show  # the read side the app and `queries show` use
    try:
        profile = show(store, project_id(identifier))
    except NotFound:
        return None
    return profile if profile["id"] == project_id(identifier) else None


# -- the standard's own schema test files --------------------------------------------------------

@pytest.mark.parametrize("path", sorted((OFFICIAL / "ssot-activity-xml-pass").glob("*.xml")), ids=lambda p: p.name)
def test_official_pass_files_are_schema_valid(path: Path):
    problems: list = []
    activities = list(read_file(path, problems.append, schema_version="2.03"))
    assert len(activities) == count_activities(path) == 1
    assert not problems and not activities[0].schema_errors, [str(e) for e in activities[0].schema_errors]


@pytest.mark.parametrize("path", sorted((OFFICIAL / "ssot-activity-xml-fail").rglob("*.xml")), ids=lambda p: p.name)
def test_official_fail_files_are_reported_with_a_line(path: Path):
    problems: list = []
    activities = list(read_file(path, problems.append, schema_version="2.03"))
    found = problems + [e for a in activities for e in a.schema_errors]
    assert found, f"{path.name} should be schema-invalid"
    assert all(p.line for p in found)
    assert all(path.name in p.text("vi") and path.name in p.text("en") for p in found)


def test_official_template_refused_as_data(graph: GraphStore, capsys):
    """The schema test files are templates (version 'xx', empty identifier): refused, nothing written."""
    before = snapshot(graph)
    code, out = run_cli([str(OFFICIAL / "ssot-activity-xml-pass" / "02-minimal-doc.xml")], capsys)
    assert code == 2
    assert "version" in out["error"] and "xx" in out["error"]
    assert snapshot(graph) == before


# -- the official example activity files (tests/fixtures/iati/official/examples) ------------------

EXAMPLE_FILES = sorted(EXAMPLES.glob("activity-standard-example-annotated-*.xml"))


def test_official_example_files_are_all_here():
    assert [p.name for p in EXAMPLE_FILES] == [f"activity-standard-example-annotated-{v}.xml"
                                               for v in ("2.01", "2.02", "2.03")]


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_official_examples_import_with_their_counts(graph: GraphStore, path: Path):
    expected = count_activities(path)
    result = import_iati(graph, [path], quiet=True)
    assert result.activities_read == expected == result.activities_loaded, path.name
    assert not result.errors
    profile = project(graph, "AA-AAA-123456789-ABC123")
    assert profile["name"] == "Activity title"
    titles = json.loads(profile["properties"]["iati_titles"])
    assert titles["fr"] == "Titre de l'activité" and "es" in titles
    rel = {(r["type"], r["other"]["id"], r["properties"].get("role")) for r in profile["relationships"]}
    assert ("FUNDS", "iati-org-bb-bbb-123456789", "funding") in rel
    assert ("FUNDS", "iati-org-aa-aaa-123456789", "extending") in rel
    assert ("IMPLEMENTS", "iati-org-cc-ccc-123456789", "accountable") in rel
    # 3-digit sectors 111 and 112 are education
    assert ("FOCUSES_ON", "theme-education", None) in rel
    props = profile["properties"]
    assert props["actual_start"] == "2012-04-28" and props["planned_end"] == "2015-12-31"
    assert props["budget_currency"] == "EUR" and props["budget_usd"] > 0
    again = import_iati(graph, [path], quiet=True)
    assert again.totals()["entities"]["created"] == again.totals()["entities"]["updated"] == 0


@pytest.mark.parametrize("name,words", [("worked-example.xml", "<iati-activity>"), ("worldbank-1.0.xml", "1.0")])
def test_official_old_files_refused(graph: GraphStore, capsys, name: str, words: str):
    before = snapshot(graph)
    code, out = run_cli([str(EXAMPLES / name)], capsys)
    assert code == 2 and words in out["error"]
    assert snapshot(graph) == before


# -- files written for the tests ------------------------------------------------------------------

@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_import_vietnam_file(graph: GraphStore, tmp_path: Path, capsys):
    path = tmp_path / "vn-activities.xml"
    shutil.copy(WRITTEN / "vn-activities.xml", path)
    code, out = run_cli([str(path), "--dry-run"], capsys)
    assert code == 0 and out["dry_run"] and out["run_ids"] == []
    assert project(graph, "TEST-VN-UNDP-0001") is None          # a dry run writes nothing
    code, out = run_cli([str(path)], capsys)
    assert code == 0, out
    assert out["activities"] == {"read": 3, "loaded": 3, "skipped_invalid": 0, "skipped_older_version": 0}
    assert out["entities"]["created"] == 8, out["created"]  # the file's Document, 3 projects, 4 new organisations
    # the unknown sector code is a warning, not an error
    assert any(w["field"] == "sector/@code" and "99999" in w["message"] for w in out["warnings"])

    undp = project(graph, "TEST-VN-UNDP-0001")
    assert undp["name"] == "Sinh kế thích ứng khí hậu vùng ven biển Quảng Nam (thử nghiệm)"
    assert "Moyens de subsistance résilients au climat à Quang Nam (test)" in undp["aliases"]
    props = undp["properties"]
    assert (props["commitments"], props["disbursements"], props["currency"]) == (500000.0, 200000.0, "USD")
    assert props["budget"] == 750000.0 and props["amount_usd"] == 500000.0 and props["status"] == "Implementation"
    rels = {(r["type"], r["other"]["id"], r["properties"].get("role")) for r in undp["relationships"]}
    assert ("FUNDS", "undp", "funding") in rels                   # curated donor, by IATI ref's name
    assert ("IMPLEMENTS", "vusta", "implementing") in rels         # curated union, by its Vietnamese name
    assert {("LOCATED_IN", "place-quang-nam", None), ("LOCATED_IN", "place-da-nang", None)} <= rels
    assert ("FOCUSES_ON", "theme-climate-change", None) in rels and ("FOCUSES_ON", "theme-agriculture", None) in rels
    sources = [s for r in undp["relationships"] for s in r["sources"]]
    assert all(s["document"] == "vn-activities.xml" and s.get("record") == "TEST-VN-UNDP-0001" for s in sources
               if s.get("method") == "iati")

    giz = project(graph, "TEST-VN-GIZ-0002")
    assert giz["properties"]["commitments"] == 893000.0 and giz["properties"]["currency"] == "EUR"
    assert giz["properties"]["commitments_usd"] == pytest.approx(1000000.0)   # 893,000 EUR at 0.893 (2019)
    rels = {(r["type"], r["other"]["id"], r["properties"].get("role")) for r in giz["relationships"]}
    assert {("FUNDS", "giz", "funding"), ("FUNDS", "giz", "extending")} <= rels  # name without diacritics
    assert {("LOCATED_IN", "place-soc-trang", None), ("LOCATED_IN", "place-can-tho", None)} <= rels

    fdn = project(graph, "TEST-VN-FDN-0003")
    assert fdn["properties"]["budget_currency"] == "JPY" and fdn["properties"]["amount_usd"] == 1000000.0
    donor = next(r["other"] for r in fdn["relationships"] if r["type"] == "FUNDS")
    assert donor["id"] == "iati-org-xx-test-fdn" and "Donor" in donor["kinds"]

    # re-importing the same file changes nothing, byte for byte
    before = snapshot(graph)
    code, out = run_cli([str(path)], capsys)
    assert code == 0 and out["run_ids"] == [] and out["entities"]["created"] == out["entities"]["updated"] == 0
    assert snapshot(graph) == before

    # a newer version of an activity updates it; an older one is skipped
    shutil.copy(WRITTEN / "vn-activities-v2.xml", path)
    code, out = run_cli([str(path)], capsys)
    assert code == 0
    assert out["activities"]["skipped_older_version"] == 1 and out["entities"]["updated"] >= 1
    updated = project(graph, "TEST-VN-UNDP-0001")
    assert updated["properties"]["commitments"] == 650000.0
    assert updated["properties"]["iati_last_updated"] == "2024-09-15T10:30:00Z"
    assert "Climate-resilient livelihoods in Quang Nam and Da Nang (test)" == updated["name_en"]
    assert project(graph, "TEST-VN-GIZ-0002")["name"] == "Smart agriculture for the Mekong Delta (test)"
    assert sum(1 for s in updated["sources"] if s.get("method") == "iati") == 1   # no stale line numbers pile up


BAD_CASES = {
    "not-xml.xml": "not an XML file",
    "organisation-file.xml": "organisation file",
    "version-1.xml": "1.05",
    "schema-invalid-activity.xml": "TEST-VN-BAD-0002",
    "empty-identifier.xml": "empty <iati-identifier>",
    "duplicate-identifier.xml": "TEST-DUP-0001",
    "broken-xml.xml": "not well-formed",
    "external-entity.xml": "DOCTYPE",
    "entity-expansion.xml": "DOCTYPE",
}


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_input_refused_with_nothing_written(graph: GraphStore, capsys, name: str):
    before = snapshot(graph)
    code, out = run_cli([str(BAD / name), "--lang", "en"], capsys)
    assert code == 2, out
    assert name in out["error"] and BAD_CASES[name] in out["error"] and "nothing was written" in out["error"]
    assert all(p["line"] for p in out["problems"])
    assert snapshot(graph) == before
    code, out = run_cli([str(BAD / name), "--lang", "vi"], capsys)
    assert code == 2 and "không ghi gì" in out["error"]
    assert "passwd" not in json.dumps(out) and "root:" not in json.dumps(out)


def test_schema_invalid_activity_reported_and_rest_checked():
    check = check_file(BAD / "schema-invalid-activity.xml", Tables.load())
    assert check.activities == 3 and check.bad == {2}
    error = check.errors[0]
    assert error.record == "TEST-VN-BAD-0002" and error.line == 54 and error.field == "description"
    assert "lược đồ" in error.text("vi")


def test_valid_only_loads_the_valid_activities(graph: GraphStore, capsys):
    code, out = run_cli([str(BAD / "schema-invalid-activity.xml"), "--valid-only"], capsys)
    assert code == 0
    assert out["activities"]["loaded"] == 2 and out["activities"]["skipped_invalid"] == 1
    assert any(p["record"] == "TEST-VN-BAD-0002" for p in out["errors_skipped"])
    assert project(graph, "TEST-MIX-0001") is not None and project(graph, "TEST-MIX-0003") is not None
    assert project(graph, "TEST-VN-BAD-0002") is None


def test_directory_with_a_bad_file_writes_nothing(graph: GraphStore, tmp_path: Path, capsys):
    shutil.copy(WRITTEN / "vn-activities.xml", tmp_path / "a-good.xml")
    shutil.copy(BAD / "external-entity.xml", tmp_path / "b-bad.xml")
    before = snapshot(graph)
    with pytest.raises(InvalidIatiFile) as error:
        import_iati(graph, [tmp_path], quiet=True)
    assert "b-bad.xml" in error.value.text("en")
    assert snapshot(graph) == before


def test_unknown_codes_are_warnings_not_errors(tmp_path: Path):
    text = (WRITTEN / "vn-activities.xml").read_text(encoding="utf-8")
    text = text.replace('<activity-status code="3"/>', '<activity-status code="9"/>')
    text = text.replace('<recipient-country code="VN"/>\n  <location><name><narrative>Soc Trang',
                        '<recipient-country code="XX"/>\n  <location><name><narrative>Soc Trang')
    text = text.replace('default-currency="JPY"', 'default-currency="QQQ"')
    text = text.replace('role="4" type="22"><narrative>Mekong', 'role="4" type="99"><narrative>Mekong')
    path = tmp_path / "codes.xml"
    path.write_text(text, encoding="utf-8")
    check = check_file(path, Tables.load())
    assert not check.errors
    fields = {(w.record, w.field) for w in check.warnings}
    assert ("TEST-VN-GIZ-0002", "activity-status/@code") in fields
    assert ("TEST-VN-GIZ-0002", "recipient-country/@code") in fields
    assert ("TEST-VN-GIZ-0002", "participating-org/@type") in fields
    assert ("TEST-VN-FDN-0003", "currency") in fields
    assert all(w.severity == "warning" and "danh mục" in w.text("vi") for w in check.warnings
               if w.field != "currency" or "QQQ" in w.message)
