"""Errors from the read and write sides, shown in the user's language.

Exceptions that carry their message in Vietnamese and English (``messages`` or a
``message(lang)`` method, e.g. :class:`queries.profile.NotFound`) are shown in the chosen
language; others as they are."""

from __future__ import annotations

from ui.i18n import language


def error_message(error: BaseException) -> str:
    lang = language()
    message = getattr(error, "message", None)
    if callable(message):
        return str(message(lang))
    messages = getattr(error, "messages", None)
    if isinstance(messages, dict) and messages:
        return str(messages.get(lang) or next(iter(messages.values())))
    return str(error)
