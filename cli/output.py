"""How every command prints: a text for people, or with ``--json`` exactly one JSON document on
stdout; errors the same way (text on stderr, or ``{"error": ..., "problems": [...]}``)."""

from __future__ import annotations

import json
import sys
from typing import Any

# Exit codes shared by every command.
OK, NOT_FOUND, BAD_INPUT, STORE_UNAVAILABLE = 0, 1, 2, 3


def dumps(value: Any) -> str:
    """JSON as the commands print it (UTF-8 text kept readable).

    >>> dumps({"tên": "Hội"})
    '{\\n  "tên": "Hội"\\n}'
    """
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def emit(result: Any, as_json: bool, text: str) -> None:
    """Print a command's result: ``text`` for people, or ``result`` as one JSON document."""
    print(dumps(result) if as_json else text)


def fail(as_json: bool, error: str, problems: list[dict[str, Any]] | None = None, code: int = BAD_INPUT,
         **extra: Any) -> int:
    """Report an error and return the exit code: JSON ``{"error", "problems", ...}`` on stdout with
    ``--json``, else ``error: ...`` on stderr."""
    if as_json:
        print(dumps({"error": error, "problems": problems or [], **extra}))
    else:
        print(f"error: {error}", file=sys.stderr)
    return code
