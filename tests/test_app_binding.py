"""The app listens on 127.0.0.1 only unless the operator decides otherwise: started with the
project's settings, `streamlit run app.py` answers on the loopback address and on no other."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from conftest import free_port

ROOT = Path(__file__).resolve().parent.parent


def _addresses() -> list[str]:
    """This machine's non-loopback IPv4 addresses (may be none in a sandbox)."""
    out = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    return [a for a in out if "." in a and not a.startswith("127.")]


def test_config_binds_loopback():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_running_app_answers_on_loopback_only(settings):
    port = free_port()
    app = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                            "--server.headless", "true"], cwd=ROOT, env=os.environ.copy(),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("the app did not start")
        for address in _addresses():
            with socket.socket() as sock:
                sock.settimeout(2)
                assert sock.connect_ex((address, port)) != 0, f"the app answers on {address}:{port}"
        listening = Path("/proc/net/tcp").read_text().splitlines()[1:]
        ours = [line.split()[1] for line in listening if line.split()[1].endswith(f":{port:04X}")
                and line.split()[3] == "0A"]
        assert ours == [f"0100007F:{port:04X}"], ours  # 127.0.0.1 only, not 0.0.0.0
    finally:
        app.terminate()
        app.wait(timeout=30)
