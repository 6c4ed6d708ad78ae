"""Extraction throughput: characters per second, Vietnamese and English, both modes.

``python -m bench.extraction [--json]`` (also part of ``python -m bench``). Texts: the seed
documents (Vietnamese) and the development half of the evaluation corpus (both languages; the
test half is read only by the evaluation). Each language's texts are extracted with an empty
gazetteer (discovery) and with the curated graph's names (linking); the baseline in the same run
is the tokenizer alone over the same texts, so ``ratio_to_tokenizer`` says how many times slower
than splitting words extraction is.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from graph.settings import PROJECT_ROOT


def _texts() -> dict[str, list]:
    from ingest.documents import read_documents
    from ingest.evaluate_corpus import corpus_dir, read_corpus_document, split_files

    by_language: dict[str, list] = {"vi": [], "en": []}
    seeds = PROJECT_ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        by_language["vi"] += read_documents([seeds])
    root = corpus_dir()
    for language in ("vi", "en"):
        for file in split_files("dev", language):
            if (root / file).is_file():
                by_language[language].append(read_corpus_document(root / file))
    return by_language


def measure_extraction(repeats: int = 2) -> dict[str, Any]:
    from ingest.curated import read_bundle
    from ingest.extract import Extractor
    from ingest.gazetteer import Gazetteer
    from ingest.vietnamese import tokenize

    bundle, _ = read_bundle([PROJECT_ROOT / "data"])
    started = time.perf_counter()
    linking = Gazetteer.from_records([located.record for located in bundle.entities])
    figures: dict[str, Any] = {"gazetteer_build_s": round(time.perf_counter() - started, 3),
                               "gazetteer_names": len(linking)}
    for language, documents in _texts().items():
        characters = sum(d.characters for d in documents)
        if not characters:
            figures[language] = {"skipped": "no texts"}
            continue
        lines = [line for d in documents for line in d.lines]
        started = time.perf_counter()
        for _ in range(repeats):
            for line in lines:
                tokenize(line)
        tokenizer = characters * repeats / (time.perf_counter() - started)
        block: dict[str, Any] = {"documents": len(documents), "characters": characters,
                                 "tokenizer_chars_per_s": round(tokenizer)}
        for mode, gazetteer in (("discovery", Gazetteer()), ("linking", linking)):
            started = time.perf_counter()
            for _ in range(repeats):
                Extractor(gazetteer).run(documents)
            rate = characters * repeats / (time.perf_counter() - started)
            block[mode] = {"chars_per_s": round(rate), "ratio_to_tokenizer": round(tokenizer / rate, 1)}
        figures[language] = block
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extraction", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="only the JSON document")
    args = parser.parse_args(argv)
    print(json.dumps(measure_extraction(args.repeats), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
