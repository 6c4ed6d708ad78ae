"""Faults: the store killed in the middle of a load, and two loads of overlapping data at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import free_port
from graph.embedded import EmbeddedServer
from graph.settings import Settings
from graph.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
DOC = "fault-test.txt"


def write_entities(path: Path, start: int, stop: int, with_relationships: bool = True) -> Path:
    lines = ["documents:", f"  - {{id: {DOC}, title: Fault test}}", "entities:"]
    for i in range(start, stop):
        lines.append(f'  - {{id: e{i}, kinds: [Theme], name: "Chủ đề {i}", sources: ["{DOC}:1"]}}')
    if with_relationships:
        lines.append("relationships:")
        for i in range(start + 1, stop):
            lines.append(f'  - {{type: PART_OF, from: e{i}, to: e{i - 1}, sources: ["{DOC}:1"]}}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(store: GraphStore) -> tuple[int, int]:
    return store.read("count_entities")[0]["count"], store.read("count_relationships")[0]["count"]


def ingest(env: dict[str, str], *paths: Path, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ingest", *map(str, paths)], cwd=ROOT, env=env, **popen)


def test_store_killed_mid_load_keeps_all_or_nothing_and_rerun_completes(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data", embedded_bolt_port=free_port(), embedded_http_port=free_port(),
                        embedded_heap="1g")
    env = {**os.environ, "VUSTA_DATA_DIR": str(settings.data_dir),
           "VUSTA_EMBEDDED_BOLT_PORT": str(settings.embedded_bolt_port),
           "VUSTA_EMBEDDED_HTTP_PORT": str(settings.embedded_http_port), "VUSTA_EMBEDDED_DATABASE": "vusta"}
    server = EmbeddedServer(settings)
    server.ensure_running()
    try:
        big = write_entities(tmp_path / "big.yaml", 0, 12000)
        process = ingest(env, big, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
        seen = b""
        deadline = time.monotonic() + 300
        while b"loading:" not in seen and time.monotonic() < deadline and process.poll() is None:
            seen += os.read(process.stderr.fileno(), 64)
        assert b"loading:" in seen, seen[-500:]
        server.kill()  # SIGKILL in the middle of the transaction
        rest = process.stderr.read()
        process.wait(timeout=120)
        assert process.returncode == 3, rest[-2000:]  # the store is unavailable: said plainly, no traceback
        assert b"Traceback" not in rest and b"stopped answering" in rest, rest[-2000:]
        server.ensure_running()
        with GraphStore(settings) as store:
            entities, relationships = counts(store)
            # all or nothing: the load is one transaction
            assert (entities, relationships) in {(0, 0), (12001, 2 * 12000 - 1)}, (entities, relationships)
        rerun = ingest(env, big, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = rerun.communicate(timeout=600)
        assert rerun.returncode == 0, err
        with GraphStore(settings) as store:
            assert counts(store) == (12001, 12000 + 11999)  # entities + document; PART_OF + MENTIONED_IN
    finally:
        server.stop()


@pytest.mark.parametrize("attempt", range(3))  # a guarantee that must hold every time, not sometimes
def test_two_overlapping_loads_at_once_neither_duplicate_nor_lose(fresh_store: GraphStore, tmp_path: Path,
                                                                  attempt: int):
    first = write_entities(tmp_path / "first.yaml", 0, 3000)
    second = write_entities(tmp_path / "second.yaml", 1500, 4500)
    env = {**os.environ, "VUSTA_EMBEDDED_DATABASE": fresh_store.database}
    runs = [ingest(env, first, stdout=subprocess.PIPE, stderr=subprocess.PIPE),
            ingest(env, second, stdout=subprocess.PIPE, stderr=subprocess.PIPE)]
    results = [run.communicate(timeout=600) for run in runs]
    for run, (out, err) in zip(runs, results):
        assert run.returncode == 0, err.decode()[-3000:]
    entities, relationships = counts(fresh_store)
    assert entities == 4500 + 1
    # PART_OF chain e1..e4499 (4499) + MENTIONED_IN for every entity (4500)
    assert relationships == 4499 + 4500
    for path in (first, second):
        again = ingest(env, path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = again.communicate(timeout=600)
        assert b"created 0, updated 0" in out, err
