"""The evaluation corpus split and the gold-standard annotations (``data/evaluation/``).

Split
-----
``data/evaluation/corpus_split.yaml`` assigns each of the 34 corpus texts (``../shared/corpus``,
setting ``VUSTA_CORPUS_DIR``) to ``dev`` or ``test``. It was made once by :func:`make_split`
(seeded, stratified by language and source type); :func:`load_split` reads it back and the test
``tests/test_gold.py`` checks the file still equals what :func:`make_split` produces.

API for the extractor/evaluation::

    from ingest.gold import load_split, load_gold, load_all_gold

    split = load_split()                 # -> CorpusSplit; split.files("dev"), split.files("test", "vi")
    gold = load_gold("01_vusta_global_fund_aids_project")   # -> GoldFile (stem or file name)
    everything = load_all_gold()         # -> dict[stem, GoldFile], every gold file validated
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EVALUATION_DIR = PROJECT_ROOT / "data" / "evaluation"
SPLIT_FILE = EVALUATION_DIR / "corpus_split.yaml"
GOLD_DIR = EVALUATION_DIR / "gold"

SPLIT_SEED = 13  # the issue number; fixed once, never re-drawn

Half = str  # "dev" | "test"
HALVES = ("dev", "test")


def make_split(files: dict[str, tuple[str, str]], seed: int = SPLIT_SEED) -> dict[str, Half]:
    """Split ``{file name: (language, source type)}`` into two halves, stratified.

    Strata are (language, source type), visited in sorted order. Within a stratum the files
    (sorted by name) are shuffled with one ``random.Random(seed)``, then dealt one by one to the
    half that has (1) fewer files of this stratum, then (2) fewer files of this language, then
    (3) fewer files overall; a remaining tie is broken by the same random generator.
    """
    rng = random.Random(seed)
    strata: dict[tuple[str, str], list[str]] = {}
    for name in sorted(files):
        strata.setdefault(files[name], []).append(name)
    assigned: dict[str, Half] = {}
    per_language: Counter[tuple[str, Half]] = Counter()
    overall: Counter[Half] = Counter()
    for key in sorted(strata):
        names = strata[key]
        rng.shuffle(names)
        in_stratum: Counter[Half] = Counter()
        for name in names:
            ranked = sorted(HALVES, key=lambda h: (in_stratum[h], per_language[(key[0], h)], overall[h]))
            a, b = ranked
            if (in_stratum[a], per_language[(key[0], a)], overall[a]) == (
                in_stratum[b], per_language[(key[0], b)], overall[b]
            ):
                half = HALVES[rng.random() < 0.5]
            else:
                half = a
            assigned[name] = half
            in_stratum[half] += 1
            per_language[(key[0], half)] += 1
            overall[half] += 1
    return assigned
