"""``python -m ingest iati FILE.xml|DIR ... [--dry-run] [--valid-only] [--json] [--lang vi|en]``

Imports IATI activity files (versions 2.01–2.03) into the graph: each activity becomes a
project with its donors, implementers, themes and provinces (see ``ingest/iati/importer.py``).
Every file is checked first; a file with any error writes nothing unless ``--valid-only`` is
given, which loads the valid activities and lists the others. Exit codes: 0 done, 2 invalid
input (nothing written), 3 store unavailable.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from graph.store import GraphStore, StoreUnavailable
from ingest.iati.importer import IatiResult
from ingest.iati.problems import InvalidIatiFile
from ingest.service import import_iati_files


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ingest iati", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help="IATI activity files (.xml) or folders holding them")
    parser.add_argument("--dry-run", action="store_true", help="check and report what would change; write nothing")
    parser.add_argument("--valid-only", action="store_true",
                        help="load the valid activities of files that have errors (the others are listed)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    parser.add_argument("--lang", choices=("vi", "en"), default=os.environ.get("VUSTA_LANGUAGE", "vi"),
                        help="language of the messages (default vi, or $VUSTA_LANGUAGE)")
    return parser


def summary_text(result: IatiResult, language: str) -> str:
    totals = result.totals()
    e, r = totals["entities"], totals["relationships"]
    a = result.as_json(language)["activities"]
    if language == "vi":
        head = "Chạy thử: " if result.dry_run else ""
        verb = "sẽ tạo" if result.dry_run else "tạo"
        lines = [f"{head}hoạt động: đọc {a['read']}, nạp {a['loaded']}, bỏ qua (lỗi) {a['skipped_invalid']}, "
                 f"bỏ qua (phiên bản cũ hơn) {a['skipped_older_version']}",
                 f"thực thể: {verb} {e['created']}, cập nhật {e['updated']}, không đổi {e['unchanged']}; quan hệ: "
                 f"{verb} {r['created']}, cập nhật {r['updated']}, không đổi {r['unchanged']}"]
        if result.warning_count:
            lines.append(f"{result.warning_count} cảnh báo (mã không có trong danh mục, thiếu tỷ giá…):")
    else:
        head = "Dry run: " if result.dry_run else ""
        verb = "would create" if result.dry_run else "created"
        lines = [f"{head}activities: read {a['read']}, loaded {a['loaded']}, skipped (errors) {a['skipped_invalid']}, "
                 f"skipped (older version) {a['skipped_older_version']}",
                 f"entities: {verb} {e['created']}, updated {e['updated']}, unchanged {e['unchanged']}; "
                 f"relationships: {verb} {r['created']}, updated {r['updated']}, unchanged {r['unchanged']}"]
        if result.warning_count:
            lines.append(f"{result.warning_count} warning(s) (codes not in the codelists, missing rates…):")
    lines += [f"  - {w.text(language)}" for w in result.warnings[:20]]
    if result.errors:
        lines.append("Lỗi (các hoạt động này không được nạp):" if language == "vi"
                     else "Errors (these activities were not loaded):")
        lines += [f"  - {p.text(language)}" for p in result.errors[:50]]
    if result.run_ids:
        lines.append(("lần nạp: " if language == "vi" else "runs: ") + ", ".join(result.run_ids))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    paths = [Path(p) for p in args.paths]
    try:
        with GraphStore() as store:
            result = import_iati_files(store, paths, dry_run=args.dry_run, valid_only=args.valid_only,
                                 quiet=args.quiet or args.json)
    except InvalidIatiFile as error:
        if args.json:
            print(json.dumps({"error": error.text(args.lang),
                              "problems": [dict(p.as_json(), text=p.text(args.lang)) for p in error.problems],
                              "warnings": [dict(p.as_json(), text=p.text(args.lang)) for p in error.warnings[:200]]},
                             ensure_ascii=False, indent=2))
        else:
            print(error.text(args.lang), file=sys.stderr)
        return 2
    except StoreUnavailable as error:
        if args.json:
            print(json.dumps({"error": str(error), "problems": []}, ensure_ascii=False, indent=2))
        else:
            print(f"error: {error}", file=sys.stderr)
        return 3
    if args.json:
        print(json.dumps(result.as_json(args.lang), ensure_ascii=False, indent=2))
    else:
        print(summary_text(result, args.lang))
    return 0


if __name__ == "__main__":
    sys.exit(main())
