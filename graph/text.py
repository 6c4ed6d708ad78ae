"""Vietnamese-aware text normalisation shared by the loader and the search.

Vietnamese can be written with precomposed (NFC) or decomposed (NFD) tone marks, and users
often type without diacritics at all. ``fold`` maps all of these to one comparable key:

>>> fold("Liên hiệp Hội Việt Nam")
'lien hiep hoi viet nam'
>>> fold("Dương Thị Nga") == fold("duong thi nga")
True
>>> fold("Đà Nẵng")
'da nang'
"""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w&]+", re.UNICODE)
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def normalise(text: str) -> str:
    """NFC, no control characters, single spaces, stripped: how names are stored."""
    text = unicodedata.normalize("NFC", text).translate(_CONTROL)
    return _WHITESPACE.sub(" ", text).strip()


def strip_diacritics(text: str) -> str:
    """Remove tone and vowel marks; đ/Đ become d/D (they are letters, not marks)."""
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
    """Initials of the words of a name, folded: 'Liên hiệp Hội Việt Nam' -> 'lhhvn'."""
    return "".join(word[0] for word in tokens(text) if word[0].isalnum())


def slug(text: str) -> str:
    """An ascii identifier from a name: 'Hội Luật gia' -> 'hoi-luat-gia'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"
