"""One colour per group of kinds, for maps, legends and badges: at most ten groups, drawn from the
Okabe–Ito palette (safe for the common colour-vision deficiencies) plus two greys, so that, say, a
foreign partner and an international organisation read as one group and a donor as another.

The groups follow the schema's kinds (graph/schema.py); a kind missing here falls in "other".
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

from graph.schema import NodeKind


class ColourGroup(NamedTuple):
    key: str
    label_vi: str
    label_en: str
    colour: str
    kinds: frozenset[str]


def _kinds(*kinds: NodeKind) -> frozenset[str]:
    return frozenset(k.value for k in kinds)


GROUPS: tuple[ColourGroup, ...] = (
    ColourGroup("vusta", "Hệ thống Liên hiệp hội", "VUSTA system", "#D55E00",
                _kinds(NodeKind.UNION, NodeKind.DEPARTMENT, NodeKind.MEMBER_ASSOCIATION, NodeKind.PROVINCIAL_UNION,
                       NodeKind.AFFILIATED_ORGANISATION)),
    ColourGroup("donors", "Nhà tài trợ", "Donors", "#009E73", _kinds(NodeKind.DONOR)),
    ColourGroup("international", "Tổ chức, đối tác quốc tế", "International partners", "#0072B2",
                _kinds(NodeKind.INTERNATIONAL_ORGANISATION, NodeKind.FOREIGN_PARTNER, NodeKind.NETWORK,
                       NodeKind.FORUM)),
    ColourGroup("government", "Cơ quan Nhà nước, Đảng", "State and Party bodies", "#CC79A7",
                _kinds(NodeKind.GOVERNMENT_BODY, NodeKind.PARTY_BODY)),
    ColourGroup("companies", "Doanh nghiệp", "Companies", "#56B4E9", _kinds(NodeKind.COMPANY)),
    ColourGroup("people", "Cá nhân", "People", "#E69F00", _kinds(NodeKind.PERSON)),
    ColourGroup("activities", "Sự kiện, thỏa thuận, dự án", "Events, agreements, projects", "#F0E442",
                _kinds(NodeKind.EVENT, NodeKind.AGREEMENT, NodeKind.PROGRAMME, NodeKind.PROJECT)),
    ColourGroup("themes", "Chủ đề", "Themes", "#882255", _kinds(NodeKind.THEME)),
    ColourGroup("places", "Địa điểm", "Places", "#BBBBBB", _kinds(NodeKind.PROVINCE, NodeKind.PLACE)),
    ColourGroup("writings", "Văn bản, tài liệu", "Documents", "#666666",
                _kinds(NodeKind.POLICY_DOCUMENT, NodeKind.PUBLICATION, NodeKind.DOCUMENT, NodeKind.FIGURE)),
)
OTHER = ColourGroup("other", "Khác", "Other", "#999999", frozenset())
_BY_KIND = {kind: group for group in GROUPS for kind in group.kinds}


def group_of(kinds: str | Iterable[str]) -> ColourGroup:
    """The colour group of a kind (or of the first known kind of a list)."""
    for kind in ([kinds] if isinstance(kinds, str) else list(kinds)):
        if kind in _BY_KIND:
            return _BY_KIND[kind]
    return OTHER


def colour_of(kinds: str | Iterable[str]) -> str:
    return group_of(kinds).colour


def group_label(group: ColourGroup, language: str = "vi") -> str:
    return group.label_vi if language == "vi" else group.label_en
