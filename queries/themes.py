"""The theme taxonomy (``data/reference/themes.yaml``) and recognising themes in a project idea.

Themes are ``Theme`` entities with Vietnamese and English names, ``keywords`` (synonyms used to
recognise them in free text), ``dac_codes`` (OECD DAC purpose codes) and ``PART_OF`` links to
broader themes. The taxonomy is read from the graph and cached until the data changes.

>>> # tax = taxonomy(store)
>>> # [m.id for m in infer_themes(tax, "thich ung bien doi khi hau o DBSCL")]
>>> # ['theme-climate-change']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from rapidfuzz import fuzz, process

from graph.store import GraphStore
from graph.text import fold
from queries.phrases import PhraseIndex
from queries.projection import cached

# How close two themes are, for partial credit (see Taxonomy.similarity).
SAME, DIRECT, SIBLING, SAME_DAC_SECTOR = 1.0, 0.6, 0.35, 0.2
MAX_INFERRED = 5
MIN_RELATIVE_WEIGHT = 0.3


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    name_en: str
    keywords: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    dac_codes: tuple[str, ...] = ()
    broader: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ThemeMatch:
    """A theme recognised in a text, its weight (0–1, relative to the best) and the words found."""

    id: str
    weight: float
    evidence: tuple[str, ...]


@dataclass
class Taxonomy:
    themes: dict[str, Theme]
    index: PhraseIndex = field(default_factory=PhraseIndex)
    _similarity: dict[tuple[str, str], float] = field(default_factory=dict)

    def name(self, theme_id: str, language: str = "vi") -> str:
        theme = self.themes.get(theme_id)
        if theme is None:
            return theme_id
        return theme.name if language == "vi" else theme.name_en

    def narrower(self, theme_id: str) -> set[str]:
        return {t.id for t in self.themes.values() if theme_id in t.broader}

    def similarity(self, a: str, b: str) -> float:
        """1 for the same theme; 0.6 if one is directly part of the other; 0.35 for themes that
        share a broader theme; 0.2 for themes in the same DAC sector (first three digits); else 0."""
        if a == b:
            return SAME
        key = (a, b) if a < b else (b, a)
        if key in self._similarity:
            return self._similarity[key]
        ta, tb = self.themes.get(a), self.themes.get(b)
        value = 0.0
        if ta and tb:
            if b in ta.broader or a in tb.broader:
                value = DIRECT
            elif ta.broader & tb.broader:
                value = SIBLING
            elif {c[:3] for c in ta.dac_codes} & {c[:3] for c in tb.dac_codes}:
                value = SAME_DAC_SECTOR
        self._similarity[key] = value
        return value

    def best_similarity(self, theme_id: str, others: Iterable[str]) -> tuple[float, str | None]:
        best, which = 0.0, None
        for other in others:
            value = self.similarity(theme_id, other)
            if value > best:
                best, which = value, other
        return best, which

    def resolve(self, value: str) -> str | None:
        """A theme id from an id ("theme-water" or "water"), a name, an alias or a keyword."""
        text = value.strip()
        if text in self.themes:
            return text
        if f"theme-{text}" in self.themes:
            return f"theme-{text}"
        key = fold(text)
        if not key:
            return None
        for theme in self.themes.values():
            names = (theme.name, theme.name_en, *theme.aliases, *theme.keywords)
            if any(fold(n) == key for n in names):
                return theme.id
        return None

    def suggestions(self, value: str, limit: int = 5) -> list[str]:
        """Theme names that look like ``value`` (for "did you mean")."""
        choices = {t.id: f"{t.name} / {t.name_en}" for t in self.themes.values()}
        folded = {i: fold(c) for i, c in choices.items()}
        hits = process.extract(fold(value), folded, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
        return [f"{choices[key]} ({key})" for _, _, key in hits]


def build_taxonomy(rows: Iterable[dict], hierarchy: Iterable[dict]) -> Taxonomy:
    broader: dict[str, set[str]] = defaultdict(set)
    for row in hierarchy:
        broader[row["theme"]].add(row["broader"])
    themes: dict[str, Theme] = {}
    for row in rows:
        themes[row["id"]] = Theme(
            id=row["id"], name=row["name"] or row["id"], name_en=row["name_en"] or row["name"] or row["id"],
            keywords=tuple(row.get("keywords") or ()), aliases=tuple(row.get("aliases") or ()),
            dac_codes=tuple(row.get("dac_codes") or ()), broader=frozenset(broader.get(row["id"], ())))
    taxonomy = Taxonomy(themes)
    for theme in themes.values():
        # names and curated keywords only: some aliases are too short to recognise safely
        # ("giới" is also in "thế giới", "bão" folds to "bao" as in "bảo vệ")
        for phrase in (theme.name, theme.name_en, *theme.keywords):
            taxonomy.index.add(phrase, theme.id)
    return taxonomy


def taxonomy(store: GraphStore) -> Taxonomy:
    return cached(store, "theme_taxonomy",
                  lambda: build_taxonomy(store.read("theme_table"), store.read("theme_hierarchy")))


def infer_themes(tax: Taxonomy, text: str, limit: int = MAX_INFERRED) -> list[ThemeMatch]:
    """Themes named in ``text``, best first. A longer phrase weighs more than a single word; a
    theme whose weight is below 30% of the best is left out."""
    scores: dict[str, float] = defaultdict(float)
    evidence: dict[str, list[str]] = defaultdict(list)
    for match in tax.index.find(text or ""):
        words = match.end - match.start
        for owner in match.owners:
            scores[str(owner)] += 1.0 + 0.5 * (words - 1)
            if match.phrase not in evidence[str(owner)]:
                evidence[str(owner)].append(match.phrase)
    if not scores:
        return []
    top = max(scores.values())
    ranked = sorted(scores, key=lambda t: (-scores[t], t))
    return [ThemeMatch(t, round(scores[t] / top, 3), tuple(evidence[t])) for t in ranked
            if scores[t] / top >= MIN_RELATIVE_WEIGHT][:limit]
