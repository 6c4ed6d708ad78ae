"""What the graph holds at a glance: counts, the figures the documents report (grouped into the
charts leadership asks for), where donors come from, the most connected partners and the
latest ingestion.

>>> # figure_charts(figures(store))["theme_share"][0]["category"]  -> 'Môi trường' (a Theme's name)
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from graph.schema import NodeKind, parse_provenance
from graph.store import GraphStore
from graph.text import fold
from queries.projection import PROVENANCE_TYPES, cached, projection
from queries.stats import stats

# Kinds of organisation that are VUSTA's partners (its own members and units are not).
PARTNER_KINDS = (
    NodeKind.DONOR, NodeKind.INTERNATIONAL_ORGANISATION, NodeKind.FOREIGN_PARTNER, NodeKind.NETWORK,
    NodeKind.FORUM, NodeKind.COMPANY, NodeKind.GOVERNMENT_BODY, NodeKind.PARTY_BODY,
)
MONEY_UNITS = ("USD", "USD/year")
ORIGINS_SHOWN = 12
# Origins that are not the name of an entity in the graph.
ORIGIN_WORDS = {"da phuong": "Multilateral", "quoc te": "International", "thai lan": "Thailand", "uc": "Australia"}
_SIZE_BAND = [
    (re.compile(r"under_(\d+)k_usd"), "< {0}k USD", "< {0}k USD"),
    (re.compile(r"(\d+)k_to_(\d+)k_usd"), "{0}k – {1}k USD", "{0}k – {1}k USD"),
    (re.compile(r"over_(\d+)k_usd"), "> {0}k USD", "> {0}k USD"),
    (re.compile(r"near_(\d+)m_usd"), "≈ {0} triệu USD", "≈ {0} million USD"),
]


def figures(store: GraphStore) -> list[dict[str, Any]]:
    """Every Figure node: ``{"id", "metric", "label", "label_en", "value", "unit", "when", "qualifier",
    "subject", "subject_name", "subject_name_en", "subject_kinds", "sources", "sample"}``."""
    out = []
    for row in store.read("figure_table"):
        item = dict(row)
        item["when"] = str(row["year"]) if row["year"] is not None else (row["period"] or "")
        item["sources"] = parse_provenance(item.pop("provenance"))
        item["subject_kinds"] = row["subject_kinds"] or []
        item["sample"] = bool(row["sample"])
        out.append(item)
    return out


def _size_band(metric: str) -> tuple[str, str] | None:
    for pattern, vi, en in _SIZE_BAND:
        match = pattern.search(metric)
        if match:
            return vi.format(*match.groups()), en.format(*match.groups())
    return None


def _chart_row(figure: dict[str, Any], category: str, category_en: str) -> dict[str, Any]:
    return {
        "id": figure["id"], "category": category, "category_en": category_en,
        "label": figure["label"], "label_en": figure["label_en"] or figure["label"],
        "value": figure["value"], "unit": figure["unit"], "when": figure["when"],
        "qualifier": figure["qualifier"], "sample": figure["sample"],
        "source": "; ".join(f"{s.get('document')}:{s.get('line', '')}" for s in figure["sources"]),
    }


def figure_charts(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The figures grouped for charts: ``aid_by_year`` (money, by year or period), ``theme_share``
    (percent of projects by theme), ``project_size`` (percent of projects by size band).
    A chart with no figures is an empty list."""
    charts: dict[str, list[dict[str, Any]]] = {"aid_by_year": [], "theme_share": [], "project_size": []}
    for figure in items:
        metric, unit = figure["metric"] or "", figure["unit"]
        if unit in MONEY_UNITS:
            charts["aid_by_year"].append(_chart_row(figure, figure["label"], figure["label_en"] or figure["label"]))
        elif unit == "percent" and "theme" in metric:
            if NodeKind.THEME.value in figure["subject_kinds"]:
                name, name_en = figure["subject_name"], figure["subject_name_en"] or figure["subject_name"]
            else:
                name, name_en = "Lĩnh vực khác", "Other fields"
            charts["theme_share"].append(_chart_row(figure, name, name_en))
        elif unit == "percent" and (band := _size_band(metric)):
            charts["project_size"].append(_chart_row(figure, *band))
    charts["aid_by_year"].sort(key=lambda r: (r["when"], r["label"]))
    charts["theme_share"].sort(key=lambda r: -r["value"])
    charts["project_size"].sort(key=lambda r: r["id"])
    return charts


def donor_origins(store: GraphStore, kinds: tuple[str, ...] = (NodeKind.DONOR.value,),
                  top: int | None = None) -> list[dict[str, Any]]:
    """Donors counted by where they come from: ``[{"origin", "origin_en", "count", "names"}]``, most first.

    The origin is the entity's ``origin_country`` or ``country``, else the place it is LOCATED_IN,
    else "international" for international organisations, else "unknown"; its English name comes
    from the Place of that name. With ``top``, the smaller origins are added up as "other".
    """
    proj = projection(store)
    english = dict(ORIGIN_WORDS)
    for row in sorted(proj.entities.values(), key=lambda r: NodeKind.PLACE.value in r.kinds):  # places win
        for name in (row.name, *row.aliases):
            if row.name_en and not row.sample:
                english[fold(name)] = row.name_en
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in store.read("donor_origins"):
        if not set(kinds).intersection(row["kinds"] or []):
            continue
        origin = row["origin_country"] or row["country"] or (row["located_in"] or [None])[0]
        if origin:
            key = (origin, english.get(fold(origin)) or origin)
        elif NodeKind.INTERNATIONAL_ORGANISATION.value in (row["kinds"] or []):
            key = ("Tổ chức quốc tế", "International organisation")
        else:
            key = ("Chưa rõ", "Unknown")
        groups[key].append(row["name"])
    out = [{"origin": vi, "origin_en": en, "count": len(names), "names": sorted(names)}
           for (vi, en), names in groups.items()]
    out.sort(key=lambda r: (-r["count"], r["origin"]))
    if top is not None and len(out) > top:
        rest = out[top - 1:]
        out = out[:top - 1] + [{"origin": f"Khác ({len(rest)} nơi)", "origin_en": f"Other ({len(rest)} origins)",
                                "count": sum(r["count"] for r in rest),
                                "names": sorted(n for r in rest for n in r["names"])}]
    return out


def top_partners(store: GraphStore, limit: int = 10) -> list[dict[str, Any]]:
    """Partner organisations with the most connections, most first. Real facts only: sample
    entities are not ranked and connections to them are not counted (``sample_connections`` says
    how many there are besides)."""
    proj = projection(store)
    graph = proj.connections()
    wanted = {k.value for k in PARTNER_KINDS}
    rows = []
    for entity_id, row in proj.entities.items():
        if row.sample or not wanted.intersection(row.kinds) or entity_id not in graph:
            continue
        types: dict[str, int] = defaultdict(int)
        real = sample = 0
        for neighbour in graph[entity_id]:
            if proj.entities[neighbour].sample:
                sample += 1
                continue
            real += 1
            for tie in graph[entity_id][neighbour]["types"]:
                types[tie.type] += 1
        rows.append({"id": entity_id, "name": row.name, "name_en": row.name_en, "kinds": row.kinds,
                     "connections": real, "sample_connections": sample,
                     "relationship_types": dict(sorted(types.items(), key=lambda kv: -kv[1]))})
    rows.sort(key=lambda r: (-r["connections"], r["name"]))
    return rows[:limit]


def ingest_log(store: GraphStore, limit: int = 20) -> list[dict[str, Any]]:
    """The ingestion log (IngestRun nodes), newest first."""
    return [dict(row["run"]) for row in store.read("ingest_runs", limit=limit)]


def overview(store: GraphStore) -> dict[str, Any]:
    """Everything the overview page shows, in one call (counted once per graph version: at 100k
    entities the counts scan the store; the result is shared, read it without changing it)."""
    return cached(store, "overview", lambda: _overview(store))


def _overview(store: GraphStore) -> dict[str, Any]:
    counts = stats(store)
    items = figures(store)
    proj = projection(store)
    return {
        "entities": int(store.read("count_entities")[0]["count"]),
        "sample_entities": sum(1 for row in proj.entities.values() if row.sample),
        "relationships": sum(n for t, n in counts["relationships"].items() if t not in PROVENANCE_TYPES),
        "partners": sum(1 for row in proj.entities.values()
                        if not row.sample and {k.value for k in PARTNER_KINDS}.intersection(row.kinds)),
        "entities_by_kind": counts["nodes"],
        "relationships_by_type": counts["relationships"],
        "figures": items,
        "charts": figure_charts(items),
        "donor_origins": donor_origins(store, top=ORIGINS_SHOWN),
        "top_partners": top_partners(store),
        "latest_runs": ingest_log(store, limit=5),
    }
