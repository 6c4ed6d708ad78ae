"""Spreadsheet import: CSV, Excel, JSON; every malformed input is refused and writes nothing."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from graph.schema import parse_provenance
from graph.store import GraphStore
from ingest.curated import InvalidInput
from ingest.curated_load import load_curated
from ingest.tabular import convert, import_tables
from queries.stats import stats

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "data" / "templates"
PARTNERS_HEADER = (TEMPLATES / "partners.csv").read_text(encoding="utf-8").strip()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def profile(store: GraphStore, entity_id: str) -> dict:
    rows = store.read("entity_profile", id=entity_id)
    return rows[0]["props"] if rows else {}


def test_templates_are_documented_headers():
    readme = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    for template in ("partners", "donors", "member_associations", "projects", "people", "relationships"):
        header = (TEMPLATES / f"{template}.csv").read_text(encoding="utf-8").strip().split(",")
        assert f"`{template}.csv`" in readme and ("name" in header or header[:3] == ["type", "from", "to"])
    assert "separated by `;`" in readme and "authoritative" in readme


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_partner_file_resolves_existing_entities_and_loads_idempotently(fresh_store: GraphStore, tmp_path: Path):
    load_curated(fresh_store, [ROOT / "data"], quiet=True)
    path = write(tmp_path, "partners.csv", "\ufeff" + PARTNERS_HEADER + "\r\n"
                 ",ForeignPartner; Donor,Quỹ Hỗ trợ Phát triển Bắc Âu,Nordic Support Fund,NSF,NSF,Thụy Điển,,"
                 "https://nsf.example.org,,LHHVN,,\r\n"
                 ",ForeignPartner,Hiệp hội KH&KT Trung Quốc,,,,,Bắc Kinh,,,,Liên hiệp Hội Việt Nam,\r\n")
    dry = import_tables(fresh_store, [path], dry_run=True, quiet=True)
    assert dry.plan.summary()["entities"] == {"created": 2, "updated": 1, "unchanged": 0}  # the file, NSF; CAST
    assert profile(fresh_store, "nsf") == {}
    first = import_tables(fresh_store, [path], quiet=True)
    assert first.run_id
    nsf = profile(fresh_store, "nsf")
    assert nsf["name"] == "Quỹ Hỗ trợ Phát triển Bắc Âu" and nsf["kinds"] == ["ForeignPartner", "Donor"]
    assert nsf["country"] == "Thụy Điển" and nsf["aliases"] == ["NSF"]
    source = parse_provenance(nsf["provenance"])[0]
    assert source == {"document": "partners.csv", "line": 2, "method": "tabular"}
    # CAST is curated: its values stay, the row's city is reported, the file is added to its sources
    cast = profile(fresh_store, "cast")
    assert "city" not in cast and {"method": "tabular", "document": "partners.csv", "line": 3} in \
        parse_provenance(cast["provenance"])
    assert {"id": "cast", "field": "city", "kept": None, "ignored": "Bắc Kinh"} in first.plan.conflicts
    # the partnership joins the curated vusta→cast relationship instead of making a second one
    partner = [r for r in fresh_store.read("relationships_between", pairs=[
        {"from_id": "vusta", "to_id": "cast"}, {"from_id": "cast", "to_id": "vusta"}]) if r["type"] == "PARTNER_OF"]
    assert [(r["from_id"], r["to_id"]) for r in partner] == [("vusta", "cast")]
    again = import_tables(fresh_store, [path], quiet=True)
    assert again.run_id is None and again.plan.changes == 0
    assert load_curated(fresh_store, [ROOT / "data"], quiet=True).plan.changes == 0


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_excel_and_json_files_import_with_relationship_tables(fresh_store: GraphStore, tmp_path: Path):
    load_curated(fresh_store, [ROOT / "data"], quiet=True)
    workbook = Workbook()
    people = workbook.active
    people.title = "people"
    people.append(["id", "kinds", "name", "title", "years_abroad", "overseas", "consent", "expertise", "member_of"])
    people.append(["person-test-tran", "Person", "Trần Thị Thu", "TS", 12, "có", False, "hóa học; vật liệu",
                   "Hội Luật gia"])
    relationships = workbook.create_sheet("relationships")
    relationships.append(["type", "from", "to", "year"])
    relationships.append(["participates_in", "person-test-tran", "CAFEO 38", 2020])
    xlsx = tmp_path / "roster.xlsx"
    workbook.save(xlsx)
    result = import_tables(fresh_store, [xlsx], quiet=True)
    person = profile(fresh_store, "person-test-tran")
    assert person["years_abroad"] == 12 and person["overseas"] is True and person["consent"] is False
    assert person["expertise"] == ["hóa học", "vật liệu"]
    assert result.plan.summary()["relationships"]["created"] >= 3  # MEMBER_OF, PARTICIPATES_IN, MENTIONED_IN
    data = {"entities": [{"name": "Quỹ Thử nghiệm JSON", "kinds": ["Donor"], "focus_themes": ["nước sạch"]}],
            "relationships": [{"type": "FUNDS", "from": "Quỹ Thử nghiệm JSON", "to": "scdi", "amount": 1500.5}]}
    path = write(tmp_path, "donors.json", json.dumps(data, ensure_ascii=False))
    import_tables(fresh_store, [path], quiet=True)
    donor = profile(fresh_store, "quy-thu-nghiem-json")
    assert donor["focus_themes"] == ["nước sạch"]
    assert import_tables(fresh_store, [xlsx, path], quiet=True).plan.changes == 0


BAD = {
    "broken_quoting": ("bad.csv", PARTNERS_HEADER + '\n,ForeignPartner,"Quỹ ABC,,,,,,,,,,\n', "not valid CSV", None),
    "too_many_cells": ("bad.csv", "name,kinds\nQuỹ A,Donor,extra\n", "has 3 cells", 2),
    "missing_required_column": ("bad.csv", "id,name,country\nx,Quỹ A,Đức\n", "missing required column(s) kinds", 1),
    "unknown_column": ("bad.csv", "name,kinds,colour\nQuỹ A,Donor,red\n", "unknown column(s) colour", 1),
    "unknown_kind": ("bad.csv", "name,kinds\nQuỹ A,Charity\n", "unknown kind 'Charity'", 2),
    "unknown_relationship_type": ("bad.csv", "type,from,to\nLIKES,vusta,giz\n", "unknown relationship type 'LIKES'",
                                  2),
    "dangling_reference": ("bad.csv", "type,from,to\nFUNDS,giz,Quỹ Không Tồn Tại\n",
                           "neither in this import nor in the graph", 2),
    "dangling_relationship_column": ("bad.csv", "name,kinds,member_of\nHội A,MemberAssociation,Hội Không Có\n",
                                     "refers to 'Hội Không Có'", 2),
    "empty_file": ("bad.csv", "", "is empty", None),
    "header_only": ("bad.csv", "name,kinds\n", "no data rows", None),
    "duplicate_ids": ("bad.csv", "id,name,kinds,country\nx-dup,Quỹ A,Donor,Đức\nx-dup,Quỹ A,Donor,Pháp\n",
                      "also defined at row 2", 3),
    "wrong_number": ("bad.csv", "name,kinds,founded\nHội A,MemberAssociation,năm ngoái\n", "whole number", 2),
    "wrong_date": ("bad.csv", "type,from,to,date\nFUNDS,giz,vusta,2020-13-45\n", "expected a date", 2),
    "wrong_property_for_kind": ("bad.csv", "name,kinds,email\nHội A,MemberAssociation,a@b.c\n",
                                "not a property of MemberAssociation", 2),
    "not_json": ("bad.json", "{entities: [}", "not valid JSON", 1),
    "unknown_type": ("bad.txt", "name,kinds\nA,Donor\n", "unknown type", None),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_input_names_the_place_and_writes_nothing(store: GraphStore, tmp_path: Path, case: str):
    name, text, expected, line = BAD[case]
    good = write(tmp_path, "good.csv", "id,name,kinds\ntest-tabular-good,Hội Tốt,MemberAssociation\n")
    bad = write(tmp_path, name, text)
    before = stats(store)
    with pytest.raises(InvalidInput) as error:
        import_tables(store, [good, bad], quiet=True)
    problems = [p for p in error.value.problems if expected in p.message]
    assert problems, str(error.value)
    assert problems[0].file.startswith(str(bad))
    if line is not None:
        assert problems[0].line == line
    assert stats(store) == before
    assert profile(store, "test-tabular-good") == {}


def test_problems_name_row_and_column(store: GraphStore, tmp_path: Path):
    path = write(tmp_path, "p.csv", "name,kinds,founded\nHội A,MemberAssociation,1990\nHội B,MemberAssociation,x\n")
    with pytest.raises(InvalidInput) as error:
        import_tables(store, [path], quiet=True)
    problem = error.value.problems[0]
    assert (problem.line, problem.record, problem.field) == (3, "row 3", "founded")
    assert "expected a whole number" in problem.message and "'x'" in problem.message


def test_non_utf8_file_says_which_byte_and_guesses_the_encoding(store: GraphStore, tmp_path: Path):
    # Windows-1258 writes Vietnamese tone marks as combining characters: "Hô" + dot below
    path = write(tmp_path, "latin.csv", "name,kinds\nH\u00f4\u0323i Lu\u00e2\u0323t gia,MemberAssociation\n",
                 encoding="cp1258")
    before = stats(store)
    with pytest.raises(InvalidInput) as error:
        import_tables(store, [path], quiet=True)
    message = str(error.value)
    assert "not valid UTF-8" in message and "line 2" in message and "Windows-1258" in message
    assert stats(store) == before


def test_excel_errors_name_sheet_row_and_column_letter(store: GraphStore, tmp_path: Path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "donors"
    sheet.append(["name", "kinds", "typical_grant_min_usd"])
    sheet.append(["Quỹ X", "Donor", "nhiều"])
    path = tmp_path / "d.xlsx"
    workbook.save(path)
    with pytest.raises(InvalidInput) as error:
        import_tables(store, [path], quiet=True)
    problem = error.value.problems[0]
    assert "[donors]" in problem.file and problem.line == 2 and problem.field == "C (typical_grant_min_usd)"
    not_excel = write(tmp_path, "fake.xlsx", "name,kinds\n")
    with pytest.raises(InvalidInput, match="not a readable Excel"):
        import_tables(store, [not_excel], quiet=True)


@pytest.mark.parametrize("value, expected, result", [
    ("1,500,000", "number", 1500000.0), ("9.5", "number", 9.5), ("2020", "integer", 2020), (2020.0, "integer", 2020),
    ("có", "boolean", True), ("không", "boolean", False), ("25/11/2020", "date", "2020-11-25"),
    ("2020-11", "date", "2020-11"), ("a; b ;", "texts", ["a", "b"]),
])
def test_cells_convert_to_schema_types(value, expected, result):
    assert convert(value, expected) == result


@pytest.mark.parametrize("value, expected", [("9,5", "number"), ("1.5", "integer"), ("maybe", "boolean"),
                                             ("2020-02-30", "date"), ("31/13/2020", "date")])
def test_wrong_cells_are_refused(value, expected):
    with pytest.raises(ValueError):
        convert(value, expected)


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_cli_dispatches_by_extension_and_reports_json(store: GraphStore, tmp_path: Path):
    path = write(tmp_path, "cli.csv", "name,kinds\nQuỹ CLI,Bánh\n")
    result = subprocess.run([sys.executable, "-m", "ingest", str(path), "--json"], cwd=ROOT, capture_output=True,
                            text=True, env=os.environ.copy(), timeout=300)
    assert result.returncode == 2
    problem = json.loads(result.stdout)["problems"][0]
    assert problem["field"] == "kinds" and problem["line"] == 2 and "unknown kind 'Bánh'" in problem["message"]
    ok = write(tmp_path, "ok.csv", "name,kinds\nQuỹ CLI Thử,Donor\n")
    dry = subprocess.run([sys.executable, "-m", "ingest", str(ok), "--dry-run", "--json"], cwd=ROOT,
                         capture_output=True, text=True, env=os.environ.copy(), timeout=300)
    out = json.loads(dry.stdout)
    assert out["dry_run"] is True and "quy-cli-thu" in out["details"]["entities_created"]
