"""What the app and the downloads need from the partner finder: pick lists (themes, places,
lead organisations), the ranked results as flat rows, and an introduction path in the shape the
map drawing takes."""

from __future__ import annotations

from typing import Any

from graph.schema import NodeKind, kind_label
from graph.store import GraphStore
from queries.geography import geography
from queries.partners.assembly import ROLE_NAMES
from queries.partners.weights import COMPONENTS
from queries.themes import taxonomy


def theme_choices(store: GraphStore) -> list[dict[str, str]]:
    """Every theme, for pick lists: ``[{"id", "name", "name_en"}]`` sorted by Vietnamese name."""
    tax = taxonomy(store)
    return sorted(({"id": t.id, "name": t.name, "name_en": t.name_en} for t in tax.themes.values()),
                  key=lambda t: t["name"])


def region_choices(store: GraphStore) -> list[dict[str, str]]:
    """Regions then provinces, for pick lists: ``[{"id", "name", "name_en", "kind"}]``."""
    geo = geography(store)
    regions = [{"id": i, "name": n, "name_en": e, "kind": "region"} for i, (n, e) in geo.regions.items()]
    provinces = [{"id": i, "name": n, "name_en": e, "kind": "province"} for i, (n, e, _) in geo.provinces.items()]
    return sorted(regions, key=lambda r: r["name"]) + sorted(provinces, key=lambda r: r["name"])


def kind_names(kinds: list[str], language: str = "vi") -> str:
    return ", ".join(kind_label(k, language) for k in kinds)


LEAD_CHOICE_KINDS = frozenset({NodeKind.UNION, NodeKind.MEMBER_ASSOCIATION, NodeKind.AFFILIATED_ORGANISATION,
                               NodeKind.PROVINCIAL_UNION, NodeKind.DEPARTMENT})


def results_table(result: dict[str, Any], language: str = "vi") -> list[dict[str, Any]]:
    """The ranked results as flat rows (for tables, CSV and Excel), in the chosen language."""
    vi = language == "vi"
    role_names = {role: names[0] if vi else names[1] for role, names in ROLE_NAMES.items()}
    rows = []
    for item in result["results"]:
        row: dict[str, Any] = {
            "role": role_names[item["role"]],
            "rank": item["rank"],
            "id": item["id"],
            "name": item["name"] if vi else (item["name_en"] or item["name"]),
            "short_name": item["short_name"],
            "score": item["score"],
        }
        row.update({name: item["components"][name] for name in COMPONENTS})
        row["reasons"] = " ".join(r["vi" if vi else "en"] for r in item["reasons"] if r["score"] is not None)
        row["introduction"] = item["intro_sentence_vi" if vi else "intro_sentence_en"] or ""
        row["origin"] = item["profile"]["origin_country"] or ""
        row["evidence"] = item["evidence_text"]["vi" if vi else "en"]
        row["sources"] = " ".join(dict.fromkeys(s["url"] or s["document"] for p in item["evidence_projects"]
                                                for s in p["sources"]))
        row["sample"] = item["uses_sample_data"]
        rows.append(row)
    return rows


def intro_found(item: dict[str, Any]) -> dict[str, Any]:
    """A result's introduction path in the shape of :func:`queries.paths.find_paths`, for the
    map drawing of :func:`queries.neighbourhood.path_network`."""
    path = item["intro_path"]
    relationships = []
    for step, following in zip(path, path[1:]):
        rel = step["next"]
        source, target = (step["id"], following["id"]) if rel["forward"] else (following["id"], step["id"])
        relationships.append({"type": rel["type"], "from": source, "to": target})
    return {"from": {"id": path[0]["id"], "name": path[0]["name"]} if path else {},
            "to": {"id": path[-1]["id"], "name": path[-1]["name"]} if path else {},
            "paths": [{"length": len(path) - 1, "nodes": [{"id": s["id"], "name": s["name"], "kinds": s["kinds"]}
                                                           for s in path], "relationships": relationships}]
            if path else []}
