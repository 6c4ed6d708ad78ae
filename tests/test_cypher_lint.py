"""Every Cypher statement the product can send passes Neo4j's own linter
(``lintCypherQuery`` from ``@neo4j-cypher/language-support``).

No diagnostic is tolerated. One adjustment is justified in ``graph/lint.py``: the keys of the
row maps the loader sends (``row.from_id``, ``row.to_id``, ``row.props``) are declared to the
linter with the property keys, because it cannot tell a parameter map's key from a property.
"""

import pytest

from graph.cypher import Statement, all_statements
from graph.lint import lint, statements_to_lint


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_every_statement_passes_the_neo4j_linter():
    statements = statements_to_lint()
    assert len(statements) > len(all_statements())  # the per-kind renderings are included
    results = lint(statements)
    assert len(results) == len(statements)
    problems = {r["name"]: r["diagnostics"] for r in results if r["diagnostics"]}
    assert problems == {}


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_the_linter_catches_mistakes():
    """A control: the linter runs for real and reports errors and unknown schema names."""
    bad = [
        Statement("undefined_variable", "MATCH (n:Entity) RETURN m", "test"),
        Statement("unknown_label", "MATCH (n:Charity) RETURN n.name", "test"),
        Statement("unknown_type", "MATCH (:Entity)-[r:LIKES]->(:Entity) RETURN count(r)", "test"),
        Statement("syntax", "MATCH (n:Entity RETURN n", "test"),
    ]
    results = {r["name"]: r["diagnostics"] for r in lint(bad)}
    assert any("not defined" in d["message"] for d in results["undefined_variable"])
    assert any("Charity" in d["message"] for d in results["unknown_label"])
    assert any("LIKES" in d["message"] for d in results["unknown_type"])
    assert results["syntax"] and results["syntax"][0]["severity"] == "error"
