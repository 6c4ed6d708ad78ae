"""Errors from the read and write sides, shown in the user's language: an error that carries both
languages (:class:`graph.i18n.BilingualError`, e.g. :class:`queries.profile.NotFound`) in the
chosen one; others as they are."""

from __future__ import annotations

from graph.i18n import BilingualError
from ui.i18n import language


def error_message(error: BaseException) -> str:
    if isinstance(error, BilingualError):
        return error.text(language())
    return str(error)
