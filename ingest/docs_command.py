"""``python -m ingest docs DIR_OR_FILES [--apply] [--json]`` — read documents into the graph.

Without ``--apply``: extract entities (known ones by every name, alias and acronym; new ones by
pattern) and relationships (by cue phrase) from UTF-8 text documents, write them to a reviewable
candidates file (``--out``, default ``var/candidates/candidates-<time>.json``) and change nothing.

With ``--apply``: load the accepted candidates — those a reviewer marked ``"accept": true`` and
those left ``null`` whose confidence is at least ``--threshold`` (default 0.7). Either extract
afresh from the documents given, or apply a reviewed file with ``--candidates FILE``. Mentions
of entities the graph has are attached to them (never duplicated); source documents become
Document nodes and every entity links to the documents that mention it (MENTIONED_IN). A load is
one transaction, idempotent, and logged as an IngestRun.

  python -m ingest docs ../shared/seeds                      # write candidates, change nothing
  python -m ingest docs ../shared/seeds --apply              # extract and load what passes the threshold
  python -m ingest docs --apply --candidates var/candidates/candidates-….json   # load a reviewed file
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from graph.store import GraphStore, StoreUnavailable
from ingest.candidates import (
    DEFAULT_THRESHOLD,
    apply_candidates,
    build_candidates,
    read_candidates,
    summary,
    write_candidates,
)
from cli.output import emit as _emit, fail as _fail
from ingest.curated import InvalidInput, Problem
from ingest.documents import read_documents


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ingest docs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="text documents or folders of them (UTF-8 .txt/.md)")
    parser.add_argument("--apply", action="store_true", help="load the accepted candidates")
    parser.add_argument("--candidates", type=Path, help="a reviewed candidates file to apply")
    parser.add_argument("--out", type=Path, help="where to write the candidates file")
    parser.add_argument("--threshold", type=float, default=None,
                        help=f"minimum confidence of candidates left unreviewed (default {DEFAULT_THRESHOLD})")
    parser.add_argument("--dry-run", action="store_true", help="with --apply: report what would change")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    return parser


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.threshold is not None and not 0 <= args.threshold <= 1:
        raise InvalidInput([Problem("--threshold", f"must be between 0 and 1, got {args.threshold}")])
    if not args.paths and not args.candidates:
        raise InvalidInput([Problem("(command line)", "give documents or folders to read, or --candidates FILE "
                                                      "with --apply")])
    if args.candidates and not args.apply:
        raise InvalidInput([Problem("(command line)", "--candidates is for applying a reviewed file: add --apply")])
    threshold = args.threshold if args.threshold is not None else DEFAULT_THRESHOLD
    out: dict[str, Any] = {}
    with GraphStore() as store:
        if args.candidates:
            candidates = read_candidates(args.candidates)
            candidates_path = args.candidates
            threshold = args.threshold if args.threshold is not None else candidates.threshold
        else:
            documents = read_documents([Path(p) for p in args.paths])
            command = "python -m ingest docs " + " ".join(args.paths)
            candidates = build_candidates(store, documents, threshold=threshold, command=command)
            candidates_path = write_candidates(candidates, args.out)
        out["candidates_file"] = str(candidates_path)
        out["candidates"] = summary(candidates, threshold)
        if args.apply:
            result, skipped = apply_candidates(
                store, candidates, threshold=threshold, dry_run=args.dry_run, quiet=args.quiet or args.json,
                inputs=[str(candidates_path), *[d.name for d in candidates.documents]],
                command="python -m ingest docs --apply" + (" --dry-run" if args.dry_run else ""))
            out["load"] = result.as_json(details=args.dry_run)
            out["load"]["not_accepted"] = skipped
            if result.plan.conflicts:
                out["load"]["conflicts"] = result.plan.conflicts[:200]
    return out


def text(out: dict[str, Any]) -> str:
    c = out["candidates"]
    lines = [f"Candidates: {out['candidates_file']}",
             f"  documents {c['documents']}; entities: {c['entities']['new']} new, {c['entities']['merge']} known; "
             f"relationships: {c['relationships']['new']} new, {c['relationships']['merge']} known "
             f"(accepted at confidence ≥ {c['threshold']}: {c['entities']['accepted']} entities, "
             f"{c['relationships']['accepted']} relationships)"]
    if "load" in out:
        load = out["load"]
        e, r = load["entities"], load["relationships"]
        verb = "would create" if load["dry_run"] else "created"
        lines.append(f"{'Dry run: ' if load['dry_run'] else ''}entities: {verb} {e['created']}, updated "
                     f"{e['updated']}, unchanged {e['unchanged']}; relationships: {verb} {r['created']}, updated "
                     f"{r['updated']}, unchanged {r['unchanged']}" + (f" (run {load['run_id']})" if load["run_id"]
                                                                      else ""))
    else:
        lines.append("Nothing was written. Review the file (set \"accept\": true/false), then run with --apply "
                     "--candidates FILE.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        out = run(args)
    except InvalidInput as error:
        return _fail(args.json, str(error), [p.as_json() for p in error.problems])
    except StoreUnavailable as error:
        return _fail(args.json, str(error), code=3)
    _emit(out, args.json, text(out) if not args.json else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
