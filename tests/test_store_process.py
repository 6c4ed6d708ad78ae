"""The embedded store's process and files: ``stop`` only ever stops the store itself (the pid file
carries its start time and a token, checked in /proc), and its folder is private to its user
(folders 0700, files 0600), whatever the state file or the folder looked like before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import free_port
from graph.embedded import EmbeddedServer, _proc_start, permission_problems
from graph.settings import Settings
from graph.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph", *args, "--json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def _env(data_dir: Path, bolt: int = 0, http: int = 0) -> dict[str, str]:
    return {**os.environ, "VUSTA_DATA_DIR": str(data_dir), "VUSTA_EMBEDDED_BOLT_PORT": str(bolt or free_port()),
            "VUSTA_EMBEDDED_HTTP_PORT": str(http or free_port())}


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_stop_never_signals_another_process_that_has_the_pid(tmp_path: Path):
    """After a crash or a reboot the pid in server.json can belong to any process of the user."""
    victim = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        home = tmp_path / "data" / "embedded"
        home.mkdir(parents=True)
        forged = [
            {"pid": victim.pid, "bolt_port": 1, "http_port": 2, "database": "vusta", "started_at": time.time()},
            {"pid": victim.pid, "bolt_port": 1, "http_port": 2, "database": "vusta", "started_at": time.time(),
             "proc_start": _proc_start(victim.pid), "token": "0" * 32},   # right start time, not the store
            {"pid": victim.pid, "bolt_port": 1, "http_port": 2, "database": "vusta", "started_at": time.time(),
             "proc_start": (_proc_start(victim.pid) or 0) + 1, "token": "0" * 32},
        ]
        for state in forged:
            (home / "server.json").write_text(json.dumps(state), encoding="utf-8")
            done = _cli(_env(tmp_path / "data"), "stop")
            assert done.returncode == 0, done.stderr
            assert json.loads(done.stdout)["stopped"] is False
            time.sleep(0.3)
            assert victim.poll() is None, "graph stop killed a process that is not the store"
            assert not (home / "server.json").exists()  # the stale state file is cleared
    finally:
        victim.kill()
        victim.wait()


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_store_folder_is_private_and_stop_stops_the_store(tmp_path: Path):
    data = tmp_path / "data"
    (data / "embedded" / "server").mkdir(parents=True)
    os.chmod(data / "embedded", 0o755)
    old = data / "embedded" / "server" / "old.log"
    old.write_text("left by an older version\n", encoding="utf-8")
    os.chmod(old, 0o644)
    settings = Settings(data_dir=data, embedded_bolt_port=free_port(), embedded_http_port=free_port(),
                        embedded_heap="512m")
    server = EmbeddedServer(settings)
    state = server.ensure_running()
    try:
        with GraphStore(settings) as store:  # write something so buckets, WAL and indexes exist
            store.ensure_schema()
            store.write(lambda w: w.run("create_ingest_run", id="run-perm-test", props={"status": "test"}))
        problems = permission_problems(server.home)
        assert problems == [], problems
        assert os.stat(data).st_mode & 0o777 == 0o700
        environ = Path(f"/proc/{state.pid}/environ").read_bytes()
        assert f"VUSTA_EMBEDDED_TOKEN={state.token}".encode() in environ
    finally:
        env = _env(data, settings.embedded_bolt_port, settings.embedded_http_port)
        done = _cli(env, "stop")
    assert json.loads(done.stdout)["stopped"] is True
    deadline = time.monotonic() + 30
    while os.path.exists(f"/proc/{state.pid}") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not server.is_running()
