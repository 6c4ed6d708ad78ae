"""Where the tests find the source documents: the product's own setting (``VUSTA_DOCUMENTS_DIR``,
default ``../shared/seeds`` next to the project, see graph/settings.py), never a path built here."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.settings import Settings


def documents_dir() -> Path | None:
    """The documents folder the product would use, or None when that folder does not exist."""
    folder = Settings.from_env().documents_dir
    return folder.resolve() if folder is not None and folder.is_dir() else None


SEEDS = documents_dir()
NO_DOCUMENTS = ("the source documents folder is missing: set VUSTA_DOCUMENTS_DIR to the folder holding the "
                "seed documents (default ../shared/seeds next to the project)")
# For the tests that read the source documents; everything else runs without them.
requires_documents = pytest.mark.skipif(SEEDS is None, reason=NO_DOCUMENTS)
