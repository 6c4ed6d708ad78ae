"""The three roles and what each may do; a higher role includes the lower ones."""

from __future__ import annotations

from enum import StrEnum
from typing import Iterable


class Role(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMINISTRATOR = "administrator"


ROLES: tuple[Role, ...] = (Role.VIEWER, Role.EDITOR, Role.ADMINISTRATOR)

ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.VIEWER: ("Người xem", "Viewer"),
    Role.EDITOR: ("Biên tập viên", "Editor"),
    Role.ADMINISTRATOR: ("Quản trị viên", "Administrator"),
}

ROLE_RIGHTS: dict[Role, tuple[str, str]] = {
    Role.VIEWER: ("Xem mọi trang, kể cả những người có chế độ hiển thị nội bộ (internal).",
                  "Reads every page, including people whose visibility is internal."),
    Role.EDITOR: ("Như người xem, và: duyệt tài liệu, thêm/sửa/xóa thực thể và quan hệ, gộp trùng lặp, "
                  "xem và hoàn tác lịch sử.",
                  "As a viewer, plus: review documents, add/edit/delete entities and relationships, merge "
                  "duplicates, see and undo history."),
    Role.ADMINISTRATOR: ("Như biên tập viên, và: nạp tệp, xóa một người theo yêu cầu, gỡ dữ liệu mẫu, "
                         "sao lưu, quản lý tài khoản.",
                         "As an editor, plus: file imports, deleting a person on request, removing sample "
                         "data, backups, accounts."),
}


def highest(roles: Iterable[str] | None) -> Role | None:
    """The highest known role among ``roles`` (unknown names are ignored)."""
    known = [Role(r) for r in (roles or []) if r in Role._value2member_map_]
    return max(known, key=ROLES.index) if known else None


def has_role(roles: Iterable[str] | None, needed: Role | str) -> bool:
    """True when one of ``roles`` is ``needed`` or above it.

    >>> has_role(["editor"], "viewer"), has_role(["editor"], "administrator"), has_role(None, "viewer")
    (True, False, False)
    """
    top = highest(roles)
    return top is not None and ROLES.index(top) >= ROLES.index(Role(needed))
