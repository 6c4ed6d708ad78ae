"""The bad-input corpus (tests/bad_inputs/<importer>/): every file is refused with a clear
error that names the file and the place in it, and the graph is byte-for-byte the same
afterwards (a full export after each case is compared with the one made before the first)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.backup import export_lines
from graph.store import GraphStore

CORPUS = Path(__file__).resolve().parent / "bad_inputs"


def snapshot(store: GraphStore) -> str:
    return "\n".join(export_lines(store, full=True))


@pytest.fixture(scope="module")
def baseline(store: GraphStore) -> str:
    """The full export of the session's graph when this module's first test began: every case
    must leave the graph exactly so (one export per case instead of two)."""
    return snapshot(store)


def cases(folder: str) -> list[Path]:
    return sorted(p for p in (CORPUS / folder).iterdir() if p.is_file())


def run_cli(module: str, args: list[str], capsys) -> tuple[int, dict]:
    main = __import__(f"{module}.__main__", fromlist=["main"]).main
    code = main(args)
    out = capsys.readouterr().out
    return code, json.loads(out)  # exactly one JSON document


@pytest.mark.parametrize("path", cases("curated"), ids=lambda p: p.name)
def test_curated_bad_input(store: GraphStore, baseline: str, path: Path, capsys):
    code, out = run_cli("ingest", [str(path), "--json"], capsys)
    assert code == 2
    assert path.name in out["error"]
    assert out["problems"], out
    for problem in out["problems"]:
        assert problem["file"].endswith(path.name) and problem["message"]
    assert snapshot(store) == baseline


@pytest.mark.parametrize("path", cases("backup"), ids=lambda p: p.name)
def test_backup_bad_input(store: GraphStore, baseline: str, path: Path, capsys):
    code, out = run_cli("graph", ["import", str(path), "--json"], capsys)
    assert code == 2
    assert path.name in out["error"]
    assert snapshot(store) == baseline


def test_enormous_file_is_refused(store: GraphStore, baseline: str, tmp_path: Path, capsys):
    path = tmp_path / "enormous.yaml"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("entities:\n")
        line = '  - {id: x, kinds: [Theme], name: "' + "Hội " * 250 + '"}\n'
        while handle.tell() < 51 * 1024 * 1024:
            handle.write(line)
    code, out = run_cli("ingest", [str(path), "--json"], capsys)
    assert code == 2 and "limit" in out["error"]
    assert snapshot(store) == baseline


@pytest.mark.parametrize("args", [
    ["search", ""],
    ["search", "\u0000\u0001"],
    ["search", "x" * 5000],
    ["show", "') MATCH (n) DETACH DELETE n //"],
    ["path", "VUSTA", "<script>alert(1)</script>"],
    ["experts", "--theme", "qqqq zzzz"],
])
def test_hostile_or_empty_cli_input(store: GraphStore, baseline: str, args: list[str], capsys):
    code, out = run_cli("queries", [*args, "--json"], capsys)
    assert code != 0 and out["error"]
    assert snapshot(store) == baseline


HOSTILE = ["Donor) DETACH DELETE n //", "'; MATCH (n) DETACH DELETE n; //", "<img src=x onerror=alert(1)>",
           "$ids", "\u0000\u202e", "ư" * 3000]


def test_hostile_filter_text_never_becomes_cypher(store: GraphStore, baseline: str):
    """Map, path and search filters take user text; none of it reaches Cypher (labels and types
    come from the schema's enums, values are parameters), so nothing can change."""
    from queries.neighbourhood import neighbourhood
    from queries.paths import find_paths
    from queries.profile import NotFound
    from queries.search import SearchError, search
    from ui.network_html import render_network

    for text in HOSTILE:
        data = neighbourhood(store, ["vusta", text], depth=2, kinds=[text, "Donor"], types=[text],
                             themes=[text])
        assert text in data["unknown"]
        html = render_network(data)
        assert "<img src=x" not in html
        try:
            search(store, text, kinds=[text])
        except SearchError:
            pass
        try:
            find_paths(store, "vusta", text, avoid_kinds=[text])
        except NotFound:
            pass
    assert snapshot(store) == baseline


@pytest.mark.parametrize("path", cases("tabular"), ids=lambda p: p.name)
def test_tabular_bad_input(store: GraphStore, baseline: str, path: Path, capsys):
    """Spreadsheets (CSV, Excel, JSON): wrong encodings named as such, objects/true/NaN/Infinity
    and 41-digit numbers refused with file, row and column, zip bombs refused before opening."""
    code, out = run_cli("ingest", [str(path), "--json"], capsys)
    assert code == 2, out
    assert path.name in out["error"]
    assert out["problems"], out
    for problem in out["problems"]:
        assert problem["file"].endswith(path.name) and problem["message"]
        assert "Traceback" not in problem["message"] and "RecursionError" not in problem["message"]
    assert snapshot(store) == baseline
