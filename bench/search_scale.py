"""How search scales with the number of names, without a store: the synthetic graph's entities
(``bench/synthetic.py``, the same names the full benchmark loads) are put in an in-memory
projection of each size, indexed, and the benchmark's queries (with and without diacritics,
acronyms, typos) are timed on each; the ratio of each size's figures to the smallest size's is
measured in the same run.

    python -m bench.search_scale [--sizes 100000 1000000] [--repeats 3]

Prints one JSON document. Figures only: no test asserts on time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from bench.__main__ import QUERIES, peak_rss_mb, percentiles, timed
from bench.synthetic import iter_entities
from queries.projection import NameRow, Projection
from queries.search import SearchIndex, build_index, search_with_index


def names_projection(size: int) -> Projection:
    """The synthetic graph's entities (names, aliases, kinds) without their relationships."""
    projection = Projection()
    for entity in iter_entities(size):
        projection.entities[entity.id] = NameRow(
            id=entity.id, name=entity.name, name_en=entity.name_en, aliases=list(entity.aliases or []),
            kinds=[str(k) for k in entity.kinds], sample=True)
    projection.connections().add_nodes_from(projection.entities)
    return projection


def measure(size: int, repeats: int) -> dict[str, Any]:
    started = time.perf_counter()
    index: SearchIndex = build_index(names_projection(size))
    built = time.perf_counter() - started
    slowest = {q: max(timed([lambda q=q: search_with_index(index, q)] * repeats)) for q in QUERIES}
    figures = percentiles(timed([lambda q=q: search_with_index(index, q) for q in QUERIES * repeats]))
    return {"names": len(index.keys), "index_build_s": round(built, 2), **figures,
            "slowest_queries_ms": {q: round(t * 1000, 1) for q, t in sorted(slowest.items(), key=lambda x: -x[1])[:3]},
            "process_peak_rss_mb": peak_rss_mb()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search_scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    out: dict[str, Any] = {"queries": len(QUERIES), "repeats": args.repeats, "sizes": {}}
    for size in sorted(args.sizes):
        out["sizes"][str(size)] = measure(size, args.repeats)
    base = out["sizes"][str(min(args.sizes))]
    for figures in out["sizes"].values():
        figures["p50_over_smallest"] = round(figures["p50_ms"] / max(base["p50_ms"], 1e-6), 2)
        figures["p95_over_smallest"] = round(figures["p95_ms"] / max(base["p95_ms"], 1e-6), 2)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
