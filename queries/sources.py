"""Provenance for people: the document and, when the document is at hand, the sentence that
states a fact."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from graph.schema import parse_provenance
from graph.text import fold, normalise, sentences


@lru_cache(maxsize=64)
def _document_lines(path: str, mtime: float) -> tuple[str, ...]:
    return tuple(normalise(line) for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines())


@lru_cache(maxsize=4096)
def _folded_sentences(paragraph: str) -> tuple[tuple[str, str], ...]:
    """The paragraph's sentences, each with its folded text padded by spaces (for word matches)."""
    return tuple((sentence, f" {fold(sentence)} ") for sentence in sentences(paragraph))


def document_line(documents_dir: Path | None, document: str, line: int | None) -> str | None:
    if documents_dir is None or not line:
        return None
    path = Path(documents_dir) / Path(document).name
    if not path.is_file():
        return None
    lines = _document_lines(str(path), path.stat().st_mtime)
    return lines[line - 1] if 0 < line <= len(lines) else None


def best_sentence(paragraph: str, names: list[str]) -> str:
    """The sentence of a paragraph that mentions most of the given names."""
    parts = _folded_sentences(paragraph)
    if len(parts) <= 1:
        return paragraph
    folded_names = [f" {folded} " for folded in map(fold, filter(None, names)) if len(folded) >= 2]

    def score(part: tuple[str, str]) -> int:
        return sum(1 for name in folded_names if name in part[1])

    return max(parts, key=score)[0]


def sources_with_evidence(provenance: str | None, documents_dir: Path | None,
                          names: list[str] | None = None) -> list[dict[str, Any]]:
    """Parsed sources; each gets ``sentence`` from the document when it is available."""
    out = []
    for source in parse_provenance(provenance):
        item = dict(source)
        if not item.get("sentence"):
            paragraph = document_line(documents_dir, item.get("document", ""), item.get("line"))
            if paragraph:
                item["sentence"] = best_sentence(paragraph, names or [])
        out.append(item)
    return out
