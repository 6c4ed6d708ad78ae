"""``python -m bench [--size N] [--quick] [--browser] [--json]`` — the product's figures on a synthetic graph.
(``python -m bench --iati [--activities N]``: IATI import figures, see bench/iati.py.)

Starts an embedded store of its own (in a temporary folder, on free ports), streams a synthetic
graph of N nodes and ~5N relationships from the generator into the product's loader in chunks
(neither holds the whole graph: memory stays flat), and measures, in the same run:

- loader throughput, against the engine's own best write path (batched ``UNWIND … CREATE`` of
  the same records into an empty database: ``ingest.engine_ratio`` = loader ÷ engine; both
  measured after the engine has written ``WARM_UP_NODES`` entities of a graph of its own) and
  against a naive row-by-row MERGE baseline;
- memory of the generator and loader while loading (this process's resident memory after each
  chunk), of the store's server, and of the app after every page;
- search / show / path / partner-finder latency (p50, p95), relationship-map build time;
- with ``--browser``: the curated real data is loaded too, the app is started on the store and
  every page is opened five times in headless Chromium (:mod:`bench.browser`).

Prints one JSON document (also with ``--json``; without it a readable summary follows on stderr).
The machine's other load changes absolute figures: compare the ratios measured in one run.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from bench.synthetic import entity_id, iter_entities, iter_relationships, kind_blocks
from cli.output import dumps
from graph import cypher
from graph.embedded import EmbeddedServer
from graph.ports import free_port
from graph.schema import NodeKind
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


WARM_UP_NODES = 20_000  # records written before the loader and the engine are measured (see run)


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


CHECKPOINT: Path | None = None  # --out: the figures so far are written there after every phase


def progress(message: str, figures: dict[str, Any] | None = None) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
    if figures is not None and CHECKPOINT is not None:
        CHECKPOINT.write_text(json.dumps({**figures, "finished": False, "next_phase": message},
                                         ensure_ascii=False, indent=2), encoding="utf-8")


def current_rss_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Streams:
    """The synthetic graph as streams of chunks, made again for every consumer (deterministic)."""

    def __init__(self, size: int, seed: int, chunk: int) -> None:
        self.size, self.seed, self.chunk = size, seed, chunk
        self.generate_s = 0.0

    def _timed(self, items):
        iterator = iter(chunked(items, self.chunk))
        while True:
            started = time.perf_counter()
            batch = next(iterator, None)
            self.generate_s += time.perf_counter() - started
            if batch is None:
                return
            yield batch

    def entities(self):
        return self._timed(iter_entities(self.size, self.seed))

    def relationships(self):
        return self._timed(iter_relationships(self.size, self.seed))


def measure_load(store: GraphStore, streams: Streams, time_limit: float | None = None) -> dict[str, Any]:
    """The product's loader (diff against the graph, one transaction per chunk, ingestion log).
    With ``time_limit`` (seconds), loading stops after the chunk that passes it (``complete``
    says whether everything was loaded)."""
    seconds = 0.0
    rows = entities = relationships = 0
    rss: list[float] = []
    complete = True
    for kind, stream in (("entities", streams.entities()), ("relationships", streams.relationships())):
        for batch in stream:
            if time_limit is not None and seconds > time_limit:
                complete = False
                break
            started = time.perf_counter()
            if kind == "entities":
                load_records(store, batch, [], command="bench", inputs=["synthetic"], quiet=True)
                entities += len(batch)
            else:
                load_records(store, [], batch, command="bench", inputs=["synthetic"], quiet=True)
                relationships += len(batch)
            seconds += time.perf_counter() - started
            rows += len(batch)
            rss.append(current_rss_mb() or 0.0)
            if len(rss) % 10 == 0:
                progress(f"  loader: {rows} rows, {rows / seconds:,.0f} rows/s, rss {rss[-1]} MB")
    return {"rows": rows, "entities": entities, "relationships": relationships, "seconds": round(seconds, 2),
            "rows_per_s": round(rows / seconds, 1), "complete": complete,
            "rss_mb": {"after_first_chunk": rss[0] if rss else None, "max": max(rss) if rss else None,
                       "last": rss[-1] if rss else None, "chunks": len(rss)}}


def measure_engine(store: GraphStore, streams: Streams, max_rows: int | None = None) -> dict[str, Any]:
    """The engine's own best write path for the same records, into an empty database: rows made
    beforehand (not timed), then ``UNWIND $rows … CREATE`` in batches, one transaction per chunk,
    no reads, no diff, no ingestion log."""
    store.ensure_schema()  # the same uniqueness constraint (and index) on Entity.id as the loader's
    seconds = 0.0
    rows = 0
    for stream, entity_stream in ((streams.entities(), True), (streams.relationships(), False)):
        for batch in stream:
            if max_rows is not None and rows >= max_rows:
                break
            groups: dict[Any, list[dict[str, Any]]] = {}
            if entity_stream:
                for entity in batch:
                    props = {k: v for k, v in entity.node_properties("engine").items() if v is not None}
                    groups.setdefault(frozenset(entity.kinds), []).append({"id": entity.id, "props": props})
                statements = {kinds: cypher.create_entities(kinds) for kinds in groups}
            else:
                for rel in batch:
                    groups.setdefault(rel.type, []).append({"id": rel.id, "from_id": rel.from_id, "to_id": rel.to_id,
                                                            "props": rel.relationship_properties("engine")})
                statements = {rel_type: cypher.create_relationship(rel_type) for rel_type in groups}
            started = time.perf_counter()
            store.write(lambda writer: [writer.write_rows(statements[key], group) for key, group in groups.items()])
            seconds += time.perf_counter() - started
            rows += len(batch)
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


def random_ids(size: int, rng: random.Random, count: int) -> list[str]:
    """Ids drawn uniformly from the synthetic graph without holding it."""
    blocks = list(kind_blocks(size).items())
    weights = [c for _, (_, c) in blocks]
    out = []
    for kind, (first, n) in rng.choices(blocks, weights=weights, k=count):
        out.append(entity_id(kind, first + rng.randrange(n)))
    return out


def load_real_data(store: GraphStore) -> dict[str, Any]:
    """The curated real data (VUSTA, its organisations, donors), so the app's pages have it."""
    from ingest.curated_load import load_curated

    started = time.perf_counter()
    result = load_curated(store, [Path(__file__).resolve().parent.parent / "data"], quiet=True, command="bench")
    summary = result.plan.summary()
    return {"entities": summary["entities"]["created"], "relationships": summary["relationships"]["created"],
            "seconds": round(time.perf_counter() - started, 2)}


def measure_ingest(store: GraphStore, settings: Settings, server: EmbeddedServer, size: int, seed: int, chunk: int,
                   quick: bool, baseline: bool, load_time_limit: float | None, figures: dict[str, Any]) -> None:
    """The loader, the engine's own write path and the naive baseline: ``figures["ingest"]``."""
    if baseline:
        # The store's Java engine compiles its hot paths during the first writes: without this
        # the loader (first) ran cold and the engine baseline (second) warm, which lowered the
        # ratio (20k entities: engine 16.4 s cold, 7.7 s warm). Both are now measured warm.
        progress("warming the store's engine up (UNWIND … CREATE into a database of its own)", figures)
        warm_store = GraphStore(Settings(**{**settings.__dict__, "embedded_database": "warmup"}))
        warm_size = min(size, WARM_UP_NODES)
        figures["engine_warm_up"] = {"nodes": warm_size, **measure_engine(warm_store, Streams(warm_size, seed + 1,
                                                                                           chunk))}
        warm_store.close()
    streams = Streams(size, seed, chunk)
    progress(f"streaming {size} nodes and ~{5 * size} relationships into the loader", figures)
    load = measure_load(store, streams, load_time_limit)
    figures["size"].update({"entities": load["entities"], "relationships": load["relationships"],
                            "generate_s": round(streams.generate_s, 2)})
    ingest: dict[str, Any] = {"loader": load}
    if baseline:
        progress("engine baseline: UNWIND … CREATE of the same records into an empty database", figures)
        engine_store = GraphStore(Settings(**{**settings.__dict__, "embedded_database": "engine"}))
        # the same records (only as many as the loader got through when it was stopped early)
        engine = measure_engine(engine_store, Streams(size, seed, chunk),
                                None if load["complete"] else load["rows"])
        engine_store.close()
        ingest["engine_unwind_create"] = engine
        ingest["engine_ratio"] = round(load["rows_per_s"] / engine["rows_per_s"], 3)
    slice_size = 300 if quick else 2000
    progress(f"naive baseline on {slice_size} rows", figures)
    naive_store = GraphStore(Settings(**{**settings.__dict__, "embedded_database": "naive"}))
    naive = measure_naive(naive_store, list(iter_entities(min(size, slice_size), seed)))
    naive_store.close()
    ingest["naive_row_by_row"] = naive
    ingest["ratio"] = round(load["rows_per_s"] / naive["rows_per_s"], 1)
    figures["ingest"] = ingest
    state = server.state()
    figures["memory"] = {"store_server_peak_after_load_mb": peak_rss_mb(state.pid) if state else None}


BASELINE_DATABASES = ("warmup", "engine", "naive")


def restart_with_the_graph_only(store: GraphStore, settings: Settings, server: EmbeddedServer,
                                figures: dict[str, Any]) -> GraphStore:
    """After the load: the store server is stopped, the baselines' databases are removed and it is
    started again with the graph alone, as the product's store is. The memory figures after this
    (``store_server_peak_mb``: queries and pages) are then the product's store, not the
    benchmark's extra databases (which ``store_server_peak_after_load_mb`` includes)."""
    progress("restarting the store with the loaded graph only (the baselines' databases removed)", figures)
    store.close()
    server.stop()
    for name in BASELINE_DATABASES:
        if name != settings.embedded_database:
            shutil.rmtree(server.server_root / "databases" / name, ignore_errors=True)
    started = time.perf_counter()
    server.ensure_running()
    store = GraphStore(settings)
    store.read("ping")
    figures["store_restart_to_first_query_s"] = round(time.perf_counter() - started, 2)
    return store


def run(size: int, quick: bool, seed: int, keep: bool, browser: bool = False, baseline: bool = True,
        chunk: int | None = None, load_time_limit: float | None = None, browser_repeats: int | None = None,
        kept_store: Path | None = None) -> dict[str, Any]:
    from queries.paths import find_paths
    from queries.profile import show
    from queries.projection import forget_cached, projection
    from queries.search import search

    rng = random.Random(seed)
    # ``kept_store``: a folder an earlier run kept (``--keep``) with the same size and seed; the
    # load and its baselines are not measured again, only what follows them
    data_dir = kept_store or Path(tempfile.mkdtemp(prefix="vusta-bench-"))
    settings = Settings(data_dir=data_dir, embedded_bolt_port=free_port(), embedded_http_port=free_port(),
                        embedded_heap=os.environ.get("VUSTA_EMBEDDED_HEAP", "2g"), documents_dir=None,
                        analytics=Settings.from_env().analytics)
    server = EmbeddedServer(settings)
    chunk = chunk or (10_000 if quick else 50_000)
    figures: dict[str, Any] = {
        "size": {"nodes_requested": size, "chunk": chunk},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_at_start": list(os.getloadavg())},
        "quick": quick,
        "store_heap": settings.embedded_heap,
        "analytics": settings.analytics,
    }
    if keep:
        figures["kept_in"] = str(data_dir)
    try:
        progress("starting the embedded store", figures)
        started = time.perf_counter()
        server.ensure_running()
        store = GraphStore(settings)
        store.read("ping")
        figures["store_start_to_first_query_s"] = round(time.perf_counter() - started, 2)

        if kept_store is not None:
            figures["kept_store"] = str(kept_store)
            figures["size"]["entities"] = store.read("count_entities")[0]["count"]
            figures["memory"] = {}
        else:
            measure_ingest(store, settings, server, size, seed, chunk, quick, baseline, load_time_limit, figures)
            store = restart_with_the_graph_only(store, settings, server, figures)

        if browser:
            progress("loading the curated real data (VUSTA and its partners) for the pages", figures)
            figures["real_data"] = load_real_data(store)

        progress("building projections", figures)
        started = time.perf_counter()
        proj = projection(store)
        figures["projection_build_s"] = round(time.perf_counter() - started, 2)
        figures["memory"]["bench_process_after_projection_mb"] = current_rss_mb()
        started = time.perf_counter()
        search(store, "warm up")
        figures["search_index_build_s"] = round(time.perf_counter() - started, 2)

        repeats = 1 if quick else 3
        progress("search latency", figures)
        figures["search"] = percentiles(timed([lambda q=q: search(store, q) for q in QUERIES * repeats]))

        ids = random_ids(size, rng, 25 if quick else 95)
        donors = [entity_id(NodeKind.DONOR, i) for i in range(min(10, kind_blocks(size).get(NodeKind.DONOR, (0, 0))[1]))]
        hubs = sorted(donors + ids, key=lambda i: -proj.degree(i))[:10]
        picks = hubs[:5] + ids
        progress("show latency", figures)
        for entity in random_ids(size, random.Random(seed + 2), 10):  # the store has just started: its
            show(store, entity)  # engine compiles its read paths on the first profiles (untimed)
        figures["show"] = percentiles(timed([lambda i=i: show(store, i) for i in picks]))
        connected = [i for i in random_ids(size, rng, 400) if proj.degree(i) > 0]
        pairs = [(rng.choice(connected), rng.choice(connected)) for _ in range(10 if quick else 40)]
        progress("path latency", figures)
        figures["path"] = percentiles(timed([lambda a=a, b=b: find_paths(store, a, b, limit=3) for a, b in pairs]))

        recommend = optional("queries.partners.recommend_partners")
        if recommend is not None:
            progress("partner finder latency", figures)
            recommend(store, text=PARTNER_IDEAS[0])  # warm the caches
            figures["partners"] = percentiles(timed(
                [lambda t=t: recommend(store, text=t) for t in PARTNER_IDEAS * (1 if quick else 6)]))
        else:
            figures["partners"] = {"skipped": "queries.partners.recommend_partners is not available"}

        neighbourhood = optional("queries.neighbourhood.neighbourhood")
        render = optional("ui.network_html.render_network")
        if neighbourhood is not None and render is not None:
            progress("relationship map build", figures)
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

        figures["memory"]["bench_process_peak_mb"] = peak_rss_mb()
        if browser:
            from bench.browser import measure_pages

            progress("pages in headless Chromium", figures)
            env = {"VUSTA_DATA_DIR": str(settings.data_dir), "VUSTA_EMBEDDED_BOLT_PORT": str(settings.embedded_bolt_port),
                   "VUSTA_EMBEDDED_HTTP_PORT": str(settings.embedded_http_port),
                   "VUSTA_EMBEDDED_DATABASE": settings.embedded_database, "VUSTA_EMBEDDED_HEAP": settings.embedded_heap}
            env["VUSTA_ANALYTICS"] = settings.analytics
            env = {k: v for k, v in env.items() if v}
            env.pop("NEO4J_URI", None)
            large_donor = max(donors, key=proj.degree) if donors else "vusta"
            del proj
            forget_cached()  # the app builds its own projections: this process lets go of its copy
            gc.collect()
            figures["browser"] = measure_pages(env, free_port(), large_donor, PARTNER_IDEAS[:3],
                                               repeats=browser_repeats or (2 if quick else 9), progress=progress)
            figures["memory"]["app_process"] = figures["browser"].get("app_memory")
        state = server.state()
        figures["memory"]["store_server_peak_mb"] = peak_rss_mb(state.pid) if state else None
        store.close()
    finally:
        server.stop()
        if not keep and kept_store is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000, help="number of nodes (default 10000)")
    parser.add_argument("--quick", action="store_true", help="small graph, few samples: under a minute")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the store's folder afterwards")
    parser.add_argument("--store", type=Path, default=None, metavar="DIR",
                        help="measure on the store an earlier run kept in DIR (--keep, same --size and --seed): "
                             "the load and its baselines are not measured again")
    parser.add_argument("--json", action="store_true", help="only the JSON document")
    parser.add_argument("--iati", action="store_true", help="IATI import speed and memory instead (bench/iati.py)")
    parser.add_argument("--activities", type=int, default=20_000, help="with --iati: activities in the file")
    parser.add_argument("--browser", action="store_true",
                        help="also start the app on the store and time every page in headless Chromium")
    parser.add_argument("--no-engine-baseline", action="store_true",
                        help="skip the engine's UNWIND … CREATE baseline (halves a very large run)")
    parser.add_argument("--browser-repeats", type=int, default=None,
                        help="visits of every page: one cold, then this many less one warm (default 9), "
                             "then one in a new browser")
    parser.add_argument("--out", type=Path, default=None,
                        help="also write the figures to this file, after every phase (a long run that is "
                             "stopped keeps what it measured)")
    parser.add_argument("--chunk", type=int, default=None, help="records per loader call (default 50000)")
    parser.add_argument("--load-time-limit", type=float, default=None, metavar="SECONDS",
                        help="stop loading after this long and measure on what was loaded (a very large run "
                             "on a busy machine); the figures say whether the load was complete")
    args = parser.parse_args(argv)
    if args.store is not None and not (args.store / "embedded").is_dir():
        parser.error(f"--store {args.store}: no store kept there (a folder that `--keep` left, holding embedded/)")
    if args.iati:
        from bench.iati import main as iati_main
        return iati_main(args.activities, args.quick, args.keep)
    size = min(args.size, 3000) if args.quick else args.size
    global CHECKPOINT
    CHECKPOINT = args.out
    figures = run(size, args.quick, args.seed, args.keep, browser=args.browser, baseline=not args.no_engine_baseline,
                  chunk=args.chunk, load_time_limit=args.load_time_limit, browser_repeats=args.browser_repeats,
                  kept_store=args.store)
    text = dumps(figures)
    if args.out:
        args.out.write_text(json.dumps({**figures, "finished": True}, ensure_ascii=False, indent=2), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
