"""``python -m queries partners``: the options, the command and its text output."""

from __future__ import annotations

from typing import Any, Callable

from graph.store import GraphStore
from queries.partners.assembly import DEFAULT_LIMIT, recommend_partners
from queries.partners.features import ROLES
from queries.partners.weights import COMPONENTS, WEIGHTS_FILE


def add_partner_arguments(parser: Any) -> None:
    """The options of ``python -m queries partners`` (added to its sub-parser)."""
    parser.add_argument("--text", help="the project idea in a sentence (Vietnamese or English, accents optional)")
    parser.add_argument("--theme", action="extend", nargs="+", default=[], metavar="T",
                        help="theme ids, names or keywords (one or more, repeatable); inferred from --text when not given")
    parser.add_argument("--region", action="extend", nargs="+", default=[], metavar="R",
                        help="regions or provinces (one or more, repeatable), e.g. 'Đồng bằng sông Cửu Long', "
                             "'mien trung', 'Can Tho'")
    parser.add_argument("--budget", type=float, help="budget in USD (read from --text when not given)")
    parser.add_argument("--lead", help="the lead organisation (default: VUSTA)")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="results per role (default 10)")
    parser.add_argument("--role", action="append", choices=ROLES, help="only these roles (repeatable)")
    parser.add_argument("--weights", help="component weights: a YAML/JSON file or NAME=NUMBER,... "
                        f"(components: {', '.join(COMPONENTS)}; default {WEIGHTS_FILE.name})")


def partners_command(args: Any, store: GraphStore) -> tuple[dict[str, Any], Callable[[dict[str, Any]], str]]:
    idea = {"text": args.text, "themes": args.theme, "regions": args.region, "budget_usd": args.budget,
            "lead": args.lead}
    result = recommend_partners(store, idea, weights=args.weights, limit=args.limit, roles=args.role or ROLES)
    return result, text_partners


def text_partners(result: dict[str, Any]) -> str:
    query = result["query"]
    themes = ", ".join(t["name_en"] for t in query["themes"]) or "none"
    places = ", ".join(p["province_name"] or p["region_name_en"] for p in query["places"]) or "anywhere"
    budget = f"USD {query['budget_usd']:,.0f}" if query["budget_usd"] else "not given"
    lines = [f"Themes: {themes} | Places: {places} | Budget: {budget} | Lead: {query['lead']['name']}"]
    titles = {"donor": "Donors", "co_applicant": "Co-applicants (VUSTA organisations)",
              "international_partner": "International partners"}
    for role in ROLES:
        rows = [r for r in result["results"] if r["role"] == role]
        if not rows:
            continue
        lines.append(f"\n{titles[role]}:")
        for row in rows:
            flag = " [sample]" if row["sample"] else ""
            short = f"{row['short_name']} — " if row["short_name"] != row["name"] else ""
            lines.append(f"{row['rank']:>3}. {row['score']:.2f}  {short}{row['name']}{flag}")
            lines.append(f"       Evidence: {row['evidence_text']['en']}")
            for reason in row["reasons"]:
                if reason["score"] is not None:
                    lines.append(f"       {reason['en']}")
            for project in row["evidence_projects"][:3]:
                urls = ", ".join(s["url"] or s["document"] for s in project["sources"]) or "no source"
                lines.append(f"       · {project['name']}" + (f" ({project['year']})" if project["year"] else "")
                             + f" — {urls}")
            if row["intro_sentence_en"] and len(row["intro_path"]) > 2:
                lines.append(f"       Introduction: {row['intro_sentence_en']}")
    for note in result["notes"]:
        lines.append(f"\nNote: {note['en']}")
    return "\n".join(lines)
