"""One convention for text in two languages, Vietnamese first, used by every layer.

* A text in both languages is a :class:`Bilingual` — the named pair ``(vi, en)``. Label tables are
  ``{"key": Bilingual(vi, en)}`` or plain ``(vi, en)`` tuples (the same pair); in JSON a pair is
  ``{"vi": …, "en": …}`` (:meth:`Bilingual.as_json`). :func:`pick` reads any of these.
* An error a user may see is a :class:`BilingualError`: ``str()`` is the English text (logs, the
  command line), :meth:`BilingualError.text` the text in the chosen language (the app).

The app chooses the language (``ui/i18n.py``); everything below it takes ``language`` as an argument.
"""

from __future__ import annotations

from typing import Mapping, NamedTuple, Union

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


class Bilingual(NamedTuple):
    """A text in Vietnamese and English.

    >>> hello = Bilingual("Xin chào {name}", "Hello {name}")
    >>> hello.format(name="Lan").text("vi"), hello.text("en")
    ('Xin chào Lan', 'Hello {name}')
    >>> Bilingual("Có", "Yes").as_json()
    {'vi': 'Có', 'en': 'Yes'}
    """

    vi: str
    en: str

    def text(self, language: str) -> str:
        """The text in ``language`` (Vietnamese unless English is asked for)."""
        return self.en if language == "en" else self.vi

    def format(self, **values: object) -> "Bilingual":
        return Bilingual(self.vi.format(**values), self.en.format(**values))

    def as_json(self) -> dict[str, str]:
        return {"vi": self.vi, "en": self.en}


Text = Union[Bilingual, tuple[str, str], Mapping[str, str]]


def pick(text: Text, language: str) -> str:
    """The chosen language's side of a pair, a ``(vi, en)`` tuple or a ``{"vi", "en"}`` mapping.

    >>> pick(("Có", "Yes"), "en"), pick({"vi": "Có", "en": "Yes"}, "vi")
    ('Yes', 'Có')
    """
    if isinstance(text, Mapping):
        return str(text.get(language) or text.get("en") or text.get("vi") or "")
    return Bilingual(*text).text(language)


class BilingualError(Exception):
    """An error with its message in both languages: ``str()`` is English, :meth:`text` chooses.

    >>> error = BilingualError(vi="Không tìm thấy", en="Not found")
    >>> str(error), error.text("vi")
    ('Not found', 'Không tìm thấy')
    """

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.bilingual = Bilingual(vi, en)

    @property
    def vi(self) -> str:
        return self.bilingual.vi

    @property
    def en(self) -> str:
        return self.bilingual.en

    def text(self, language: str) -> str:
        return self.bilingual.text(language)
