"""Size and range limits every value and message must respect, in one place.

* The embedded server drops a Bolt message over 16 MiB without answering (the client then waits
  forever) and Neo4j refuses huge messages too: one value may hold up to ``MAX_VALUE_BYTES``,
  one record up to ``MAX_ROW_BYTES``, and the store groups rows into messages of at most
  ``BATCH_BYTES`` (:mod:`graph.store`), all checked before anything is sent.
* Whole numbers are 64-bit in Neo4j and in the embedded store: ``MIN_INTEGER``..``MAX_INTEGER``.
* Numbers must be finite (NaN and Infinity are not JSON and are refused on input).
"""

from __future__ import annotations

from typing import Any

MAX_MESSAGE_BYTES = 16 * 1024 * 1024
MAX_VALUE_BYTES = 12 * 1024 * 1024
MAX_ROW_BYTES = 15 * 1024 * 1024
BATCH_BYTES = 4 * 1024 * 1024
MAX_INTEGER = 2 ** 63 - 1
MIN_INTEGER = -(2 ** 63)
MAX_NESTING = 50  # JSON/YAML nesting deeper than this is refused before parsing


def mib(size: int) -> str:
    return f"{size / 1048576:.1f} MiB"


def too_deep(value: Any, limit: int = MAX_NESTING) -> bool:
    """Whether lists and mappings nest more than ``limit`` levels inside each other.

    >>> too_deep({"a": [1, 2]}), too_deep([[[1]]], limit=2)
    (False, True)
    """
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack += [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]
    return False
