"""What can be wrong with an IATI file, said in Vietnamese and English, with file, line,
activity (its iati-identifier) and field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.curated import InvalidInput, Problem

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class IatiProblem(Problem):
    """A problem (``severity`` error) or a warning, with its message in both languages."""

    message_vi: str = ""
    severity: str = ERROR

    def text(self, language: str = "en") -> str:
        vi = language == "vi"
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.record:
            parts.append(("hoạt động " if vi else "activity ") + self.record)
        if self.field:
            parts.append(("trường '" if vi else "field '") + self.field + "'")
        message = self.message_vi if vi and self.message_vi else self.message
        return ", ".join(parts) + ": " + message

    def __str__(self) -> str:
        return self.text("en")

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def problem(file: str, en: str, vi: str, *, line: int | None = None, activity: str | None = None,
            field: str | None = None, severity: str = ERROR) -> IatiProblem:
    return IatiProblem(file=file, message=en, line=line, record=activity, field=field, message_vi=vi,
                       severity=severity)


def warning(file: str, en: str, vi: str, **where: Any) -> IatiProblem:
    return problem(file, en, vi, severity=WARNING, **where)


class InvalidIatiFile(InvalidInput):
    """Raised with every error found in the files; nothing has been written."""

    def __init__(self, problems: list[IatiProblem], warnings: list[IatiProblem] | None = None) -> None:
        super().__init__(list(problems))
        self.warnings = list(warnings or [])

    def text(self, language: str = "en") -> str:
        shown = "\n".join(f"  - {p.text(language)}" for p in self.problems[:50])  # type: ignore[attr-defined]
        more = len(self.problems) - 50
        if language == "vi":
            head = f"{len(self.problems)} lỗi trong tệp IATI; không ghi gì vào cơ sở dữ liệu"
            tail = f"\n  … và {more} lỗi nữa" if more > 0 else ""
            hint = ("\n(Dùng --valid-only để chỉ nạp các hoạt động hợp lệ.)")
        else:
            head = f"{len(self.problems)} error(s) in the IATI input; nothing was written"
            tail = f"\n  … and {more} more" if more > 0 else ""
            hint = "\n(Use --valid-only to load only the valid activities.)"
        return f"{head}:\n{shown}{tail}{hint}"
