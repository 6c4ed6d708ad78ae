"""The write side of curation on a real store: add, edit, delete, relationships, merge — each one
run with who made it and what it replaced — the profile's history, and undoing a run as a whole."""

from __future__ import annotations

import pytest

from graph.schema import EntityRecord, RelationshipRecord, SourceRef
from ingest.curation import (FieldProblems, add_relationship, build_entity, build_relationship, delete_entity,
                             merge_entities, merge_preview, remove_relationship, save_entity)
from ingest.history import Actor, UndoRefused, entity_history, undo_run
from ingest.load import load_records

LAN = Actor("lan", "Nguyễn Thị Lan")
MINH = Actor("minh", "Trần Văn Minh")


@pytest.fixture
def graph(fresh_store):
    curated = [SourceRef(document="000_f6208c092d653411.txt", line=3)]
    load_records(fresh_store, [
        EntityRecord(id="vusta", kinds=["Union"], name="Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
                     aliases=["VUSTA", "LHHVN"], sources=curated),
        EntityRecord(id="giz", kinds=["Donor"], name="Tổ chức Hợp tác Quốc tế Đức", aliases=["GIZ"], sources=curated),
        EntityRecord(id="giz-vn", kinds=["ForeignPartner"], name="GIZ Việt Nam",
                     sources=[SourceRef(document="001_a.txt", line=2, method="pattern")]),
        EntityRecord(id="doc-1", kinds=["Document"], name="Bài báo", properties={"title": "Bài báo"}, sources=curated),
    ], [RelationshipRecord(type="FUNDS", **{"from": "giz", "to": "vusta"}, sources=curated),
        RelationshipRecord(type="PARTNER_OF", **{"from": "giz-vn", "to": "vusta"},
                           sources=[SourceRef(document="001_a.txt", line=2, method="pattern")])],
        command="test", inputs=["test"], quiet=True)
    return fresh_store


def props(store, entity_id):
    rows = store.read("entity_profile", id=entity_id)
    return rows[0]["props"] if rows else None


def rel_ids(store, entity_id):
    return sorted(r["id"] for r in store.read("entity_relationships_all", ids=[entity_id]))


def test_bad_form_values_are_refused_at_their_field():
    with pytest.raises(FieldProblems) as error:
        build_entity("hoi-x", ["MemberAssociation"], "", raw_properties={"founded": "năm ngoái", "website": ""})
    fields = error.value.by_field()
    assert set(fields) == {"name", "founded"}
    assert "số nguyên" in fields["founded"].vi and "whole number" in fields["founded"].en
    with pytest.raises(FieldProblems) as error:
        build_entity("Hội X", ["NotAKind"], "Hội X")
    assert set(error.value.by_field()) == {"kinds", "id"}
    with pytest.raises(FieldProblems) as error:
        build_entity("p1", ["Person"], "Người A", raw_properties={"visibility": "secret"})
    assert "public, internal, private" in error.value.by_field()["visibility"].en
    with pytest.raises(FieldProblems) as error:
        build_relationship("FUNDS", "a", "b", year="hai nghìn")
    assert "year" in error.value.by_field()


def test_add_edit_and_undo_with_history(graph):
    record = build_entity("hoi-tin-hoc", ["MemberAssociation"], "Hội Tin học Việt Nam", aliases=["VAIP"],
                          raw_properties={"founded": "1988", "city": "Hà Nội"})
    created = save_entity(graph, record, LAN, source="https://example.org/vaip", create=True)
    node = props(graph, "hoi-tin-hoc")
    assert node["founded"] == 1988 and node["ingest_run"] == created["run_id"]
    assert '"method": "app"' in node["provenance"] and "https://example.org/vaip" in node["provenance"]
    with pytest.raises(FieldProblems):
        save_entity(graph, record, LAN, create=True)  # the id is taken
    with pytest.raises(FieldProblems) as error:
        save_entity(graph, record, LAN, source="not a source")
    assert "source" in error.value.by_field()

    edited = build_entity("hoi-tin-hoc", ["MemberAssociation"], "Hội Tin học Việt Nam", aliases=["VAIP"],
                          raw_properties={"founded": "1989"})
    changed = save_entity(graph, edited, MINH, source="doc-1")
    node = props(graph, "hoi-tin-hoc")
    assert node["founded"] == 1989 and node.get("city") is None

    history = entity_history(graph, "hoi-tin-hoc")
    assert [(h["user"], h["changes"][0]["action"]) for h in history] == [("minh", "updated"), ("lan", "created")]
    assert history[0]["user_name"] == "Trần Văn Minh" and history[0]["command"] == "app: edit entity"

    with pytest.raises(UndoRefused) as refused:  # a later run changed it: undo that first
        undo_run(graph, created["run_id"], LAN)
    assert changed["run_id"] in str(refused.value)
    undo_run(graph, changed["run_id"], LAN)
    node = props(graph, "hoi-tin-hoc")
    assert node["founded"] == 1988 and node["city"] == "Hà Nội"
    with pytest.raises(UndoRefused):
        undo_run(graph, changed["run_id"], LAN)  # only once
    undo_run(graph, created["run_id"], LAN)
    assert props(graph, "hoi-tin-hoc") is None
    assert entity_history(graph, "hoi-tin-hoc")[0]["command"].startswith("undo ")


def test_relationship_with_source_and_year_then_removed_and_restored(graph):
    with pytest.raises(FieldProblems) as error:
        add_relationship(graph, build_relationship("FUNDS", "giz", "vusta", year=2020), LAN, source="")
    assert "source" in error.value.by_field()
    with pytest.raises(FieldProblems):  # the curated one exists already
        add_relationship(graph, build_relationship("FUNDS", "giz", "vusta"), LAN, source="doc-1")
    added = add_relationship(graph, build_relationship("SUPPORTS", "giz", "vusta", year="2021"), LAN,
                             source="https://example.org/news")
    rel = graph.read("existing_relationships", rows=[{"id": added["id"], "from_id": "giz", "to_id": "vusta"}])
    assert rel[0]["props"]["year"] == 2021 and "example.org/news" in rel[0]["props"]["provenance"]
    funds = "giz|FUNDS|vusta|"
    removed = remove_relationship(graph, funds, "giz", "vusta", MINH)
    assert funds not in rel_ids(graph, "giz")
    undo_run(graph, removed["run_id"], MINH)
    assert funds in rel_ids(graph, "giz")
    assert any(h["user"] == "minh" for h in entity_history(graph, "vusta"))


def test_delete_with_its_relationships_and_undo(graph):
    before = rel_ids(graph, "giz")
    deleted = delete_entity(graph, "giz", LAN)
    assert props(graph, "giz") is None and deleted["relationships"] == 1
    undo_run(graph, deleted["run_id"], LAN)
    assert props(graph, "giz")["name"] == "Tổ chức Hợp tác Quốc tế Đức"
    assert rel_ids(graph, "giz") == before
    assert "Donor" in graph.read("existing_entities", ids=["giz"])[0]["labels"]


def test_merge_keeps_sources_and_relationships_and_undo_restores_both(graph):
    preview = merge_preview(graph, "giz", "giz-vn")
    assert preview["new_aliases"] == ["GIZ Việt Nam"] and len(preview["relationships"]) == 1
    assert props(graph, "giz-vn") is not None  # a preview writes nothing
    merged = merge_entities(graph, "giz", "giz-vn", LAN)
    assert props(graph, "giz-vn") is None
    giz = props(graph, "giz")
    assert "GIZ Việt Nam" in giz["aliases"] and "001_a.txt" in giz["provenance"] and "000_f6208c092d653411" in giz["provenance"]
    assert "giz|PARTNER_OF|vusta|" in rel_ids(graph, "giz") and "giz|FUNDS|vusta|" in rel_ids(graph, "giz")
    undo_run(graph, merged["run_id"], LAN)
    assert props(graph, "giz-vn")["name"] == "GIZ Việt Nam"
    assert rel_ids(graph, "giz-vn") == ["giz-vn|PARTNER_OF|vusta|"]
    assert rel_ids(graph, "giz") == ["giz|FUNDS|vusta|"]
    assert props(graph, "giz")["aliases"] == ["GIZ"]


def test_runs_without_before_images_are_not_undone(graph):
    run = graph.read("ingest_runs", limit=1)[0]["run"]
    with pytest.raises(UndoRefused) as refused:
        undo_run(graph, run["id"], LAN)
    assert "only changes made in the app" in str(refused.value)


def test_reloading_curated_data_keeps_an_app_edit_and_lists_the_conflict(graph):
    curated = [SourceRef(document="000_f6208c092d653411.txt", line=3)]
    giz = EntityRecord(id="giz", kinds=["Donor"], name="Tổ chức Hợp tác Quốc tế Đức", aliases=["GIZ"], sources=curated)
    edited = build_entity("giz", ["Donor"], "Tổ chức Hợp tác Quốc tế Đức (GIZ)", aliases=["GIZ"],
                          raw_properties={"country": "Đức"})
    save_entity(graph, edited, LAN, source="https://www.giz.de")
    reload = load_records(graph, [giz], [], command="python -m ingest", inputs=["data/"], quiet=True)
    node = props(graph, "giz")
    assert node["name"] == "Tổ chức Hợp tác Quốc tế Đức (GIZ)" and node["country"] == "Đức"  # not silently undone
    fields = {c["field"]: c for c in reload.plan.conflicts}
    assert fields["name"]["kept"] == "Tổ chức Hợp tác Quốc tế Đức (GIZ)" and fields["name"]["reason"] == "app edit"
    assert fields["country"]["ignored"] is None
    again = load_records(graph, [giz], [], command="python -m ingest", inputs=["data/"], quiet=True)
    assert props(graph, "giz")["name"] == "Tổ chức Hợp tác Quốc tế Đức (GIZ)" and again.plan.conflicts
