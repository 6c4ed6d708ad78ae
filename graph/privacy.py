"""Personal data: contact details of people leave the store only with their consent, and a
person whose ``visibility`` is ``private`` is counted but never named.

Every path that shows or exports an entity's properties (the CLI, the app, CSV/Excel
downloads, the default export) passes them through :func:`redact`. Only a full backup
(``python -m graph export --full``, an administrator's file) keeps them, so that a restore is
exact.
"""

from __future__ import annotations

from typing import Any, Mapping

# Properties that reach a person directly (declared ``contact`` in the schema). Never shown,
# exported or logged without consent.
from graph.schema import CONTACT_PROPERTIES
REDACTED = "[ẩn — chưa có đồng ý / hidden — no consent]"


PRIVATE = "private"  # visibility of a person who may be counted but never named


def masked_name(entity_id: str) -> str:
    return f"Chuyên gia ẩn danh / anonymous expert ({entity_id})"


def has_consent(props: Mapping[str, Any]) -> bool:
    return props.get("consent") is True


def redact(props: Mapping[str, Any]) -> dict[str, Any]:
    """The properties without contact details, unless the person consented.

    >>> redact({"name": "A", "email": "a@example.org"})
    {'name': 'A'}
    >>> redact({"name": "A", "email": "a@example.org", "consent": True})["email"]
    'a@example.org'
    """
    if has_consent(props):
        return dict(props)
    return {k: v for k, v in props.items() if k not in CONTACT_PROPERTIES}


def contact_values(props: Mapping[str, Any]) -> list[str]:
    """The contact values of an entity (for tests and log scrubbing)."""
    return [str(props[k]) for k in CONTACT_PROPERTIES if props.get(k)]
