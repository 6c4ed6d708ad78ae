"""``python -m queries stats|search|show|path`` — ask the graph.

Every command takes ``--json`` and then prints exactly one JSON document to stdout.

  python -m queries stats
  python -m queries search "lien hiep hoi"
  python -m queries show VUSTA
  python -m queries path "Hội Luật gia" GIZ --avoid GovernmentBody
  python -m queries experts --theme "biến đổi khí hậu" [--country "Hoa Kỳ"]
  python -m queries backtest [--cross-validate 5] [--json]   (the partner finder's leave-one-out figures)
  python -m queries partners --text "thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long" [--budget 200000]
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable

from graph.schema import NodeKind, RelationshipType, kind_label, relationship_verb
from cli.output import emit, fail as _fail
from graph.store import GraphStore, StoreUnavailable
from queries.diaspora import experts
from queries.partners import IdeaError, WeightsError, add_partner_arguments, partners_command
from queries.paths import find_paths
from queries.profile import NotFound, show
from queries.search import SearchError, search
from queries.stats import stats


def _kinds(kinds: list[str]) -> str:
    return ", ".join(kind_label(k, "en") for k in kinds)


def text_stats(result: dict[str, Any]) -> str:
    lines = ["Entities by kind:"]
    lines += [f"  {kind:28} {count:>7}" for kind, count in sorted(result["nodes"].items())]
    lines.append("Relationships by type:")
    lines += [f"  {rel:28} {count:>7}" for rel, count in sorted(result["relationships"].items())]
    return "\n".join(lines)


def text_search(result: list[dict[str, Any]]) -> str:
    if not result:
        return "No match."
    return "\n".join(f"{hit['score']:.2f}  {hit['id']:32} {hit['name']}  [{_kinds(hit['kinds'])}]" for hit in result)


def text_show(result: dict[str, Any]) -> str:
    lines = [f"{result['name']}  ({result['id']})", f"  kinds: {_kinds(result['kinds'])}"]
    if result.get("name_en"):
        lines.append(f"  English: {result['name_en']}")
    if result["aliases"]:
        lines.append(f"  aliases: {', '.join(result['aliases'])}")
    for key, value in result["properties"].items():
        lines.append(f"  {key}: {value}")
    lines.append("  sources: " + "; ".join(f"{s['document']}:{s.get('line', '')}" for s in result["sources"]))
    lines.append("  relationships:")
    for rel in result["relationships"]:
        if rel["type"] == RelationshipType.MENTIONED_IN:
            continue
        arrow = f"— {relationship_verb(rel['type'], 'en')} →" if rel["direction"] == "out" else \
            f"← {relationship_verb(rel['type'], 'en')} —"
        props = ", ".join(f"{k}={v}" for k, v in rel["properties"].items() if k not in ("sample",))
        where = "; ".join(f"{s['document']}:{s.get('line', '')}" for s in rel["sources"])
        lines.append(f"    {arrow} {rel['other']['name']} ({rel['other']['id']})"
                     + (f" [{props}]" if props else "") + (f"  <{where}>" if where else ""))
    return "\n".join(lines)


def text_path(result: dict[str, Any]) -> str:
    if not result["paths"]:
        return f"No connection found between {result['from']['name']} and {result['to']['name']}."
    return "\n".join(f"{i + 1}. {p['sentence_en']}\n   {p['sentence_vi']}" for i, p in enumerate(result["paths"]))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m queries", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print one JSON document")
    sub.add_parser("stats", parents=[common], help="entities per kind, relationships per type")
    p = sub.add_parser("search", parents=[common], help="find entities by name, alias or acronym")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--kind", action="append", choices=[k.value for k in NodeKind], help="only these kinds")
    p = sub.add_parser("show", parents=[common], help="an entity's profile with sources")
    p.add_argument("entity", help="id, name, alias or acronym")
    p = sub.add_parser("path", parents=[common], help="how two entities are connected")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--limit", type=int, default=3, help="number of paths (default 3)")
    p.add_argument("--max-length", type=int, default=6)
    p.add_argument("--avoid", action="append", default=[], choices=[k.value for k in NodeKind],
                   help="do not pass through entities of this kind (repeatable)")
    p = sub.add_parser("experts", parents=[common], help="overseas experts on a theme, closest to us first")
    p.add_argument("--theme", required=True, help="theme id, name or keyword (any language, any accents)")
    p.add_argument("--country", help="country of residence, e.g. 'Hoa Kỳ' or 'hoa ky'")
    p.add_argument("--limit", type=int, default=20)
    add_partner_arguments(sub.add_parser("partners", parents=[common],
                                         help="donors, co-applicants and partners for a project idea, with introductions"))
    return parser


def text_experts(result: dict[str, Any]) -> str:
    if not result["experts"]:
        return f"No overseas expert on {', '.join(result['themes'])}."
    lines = [f"{result['total']} overseas expert(s) on {', '.join(result['themes'])}:"]
    for person in result["experts"]:
        contact = ", ".join(person.get("contact", {}).values()) or "contact: no consent"
        lines.append(f"{person['score']:.2f}  {person['name']} — {person.get('position') or ''}, "
                     f"{person.get('institution') or ''}, {person.get('city') or ''} ({person.get('country') or ''})"
                     f"; distance to VUSTA {person['distance_to_vusta']}; {contact}")
    return "\n".join(lines)


def run(args: argparse.Namespace, store: GraphStore) -> tuple[Any, Callable[[Any], str]]:
    if args.command == "stats":
        return stats(store), text_stats
    if args.command == "search":
        return search(store, args.text, limit=max(1, min(args.limit, 500)), kinds=args.kind), text_search
    if args.command == "show":
        return show(store, args.entity, documents_dir=store.settings.documents_dir), text_show
    if args.command == "path":
        return find_paths(store, args.a, args.b, limit=max(1, min(args.limit, 20)), max_length=args.max_length,
                          avoid_kinds=args.avoid), text_path
    if args.command == "experts":
        return experts(store, args.theme, country=args.country, limit=max(1, min(args.limit, 500))), text_experts
    if args.command == "partners":
        return partners_command(args, store)
    raise AssertionError(args.command)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["backtest"]:  # python -m queries backtest: the partner finder's leave-one-out figures
        from queries.backtest import main as backtest_main
        return backtest_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        with GraphStore() as store:
            result, render = run(args, store)
    except (SearchError, NotFound, IdeaError, WeightsError) as error:
        return _fail(args.json, str(error), code=1)
    except StoreUnavailable as error:
        return _fail(args.json, str(error), code=3)
    emit(result, args.json, "" if args.json else render(result))
    return 0



if __name__ == "__main__":
    sys.exit(main())
