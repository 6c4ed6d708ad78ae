"""``python -m queries.partner_ideas [--json] [--top 5]`` — the README's table of ten realistic
project ideas with the top donors the partner finder suggests for each and why, generated from
the graph as it is (on the default graph: real, sourced records only).

For each suggested donor the table shows its score, how much recorded evidence stands behind it
(``recorded`` / ``some_record`` / ``profile_only``), the recorded projects on the idea's themes
that it funded (from the real portfolio, with their year), and otherwise what its public profile
says. The check against what the sources show those donors fund is written by hand next to the
table in the README.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from graph.store import GraphStore, StoreUnavailable
from queries.partners import recommend_partners

IDEAS: list[tuple[str, str]] = [
    ("thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long", "climate adaptation in the Mekong Delta"),
    ("phòng chống HIV cho thanh niên ở Hải Phòng", "HIV prevention for young people in Hai Phong"),
    ("sức khỏe bà mẹ cho đồng bào dân tộc thiểu số ở Sơn La", "maternal health for ethnic minorities in Son La"),
    ("phòng chống bạo lực giới", "gender-based violence"),
    ("năng lượng sạch", "clean energy"),
    ("bảo tồn đa dạng sinh học biển và vùng ven biển", "marine conservation"),
    ("giáo dục STEM", "STEM education"),
    ("di chuyển của kỹ sư trong ASEAN", "engineers' mobility in ASEAN"),
    ("quyền của người lao động di cư", "migrant workers' rights"),
    ("chuyển giao tri thức của trí thức người Việt ở nước ngoài", "overseas intellectuals' knowledge transfer"),
]
LEVEL = {"recorded": "recorded projects on the theme", "some_record": "recorded projects, not on the theme",
         "profile_only": "public profile only", "none": "no evidence"}


def _why(item: dict[str, Any]) -> str:
    theme = next(r for r in item["reasons"] if r["component"] == "theme_fit")
    text = theme["en"].split(": ", 1)[-1].rstrip(".")
    return text.replace("|", "/")


def idea_table(store: GraphStore, top: int = 5) -> list[dict[str, Any]]:
    out = []
    for text, english in IDEAS:
        result = recommend_partners(store, {"text": text}, roles=["donor"], limit=top)
        out.append({"idea": english, "text": text,
                    "themes": [t["name_en"] for t in result["query"]["themes"]],
                    "places": [p["province_name"] or p["region_name_en"] for p in result["query"]["places"]],
                    "sample_data": result["sample_data"],
                    "donors": [{"rank": r["rank"], "id": r["id"], "name": r["short_name"] if r["short_name"] != r["name"]
                                else (r["name_en"] or r["name"]), "score": r["score"],
                                "evidence": r["evidence"]["level"], "on_theme": r["evidence"]["on_theme"],
                                "why": _why(r)} for r in result["results"]]})
    return out


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| idea (themes understood) | # | donor | score | evidence | why (theme reason, generated) |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        label = f"**{row['idea']}** ({', '.join(row['themes']) or 'no theme'}"
        label += f"; {', '.join(row['places'])})" if row["places"] else ")"
        for index, donor in enumerate(row["donors"]):
            lines.append(f"| {label if index == 0 else ''} | {donor['rank']} | {donor['name']} | {donor['score']:.2f} "
                         f"| {LEVEL[donor['evidence']]} | {donor['why']} |")
        if not row["donors"]:
            lines.append(f"| {label} | – | no donor works on these themes | | | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m queries.partner_ideas", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        with GraphStore() as store:
            rows = idea_table(store, max(1, min(args.top, 20)))
    except StoreUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 3
    print(json.dumps(rows, ensure_ascii=False, indent=2) if args.json else markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
