"""Personal data: contact details of people leave the store only with their consent, and a
person whose ``visibility`` is ``private`` is counted but never named.

Every path that shows or exports an entity's properties (the CLI, the app, CSV/Excel
downloads, the default export) passes them through :func:`redact`. Only a full backup
(``python -m graph export --full``, an administrator's file) keeps them, so that a restore is
exact.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, Mapping

# Properties that reach a person directly (declared ``contact`` in the schema). Never shown,
# exported or logged without consent.
from graph.schema import CONTACT_PROPERTIES
REDACTED = "[ẩn — chưa có đồng ý / hidden — no consent]"


PRIVATE = "private"  # visibility of a person who may be counted but never named
INTERNAL = "internal"  # named to signed-in staff only; anonymous like a private person for everyone else

# Who is looking: the app sets this for each page run from the signed-in account (ui/app.py); the
# command line is the operator on the server, so staff by default.
_STAFF: ContextVar[bool] = ContextVar("vusta_staff_audience", default=True)


def set_staff_audience(staff: bool) -> None:
    """Whether the current reader is signed-in staff (for this thread / script run)."""
    _STAFF.set(bool(staff))


def staff_audience() -> bool:
    return _STAFF.get()


def is_anonymous(visibility: Any) -> bool:
    """A person shown without a name to the current reader: private always, internal unless staff."""
    return visibility == PRIVATE or (visibility == INTERNAL and not staff_audience())


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
