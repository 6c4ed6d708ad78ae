"""Values shown in the chosen language: property values that the data holds in one language only.

Two sources, in this order: the graph itself (a value that names a theme, a place or a country is
shown with that entity's name in the chosen language — ``"climate change"`` → ``"Biến đổi khí hậu"``,
``"Hà Lan"`` → ``"Netherlands"``), then a small fixed vocabulary of the words the data uses for
kinds of organisation, instruments and statuses. A value found in neither is shown as it is.
"""

from __future__ import annotations

from typing import Any

from graph.schema import NodeKind
from graph.text import fold

WORDS: dict[str, tuple[str, str]] = {
    # kinds of organisation (donor profiles' "sector")
    "international ngo": ("tổ chức phi chính phủ quốc tế", "international NGO"),
    "bilateral agency": ("cơ quan hợp tác song phương", "bilateral agency"),
    "foundation": ("quỹ", "foundation"),
    "un agency": ("cơ quan Liên hợp quốc", "UN agency"),
    "regional network": ("mạng lưới khu vực", "regional network"),
    "political foundation": ("quỹ chính trị", "political foundation"),
    "multilateral fund": ("quỹ đa phương", "multilateral fund"),
    "church-based ngo": ("tổ chức phi chính phủ của nhà thờ", "church-based NGO"),
    "international research centre": ("trung tâm nghiên cứu quốc tế", "international research centre"),
    "university": ("trường đại học", "university"),
    "research institute": ("viện nghiên cứu", "research institute"),
    "multilateral bank": ("ngân hàng đa phương", "multilateral bank"),
    "research ngo": ("tổ chức phi chính phủ nghiên cứu", "research NGO"),
    "multilateral (eu)": ("đa phương (EU)", "multilateral (EU)"),
    "international membership organisation": ("tổ chức hội viên quốc tế", "international membership organisation"),
    "intergovernmental organisation": ("tổ chức liên chính phủ", "intergovernmental organisation"),
    "government research funder": ("cơ quan nhà nước tài trợ nghiên cứu", "government research funder"),
    "government research agency": ("cơ quan nghiên cứu nhà nước", "government research agency"),
    "cultural institute": ("viện văn hóa", "cultural institute"),
    "company": ("doanh nghiệp", "company"),
    "to chuc phi chinh phu": ("tổ chức phi chính phủ", "non-governmental organisation"),
    # instruments
    "ngo aid": ("viện trợ phi chính phủ", "NGO aid"),
    "grant": ("viện trợ không hoàn lại", "grant"),
    "oda": ("ODA", "ODA"),
    "technical cooperation": ("hợp tác kỹ thuật", "technical cooperation"),
    "loan": ("vốn vay", "loan"),
    # places and groupings that are not entities
    "da phuong": ("Đa phương", "Multilateral"),
    "toan quoc": ("toàn quốc", "nationwide"),
    "mien bac": ("Miền Bắc", "Northern Vietnam"),
    "mien trung": ("Miền Trung", "Central Vietnam"),
    "mien nam": ("Miền Nam", "Southern Vietnam"),
    # statuses (ingestion runs, agreements, projects)
    "committed": ("đã ghi", "committed"),
    "failed": ("thất bại", "failed"),
    "running": ("đang chạy", "running"),
    "rolled back": ("đã hoàn tác", "rolled back"),
    "undone": ("đã hoàn tác", "undone"),
    "active": ("đang thực hiện", "active"),
    "completed": ("đã hoàn thành", "completed"),
    "planned": ("dự kiến", "planned"),
    "ongoing": ("đang thực hiện", "ongoing"),
    # people
    "male": ("nam", "male"), "female": ("nữ", "female"),
}
# Kinds whose names can stand for a property value.
VALUE_KINDS = frozenset({NodeKind.THEME, NodeKind.PLACE, NodeKind.PROVINCE})


def _names(graph: Any) -> dict[str, tuple[str, str]]:
    from queries.projection import cached, projection

    def build() -> dict[str, tuple[str, str]]:
        out: dict[str, tuple[str, str]] = {}
        for row in projection(graph).entities.values():
            if not VALUE_KINDS.intersection(row.kinds):
                continue
            pair = (row.name, row.name_en or row.name)
            for name in (row.name, row.name_en, *row.aliases):
                if name:
                    out.setdefault(fold(name), pair)
        return out

    return cached(graph, "ui_value_names", build)


def value_text(value: Any, language: str, graph: Any = None) -> str:
    """One value in the chosen language (lists joined with commas)."""
    if isinstance(value, list):
        return ", ".join(value_text(v, language, graph) for v in value)
    if not isinstance(value, str):
        return str(value)
    key = fold(value)
    pair = WORDS.get(key) or WORDS.get(value.strip().lower())
    if pair is None and graph is not None:
        pair = _names(graph).get(key)
    if pair is None:
        return value
    return pair[0] if language == "vi" else pair[1]
