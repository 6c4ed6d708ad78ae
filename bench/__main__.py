"""``python -m bench [--size N] [--quick] [--json]`` — the product's figures on a synthetic graph.
(``python -m bench --iati [--activities N]``: IATI import figures, see bench/iati.py.)

Starts an embedded store of its own (in a temporary folder, on free ports), loads a synthetic
graph of N nodes and ~5N relationships with the product's loader, and measures, in the same
run: loader throughput against a naive row-by-row MERGE baseline, search / show / path /
partner-finder latency (p50, p95), relationship-map build time for a 500-node neighbourhood,
peak memory of this process and of the store's server, and the time from starting the store
to its first answered query. Prints one JSON document (also with ``--json``; without it a
readable summary follows on stderr).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from bench.synthetic import generate
from cli.output import dumps
from graph.embedded import EmbeddedServer
from graph.ports import free_port
from graph.settings import Settings
from graph.store import GraphStore
from ingest.load import load_records

QUERIES = [
    "Nguyễn Văn An", "nguyen van an", "Trần Thị Lan", "tran thi lan", "Hội Luật gia", "hoi luat gia",
    "Trung tâm Môi trường", "trung tam moi truong", "SO12", "DN3", "NW1", "Biến đổi khí hậu",
    "bien doi khi hau", "Dự án y tế tại Hà Nội", "du an y te", "Quỹ nông nghiệp Đức", "quy nong nghiep duc",
    "Viện Vật lý", "vien vat ly", "Hội thảo năng lượng 2019", "hoi thao nang luong", "Mạng lưới Cơ học",
    "Nguyen Van Anh", "Tran Thi Lann", "Hoi Luat gai", "Cần Thơ", "can tho", "Thỏa thuận hợp tác số 5",
]
PARTNER_IDEAS = [
    "thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long", "HIV/AIDS prevention for young people",
    "nước sạch nông thôn miền núi", "chuyen doi so cho hoi thanh vien", "năng lượng tái tạo",
]


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95_index = max(0, min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1)))))
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(ordered[p95_index] * 1000, 2),
            "n": len(ordered)}


def timed(calls: list[Callable[[], Any]]) -> list[float]:
    out = []
    for call in calls:
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def peak_rss_mb(pid: int | None = None) -> float | None:
    if pid is None:
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure_load(store: GraphStore, entities: list, relationships: list, chunk: int) -> dict[str, Any]:
    started = time.perf_counter()
    for start in range(0, len(entities), chunk):
        load_records(store, entities[start:start + chunk], [], command="bench", inputs=["synthetic"], quiet=True)
    for start in range(0, len(relationships), chunk):
        load_records(store, [], relationships[start:start + chunk], command="bench", inputs=["synthetic"],
                     quiet=True)
    seconds = time.perf_counter() - started
    rows = len(entities) + len(relationships)
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds, 1)}


def measure_naive(store: GraphStore, entities: list) -> dict[str, Any]:
    """The baseline: one MERGE per entity, each in its own transaction."""
    started = time.perf_counter()
    for entity in entities:
        props = {k: v for k, v in entity.node_properties().items() if v is not None}
        store.write(lambda writer, e=entity, p=props: writer.run("naive_merge_entity", id=e.id, props=p))
    seconds = time.perf_counter() - started
    return {"rows": len(entities), "seconds": round(seconds, 2), "rows_per_s": round(len(entities) / seconds, 1)}


def optional(name: str) -> Any:
    """A product function that may not exist in every checkout (partner finder, map)."""
    module_name, _, attr = name.rpartition(".")
    try:
        module = __import__(module_name, fromlist=[attr])
        return getattr(module, attr)
    except (ImportError, AttributeError):
        return None


def run(size: int, quick: bool, seed: int, keep: bool) -> dict[str, Any]:
    from queries.paths import find_paths
    from queries.profile import show
    from queries.projection import projection
    from queries.search import search

    rng = random.Random(seed)
    data_dir = Path(tempfile.mkdtemp(prefix="vusta-bench-"))
    settings = Settings(data_dir=data_dir, embedded_bolt_port=free_port(), embedded_http_port=free_port(),
                        embedded_heap=os.environ.get("VUSTA_EMBEDDED_HEAP", "4g"), documents_dir=None)
    server = EmbeddedServer(settings)
    figures: dict[str, Any] = {
        "size": {"nodes_requested": size},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "quick": quick,
    }
    try:
        progress("starting the embedded store")
        started = time.perf_counter()
        server.ensure_running()
        store = GraphStore(settings)
        store.read("ping")
        figures["store_start_to_first_query_s"] = round(time.perf_counter() - started, 2)

        progress(f"generating {size} nodes")
        started = time.perf_counter()
        entities, relationships = generate(size, seed=seed)
        figures["size"].update({"entities": len(entities), "relationships": len(relationships),
                                "generate_s": round(time.perf_counter() - started, 2)})

        progress(f"loading {len(entities)} entities and {len(relationships)} relationships")
        load = measure_load(store, entities, relationships, chunk=50_000 if not quick else 10_000)
        slice_size = 300 if quick else 2000
        progress(f"naive baseline on {slice_size} rows")
        naive_store = GraphStore(Settings(**{**settings.__dict__, "embedded_database": "naive"}))
        naive = measure_naive(naive_store, entities[:slice_size])
        naive_store.close()
        figures["ingest"] = {"loader": load, "naive_row_by_row": naive,
                             "ratio": round(load["rows_per_s"] / naive["rows_per_s"], 1)}

        progress("building projections")
        started = time.perf_counter()
        proj = projection(store)
        figures["projection_build_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        search(store, "warm up")
        figures["search_index_build_s"] = round(time.perf_counter() - started, 2)

        repeats = 1 if quick else 3
        progress("search latency")
        figures["search"] = percentiles(timed([lambda q=q: search(store, q) for q in QUERIES * repeats]))

        ids = [e.id for e in entities]
        hubs = sorted(proj.entities, key=lambda i: -proj.degree(i))[:10]
        picks = hubs[:5] + rng.sample(ids, 25 if quick else 95)
        progress("show latency")
        figures["show"] = percentiles(timed([lambda i=i: show(store, i) for i in picks]))
        connected = [i for i in ids if proj.degree(i) > 0]
        pairs = [(rng.choice(connected), rng.choice(connected)) for _ in range(10 if quick else 40)]
        progress("path latency")
        figures["path"] = percentiles(timed([lambda a=a, b=b: find_paths(store, a, b, limit=3) for a, b in pairs]))

        recommend = optional("queries.partners.recommend_partners")
        if recommend is not None:
            progress("partner finder latency")
            recommend(store, text=PARTNER_IDEAS[0])  # warm the caches
            figures["partners"] = percentiles(timed(
                [lambda t=t: recommend(store, text=t) for t in PARTNER_IDEAS * (1 if quick else 6)]))
        else:
            figures["partners"] = {"skipped": "queries.partners.recommend_partners is not available"}

        neighbourhood = optional("queries.neighbourhood.neighbourhood")
        render = optional("ui.network_html.render_network")
        if neighbourhood is not None and render is not None:
            progress("relationship map build")
            samples = []
            nodes = 0
            for hub in hubs[:3]:
                started = time.perf_counter()
                data = neighbourhood(store, [hub], depth=2, max_nodes=500)
                render(data)
                samples.append(time.perf_counter() - started)
                nodes = max(nodes, len(data.get("nodes", [])))
            figures["map_build"] = {"seconds_max": round(max(samples), 3), "seconds_median":
                                    round(statistics.median(samples), 3), "nodes": nodes}
        else:
            figures["map_build"] = {"skipped": "queries.neighbourhood / ui.network_html not available"}

        progress("extraction throughput")
        from bench.extraction import measure_extraction
        figures["extraction"] = measure_extraction(repeats=1)

        state = server.state()
        figures["memory"] = {"bench_process_peak_mb": peak_rss_mb(),
                             "store_server_peak_mb": peak_rss_mb(state.pid) if state else None}
        store.close()
    finally:
        server.stop()
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000, help="number of nodes (default 10000)")
    parser.add_argument("--quick", action="store_true", help="small graph, few samples: under a minute")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the store's folder afterwards")
    parser.add_argument("--json", action="store_true", help="only the JSON document")
    parser.add_argument("--iati", action="store_true", help="IATI import speed and memory instead (bench/iati.py)")
    parser.add_argument("--activities", type=int, default=20_000, help="with --iati: activities in the file")
    args = parser.parse_args(argv)
    if args.iati:
        from bench.iati import main as iati_main
        return iati_main(args.activities, args.quick, args.keep)
    size = min(args.size, 3000) if args.quick else args.size
    figures = run(size, args.quick, args.seed, args.keep)
    print(dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
