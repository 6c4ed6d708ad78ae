"""One convention for text in two languages, Vietnamese first, used by every layer.

* A text in both languages is a :class:`Bilingual` — the named pair ``(vi, en)``. Label tables are
  ``{"key": (vi, en)}`` (plain tuples are the same pair); in JSON a pair is ``{"vi": …, "en": …}``
  (:meth:`Bilingual.as_json`).
* An error a user may see is a :class:`BilingualError`: ``str()`` is the English text (logs, the
  command line), :meth:`BilingualError.text` the text in the chosen language (the app).

The app chooses the language (``ui/i18n.py``); everything below it takes ``language`` as an argument.
"""

from __future__ import annotations

from typing import NamedTuple

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
