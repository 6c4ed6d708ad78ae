"""The embedded default store: an ArcadeDB server (PyPI ``arcadedb-embedded``, its own JRE
inside) speaking Bolt on 127.0.0.1, run as a background process of its own so that the app,
the CLI and the tests can use it at the same time.

Layout of ``VUSTA_DATA_DIR/embedded/`` (default ``var/embedded/`` in the project folder):

* ``server/databases/<name>/`` — the graph's files;
* ``server.json`` — pid, ports and identity of the running server (absent when stopped): the
  process's start time (from ``/proc``) and a random token it carries in its environment, so
  that ``stop`` only ever signals the store itself, never a process that reused its pid;
* ``server.log`` — the server's output, read when it fails to start;
* ``credentials.json`` — the generated root password (mode 0600), unless
  ``VUSTA_EMBEDDED_PASSWORD`` is set.

Deleting the folder (after ``python -m graph stop``) removes every trace of the store.

The folder is private to its user: folders 0700, files 0600 (the server process runs with
umask 077, and permissions of an existing folder are tightened at start), since the files hold
the contact details of people who did not consent to share them.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from graph.settings import PROJECT_ROOT, Settings

ROOT_USER = "root"
BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"
START_TIMEOUT_S = 180.0
DATABASE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")


class EmbeddedStoreError(RuntimeError):
    """The embedded store could not be started, reached or stopped; the message says why."""


TOKEN_ENV = "VUSTA_EMBEDDED_TOKEN"
PRIVATE_UMASK = 0o077


@dataclass(frozen=True)
class EmbeddedState:
    pid: int
    bolt_port: int
    http_port: int
    database: str
    started_at: float
    proc_start: int | None = None   # field 22 of /proc/<pid>/stat: the process's start time in ticks
    token: str | None = None        # also in the process's environment as VUSTA_EMBEDDED_TOKEN


def _proc_start(pid: int) -> int | None:
    """The start time of a process (clock ticks since boot), or None when unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return int(handle.read().rsplit(") ", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def is_store_process(state: "EmbeddedState", home: "os.PathLike[str] | str | None" = None) -> bool:
    """Whether ``state.pid`` is the store process that wrote ``state`` — not another process that
    got the same pid after a crash or a reboot. Checked in /proc: the store's command line, same
    start time and the token in its environment. (A state file written before the identity was
    recorded is trusted only for a store process running in this store's folder.)"""
    if not _pid_alive(state.pid):
        return False
    try:
        with open(f"/proc/{state.pid}/cmdline", "rb") as handle:
            cmdline = handle.read().split(b"\0")
    except OSError:
        return False
    if b"graph.embedded" not in cmdline:
        return False
    if state.proc_start is None and state.token is None:
        try:
            return home is not None and os.path.samefile(os.readlink(f"/proc/{state.pid}/cwd"), home)
        except OSError:
            return False
    if state.proc_start is None or state.token is None:
        return False
    if _proc_start(state.pid) != state.proc_start:
        return False
    try:
        with open(f"/proc/{state.pid}/environ", "rb") as handle:
            environ = handle.read().split(b"\0")
    except PermissionError:
        return False
    except OSError:
        return False
    return f"{TOKEN_ENV}={state.token}".encode() in environ


def make_private(folder: "os.PathLike[str] | str") -> None:
    """Folders 0700 and files 0600 under ``folder`` (the store's data, logs and credentials)."""
    root = os.fspath(folder)
    if not os.path.isdir(root):
        return
    os.chmod(root, 0o700)
    for current, dirs, files in os.walk(root):
        for name in dirs:
            path = os.path.join(current, name)
            if not os.path.islink(path):
                os.chmod(path, 0o700)
        for name in files:
            path = os.path.join(current, name)
            if not os.path.islink(path):
                try:
                    os.chmod(path, 0o600)
                except FileNotFoundError:  # a temporary file that went away meanwhile
                    continue


def permission_problems(folder: "os.PathLike[str] | str") -> list[str]:
    """Paths under ``folder`` readable or writable by others than the owner (empty when private)."""
    out = []
    root = os.fspath(folder)
    for current, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = os.path.join(current, name)
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:
                continue
            if not os.path.islink(path) and mode & 0o077:
                out.append(f"{path} ({oct(mode & 0o777)})")
    if os.path.isdir(root) and os.stat(root).st_mode & 0o077:
        out.insert(0, f"{root} ({oct(os.stat(root).st_mode & 0o777)})")
    return out


def _port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child counts as gone
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return True


class EmbeddedServer:
    """Start, stop and inspect the embedded store of one data directory."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.home = settings.embedded_dir
        self.state_file = self.home / "server.json"
        self.log_file = self.home / "server.log"
        self.lock_file = self.home / ".lock"
        self.credentials_file = self.home / "credentials.json"
        self.server_root = self.home / "server"

    # -- credentials ----------------------------------------------------------------------
    def password(self) -> str:
        if self.settings.embedded_password:
            return self.settings.embedded_password
        if self.credentials_file.exists():
            return json.loads(self.credentials_file.read_text(encoding="utf-8"))["password"]
        self._make_home()
        password = secrets.token_urlsafe(24)
        fd = os.open(self.credentials_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"user": ROOT_USER, "password": password}, handle)
        return password

    def _make_home(self) -> None:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        for folder in (self.settings.data_dir, self.home):
            if folder.stat().st_uid == os.getuid():
                os.chmod(folder, 0o700)

    # -- state ------------------------------------------------------------------------------
    def state(self) -> EmbeddedState | None:
        """The running server's state, or None when it is not running (or when the pid in the
        state file belongs to another process than the store)."""
        try:
            raw = json.loads(self.state_file.read_text(encoding="utf-8"))
            state = EmbeddedState(**raw)
        except (OSError, ValueError, TypeError):
            return None
        if not is_store_process(state, self.home):
            return None
        return state

    def is_running(self) -> bool:
        state = self.state()
        return state is not None and _port_open(state.bolt_port)

    def status(self) -> dict[str, Any]:
        state = self.state()
        return {
            "running": bool(state and _port_open(state.bolt_port)),
            "pid": state.pid if state else None,
            "bolt_uri": f"bolt://127.0.0.1:{state.bolt_port if state else self.settings.embedded_bolt_port}",
            "http_port": state.http_port if state else self.settings.embedded_http_port,
            "database": self.settings.embedded_database,
            "data_dir": str(self.home),
            "log_file": str(self.log_file),
        }

    @contextmanager
    def _lock(self) -> Iterator[None]:
        self._make_home()
        with open(self.lock_file, "w", encoding="ascii") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- start / stop -----------------------------------------------------------------------
    def ensure_running(self, timeout: float = START_TIMEOUT_S) -> EmbeddedState:
        """Start the server unless it runs already; wait until Bolt answers."""
        state = self.state()
        if state and _port_open(state.bolt_port):
            return state
        with self._lock():
            state = self.state()
            if state and _port_open(state.bolt_port):
                return state
            if state:  # alive but not yet answering: another process is starting it
                return self._wait_ready(state.pid, None, timeout)
            return self._spawn(timeout)

    def _spawn(self, timeout: float) -> EmbeddedState:
        for port, name in ((self.settings.embedded_bolt_port, "VUSTA_EMBEDDED_BOLT_PORT"),
                           (self.settings.embedded_http_port, "VUSTA_EMBEDDED_HTTP_PORT")):
            if _port_open(port):
                raise EmbeddedStoreError(
                    f"Cannot start the embedded store: port {port} on 127.0.0.1 is already used by another "
                    f"program. Stop that program or choose another port with {name}=... ."
                )
        self.password()  # create credentials before the child reads them
        self.state_file.unlink(missing_ok=True)
        make_private(self.home)  # an existing store made before permissions were tightened
        env = {**os.environ, TOKEN_ENV: secrets.token_hex(16), "VUSTA_DATA_DIR": str(self.settings.data_dir),
               "VUSTA_EMBEDDED_BOLT_PORT": str(self.settings.embedded_bolt_port),
               "VUSTA_EMBEDDED_HTTP_PORT": str(self.settings.embedded_http_port),
               "VUSTA_EMBEDDED_DATABASE": self.settings.embedded_database,
               "VUSTA_EMBEDDED_HEAP": self.settings.embedded_heap,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
        log = os.fdopen(os.open(self.log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab")
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "graph.embedded"],
                cwd=self.home,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                umask=PRIVATE_UMASK,
            )
        finally:
            log.close()
        return self._wait_ready(process.pid, process, timeout)

    def _wait_ready(self, pid: int, process: subprocess.Popen | None, timeout: float) -> EmbeddedState:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.state()
            if state and _port_open(state.bolt_port):
                return state
            exited = process.poll() is not None if process else not _pid_alive(pid)
            if exited:
                raise EmbeddedStoreError(
                    "The embedded store failed to start. Last lines of its log "
                    f"({self.log_file}):\n{self.log_tail()}"
                )
            time.sleep(0.2)
        raise EmbeddedStoreError(
            f"The embedded store did not answer within {timeout:.0f} s. See its log: {self.log_file}"
        )

    def ensure_database(self, name: str) -> None:
        """Create a database on the running server unless it exists (over the HTTP API)."""
        if not DATABASE_NAME.match(name):
            raise EmbeddedStoreError(f"Invalid database name {name!r}: use letters, digits and _ only.")
        settings = self.settings
        state = self.state()
        if state is None:
            raise EmbeddedStoreError("The embedded store is not running.")
        http_settings = Settings(**{**settings.__dict__, "embedded_http_port": state.http_port})
        try:
            with self._lock():  # two processes asking for the same new database: one creates it
                databases = _http(http_settings, self.password(), "/api/v1/databases").get("result", [])
                if name not in databases:
                    _http(http_settings, self.password(), "/api/v1/server", {"command": f"create database {name}"})
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise EmbeddedStoreError(f"Cannot create database {name!r} on the embedded store: {error}") from error

    def reopen_database(self, name: str) -> None:
        """Close and open a database (over the HTTP API): a clean close checkpoints it and empties
        its write-ahead log, so deleted values do not stay in the log files."""
        if not DATABASE_NAME.match(name):
            raise EmbeddedStoreError(f"Invalid database name {name!r}: use letters, digits and _ only.")
        state = self.state()
        if state is None:
            raise EmbeddedStoreError("The embedded store is not running.")
        http_settings = Settings(**{**self.settings.__dict__, "embedded_http_port": state.http_port})
        try:
            _http(http_settings, self.password(), "/api/v1/server", {"command": f"close database {name}"})
        finally:
            _http(http_settings, self.password(), "/api/v1/server", {"command": f"open database {name}"})

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server cleanly; returns False when it was not running."""
        state = self.state()
        if state is None:
            self.state_file.unlink(missing_ok=True)
            return False
        os.kill(state.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _pid_alive(state.pid):
                self.state_file.unlink(missing_ok=True)
                return True
            time.sleep(0.2)
        os.kill(state.pid, signal.SIGKILL)
        self.state_file.unlink(missing_ok=True)
        return True

    def kill(self) -> None:
        """Kill the server without a clean shutdown (used by fault-injection tests)."""
        state = self.state()
        if state:
            os.kill(state.pid, signal.SIGKILL)
            deadline = time.monotonic() + 30
            while _pid_alive(state.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
        self.state_file.unlink(missing_ok=True)


# --- the server process itself -----------------------------------------------------------------

def _http(settings: Settings, password: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{settings.embedded_http_port}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Authorization": "Basic " + base64.b64encode(f"{ROOT_USER}:{password}".encode()).decode(),
            "Content-Type": "application/json",
        },
        method="POST" if body is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}")


def serve() -> None:
    """Run the server in this process until SIGTERM/SIGINT (entry: ``python -m graph.embedded``)."""
    os.umask(PRIVATE_UMASK)  # every file the store writes: owner only
    if not os.environ.get(TOKEN_ENV):  # started by hand: give the process its identity token
        os.execve(sys.executable, [sys.executable, "-m", "graph.embedded"],
                  {**os.environ, TOKEN_ENV: secrets.token_hex(16)})
    settings = Settings.from_env()
    if not DATABASE_NAME.match(settings.embedded_database):
        raise SystemExit(f"Invalid VUSTA_EMBEDDED_DATABASE {settings.embedded_database!r}: letters, digits, _ only.")
    server = EmbeddedServer(settings)
    password = server.password()
    server.server_root.mkdir(parents=True, exist_ok=True)

    from arcadedb_embedded.jvm import start_jvm  # heavy: imported only in the server process

    start_jvm(heap_size=settings.embedded_heap)
    from arcadedb_embedded.server import ArcadeDBServer

    arcade = ArcadeDBServer(
        root_path=str(server.server_root),
        root_password=password,
        config={
            "host": "127.0.0.1",
            "http_port": settings.embedded_http_port,
            "server_plugins": BOLT_PLUGIN,
            "bolt_port": settings.embedded_bolt_port,
        },
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    arcade.start()
    try:
        databases = _http(settings, password, "/api/v1/databases").get("result", [])
        if settings.embedded_database not in databases:
            _http(settings, password, "/api/v1/server", {"command": f"create database {settings.embedded_database}"})
        state = EmbeddedState(
            pid=os.getpid(),
            bolt_port=settings.embedded_bolt_port,
            http_port=settings.embedded_http_port,
            database=settings.embedded_database,
            started_at=time.time(),
            proc_start=_proc_start(os.getpid()),
            token=os.environ.get(TOKEN_ENV) or None,
        )
        tmp = server.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state.__dict__), encoding="utf-8")
        tmp.replace(server.state_file)
        print(f"embedded store ready: bolt://127.0.0.1:{settings.embedded_bolt_port} database "
              f"{settings.embedded_database}", flush=True)
        while not stop.wait(1.0):
            pass
    finally:
        print("embedded store stopping", flush=True)
        try:
            arcade.stop()
        finally:
            server.state_file.unlink(missing_ok=True)
    print("embedded store stopped", flush=True)


if __name__ == "__main__":
    serve()
