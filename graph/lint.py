"""Check Cypher statements with Neo4j's own linter (``tools/cypher_lint``, run with Node).

``python -m graph.lint`` lints every statement the product can send and prints the diagnostics.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from itertools import combinations
from typing import Any

from graph.cypher import Statement, all_statements, create_entities
from graph.schema import ENTITY_LABEL, INGEST_RUN_LABEL, NodeKind, RelationshipType, property_keys
from graph.settings import PROJECT_ROOT

LINTER_DIR = PROJECT_ROOT / "tools" / "cypher_lint"


class LinterUnavailable(RuntimeError):
    pass


# Keys of the maps the loader sends as ``UNWIND $rows AS row`` (``row.from_id``...). The linter
# cannot tell a key of a parameter map from a property key, so they are declared with them.
ROW_MAP_KEYS = ("from_id", "to_id", "props")


def linter_schema() -> dict[str, Any]:
    """The database vocabulary given to the linter, derived from the schema."""
    return {
        "labels": [ENTITY_LABEL, INGEST_RUN_LABEL, *[k.value for k in NodeKind]],
        "relationshipTypes": [r.value for r in RelationshipType],
        "propertyKeys": sorted({*property_keys(), *ROW_MAP_KEYS}),
    }


def statements_to_lint() -> list[Statement]:
    """Every statement the product sends, with the per-kind CREATE rendered for every single
    kind, every pair of kinds and all kinds together (the rendering is the same for any set)."""
    kinds = list(NodeKind)
    rendered = [create_entities([k]) for k in kinds]
    rendered += [create_entities(pair) for pair in combinations(kinds, 2)]
    rendered.append(create_entities(kinds))
    return [*all_statements(), *rendered]


def lint(statements: list[Statement]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None:
        raise LinterUnavailable("Node.js is not installed; the Cypher linter needs it (see README).")
    if not (LINTER_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        raise LinterUnavailable(f"The linter is not installed: run `npm ci` in {LINTER_DIR}.")
    payload = {
        "schema": linter_schema(),
        "statements": [{"name": s.name, "text": s.text, "parameters": sorted(s.parameters)} for s in statements],
    }
    completed = subprocess.run([node, str(LINTER_DIR / "lint.mjs")], input=json.dumps(payload), text=True,
                               capture_output=True, cwd=LINTER_DIR, timeout=600, check=False)
    if completed.returncode != 0:
        raise LinterUnavailable(f"The linter failed: {completed.stderr.strip()[-2000:]}")
    return json.loads(completed.stdout)


def main() -> int:
    results = lint(statements_to_lint())
    bad = [r for r in results if r["diagnostics"]]
    for result in bad:
        for diagnostic in result["diagnostics"]:
            print(f"{result['name']}: {diagnostic['severity']}: {diagnostic['message']}")
    print(f"{len(results)} statements linted, {len(bad)} with diagnostics")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
