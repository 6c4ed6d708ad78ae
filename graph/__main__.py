"""``python -m graph start|stop|status|export|import|forget`` — manage the store.

  start / stop / status     the embedded store; which store is in use and what it holds
  export PATH [--full]      the whole graph as JSON lines (without --full: no contact details
                            of people who did not consent; with --full: an exact backup)
  import PATH [--replace]   restore a backup (with --replace the database is emptied first; a
                            shareable export is refused with --replace unless --force)
  forget ID --yes           delete a person and every fact about them (people only), and rebuild
                            the indexes and log files that still held them
  remove-sample [SET]       delete the demo data (all of it when no SET is given: the sample
                            portfolio and roster, exactly undoing `python -m ingest demo`), or one
                            sample set (portfolio, diaspora); real data stays

Every command takes ``--json`` and then prints exactly one JSON document to stdout.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pathlib import Path

from cli.output import dumps
from graph.backup import BackupError, export_graph, import_graph
from graph.embedded import EmbeddedServer, EmbeddedStoreError
from graph.maintenance import forget, remove_sample
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


def data_command(args: argparse.Namespace, settings: Settings) -> tuple[dict[str, Any], int]:
    if not args.target and args.command != "remove-sample":
        return {"error": f"`{args.command}` needs a {'file' if args.command != 'forget' else 'entity id'}",
                "message": f"usage: python -m graph {args.command} "
                           f"{'ID --yes' if args.command == 'forget' else 'PATH'}"}, 2
    try:
        with GraphStore(settings) as store:
            if args.command == "export":
                out = export_graph(store, Path(args.target), full=args.full)
                out["message"] = (f"Exported {out['lines'] - 1} records to {out['path']}"
                                  + (" (full backup, contains personal data)" if args.full else ""))
            elif args.command == "import":
                out = import_graph(store, Path(args.target), replace=args.replace, force=args.force)
                out["message"] = (f"Imported {out['entities']} entities and {out['relationships']} relationships"
                                  f" from {args.target}")
            elif args.command == "remove-sample":
                out = remove_sample(store, args.target)
                out["message"] = (f"Removed {out['removed']} sample entities"
                                  + (f" of {args.target!r}." if args.target else
                                     f" and {out['removed_runs']} demo log entries: the graph holds real data only."))
            else:
                if not args.yes:
                    return {"error": "confirmation needed", "message":
                            f"This deletes {args.target!r} and every fact about them. Add --yes to confirm."}, 2
                out = forget(store, args.target)
                out["message"] = f"Deleted {args.target} and {len(out['deleted_figures'])} figure(s) about them."
        return out, 0
    except (BackupError, LookupError) as error:
        return {"error": str(error), "message": str(error)}, 2
    except StoreUnavailable as error:
        return {"error": str(error), "message": str(error)}, 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["start", "stop", "status", "export", "import", "forget",
                                                "remove-sample"])
    parser.add_argument("target", nargs="?", help="file (export/import) or entity id (forget)")
    parser.add_argument("--full", action="store_true", help="export: include personal contact details (backup)")
    parser.add_argument("--replace", action="store_true", help="import: empty the database first")
    parser.add_argument("--force", action="store_true",
                        help="import --replace: accept a shareable export (its missing contact details are lost)")
    parser.add_argument("--yes", action="store_true", help="forget: confirm the deletion")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    out: dict[str, Any]
    code = 0
    if args.command in ("export", "import", "forget", "remove-sample"):
        out, code = data_command(args, settings)
    elif args.command in ("start", "stop") and settings.backend != "embedded":
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
        print(dumps(out))
    else:
        print(out.get("message", out), file=sys.stdout if code == 0 else sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
