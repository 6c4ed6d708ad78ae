"""The source documents and what each contributed to the graph: the entities it mentions
(MENTIONED_IN) and the relationships whose sources cite it, with the sentence when the document
is at hand."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from graph.schema import parse_provenance
from graph.store import GraphStore
from queries.projection import cached
from queries.sources import sources_with_evidence

MENTION_LIMIT = 5000


def documents(store: GraphStore, documents_dir: Path | None = None) -> list[dict[str, Any]]:
    """``[{"id", "title", "title_en", "published", "publisher", "kind_of_text", "entities",
    "by_kind": {kind: count}, "available"}]`` — ``available`` says whether the file is at hand.
    Read once per graph version (the counts scan every mention); the list is shared: do not change it."""
    return cached(store, f"documents|{documents_dir}", lambda: _documents(store, documents_dir))


def _documents(store: GraphStore, documents_dir: Path | None) -> list[dict[str, Any]]:
    by_kind: dict[str, dict[str, int]] = defaultdict(dict)
    for row in store.read("document_kind_counts"):
        by_kind[row["document"]][row["kind"]] = row["count"]
    out = []
    for row in store.read("document_table"):
        item = dict(row)
        item["sample"] = bool(row["sample"])
        item["by_kind"] = by_kind.get(row["id"], {})
        file_name = Path(row["file"] or row["id"]).name
        item["available"] = bool(documents_dir and (Path(documents_dir) / file_name).is_file())
        out.append(item)
    return out


def document_titles(store: GraphStore, language: str = "vi") -> dict[str, str]:
    """Document id → title (the English title in English when there is one), to name sources."""
    return {row["id"]: (row["title_en"] if language == "en" and row["title_en"] else row["title"])
            for row in store.read("document_table")}


def _cites(provenance: str | None, document: str) -> list[dict[str, Any]]:
    return [s for s in parse_provenance(provenance) if s.get("document") == document]


def contributions(store: GraphStore, document: str, documents_dir: Path | None = None,
                  limit: int = MENTION_LIMIT) -> dict[str, Any]:
    """What one document contributed: ``{"entities": [{"id", "name", "kinds", "lines", "sentence"}],
    "relationships": [{"type", "from_id", "from_name", "to_id", "to_name", "lines", "sentence"}]}``.
    Read once per graph version and document (finding the relationships scans them all); shared:
    do not change it."""
    return cached(store, f"contributions|{document}|{documents_dir}|{limit}",
                  lambda: _contributions(store, document, documents_dir, limit))


def _contributions(store: GraphStore, document: str, documents_dir: Path | None, limit: int) -> dict[str, Any]:
    entities = []
    for row in store.read("document_mentions", id=document, limit=limit):
        sources = sources_with_evidence(row["provenance"], documents_dir, [row["name"] or "", row["name_en"] or ""])
        sources = [s for s in sources if s.get("document") == document]
        entities.append({
            "id": row["id"], "name": row["name"], "kinds": row["kinds"] or [], "sample": bool(row["sample"]),
            "lines": sorted({s["line"] for s in sources if s.get("line")}),
            "sentence": next((s["sentence"] for s in sources if s.get("sentence")), None),
        })
    relationships = []
    for row in store.read("document_relationships", document=document, limit=limit):
        if not _cites(row["provenance"], document):
            continue  # another file whose name contains this one
        sources = [s for s in sources_with_evidence(row["provenance"], documents_dir,
                                                    [row["from_name"] or "", row["to_name"] or ""])
                   if s.get("document") == document]
        relationships.append({
            "type": row["type"], "from_id": row["from_id"], "from_name": row["from_name"],
            "to_id": row["to_id"], "to_name": row["to_name"],
            "lines": sorted({s["line"] for s in sources if s.get("line")}),
            "sentence": next((s["sentence"] for s in sources if s.get("sentence")), None),
        })
    return {"document": document, "entities": entities, "relationships": relationships}
