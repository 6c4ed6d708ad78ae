"""What the graph holds: entities per kind and relationships per type."""

from __future__ import annotations

from typing import Any

from graph.store import GraphStore


def stats(store: GraphStore) -> dict[str, Any]:
    """``{"nodes": {kind: count}, "relationships": {type: count}}``."""
    return {
        "nodes": {row["kind"]: row["count"] for row in store.read("stats_nodes")},
        "relationships": {row["type"]: row["count"] for row in store.read("stats_relationships")},
    }
