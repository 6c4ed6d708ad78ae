"""The ingestion log: every write that changed the graph leaves one ``IngestRun`` node, written
in the same transaction as the change (see ``create_ingest_run`` in :mod:`graph.cypher`)."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Iterable

from graph.store import Writer

MAX_INPUTS = 100


def new_run_id(started: float) -> str:
    """The id of an ingestion-log entry: its UTC start time and a random suffix.

    >>> new_run_id(0).startswith("run-19700101T000000-")
    True
    """
    return f"run-{time.strftime('%Y%m%dT%H%M%S', time.gmtime(started))}-{uuid.uuid4().hex[:8]}"


def record_run(writer: Writer, run_id: str, *, started: float, command: str, inputs: Iterable[str],
               message: Any, created: int = 0, updated: int = 0, unchanged: int = 0,
               status: str = "committed", extra: dict[str, Any] | None = None) -> None:
    """Write the log entry of a run inside the run's own transaction. ``message`` is stored as
    JSON (a dict of what happened); ``extra`` adds properties (e.g. who ran it)."""
    writer.run("create_ingest_run", id=run_id, props={
        "started_at": started,
        "finished_at": time.time(),
        "command": command,
        "inputs": list(inputs)[:MAX_INPUTS],
        "status": status,
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "message": message if isinstance(message, str) else json.dumps(message),
        **(extra or {}),
    })
