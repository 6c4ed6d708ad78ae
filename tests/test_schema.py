import pytest
from pydantic import ValidationError

from graph import cypher
from graph.schema import (
    KINDS,
    RELATIONSHIPS,
    EntityRecord,
    FigureRecord,
    NodeKind,
    RelationshipRecord,
    RelationshipType,
    SourceRef,
    property_keys,
)


def entity(**overrides):
    record = {"id": "giz", "kinds": ["ForeignPartner", "Donor"], "name": "Tổ chức Hợp tác Phát triển Đức",
              "aliases": ["GIZ", "GIZ", " GIZ "], "properties": {"country": "Đức"},
              "sources": ["000_f6208c092d653411.txt:7"]}
    record.update(overrides)
    return EntityRecord.model_validate(record)


def test_every_kind_and_type_is_described():
    assert set(KINDS) == set(NodeKind)
    assert set(RELATIONSHIPS) == set(RelationshipType)


def test_multi_role_entity_and_clean_aliases():
    record = entity()
    assert record.kinds == [NodeKind.FOREIGN_PARTNER, NodeKind.DONOR]
    assert record.aliases == ["GIZ"]
    assert "giz" in record.search_keys()
    assert record.sources[0] == SourceRef(document="000_f6208c092d653411.txt", line=7)


@pytest.mark.parametrize("overrides, field", [
    ({"kinds": ["Charity"]}, "kinds"),
    ({"kinds": []}, "kinds"),
    ({"id": "Bad Id!"}, "id"),
    ({"name": "   "}, "name"),
    ({"properties": {"founded": "nineteen"}}, "properties"),
    ({"properties": {"colour": "red"}}, "properties"),
    ({"properties": {"kinds": ["x"]}}, "properties"),
    ({"sources": ["no line number"]}, "sources"),
    ({"unexpected": 1}, "unexpected"),
])
def test_invalid_entities_are_rejected_with_the_field(overrides, field):
    with pytest.raises(ValidationError) as error:
        entity(**overrides)
    text = str(error.value)
    assert field in text or "property" in text


def test_property_types_are_checked_per_kind():
    assert entity(properties={"founded": 2011}).properties == {"founded": 2011}
    with pytest.raises(ValidationError, match="unknown property 'title'"):
        entity(properties={"title": "PGS.TS"})  # a person's property, not an organisation's
    person = EntityRecord(id="p", kinds=["Person"], name="Phạm Quang Thao", properties={"title": "PGS.TS"})
    assert person.properties["title"] == "PGS.TS"


def test_relationship_identity_includes_role():
    a = RelationshipRecord.model_validate({"type": "HOLDS_POSITION", "from": "p", "to": "vusta",
                                           "properties": {"role": "Phó Chủ tịch"}})
    b = RelationshipRecord.model_validate({"type": "HOLDS_POSITION", "from": "p", "to": "vusta",
                                           "properties": {"role": "Tổng thư ký"}})
    assert a.id != b.id
    with pytest.raises(ValidationError):
        RelationshipRecord.model_validate({"type": "LIKES", "from": "a", "to": "b"})
    with pytest.raises(ValidationError):
        RelationshipRecord.model_validate({"type": "FUNDS", "from": "a", "to": "b", "properties": {"amount": -5}})


def test_figure_becomes_an_entity_with_its_subject():
    figure = FigureRecord(id="fig-x", subject="vusta", metric="ngo_aid_value", label="Giá trị viện trợ",
                          value=9_500_000, unit="USD", year=2019, qualifier="approximately")
    as_entity = figure.as_entity()
    assert as_entity.kinds == [NodeKind.FIGURE]
    assert as_entity.properties["subject"] == "vusta"
    assert as_entity.name.endswith("2019")


def test_cypher_is_rendered_from_the_schema_only():
    for kind in NodeKind:
        assert f"SET n:{kind.value}" in cypher.add_kind(kind).text
    for rel in RelationshipType:
        assert f"[r:{rel.value} {{id: row.id}}]" in cypher.merge_relationship(rel).text
    created = cypher.create_entities([NodeKind.DONOR, NodeKind.FOREIGN_PARTNER])
    assert "CREATE (n:Entity:Donor:ForeignPartner {id: row.id})" in created.text
    with pytest.raises(ValueError):
        cypher.create_entities([])
    with pytest.raises(ValueError):
        NodeKind("Donor) DETACH DELETE (n")
    assert "name" in property_keys() and "provenance" in property_keys()


def test_statements_have_unique_names_and_known_sources():
    names = [s.name for s in cypher.all_statements()]
    assert len(names) == len(set(names))
    with pytest.raises(cypher.UnknownStatement):
        cypher.statement("no_such_statement")
