"""How facts from different sources meet on one node or relationship.

The rule (also in ``data/templates/README.md``):

* **Curated files are authoritative** for the records they define. A curated record (all its
  sources have the method ``curated``) sets name, kinds, aliases and properties; on reload it
  replaces the *curated* sources it had, and **keeps every source of another method** (document
  extraction, spreadsheets). So ``python -m ingest`` after ``ingest docs --apply`` changes
  nothing, and extracted evidence is never stripped.
* **Other sources never overwrite curated values.** A record from a document, a spreadsheet or
  an uploaded YAML file (the app's upload: its sources are marked ``upload``) that meets a curated node adds its sources (and nothing else); a differing value is reported
  as a conflict and the curated value is kept.
* **Between non-curated sources the newer record wins** value by value: its name, properties
  and kinds are written, the old name is kept as an alias, aliases and kinds accumulate, blank
  values do not erase. Sources accumulate, except that a spreadsheet replaces the sources it
  gave before (``method: tabular`` from the same file; likewise an IATI file, ``method: iati``), so
  re-importing an edited file does not pile up stale row numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from graph.schema import (
    RESERVED_ENTITY_PROPERTIES,
    EntityRecord,
    known_kinds,
    RelationshipProperties,
    RelationshipRecord,
    SourceRef,
    allowed_properties,
    parse_provenance,
)
from graph.text import fold

if TYPE_CHECKING:
    from graph.store import GraphStore

CURATED = "curated"
TABULAR = "tabular"
APP = "app"  # a change a signed-in editor made in the app (ingest/curation.py)
IATI = "iati"
REPLACING_METHODS = (TABULAR, IATI)   # a file of these replaces the sources it gave before


def is_authoritative(sources: list[SourceRef]) -> bool:
    """Curated records (or records without sources, as before sources existed) are authoritative."""
    return not sources or all(s.method == CURATED for s in sources)


def is_curated_node(stored: list[SourceRef]) -> bool:
    """A stored node is curated while any of its sources is curated (or it has none, as before sources
    existed): the sources other methods added to it never make its curated values overwritable."""
    return not stored or any(s.method == CURATED for s in stored)


def stored_sources(props: dict[str, Any]) -> list[SourceRef]:
    out = []
    for item in parse_provenance(props.get("provenance")):
        try:
            out.append(SourceRef.model_validate(item))
        except ValidationError:
            continue
    return out


def _owned(existing: SourceRef, record_sources: list[SourceRef], authoritative: bool) -> bool:
    """Whether the new record replaces this stored source (rather than keeping it)."""
    if authoritative:
        return existing.method == CURATED
    files = {(s.method, s.document) for s in record_sources if s.method in REPLACING_METHODS}
    return (existing.method, existing.document) in files


def _place(source: SourceRef) -> tuple[Any, ...]:
    """Where a source points; extracted evidence for the same span counts once, however it was found."""
    if source.start is None:
        return (source.document, source.line, source.method, source.sentence)
    return (source.document, source.line, source.start, source.end)


def merge_sources(record_sources: list[SourceRef], stored: list[SourceRef], authoritative: bool) -> list[SourceRef]:
    kept = [s for s in stored if not _owned(s, record_sources, authoritative)]
    if authoritative:
        return list(dict.fromkeys([*record_sources, *kept]))
    places = {_place(s) for s in kept}
    return list(dict.fromkeys([*kept, *(s for s in record_sources if _place(s) not in places)]))


def entity_from_node(entity_id: str, props: dict[str, Any], sources: list[SourceRef]) -> EntityRecord:
    """An entity record with the values a node holds."""
    kinds = known_kinds(props.get("kinds") or [])
    allowed = allowed_properties(kinds) if kinds else {}
    properties = {k: v for k, v in props.items() if k in allowed and k not in RESERVED_ENTITY_PROPERTIES
                  and v is not None}
    return EntityRecord.model_construct(
        id=entity_id, kinds=kinds, name=props.get("name") or entity_id, name_en=props.get("name_en"),
        aliases=list(props.get("aliases") or []), properties=properties, sources=sources,
        sample=bool(props.get("sample", False)))


def reconcile_entity(entity: EntityRecord, props: dict[str, Any]) -> tuple[EntityRecord, list[dict[str, Any]]]:
    """The record to write over a stored node, and the conflicts kept in the graph's favour."""
    stored = stored_sources(props)
    authoritative = is_authoritative(entity.sources)
    sources = merge_sources(entity.sources, stored, authoritative)
    if authoritative:
        entity = entity if sources == entity.sources else entity.model_copy(update={"sources": sources})
        if any(s.method == APP for s in stored) and props.get("ingest_run") and props.get("app_edit"):
            return _keep_app_edit(entity, props, sources)
        return entity, []
    node = entity_from_node(entity.id, props, sources)
    if is_curated_node(stored):
        conflicts = []
        if fold(entity.name) not in {fold(n) for n in [node.name, *(node.aliases or [])]}:
            conflicts.append({"id": entity.id, "field": "name", "kept": node.name, "ignored": entity.name})
        for key, value in entity.properties.items():
            if node.properties.get(key) != value:
                conflicts.append({"id": entity.id, "field": key, "kept": node.properties.get(key), "ignored": value})
        known_names = {fold(n) for n in [node.name, node.name_en or "", *(node.aliases or [])]}
        extra_aliases = [a for a in entity.aliases if fold(a) not in known_names]
        if extra_aliases:
            conflicts.append({"id": entity.id, "field": "aliases", "kept": list(node.aliases or []),
                              "ignored": extra_aliases})
        if entity.name_en and node.name_en and fold(entity.name_en) != fold(node.name_en):
            conflicts.append({"id": entity.id, "field": "name_en", "kept": node.name_en, "ignored": entity.name_en})
        extra_kinds = [str(k) for k in entity.kinds if k not in node.kinds]
        if extra_kinds:
            conflicts.append({"id": entity.id, "field": "kinds", "kept": [str(k) for k in node.kinds],
                              "ignored": extra_kinds})
        return node, conflicts
    # newer non-curated values win; nothing is erased
    aliases = list(dict.fromkeys([*node.aliases, *entity.aliases]))
    if fold(node.name) != fold(entity.name) and node.name not in aliases:
        aliases.append(node.name)
    aliases = [a for a in aliases if fold(a) != fold(entity.name)]
    kinds = list(dict.fromkeys([*node.kinds, *entity.kinds]))
    properties = {**node.properties, **entity.properties}
    merged = EntityRecord.model_construct(
        id=entity.id, kinds=kinds, name=entity.name, name_en=entity.name_en or node.name_en, aliases=aliases,
        properties=properties, sources=sources, sample=entity.sample)
    try:
        merged = EntityRecord.model_validate(merged.model_dump())
    except ValidationError:
        pass
    return merged, []


def _keep_app_edit(entity: EntityRecord, props: dict[str, Any], sources: list[SourceRef]
                   ) -> tuple[EntityRecord, list[dict[str, Any]]]:
    """A curated record meets a node an editor changed in the app: the app's values stay (a reload
    never silently undoes an edit) and every difference is listed as a conflict for a person to
    resolve — by editing the curated file to agree, or the entity in the app."""
    node = entity_from_node(entity.id, props, sources)
    conflicts = []
    for field, kept, ignored in (("name", node.name, entity.name), ("name_en", node.name_en, entity.name_en),
                                 ("aliases", node.aliases, entity.aliases),
                                 ("kinds", [str(k) for k in node.kinds], [str(k) for k in entity.kinds])):
        if kept != ignored:
            conflicts.append({"id": entity.id, "field": field, "kept": kept, "ignored": ignored, "reason": "app edit"})
    for key in sorted(set(node.properties) | set(entity.properties)):
        if node.properties.get(key) != entity.properties.get(key):
            conflicts.append({"id": entity.id, "field": key, "kept": node.properties.get(key),
                              "ignored": entity.properties.get(key), "reason": "app edit"})
    return node.model_copy(update={"sample": entity.sample}), conflicts


def reconcile_relationship(rel: RelationshipRecord, props: dict[str, Any]) -> RelationshipRecord:
    stored = stored_sources(props)
    authoritative = is_authoritative(rel.sources)
    sources = merge_sources(rel.sources, stored, authoritative)
    if authoritative:
        return rel if sources == rel.sources else rel.model_copy(update={"sources": sources})
    known = set(RelationshipProperties.model_fields)
    stored_props = {k: v for k, v in props.items() if k in known and v is not None}
    if any(s.method == CURATED for s in stored):
        properties = stored_props
    else:
        properties = {**stored_props, **rel.properties.model_dump(exclude_none=True)}
    return rel.model_copy(update={"sources": sources, "properties": RelationshipProperties(**properties),
                                  "sample": bool(props.get("sample", rel.sample))})


def align_relationships(store: "GraphStore", relationships: list[RelationshipRecord]) -> list[RelationshipRecord]:
    """Point new facts at the relationship the graph already has between the same two entities.

    A spreadsheet row ``giz partner_of vusta`` meets the curated ``vusta PARTNER_OF giz`` (the
    type is symmetric) or a curated relationship with a role: the record takes that
    relationship's direction and role, so it adds its source to it instead of making a second one.
    """
    from graph.store import batches
    from graph.schema import RELATIONSHIPS

    pairs = {(r.from_id, r.to_id) for r in relationships} | {(r.to_id, r.from_id) for r in relationships}
    existing: dict[tuple[str, str, str], dict[str, Any]] = {}
    rows = [{"from_id": a, "to_id": b} for a, b in sorted(pairs)]
    for chunk in batches(rows):
        for row in store.read("relationships_between", pairs=list(chunk)):
            existing.setdefault((row["type"], row["from_id"], row["to_id"]), row)
    out = []
    for rel in relationships:
        match = existing.get((str(rel.type), rel.from_id, rel.to_id))
        if match is None and RELATIONSHIPS[rel.type].symmetric:
            match = existing.get((str(rel.type), rel.to_id, rel.from_id))
        if match and rel.id != match["id"] and (not rel.properties.role or
                                                 fold(rel.properties.role) == fold(match.get("role") or "")):
            properties = rel.properties.model_copy(update={"role": match.get("role") or rel.properties.role})
            rel = rel.model_copy(update={"from_id": match["from_id"], "to_id": match["to_id"],
                                         "properties": properties})
        out.append(rel)
    return out
