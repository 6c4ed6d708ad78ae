"""The real command-line tools, run as a user runs them, against the session's store."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
                            env=os.environ.copy(), timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}: {result.stderr}{result.stdout}")
    return result


def one_json(result: subprocess.CompletedProcess):
    return json.loads(result.stdout)  # fails unless stdout is exactly one JSON document


def test_stats_json(store):
    out = one_json(run("queries", "stats", "--json"))
    assert set(out) == {"nodes", "relationships"} and out["nodes"]["Union"] == 1


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_search_json(store):
    out = one_json(run("queries", "search", "lien hiep hoi", "--json"))
    assert out[0]["id"] == "vusta" and {"id", "name", "kinds", "aliases", "score"} <= set(out[0])


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_show_json(store):
    out = one_json(run("queries", "show", "VUSTA", "--json"))
    assert {"id", "name", "kinds", "properties", "aliases", "sources", "relationships"} <= set(out)
    members = [r for r in out["relationships"] if r["type"] == "MEMBER_OF" and r["direction"] == "out"]
    assert {"afeo", "isc"} <= {r["other"]["id"] for r in members}
    assert all(r["sources"] for r in members)


def test_path_json(store):
    out = one_json(run("queries", "path", "Hội Luật gia", "GIZ", "--json"))
    assert out["paths"] and out["paths"][0]["nodes"][-1]["id"] == "giz"


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_text_output_is_readable(store):
    assert "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam" in run("queries", "show", "LHHVN").stdout
    assert "member of" in run("queries", "path", "Hội Luật gia", "AFEO").stdout


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_unknown_entity_is_an_error_with_json(store):
    result = run("queries", "show", "qqqq zzzz nothing", "--json", check=False)
    assert result.returncode == 1 and "error" in one_json(result)


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_ingest_twice_changes_nothing(store):
    out = one_json(run("ingest", "--json"))
    assert out["entities"]["created"] == 0 and out["entities"]["updated"] == 0
    assert out["relationships"]["created"] == 0 and out["run_id"] is None


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_ingest_invalid_file_reports_problems_as_json(store, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("entities:\n  - {id: x, kinds: [Charity], name: X}\n", encoding="utf-8")
    result = run("ingest", str(bad), "--json", check=False)
    assert result.returncode == 2
    out = one_json(result)
    assert out["problems"][0]["file"].endswith("bad.yaml") and out["problems"][0]["line"] == 2


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_graph_status_json(store):
    out = one_json(run("graph", "status", "--json"))
    assert out["backend"] == "embedded" and out["reachable"] is True and out["entities"] > 100


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
@pytest.mark.parametrize("command", [["queries", "--help"], ["ingest", "--help"], ["graph", "--help"]])
def test_help(command):
    assert "usage" in run(*command).stdout


VUSTA = Path(sys.executable).with_name("vusta")


def vusta(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The installed console script, run from a folder that is not the repository."""
    return subprocess.run([str(VUSTA), *args], cwd=cwd or Path.home(), capture_output=True, text=True,
                          env=os.environ.copy(), timeout=300)


def test_vusta_help_lists_every_command(tmp_path):
    from cli.main import PROGRAMS

    result = vusta("--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    listed = result.stdout.split("Commands:")[1]
    assert {*PROGRAMS, "app"} <= {line.split()[0] for line in listed.splitlines() if line.strip()
                                  and not line.startswith("    ")}


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_vusta_query_is_the_same_as_python_m_queries(store, tmp_path):
    direct = one_json(run("queries", "stats", "--json"))
    result = vusta("query", "stats", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert one_json(result) == direct


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_vusta_errors_are_printed_one_way(store, tmp_path):
    missing = vusta("query", "show", "qqqq zzzz nothing", "--json", cwd=tmp_path)
    assert missing.returncode == 1 and set(one_json(missing)) >= {"error", "problems"}
    bad = tmp_path / "bad.txt"
    bad.write_text("not data", encoding="utf-8")
    unsupported = vusta("ingest", str(bad), "--json", cwd=tmp_path)
    assert unsupported.returncode == 2
    out = one_json(unsupported)
    assert out["problems"][0]["file"] == str(bad) and "not imported" in out["problems"][0]["message"]
    text = vusta("ingest", str(bad), cwd=tmp_path)
    assert text.returncode == 2 and text.stderr.startswith("error: ") and text.stdout == ""


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_vusta_subcommand_help(tmp_path):
    result = vusta("graph", "--help", cwd=tmp_path)
    assert result.returncode == 0 and "usage" in result.stdout and "remove-sample" in result.stdout
