"""Vietnamese text as documents write it: Unicode forms, two tone placements, stray spaces.

``clean_line`` makes one comparable form without changing a line's length after NFC, so
character offsets found in the cleaned text are offsets in the NFC form of the original line:

* NFC (precomposed letters) — NFD input (e.g. from macOS files) becomes NFC;
* tone placement — the same syllable is written "hoà"/"hòa", "thuỷ"/"thủy", "khoẻ"/"khỏe";
  open syllables ending in *oa*, *oe*, *uy* get the mark on the first vowel ("hòa", "thủy",
  "khỏe", the form used in ``data/``); "qu" + y ("quý") and closed syllables ("hoàng",
  "thuyết") are written one way only and are left alone;
* whitespace — tabs, no-break and other Unicode spaces become plain spaces; control characters
  become spaces.

>>> clean_line("Uỷ ban Nhà nước về hoà bình và sức khoẻ")
'Ủy ban Nhà nước về hòa bình và sức khỏe'
>>> fold_with_offsets("Liên hiệp Hội (LHHVN)")[0]
['lien', 'hiep', 'hoi', 'lhhvn']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u000b\u000c\u0085]")
_CONTROL = re.compile(r"[\u0000-\u0008\u000e-\u001f\u007f\u200b-\u200d\ufeff]")
_WORD = re.compile(r"\w+", re.UNICODE)
# Open syllables whose tone mark is written in two places: (initial consonants)(o|u)(a|e|y).
_OPEN_DIPHTHONG = re.compile(r"^(?P<onset>[^aeiouyiăâêôơư]*)(?P<first>[ou])(?P<second>[aey])$")


def _split_tone(char: str) -> tuple[str, str]:
    """A letter without its tone mark, and the mark ('' when none)."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = "".join(c for c in decomposed if c in TONE_MARKS)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    return base, tone


def _with_tone(char: str, tone: str) -> str:
    return unicodedata.normalize("NFC", char + tone)


def _place_tone(word: str) -> str:
    if len(word) < 2 or len(word) > 7:
        return word
    parts = [_split_tone(c) for c in word]
    bases = "".join(b for b, _ in parts)
    match = _OPEN_DIPHTHONG.match(bases.lower())
    if not match or match["onset"].endswith("q") or (match["first"] == "u" and match["onset"].endswith("g")):
        return word
    first, second = len(match["onset"]), len(match["onset"]) + 1
    tone = parts[second][1]
    if not tone or parts[first][1]:
        return word
    out = [c for c in word]
    out[first] = _with_tone(parts[first][0], tone)
    out[second] = parts[second][0]
    return "".join(out)


def normalise_tone_placement(text: str) -> str:
    """'hoà' -> 'hòa', 'thuỷ' -> 'thủy', 'khoẻ' -> 'khỏe' (length unchanged in NFC)."""
    return _WORD.sub(lambda m: _place_tone(m.group(0)), text)


def clean_line(text: str) -> str:
    """NFC, one tone placement, plain spaces; same length as ``unicodedata.normalize('NFC', text)``."""
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text)
    text = _CONTROL.sub(" ", text).replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")  # Ð/ð (eth) -> Đ/đ
    return normalise_tone_placement(text)


def tidy(text: str) -> str:
    """A name as stored: cleaned, single spaces, trimmed."""
    return re.sub(r"\s+", " ", clean_line(text)).strip()


def _fold_char(char: str) -> str:
    if char in "đĐðÐ":
        return "d"
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").casefold()


@dataclass(frozen=True)
class Token:
    """A folded word and where it is in the (cleaned) text."""

    text: str          # folded: no diacritics, lower case
    start: int
    end: int
    raw: str           # as written

    @property
    def low(self) -> str:
        """Lower case with diacritics: how the pattern vocabulary is written."""
        return self.raw.lower()

    @property
    def capitalised(self) -> bool:
        return self.raw[:1].isupper()

    @property
    def upper(self) -> bool:
        letters = [c for c in self.raw if c.isalpha()]
        return len(letters) >= 2 and sum(1 for c in letters if c.isupper()) >= max(2, len(letters) - 1)


_TOKEN = re.compile(r"[\w]+(?:&[\w]+)*", re.UNICODE)


def tokenize(text: str) -> list[Token]:
    """Words (letters/digits, '&' inside acronyms like KH&KT) with their spans."""
    return [Token("".join(_fold_char(c) for c in m.group(0)), m.start(), m.end(), m.group(0))
            for m in _TOKEN.finditer(text)]


def fold_with_offsets(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    tokens = tokenize(text)
    return [t.text for t in tokens], [(t.start, t.end) for t in tokens]


def fold_name(text: str) -> str:
    """The comparison key of a name (like :func:`graph.text.fold`, '&' kept inside words)."""
    return " ".join(t.text for t in tokenize(clean_line(text)))
