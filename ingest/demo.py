"""``python -m ingest demo`` — load the demonstration data, on request only.

The default load (``python -m ingest``) reads only real, sourced records. The invented data —
the sample portfolio (``data/sample/portfolio.yaml``: ~900 projects and 44 organisations, all
``sample: true``) and the sample roster of overseas intellectuals (3,000 invented people) —
comes in only with this command, in one transaction, logged as one run whose command is
:data:`DEMO_COMMAND`. ``python -m graph remove-sample`` removes all of it again, including that
log entry, so the real graph is exactly what it was before (:func:`graph.maintenance.remove_sample`).

The demo needs the real data in the graph first (its projects are funded by real donors and
placed in real provinces); without it the command says so and writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cli.output import BAD_INPUT, STORE_UNAVAILABLE, emit, fail
from graph.maintenance import DEMO_COMMAND
from graph.settings import PROJECT_ROOT
from graph.schema import document_id
from graph.store import GraphStore, StoreUnavailable, batches
from ingest.curated import InvalidInput, Problem, check_bundle, read_bundle
from ingest.load import LoadResult, load_records

SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"


def load_demo(store: GraphStore, *, quiet: bool = False, dry_run: bool = False,
              roster_people: int = 3000) -> LoadResult:
    """The sample portfolio and the sample roster, in one run. Raises :class:`InvalidInput`
    (naming what is missing) when the real data they refer to is not loaded."""
    from ingest.sample_roster import ROSTER_DOCUMENT, generate

    bundle, problems = read_bundle([SAMPLE_DIR])
    entities = [located.record for located in bundle.all_entities()]
    relationships = [located.record for located in bundle.relationships]
    defined = {e.id for e in entities}
    referenced = {r.record.from_id for r in bundle.relationships} | {r.record.to_id for r in bundle.relationships}
    referenced |= {document_id(s.document) for section in (bundle.entities, bundle.relationships)
                   for located in section for s in located.record.sources}
    outside = sorted(referenced - defined)
    missing: set[str] = set()
    for chunk in batches(outside):
        missing |= {row["id"] for row in store.read("missing_entity_ids", ids=list(chunk))}
    if missing:
        raise InvalidInput([Problem(str(SAMPLE_DIR), f"the demo data refers to {len(missing)} real entities that are "
                                    f"not in the graph (e.g. {', '.join(sorted(missing)[:5])}); load the real data "
                                    "first: python -m ingest / nạp dữ liệu thật trước: python -m ingest")])
    check_bundle(bundle, problems, known_ids=set(outside), known_documents=set(outside))
    if problems:
        raise InvalidInput(problems)
    roster_entities, roster_relationships = generate(roster_people)
    return load_records(store, [*entities, *roster_entities], [*relationships, *roster_relationships],
                        command=DEMO_COMMAND, inputs=[*bundle.files, ROSTER_DOCUMENT], dry_run=dry_run, quiet=quiet)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    args = parser.parse_args(argv)
    try:
        with GraphStore() as store:
            result = load_demo(store, quiet=args.quiet or args.json, dry_run=args.dry_run)
    except InvalidInput as error:
        return fail(args.json, str(error), [p.as_json() for p in error.problems], code=BAD_INPUT)
    except StoreUnavailable as error:
        return fail(args.json, str(error), code=STORE_UNAVAILABLE)
    summary: dict[str, Any] = result.as_json(details=False)
    summary["demo"] = True
    e, r = summary["entities"], summary["relationships"]
    verb = "would create" if args.dry_run else "created"
    text = (f"{'Dry run: ' if args.dry_run else ''}DEMO data (invented, marked sample): entities {verb} "
            f"{e['created']}, updated {e['updated']}, unchanged {e['unchanged']}; relationships {verb} "
            f"{r['created']}, unchanged {r['unchanged']}. Remove it with `python -m graph remove-sample`.\n"
            f"Dữ liệu MẪU (giả lập) đã nạp; gỡ bằng `python -m graph remove-sample`.")
    emit(summary, args.json, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
