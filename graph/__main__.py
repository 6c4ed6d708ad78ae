"""``python -m graph start|stop|status`` — manage the embedded store and see which store is used.

Every command takes ``--json`` and then prints exactly one JSON document to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from graph.embedded import EmbeddedServer, EmbeddedStoreError
from graph.settings import Settings
from graph.store import GraphStore, StoreUnavailable


def store_status(settings: Settings) -> dict[str, Any]:
    """Which store is in use, whether it answers, and how much it holds."""
    store = GraphStore(settings, start_embedded=False)
    info: dict[str, Any] = store.describe()
    if store.embedded:
        info["embedded"] = store.embedded.status()
    try:
        info["entities"] = store.read("count_entities")[0]["count"]
        info["relationships"] = store.read("count_relationships")[0]["count"]
        info["reachable"] = True
    except StoreUnavailable as error:
        info["reachable"] = False
        info["message"] = str(error)
    finally:
        store.close()
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    out: dict[str, Any]
    code = 0
    if args.command in ("start", "stop") and settings.backend != "embedded":
        out = {"backend": "neo4j", "message": f"NEO4J_URI is set ({settings.neo4j_uri}); the embedded store "
               "is not used, so there is nothing to start or stop here."}
        code = 0
    elif args.command == "start":
        server = EmbeddedServer(settings)
        try:
            state = server.ensure_running()
            out = {"started": True, "pid": state.pid, "bolt_uri": f"bolt://127.0.0.1:{state.bolt_port}",
                   "database": state.database, "data_dir": str(server.home),
                   "message": f"Embedded store running on bolt://127.0.0.1:{state.bolt_port} "
                              f"(data in {server.home})."}
        except EmbeddedStoreError as error:
            out, code = {"started": False, "message": str(error)}, 3
    elif args.command == "stop":
        server = EmbeddedServer(settings)
        stopped = server.stop()
        out = {"stopped": stopped, "message": "Embedded store stopped." if stopped else
               "The embedded store was not running."}
    else:
        out = store_status(settings)
        if out["reachable"]:
            out["message"] = (f"{out['backend']} store at {out['uri']} (database {out['database']}) is reachable: "
                              f"{out['entities']} entities, {out['relationships']} relationships.")
        else:
            code = 3
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(out.get("message", out), file=sys.stdout if code == 0 else sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
