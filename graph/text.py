"""Vietnamese text: the one module for normalising, folding, tone placement, tokens with
offsets, sentences and acronyms, used by ingest/, queries/, bench/ and the app.

Vietnamese can be written with precomposed (NFC) or decomposed (NFD) tone marks, with the tone
of "hoà"/"hòa" in two places, and users often type without diacritics at all. ``fold`` maps all
of these to one comparable key:

>>> fold("Liên hiệp Hội Việt Nam")
'lien hiep hoi viet nam'
>>> fold("Dương Thị Nga") == fold("duong thi nga")
True
>>> fold("Đà Nẵng")
'da nang'

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
from typing import Iterable, Iterator

_WHITESPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w&]+", re.UNICODE)
_CONTROL_CHARS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def normalise(text: str) -> str:
    """NFC, no control characters, single spaces, stripped: how names are stored."""
    text = unicodedata.normalize("NFC", text).translate(_CONTROL_CHARS)
    return _WHITESPACE.sub(" ", text).strip()


def strip_diacritics(text: str) -> str:
    """Remove tone and vowel marks; đ/Đ become d/D (they are letters, not marks).

    >>> strip_diacritics("Đà Nẵng")
    'Da Nang'
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def fold(text: str) -> str:
    """The comparison key of a name: no diacritics, lower case, punctuation as spaces."""
    text = strip_diacritics(normalise(text)).casefold()
    return _WHITESPACE.sub(" ", _NON_WORD.sub(" ", text)).strip()


def tokens(text: str) -> list[str]:
    """The folded words of a text."""
    return fold(text).split()


def acronym(text: str) -> str:
    """Initials of the words of a name, folded.

    >>> acronym("Liên hiệp Hội Việt Nam")
    'lhhvn'
    """
    return "".join(word[0] for word in tokens(text) if word[0].isalnum())


def slug(text: str) -> str:
    """An ascii identifier from a name.

    >>> slug("Hội Luật gia")
    'hoi-luat-gia'
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


# ---------------------------------------------------------------------------------------
# Documents as written: tone placement, tokens with offsets

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
    """The comparison key of a name as documents write it (like :func:`fold`, tones placed one
    way, '&' kept only inside words).

    >>> fold_name("Liên hiệp các Hội KH&KT Việt Nam"), fold_name("a & b")
    ('lien hiep cac hoi kh&kt viet nam', 'a b')
    """
    return " ".join(t.text for t in tokenize(clean_line(text)))


def is_subsequence(short: str, long: str) -> bool:
    """Whether the letters of ``short`` appear in ``long`` in order.

    >>> is_subsequence("vn", "viet nam"), is_subsequence("nv", "vn")
    (True, False)
    """
    letters = iter(long)
    return all(letter in letters for letter in short)


def best_acronym(aliases: Iterable[str], name: str) -> str | None:
    """The acronym among the aliases that belongs to ``name`` (its letters are initials of the name's
    words, in order), else the shortest acronym, else None.

    >>> best_acronym(["LHHVN", "VUSTA"], "Vietnam Union of Science and Technology Associations")
    'VUSTA'
    >>> best_acronym(["VUSTA", "LHHVN"], "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam")
    'LHHVN'
    """
    acronyms = [a for a in aliases if a.isupper() and 2 <= len(a) <= 12 and " " not in a]
    if not acronyms:
        return None
    initials = "".join(word[0] for word in fold(name).split())
    matching = [a for a in acronyms if is_subsequence(fold(a).replace(" ", ""), initials)]
    return min(matching or acronyms, key=len)


# ---------------------------------------------------------------------------------------
# Sentences

# Words after which a full stop does not end a sentence (titles, abbreviations).
ABBREVIATIONS = {"ts", "pgs", "gs", "ths", "ks", "bs", "ls", "tp", "tt", "v.v", "vv", "st", "nxb", "ông", "bà", "mr",
                 "ms", "dr", "no", "tr", "q", "p"}
_BOUNDARY = re.compile(r"[.!?…]+[\"”’)]*\s+|\s*\n")


def sentence_spans(line: str) -> Iterator[tuple[int, int]]:
    """Start and end offsets of the sentences of one line (paragraph); a full stop after a
    title ("PGS.TS", "TS.") or an initial does not end one, nor does one followed by lower case.

    >>> line = "PGS.TS. Phạm Ngọc Linh phát biểu. Hội thảo kết thúc."
    >>> [line[a:b] for a, b in sentence_spans(line)]
    ['PGS.TS. Phạm Ngọc Linh phát biểu.', 'Hội thảo kết thúc.']
    """
    start = 0
    for match in _BOUNDARY.finditer(line):
        before = line[start:match.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        tail = last.split(".")[-1] if "." in last else last
        following = line[match.end():match.end() + 1]
        if match.group(0).strip() and (last in ABBREVIATIONS or tail in ABBREVIATIONS or len(tail) == 1
                                       and tail.isalpha()):
            continue
        if following and not (following.isupper() or following.isdigit() or following in "“\"(*-–•["):
            continue
        end = match.start() + len(match.group(0).rstrip())
        yield from _trimmed(line, start, end)
        start = match.end()
    yield from _trimmed(line, start, len(line))


def _trimmed(line: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    if end - start >= 2:
        yield start, end


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph, as written.

    >>> sentences("Hội được thành lập năm 1983. Ông Nguyễn Văn A làm chủ tịch.")
    ['Hội được thành lập năm 1983.', 'Ông Nguyễn Văn A làm chủ tịch.']
    """
    return [paragraph[a:b] for a, b in sentence_spans(paragraph)]


def number_text(value: float, language: str, digits: int = 0) -> str:
    """A number as a reader of the language writes it: ``1.234,5`` in Vietnamese, ``1,234.5`` in
    English; trailing zeros of the decimals dropped.

    >>> number_text(3000, "vi"), number_text(3000, "en"), number_text(9.5, "vi", 1), number_text(12.0, "en", 1)
    ('3.000', '3,000', '9,5', '12')
    """
    text = f"{value:,.{digits}f}"
    if digits:
        text = text.rstrip("0").rstrip(".")
    return text.translate(str.maketrans(",.", ".,")) if language == "vi" else text
