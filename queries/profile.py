"""An entity's profile: names, kinds, properties, sources and relationships."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.i18n import BilingualError
from graph.privacy import is_anonymous, contact_values, has_consent, masked_name, redact
from graph.schema import RESERVED_ENTITY_PROPERTIES
from graph.store import GraphStore
from queries.search import resolve
from queries.sources import sources_with_evidence

RELATIONSHIP_LIMIT = 2000


class NotFound(BilingualError, LookupError):
    """No entity matches what was asked for. ``str()`` is English (the CLI); :meth:`text` gives it
    in the user's language (the app)."""

    def __init__(self, message: str, vi: str | None = None, asked: str | None = None) -> None:
        super().__init__(vi=vi or message, en=message)
        self.asked = asked


def not_found_entity(asked: str) -> NotFound:
    return NotFound(f"No entity matches {asked!r}. Try `python -m queries search {asked!r}`.",
                    vi=f"Không tìm thấy thực thể nào khớp với {asked!r}. Hãy thử tìm ở trang Tìm kiếm.", asked=asked)


def show(store: GraphStore, id_or_name: str, documents_dir: Path | None = None,
         relationship_limit: int = RELATIONSHIP_LIMIT) -> dict[str, Any]:
    """``{"id", "name", "kinds", "properties", "aliases", "sources", "relationships": [...], "contact_hidden"}``
    (properties without contact details unless the person consented, see :mod:`graph.privacy`)."""
    entity_id = resolve(store, id_or_name)
    rows = store.read("entity_profile", id=entity_id) if entity_id else []
    if not rows:
        raise not_found_entity(id_or_name)
    row = rows[0]
    props = row["props"]
    names = [props.get("name") or "", props.get("name_en") or "", *(props.get("aliases") or [])]
    relationships = []
    for rel in store.read("entity_relationships", id=entity_id, limit=relationship_limit):
        rel_props = dict(rel["props"])
        provenance = rel_props.pop("provenance", None)
        for key in ("id", "ingest_run"):
            rel_props.pop(key, None)
        if is_anonymous(rel.get("other_visibility")):
            rel = {**rel, "other_name": masked_name(rel["other_id"]), "other_name_en": None}
        other_names = [rel["other_name"] or "", rel["other_name_en"] or ""]
        relationships.append({
            "type": rel["type"],
            "direction": "out" if rel["outgoing"] else "in",
            "other": {"id": rel["other_id"], "name": rel["other_name"], "kinds": rel["other_kinds"] or []},
            "properties": rel_props,
            "sources": sources_with_evidence(provenance, documents_dir, names[:2] + other_names),
        })
    private = is_anonymous(props.get("visibility"))
    return {
        "id": row["id"],
        "name": masked_name(row["id"]) if private else props.get("name"),
        "name_en": None if private else props.get("name_en"),
        "kinds": row["kinds"] or [],
        "aliases": [] if private else props.get("aliases") or [],
        "sample": bool(props.get("sample")),
        "properties": {k: v for k, v in sorted(redact(props).items()) if k not in RESERVED_ENTITY_PROPERTIES},
        # contact details exist but stay hidden: the person has not consented
        "contact_hidden": not has_consent(props) and bool(contact_values(props)),
        "sources": sources_with_evidence(props.get("provenance"), documents_dir, names),
        "relationships": relationships,
    }
