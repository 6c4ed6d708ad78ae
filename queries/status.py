"""Which graph store the product talks to, whether it answers, and what to do when it does not."""

from __future__ import annotations

from typing import Any

from graph.store import GraphStore, StoreUnavailable
from queries.projection import cached

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
    """``{"backend", "uri", "database", "reachable", "entities", "sample_entities", "message",
    "what_to_do": {vi, en}}`` (``sample_entities``: invented demo records; the app says so).

    Never raises for an unreachable store: the app shows the message instead.
    """
    info: dict[str, Any] = dict(store.describe())
    info["what_to_do"] = WHAT_TO_DO_EMBEDDED if info["backend"] == "embedded" else WHAT_TO_DO_NEO4J
    try:
        info["entities"], info["sample_entities"] = cached(store, "entity_counts", lambda: _entity_counts(store))
        info["reachable"] = True
        info["message"] = ""
        if info["entities"] == 0:
            info["what_to_do"] = WHAT_TO_DO_EMPTY
    except StoreUnavailable as error:
        info["entities"] = None
        info["sample_entities"] = None
        info["reachable"] = False
        info["message"] = str(error)
    return info


def _entity_counts(store: GraphStore) -> tuple[int, int]:
    """All entities and the invented ones (a scan at 100k entities: counted once per graph version)."""
    entities = int(store.read("count_entities")[0]["count"])
    return entities, (int(store.read("count_sample_entities")[0]["count"]) if entities else 0)


DEMO_NOTICE = {
    "vi": ("**Đang có DỮ LIỆU MẪU** ({n} thực thể giả lập, đánh dấu “mẫu”): danh mục dự án và danh sách trí thức "
           "mẫu được nạp bằng `python -m ingest demo` chỉ để minh họa — không phải dữ kiện thật, không phải bằng "
           "chứng. Gỡ bằng `python -m graph remove-sample`."),
    "en": ("**DEMO DATA is loaded** ({n} invented entities, marked “sample”): the sample portfolio and roster "
           "loaded with `python -m ingest demo` are for illustration only — not real facts, not evidence. "
           "Remove them with `python -m graph remove-sample`."),
}


def demo_notice(status: dict[str, Any], language: str) -> str | None:
    """The one notice every page shows while demo data is in the graph (None when there is none)."""
    count = status.get("sample_entities") or 0
    if not count:
        return None
    number = f"{count:,}".replace(",", "." if language == "vi" else ",")
    return DEMO_NOTICE["vi" if language == "vi" else "en"].format(n=number)
