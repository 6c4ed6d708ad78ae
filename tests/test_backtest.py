"""The backtest: leave-one-out over the sample portfolio, against a popularity baseline
computed in the same run; fair tie-breaking; the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.store import GraphStore
from queries.backtest import Tally, backtest

ROOT = Path(__file__).resolve().parent.parent


def test_the_partner_finder_beats_the_popularity_baseline(demo_store: GraphStore):
    store = demo_store  # on the demo data (the sample portfolio); the real figures: test_backtest_real
    result = backtest(store, max_projects=150, sample=True, bootstrap=200)
    ours, baseline = result["partner_finder"], result["popularity_baseline"]
    assert result["projects"] == 150 and result["donors"] > 50
    assert ours["mrr"] > 1.5 * baseline["mrr"]
    assert ours["hit_at_10"] > baseline["hit_at_10"] + 0.1
    assert ours["hit_at_5"] > baseline["hit_at_5"]
    assert result["beats_baseline"] is True
    assert result["history_only"]["mrr"] > baseline["mrr"]  # the portfolio alone already helps
    assert "SAMPLE" in result["note"]


def test_weights_that_ignore_everything_but_popularity_do_no_better(demo_store: GraphStore):
    """A control: scoring on recent activity alone is a popularity ranking, so it must not beat
    the full score."""
    store = demo_store
    full = backtest(store, max_projects=100, variants=False, sample=True, bootstrap=0)["partner_finder"]["mrr"]
    activity_only = backtest(store, "theme=0,geography=0,budget=0,collaboration=0,proximity=0,activity=1",
                             max_projects=100, variants=False, sample=True, bootstrap=0)["partner_finder"]["mrr"]
    assert full > activity_only


def test_ties_are_counted_at_their_expected_position():
    tally = Tally("t")
    tally.add(better=0, tied=3)          # four candidates share the top score
    summary = tally.summary(1)
    assert summary["hit_at_1"] == 0.25 and summary["hit_at_5"] == 1.0
    assert summary["mrr"] == pytest.approx(round((1 + 1 / 2 + 1 / 3 + 1 / 4) / 4, 3))
    tally = Tally("t")
    tally.add(better=9, tied=0)
    assert tally.summary(1)["hit_at_10"] == 1.0 and tally.summary(1)["hit_at_5"] == 0.0


def run_cli(*args: str, database: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if database:
        env["VUSTA_EMBEDDED_DATABASE"] = database
    return subprocess.run([sys.executable, "-m", "queries.backtest", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_cli_prints_the_figures(demo_store: GraphStore):
    done = run_cli("--json", "--sample", "--max-projects", "60", "--no-variants", database=demo_store.database)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    for key in ("hit_at_5", "hit_at_10", "mrr"):
        assert 0.0 <= result["partner_finder"][key] <= 1.0 and key in result["popularity_baseline"]
    text = run_cli("--sample", "--max-projects", "30", "--no-variants", database=demo_store.database)
    assert text.returncode == 0 and "popularity baseline" in text.stdout and "hit@10" in text.stdout


def test_cli_on_an_empty_graph_says_what_to_do(fresh_store: GraphStore):
    fresh_store.ensure_schema()
    done = run_cli("--json", database=fresh_store.database)
    assert done.returncode == 1 and "python -m ingest" in json.loads(done.stdout)["error"]
    bad = run_cli("--json", "--weights", "colour=1")
    assert bad.returncode == 2 and "unknown component" in json.loads(bad.stdout)["error"]
