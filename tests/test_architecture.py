"""The schema is the one source of truth: kinds and relationship types are named through its
enums, its rules are enforced on every load, and its API replaces private enum internals."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from graph.schema import (
    CONTACT_PROPERTIES,
    COMMON_ENTITY_PROPERTIES,
    HOME_ID,
    KIND_GROUPS,
    KINDS,
    PROPERTIES,
    RELATIONSHIPS,
    SYMMETRIC_RELATIONSHIP_TYPES,
    EntityRecord,
    KindGroup,
    NodeKind,
    RelationshipRecord,
    RelationshipType,
    endpoint_problem,
    kinds_in,
)
from ingest.curated import InvalidInput, check_bundle, read_bundle

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("accounts", "graph", "ingest", "queries", "ui", "bench", "cli")
SCHEMA_NAMES = {k.value for k in NodeKind} | {t.value for t in RelationshipType}

# Files whose owners are still moving their kind/relationship strings onto the schema enums.
# Shrink this list as they land (``python -m pytest tests/test_architecture.py -rP`` prints what is left).
STILL_OWNED_BY_OTHERS = {
    "queries/partners.py",
    "queries/project_idea.py",
}


def _python_files() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py") if p.is_file())


def _bilingual_pairs(tree: ast.AST) -> set[int]:
    """ids of string constants inside ("Vietnamese", "English") label pairs: text, not kinds."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2 and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            inside |= {id(e) for e in node.elts}
    return inside


def schema_literals(path: Path) -> list[str]:
    """``file:line: 'Name'`` for every string literal that spells a kind or relationship type."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    labels = _bilingual_pairs(tree)
    rel = path.relative_to(ROOT).as_posix()
    return [f"{rel}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in SCHEMA_NAMES
            and id(node) not in labels]


def test_no_kind_or_relationship_literals_outside_the_schema():
    found: dict[str, list[str]] = {}
    for path in _python_files():
        rel = path.relative_to(ROOT).as_posix()
        if rel == "graph/schema.py":
            continue
        hits = schema_literals(path)
        if hits:
            found[rel] = hits
    for rel, hits in sorted(found.items()):
        print(f"{rel}: {len(hits)} literal(s)")
    unexpected = {f: hits for f, hits in found.items() if f not in STILL_OWNED_BY_OTHERS}
    assert not unexpected, "use the graph.schema enums instead of:\n" + "\n".join(
        h for hits in unexpected.values() for h in hits)


def test_the_literal_check_sees_a_literal(tmp_path):
    sample = ROOT / "graph" / "schema.py"
    assert any("'Donor'" in hit for hit in schema_literals(sample))


def test_no_private_enum_internals():
    offenders = [str(p.relative_to(ROOT)) for p in _python_files()
                 if re.search(r"(NodeKind|RelationshipType)\._value2member_map_", p.read_text())]
    assert offenders == []


def test_every_property_has_labels_and_contact_fields_are_declared():
    declared = set(COMMON_ENTITY_PROPERTIES)
    for spec in KINDS.values():
        declared |= set(spec.properties)
    assert declared <= set(PROPERTIES), f"add labels in graph.schema.PROPERTIES for {sorted(declared - set(PROPERTIES))}"
    assert all(spec.label_vi and spec.label_en for spec in PROPERTIES.values())
    assert set(CONTACT_PROPERTIES) == {"email", "phone"}
    assert all(PROPERTIES[name].personal for name in CONTACT_PROPERTIES)


def test_groups_symmetry_and_home():
    assert HOME_ID == "vusta"
    assert NodeKind.MEMBER_ASSOCIATION in kinds_in(KindGroup.VUSTA_SYSTEM)
    assert NodeKind.DONOR not in kinds_in(KindGroup.VUSTA_SYSTEM)
    assert kinds_in(KindGroup.SOURCES) == {NodeKind.DOCUMENT, NodeKind.FIGURE}
    assert set(KindGroup) == set(KIND_GROUPS)
    assert SYMMETRIC_RELATIONSHIP_TYPES == {RelationshipType.PARTNER_OF, RelationshipType.COOPERATES_WITH}
    assert set(RELATIONSHIPS) == set(RelationshipType)


def test_endpoint_rules():
    assert endpoint_problem(RelationshipType.FUNDS, ["Donor"], ["Project"]) is None
    assert endpoint_problem(RelationshipType.LOCATED_IN, ["Person"], ["Province"]) is None
    problem = endpoint_problem(RelationshipType.LOCATED_IN, ["Person"], ["Theme"])
    assert problem and "LOCATED_IN" in problem and "Theme" in problem and "không" in problem
    assert endpoint_problem(RelationshipType.HOLDS_POSITION, ["Donor"], ["Union"])
    # an entity of several kinds qualifies when one of them is allowed
    assert endpoint_problem(RelationshipType.HOLDS_POSITION, ["Donor", "Person"], ["Union"]) is None


@pytest.mark.slow  # reads all of data/; every test on the loaded store checks it too
def test_the_curated_data_keeps_the_rules():
    bundle, problems = read_bundle([ROOT / "data"])
    check_bundle(bundle, problems)
    assert problems == []


def test_a_curated_file_breaking_a_rule_is_refused_with_its_place(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "documents:\n  - id: doc.txt\n    title: Doc\n"
        "entities:\n"
        "  - {id: t1, kinds: [Theme], name: Nước sạch, sources: ['doc.txt:1']}\n"
        "  - {id: p1, kinds: [Person], name: Nguyễn Văn A, sources: ['doc.txt:1']}\n"
        "relationships:\n"
        "  - {type: HOLDS_POSITION, from: t1, to: p1, sources: ['doc.txt:1']}\n", encoding="utf-8")
    bundle, problems = read_bundle([path])
    check_bundle(bundle, problems)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.file == str(path) and problem.line == 8 and problem.field == "type"
    assert "HOLDS_POSITION" in problem.message and "Theme" in problem.message


def test_a_load_breaking_a_rule_writes_nothing(fresh_store):
    from ingest.load import load_records

    theme = EntityRecord(id="t1", kinds=[NodeKind.THEME], name="Nước sạch")
    load_records(fresh_store, [theme], [], command="test", inputs=["first.csv"], quiet=True)
    person = EntityRecord(id="p1", kinds=[NodeKind.PERSON], name="Nguyễn Văn A")
    bad = RelationshipRecord(type=RelationshipType.HOLDS_POSITION, **{"from": "t1", "to": "p1"})
    with pytest.raises(InvalidInput) as error:
        load_records(fresh_store, [person], [bad], command="test", inputs=["second.csv"], quiet=True)
    assert "t1|HOLDS_POSITION|p1" in str(error.value) and "second.csv" in str(error.value)
    assert fresh_store.read("entity_kinds", ids=["p1"]) == []
    assert fresh_store.read("entity_kinds", ids=["t1", "p1"]) == [{"kinds": ["Theme"], "ids": ["t1"]}]


# The write side's entry points the app may import: the service and the curation/history
# modules it names (ingest/service.py). Anything else in ingest/, and graph.backup/maintenance, is internal.
SERVICE_MODULES = ("ingest.service", "ingest.curation", "ingest.history")


def test_the_app_reads_through_queries_and_writes_through_the_service():
    """No ui/ module reaches into graph.backup, graph.maintenance or the ingest internals."""
    allowed = "|".join(re.escape(m.removeprefix("ingest")) for m in SERVICE_MODULES)
    forbidden = re.compile(rf"^\s*(from|import)\s+(graph\.backup|graph\.maintenance|ingest(?!(?:{allowed})\b)[.\w]*)\b",
                           re.M)
    offenders = {}
    for path in sorted((ROOT / "ui").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        hits = [m.group(0).strip() for m in forbidden.finditer(path.read_text(encoding="utf-8"))]
        if hits:
            offenders[rel] = hits
    assert offenders == {}
