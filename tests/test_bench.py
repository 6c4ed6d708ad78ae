"""The benchmark runs in quick mode and produces every figure (no time is asserted)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_prints_every_figure():
    env = {**os.environ, "VUSTA_EMBEDDED_HEAP": "1g"}
    result = subprocess.run([sys.executable, "-m", "bench", "--quick", "--json", "--keep"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout)
    kept = Path(figures["kept_in"])
    try:
        check_every_figure(figures)
        # the queries ran on a store restarted with the graph alone: the baselines' databases are gone
        assert figures["store_restart_to_first_query_s"] > 0
        databases = kept / "embedded" / "server" / "databases"
        assert sorted(p.name for p in databases.iterdir() if p.is_dir()) == ["vusta"]
        # the queries again on the kept store (--store): nothing loaded, the same graph
        again = subprocess.run([sys.executable, "-m", "bench", "--quick", "--json", "--store", str(kept)], cwd=ROOT,
                               env=env, capture_output=True, text=True, timeout=900)
        assert again.returncode == 0, again.stderr[-3000:]
        second = json.loads(again.stdout)
        assert "ingest" not in second and second["kept_store"] == str(kept)
        assert second["size"]["entities"] == figures["size"]["entities"]
        for name in ("search", "show", "path", "partners"):
            assert 0 < second[name]["p50_ms"] <= second[name]["p95_ms"], name
        assert (kept / "embedded").is_dir()  # a kept store is not removed by the run that reuses it
    finally:
        shutil.rmtree(kept, ignore_errors=True)
    nowhere = subprocess.run([sys.executable, "-m", "bench", "--quick", "--store", str(kept)], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert nowhere.returncode == 2 and "no store kept there" in nowhere.stderr


def check_every_figure(figures: dict) -> None:
    assert figures["quick"] is True and figures["size"]["entities"] > 0
    assert figures["size"]["relationships"] >= 4 * figures["size"]["entities"]
    loader, naive = figures["ingest"]["loader"], figures["ingest"]["naive_row_by_row"]
    assert loader["rows_per_s"] > 0 and naive["rows_per_s"] > 0
    assert figures["ingest"]["ratio"] == round(loader["rows_per_s"] / naive["rows_per_s"], 1)
    engine = figures["ingest"]["engine_unwind_create"]
    assert figures["ingest"]["engine_ratio"] == round(loader["rows_per_s"] / engine["rows_per_s"], 3)
    assert figures["engine_warm_up"]["nodes"] > 0 and figures["engine_warm_up"]["rows"] > 0  # before both
    for name in ("search", "show", "path", "partners"):
        assert 0 < figures[name]["p50_ms"] <= figures[name]["p95_ms"], name
        assert figures[name]["n"] > 0
    assert figures["map_build"]["seconds_max"] > 0 and figures["map_build"]["nodes"] > 0
    assert figures["memory"]["bench_process_peak_mb"] > 0 and figures["memory"]["store_server_peak_mb"] > 0
    assert figures["store_start_to_first_query_s"] > 0


def test_search_scale_benchmark_prints_each_size_and_its_ratio():
    result = subprocess.run([sys.executable, "-m", "bench.search_scale", "--sizes", "1500", "4000", "--repeats", "1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout)
    small, large = figures["sizes"]["1500"], figures["sizes"]["4000"]
    assert 0 < small["names"] < large["names"]
    for size in (small, large):
        assert 0 < size["p50_ms"] <= size["p95_ms"] and size["n"] == figures["queries"]
        assert len(size["slowest_queries_ms"]) == 3
    assert small["p95_over_smallest"] == 1.0
    assert large["p95_over_smallest"] == round(large["p95_ms"] / small["p95_ms"], 2)
