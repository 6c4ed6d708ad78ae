"""``python -m ingest [PATH ...]`` — validate and load curated files (default: ``data/``).

Files are dispatched by extension: ``.yaml``/``.yml`` and folders are curated data (format in
``data/README.md``); ``.csv``, ``.tsv``, ``.xlsx`` and ``.json`` are spreadsheets imported with
the column templates of ``data/templates/``. Subcommands:

  python -m ingest docs DIR_OR_FILES [--apply] [--candidates FILE] [--out FILE] [--threshold X]
  python -m ingest dedupe [--apply] [--review FILE] [--threshold X]
  python -m ingest iati FILE.xml|DIR [--dry-run] [--valid-only]   (IATI activity files)
  python -m ingest demo [--dry-run]     the invented demo data (sample portfolio and roster), on
                                        request only; `python -m graph remove-sample` removes it

The default load reads only real, sourced records (data/ without data/sample/).

Every command takes ``--json`` and then prints exactly one JSON document to stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.output import emit as _emit, fail as _fail
from graph.settings import PROJECT_ROOT
from graph.store import GraphStore, StoreUnavailable, ValueTooLarge
from ingest.curated import InvalidInput
from ingest.service import import_files

DEFAULT_DATA = PROJECT_ROOT / "data"


def cmd_load(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or [DEFAULT_DATA]
    with GraphStore() as store:
        result = import_files(store, paths, dry_run=args.dry_run, quiet=args.quiet or args.json)
    summary = result.as_json(details=args.dry_run)
    if result.plan.conflicts:  # values a spreadsheet gave for curated entities, not applied
        summary["conflicts"] = result.plan.conflicts[:200]
    e, r = summary["entities"], summary["relationships"]
    verb = "would create" if args.dry_run else "created"
    text = (f"{'Dry run: ' if args.dry_run else ''}entities: {verb} {e['created']}, updated {e['updated']}, "
            f"unchanged {e['unchanged']}; relationships: {verb} {r['created']}, updated {r['updated']}, "
            f"unchanged {r['unchanged']}" + (f" (run {result.run_id})" if result.run_id else ""))
    if result.plan.conflicts:
        text += (f"\n{len(result.plan.conflicts)} conflict(s): values kept in the graph (curated, or edited in the "
                 "app) differ from the input; see --json")
    _emit(summary, args.json, text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="YAML files or folders (default: data/), or spreadsheets "
                                                 "(.csv, .tsv, .xlsx, .json; see data/templates/)")
    parser.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["docs"]:
        from ingest.docs_command import main as docs_main
        return docs_main(argv[1:])
    if argv[:1] == ["iati"]:
        from ingest.iati.command import main as iati_main
        return iati_main(argv[1:])
    if argv[:1] == ["demo"]:
        from ingest.demo import main as demo_main
        return demo_main(argv[1:])
    if argv[:1] == ["dedupe"]:
        from ingest.dedupe import main as dedupe_main
        return dedupe_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return cmd_load(args)
    except InvalidInput as error:
        return _fail(args.json, str(error), [p.as_json() for p in error.problems])
    except ValueTooLarge as error:
        return _fail(args.json, str(error), [{"file": ", ".join(args.paths) or str(DEFAULT_DATA),
                                             "record": error.record, "field": error.field,
                                             "message": str(error)}])
    except StoreUnavailable as error:
        return _fail(args.json, str(error), code=3)


if __name__ == "__main__":
    sys.exit(main())
