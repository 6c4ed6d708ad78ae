"""Kept for old imports: the Vietnamese text functions live in :mod:`graph.text`."""

from graph.text import (
    TONE_MARKS,
    Token,
    clean_line,
    fold_name,
    fold_with_offsets,
    normalise_tone_placement,
    tidy,
    tokenize,
)

__all__ = ["TONE_MARKS", "Token", "clean_line", "fold_name", "fold_with_offsets", "normalise_tone_placement", "tidy",
           "tokenize"]
