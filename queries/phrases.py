"""Finding known phrases (theme keywords, place names) in free text, in Vietnamese with or
without diacritics and in English.

Text and phrases are compared folded (:func:`graph.text.fold`: no diacritics, lower case,
punctuation as spaces), word by word, longest phrase first: in "biến đổi khí hậu" the whole
phrase is found once, not also its part "khí hậu". A phrase registered with no owner *blocks*
the words it covers ("Thái Bình Dương", the Pacific, is not the province Thái Bình).

>>> index = PhraseIndex()
>>> index.add("biến đổi khí hậu", "theme-climate-change")
>>> index.add("khí hậu", "theme-climate")
>>> [(m.phrase, sorted(m.owners)) for m in index.find("Thich ung bien doi khi hau")]
[('bien doi khi hau', ['theme-climate-change'])]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Hashable

from graph.text import fold


@dataclass(frozen=True)
class PhraseMatch:
    phrase: str                  # the folded phrase found
    owners: frozenset[Hashable]  # what it names (theme ids, places…)
    start: int                   # word positions in the folded text
    end: int


@dataclass
class PhraseIndex:
    _owners: dict[tuple[str, ...], set[Hashable]] = field(default_factory=lambda: defaultdict(set))
    _longest: int = 0

    def add(self, phrase: str, owner: Hashable | None) -> None:
        words = tuple(fold(phrase).split())
        if not words:
            return
        owners = self._owners[words]
        if owner is not None:
            owners.add(owner)
        self._longest = max(self._longest, len(words))

    def __contains__(self, phrase: str) -> bool:
        return tuple(fold(phrase).split()) in self._owners

    def owners(self, phrase: str) -> set[Hashable]:
        return set(self._owners.get(tuple(fold(phrase).split()), ()))

    def phrases(self) -> list[str]:
        return [" ".join(words) for words in self._owners]

    def find(self, text: str) -> list[PhraseMatch]:
        words = fold(text).split()
        found: list[PhraseMatch] = []
        position = 0
        while position < len(words):
            for length in range(min(self._longest, len(words) - position), 0, -1):
                key = tuple(words[position:position + length])
                if key in self._owners:
                    owners = self._owners[key]
                    if owners:
                        found.append(PhraseMatch(" ".join(key), frozenset(owners), position, position + length))
                    position += length
                    break
            else:
                position += 1
        return found
