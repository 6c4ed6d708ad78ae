"""Which graph store the product talks to, whether it answers, and what to do when it does not."""

from __future__ import annotations

from typing import Any

from graph.store import GraphStore, StoreUnavailable

WHAT_TO_DO_EMBEDDED = {
    "vi": "Khởi động kho nhúng bằng `python -m graph start`, rồi nạp dữ liệu bằng `python -m ingest`.",
    "en": "Start the embedded store with `python -m graph start`, then load the data with `python -m ingest`.",
}
WHAT_TO_DO_NEO4J = {
    "vi": ("Kiểm tra máy chủ Neo4j đang chạy và các biến NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, "
           "NEO4J_DATABASE (hoặc bỏ NEO4J_URI để dùng kho nhúng)."),
    "en": ("Check that the Neo4j server is running and that NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and "
           "NEO4J_DATABASE are right (or unset NEO4J_URI to use the embedded store)."),
}
WHAT_TO_DO_EMPTY = {
    "vi": "Kho dữ liệu đang trống: nạp dữ liệu bằng `python -m ingest`.",
    "en": "The store is empty: load the data with `python -m ingest`.",
}


def store_status(store: GraphStore) -> dict[str, Any]:
    """``{"backend", "uri", "database", "reachable", "entities", "message", "what_to_do": {vi, en}}``.

    Never raises for an unreachable store: the app shows the message instead.
    """
    info: dict[str, Any] = dict(store.describe())
    info["what_to_do"] = WHAT_TO_DO_EMBEDDED if info["backend"] == "embedded" else WHAT_TO_DO_NEO4J
    try:
        info["entities"] = int(store.read("count_entities")[0]["count"])
        info["reachable"] = True
        info["message"] = ""
        if info["entities"] == 0:
            info["what_to_do"] = WHAT_TO_DO_EMPTY
    except StoreUnavailable as error:
        info["entities"] = None
        info["reachable"] = False
        info["message"] = str(error)
    return info
