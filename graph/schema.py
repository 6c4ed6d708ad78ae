"""The graph's schema: the single source of truth for node kinds, relationship types and
their properties.

Everything else is derived from the declarations here: the pydantic models that validate
records, the labels, relationship types, constraints and indexes rendered into Cypher
(:mod:`graph.cypher`), the vocabulary given to the Cypher linter, and the kind names and
colours the app shows. Modelled on followthemoney: one declarative schema, many uses.

Every entity node carries the label ``Entity`` plus one label per kind, so one organisation
can be both a ``ForeignPartner`` and a ``Donor``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, Iterable, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from pathlib import Path

from graph.limits import MAX_INTEGER, MAX_VALUE_BYTES, MIN_INTEGER, mib
from graph.text import fold, normalise, strip_diacritics

ENTITY_LABEL = "Entity"
INGEST_RUN_LABEL = "IngestRun"


class NodeKind(StrEnum):
    UNION = "Union"
    DEPARTMENT = "Department"
    MEMBER_ASSOCIATION = "MemberAssociation"
    PROVINCIAL_UNION = "ProvincialUnion"
    AFFILIATED_ORGANISATION = "AffiliatedOrganisation"
    DONOR = "Donor"
    INTERNATIONAL_ORGANISATION = "InternationalOrganisation"
    FOREIGN_PARTNER = "ForeignPartner"
    NETWORK = "Network"
    FORUM = "Forum"
    GOVERNMENT_BODY = "GovernmentBody"
    PARTY_BODY = "PartyBody"
    PROVINCE = "Province"
    COMPANY = "Company"
    PERSON = "Person"
    EVENT = "Event"
    AGREEMENT = "Agreement"
    PROGRAMME = "Programme"
    PROJECT = "Project"
    THEME = "Theme"
    PLACE = "Place"
    POLICY_DOCUMENT = "PolicyDocument"
    PUBLICATION = "Publication"
    DOCUMENT = "Document"
    FIGURE = "Figure"


class RelationshipType(StrEnum):
    MEMBER_OF = "MEMBER_OF"
    AFFILIATED_WITH = "AFFILIATED_WITH"
    PART_OF = "PART_OF"
    PARTNER_OF = "PARTNER_OF"
    FUNDS = "FUNDS"
    SUPPORTS = "SUPPORTS"
    PARTY_TO = "PARTY_TO"
    HOSTS = "HOSTS"
    ORGANISES = "ORGANISES"
    PARTICIPATES_IN = "PARTICIPATES_IN"
    HAS_CONSULTATIVE_STATUS = "HAS_CONSULTATIVE_STATUS"
    CHAIRS = "CHAIRS"
    HOLDS_POSITION = "HOLDS_POSITION"
    LOCATED_IN = "LOCATED_IN"
    FOCUSES_ON = "FOCUSES_ON"
    ISSUED = "ISSUED"
    IMPLEMENTS = "IMPLEMENTS"
    COOPERATES_WITH = "COOPERATES_WITH"
    ESTABLISHED = "ESTABLISHED"
    CONTRIBUTES_TO = "CONTRIBUTES_TO"
    ADVISES = "ADVISES"
    # Derived by the loader, never written in curated files:
    MENTIONED_IN = "MENTIONED_IN"
    DESCRIBES = "DESCRIBES"


DERIVED_RELATIONSHIP_TYPES = frozenset({RelationshipType.MENTIONED_IN, RelationshipType.DESCRIBES})

# The id of the home organisation, VUSTA itself (``data/seed/organisations.yaml``).
HOME_ID = "vusta"


class KindGroup(StrEnum):
    """Named sets of kinds that the code asks about (who belongs to VUSTA, who gives money…)."""

    VUSTA_SYSTEM = "vusta_system"      # the union, its departments, members, provincial unions, affiliates
    DONORS = "donors"                  # organisations that fund
    INTERNATIONAL = "international"    # organisations and networks abroad
    GOVERNMENT = "government"          # state and party bodies
    ORGANISATIONS = "organisations"    # every kind of organisation
    PEOPLE = "people"
    PLACES = "places"
    ACTIVITIES = "activities"          # events, agreements, programmes, projects
    WRITINGS = "writings"              # policy documents and publications named in the sources
    THEMES = "themes"
    SOURCES = "sources"                # source documents and the figures read from them
    ACTORS = "actors"                  # who can act: organisations, people, places (a country funds…)
    ENTITIES = "entities"              # everything but source documents and figures


_VUSTA_SYSTEM = frozenset({NodeKind.UNION, NodeKind.DEPARTMENT, NodeKind.MEMBER_ASSOCIATION,
                           NodeKind.PROVINCIAL_UNION, NodeKind.AFFILIATED_ORGANISATION})
_GOVERNMENT = frozenset({NodeKind.GOVERNMENT_BODY, NodeKind.PARTY_BODY})
_INTERNATIONAL = frozenset({NodeKind.INTERNATIONAL_ORGANISATION, NodeKind.FOREIGN_PARTNER, NodeKind.NETWORK,
                            NodeKind.FORUM})
_ORGANISATIONS = _VUSTA_SYSTEM | _GOVERNMENT | _INTERNATIONAL | {NodeKind.DONOR, NodeKind.COMPANY}
_PLACES = frozenset({NodeKind.PROVINCE, NodeKind.PLACE})
_SOURCES = frozenset({NodeKind.DOCUMENT, NodeKind.FIGURE})
KIND_GROUPS: dict[KindGroup, frozenset[NodeKind]] = {
    KindGroup.VUSTA_SYSTEM: _VUSTA_SYSTEM,
    KindGroup.DONORS: frozenset({NodeKind.DONOR}),
    KindGroup.INTERNATIONAL: _INTERNATIONAL,
    KindGroup.GOVERNMENT: _GOVERNMENT,
    KindGroup.ORGANISATIONS: _ORGANISATIONS,
    KindGroup.PEOPLE: frozenset({NodeKind.PERSON}),
    KindGroup.PLACES: _PLACES,
    KindGroup.ACTIVITIES: frozenset({NodeKind.EVENT, NodeKind.AGREEMENT, NodeKind.PROGRAMME, NodeKind.PROJECT}),
    KindGroup.WRITINGS: frozenset({NodeKind.POLICY_DOCUMENT, NodeKind.PUBLICATION}),
    KindGroup.THEMES: frozenset({NodeKind.THEME}),
    KindGroup.SOURCES: _SOURCES,
    KindGroup.ACTORS: _ORGANISATIONS | _PLACES | {NodeKind.PERSON},
    KindGroup.ENTITIES: frozenset(NodeKind) - _SOURCES,
}


def kinds_in(*groups: KindGroup) -> frozenset[NodeKind]:
    """The kinds of one or more groups.

    >>> sorted(kinds_in(KindGroup.GOVERNMENT))
    [<NodeKind.GOVERNMENT_BODY: 'GovernmentBody'>, <NodeKind.PARTY_BODY: 'PartyBody'>]
    """
    out: frozenset[NodeKind] = frozenset()
    for group in groups:
        out |= KIND_GROUPS[group]
    return out


def as_kind(value: object) -> NodeKind | None:
    """The kind a text names, or None (a label such as ``Entity`` or an unknown word).

    >>> as_kind("Donor"), as_kind("Entity")
    (<NodeKind.DONOR: 'Donor'>, None)
    """
    try:
        return NodeKind(value)
    except ValueError:
        return None


def as_relationship_type(value: object) -> RelationshipType | None:
    """The relationship type a text names, or None.

    >>> as_relationship_type("FUNDS"), as_relationship_type("LIKES")
    (<RelationshipType.FUNDS: 'FUNDS'>, None)
    """
    try:
        return RelationshipType(value)
    except ValueError:
        return None


def is_kind(value: object) -> bool:
    return as_kind(value) is not None


def is_relationship_type(value: object) -> bool:
    return as_relationship_type(value) is not None


def known_kinds(values: Iterable[object]) -> list[NodeKind]:
    """The known kinds among labels or texts, in order, unknown ones left out."""
    return [kind for kind in (as_kind(v) for v in values) if kind is not None]

# Property value types a kind may declare.
PropertyType = Literal["text", "integer", "number", "boolean", "date", "texts"]


@dataclass(frozen=True)
class KindSpec:
    """How a node kind is named, grouped, drawn and which properties it may have."""

    label_vi: str
    label_en: str
    group: str
    colour: str
    properties: dict[str, PropertyType] = field(default_factory=dict)


_ORGANISATION: dict[str, PropertyType] = {
    "country": "text",
    "city": "text",
    "abbreviation": "text",
    "founded": "integer",
    "website": "text",
    "sector": "text",
    "iati_org_ref": "text",      # IATI organisation identifier (e.g. XM-DAC-41114), set by the IATI import
    "iati_org_type": "text",     # IATI OrganisationType code
}

_DONOR: dict[str, PropertyType] = {
    **_ORGANISATION,
    "origin_country": "text",
    "focus_themes": "texts",
    "geographic_focus": "texts",
    "instruments": "texts",
    "typical_grant_min_usd": "number",
    "typical_grant_max_usd": "number",
    "profile_source": "text",
}

_PERSON: dict[str, PropertyType] = {
    "title": "text",
    "gender": "text",
    "country_of_residence": "text",
    "city_of_residence": "text",
    "institution": "text",
    "position": "text",
    "expertise": "texts",
    "degrees": "texts",
    "languages": "texts",
    "years_abroad": "integer",
    "overseas": "boolean",
    "consent": "boolean",
    "visibility": "text",
    "email": "text",
    "phone": "text",
}

_EVENT: dict[str, PropertyType] = {
    "date": "date",
    "end_date": "date",
    "year": "integer",
    "number": "integer",
    "format": "text",
    "event_type": "text",
}

_AGREEMENT: dict[str, PropertyType] = {
    "agreement_type": "text",
    "signed": "date",
    "period_start": "integer",
    "period_end": "integer",
    "reference": "text",
    "status": "text",
}

# What an IATI activity adds to a Project (ingest/iati/): its key, every language of its title and
# description (JSON text {lang: text}), dates, budgets, transactions and their USD values.
_IATI_ACTIVITY: dict[str, PropertyType] = {
    "iati_identifier": "text",
    "iati_titles": "text",
    "iati_descriptions": "text",
    "iati_last_updated": "text",
    "iati_status": "text",
    "iati_reporting_org": "text",
    "planned_start": "date",
    "actual_start": "date",
    "planned_end": "date",
    "actual_end": "date",
    "budget": "number",
    "budget_currency": "text",
    "budget_usd": "number",
    "commitments": "number",
    "disbursements": "number",
    "currency": "text",
    "commitments_usd": "number",
    "disbursements_usd": "number",
    "amount_basis": "text",
    "usd_rates": "text",
    "recipient_countries": "texts",
    "recipient_regions": "texts",
    "dac_sectors": "texts",
}

_PROJECT: dict[str, PropertyType] = {
    "year": "integer",
    "start_year": "integer",
    "end_year": "integer",
    "amount_usd": "number",
    "instrument": "text",
    "themes": "texts",
    "provinces": "texts",
    "region": "text",
    "status": "text",
    **_IATI_ACTIVITY,
}

_DOCUMENT: dict[str, PropertyType] = {
    "title": "text",
    "title_en": "text",
    "published": "date",
    "publisher": "text",
    "kind_of_text": "text",
    "url": "text",
    "retrieved": "date",
    "file": "text",
    "characters": "integer",
    "sha256": "text",
}

_FIGURE: dict[str, PropertyType] = {
    "metric": "text",
    "label": "text",
    "label_en": "text",
    "value": "number",
    "unit": "text",
    "year": "integer",
    "period": "text",
    "qualifier": "text",
    "subject": "text",
}

KINDS: dict[NodeKind, KindSpec] = {
    NodeKind.UNION: KindSpec("Liên hiệp hội", "Union", "organisation", "#b91c1c", _ORGANISATION),
    NodeKind.DEPARTMENT: KindSpec("Ban/đơn vị nội bộ", "Department", "organisation", "#ef4444", _ORGANISATION),
    NodeKind.MEMBER_ASSOCIATION: KindSpec(
        "Hội thành viên", "Member association", "organisation", "#f97316", _ORGANISATION
    ),
    NodeKind.PROVINCIAL_UNION: KindSpec(
        "Liên hiệp hội địa phương", "Provincial union", "organisation", "#fb923c", _ORGANISATION
    ),
    NodeKind.AFFILIATED_ORGANISATION: KindSpec(
        "Tổ chức trực thuộc", "Affiliated organisation", "organisation", "#f59e0b", _ORGANISATION
    ),
    NodeKind.DONOR: KindSpec("Nhà tài trợ", "Donor", "organisation", "#16a34a", _DONOR),
    NodeKind.INTERNATIONAL_ORGANISATION: KindSpec(
        "Tổ chức quốc tế", "International organisation", "organisation", "#0d9488", _DONOR
    ),
    NodeKind.FOREIGN_PARTNER: KindSpec("Đối tác nước ngoài", "Foreign partner", "organisation", "#0891b2", _DONOR),
    NodeKind.NETWORK: KindSpec("Mạng lưới/liên đoàn", "Network", "organisation", "#2563eb", _ORGANISATION),
    NodeKind.FORUM: KindSpec("Diễn đàn/cơ chế", "Forum", "organisation", "#4f46e5", _ORGANISATION),
    NodeKind.GOVERNMENT_BODY: KindSpec("Cơ quan nhà nước", "Government body", "government", "#7c3aed", _ORGANISATION),
    NodeKind.PARTY_BODY: KindSpec("Cơ quan Đảng", "Party body", "government", "#9333ea", _ORGANISATION),
    NodeKind.PROVINCE: KindSpec("Tỉnh/thành phố", "Province", "place", "#64748b", {"country": "text", "region": "text"}),
    NodeKind.COMPANY: KindSpec("Doanh nghiệp", "Company", "organisation", "#0f766e", _ORGANISATION),
    NodeKind.PERSON: KindSpec("Cá nhân", "Person", "person", "#db2777", _PERSON),
    NodeKind.EVENT: KindSpec("Sự kiện", "Event", "event", "#ca8a04", _EVENT),
    NodeKind.AGREEMENT: KindSpec("Thỏa thuận/chương trình", "Agreement", "agreement", "#65a30d", _AGREEMENT),
    NodeKind.PROGRAMME: KindSpec("Chương trình/sáng kiến", "Programme", "agreement", "#84cc16", {**_AGREEMENT, **_EVENT}),
    NodeKind.PROJECT: KindSpec("Dự án", "Project", "project", "#059669", _PROJECT),
    NodeKind.THEME: KindSpec("Chủ đề", "Theme", "theme", "#a855f7", {"dac_codes": "texts", "keywords": "texts"}),
    NodeKind.PLACE: KindSpec("Địa điểm", "Place", "place", "#94a3b8", {"country": "text", "region": "text", "place_type": "text"}),
    NodeKind.POLICY_DOCUMENT: KindSpec(
        "Văn bản chính sách", "Policy document", "document", "#78716c", {"reference": "text", "issued": "date", "year": "integer"}
    ),
    NodeKind.PUBLICATION: KindSpec("Báo cáo/ấn phẩm", "Publication", "document", "#a8a29e", {"year": "integer", "period": "text", "cycle": "text"}),
    NodeKind.DOCUMENT: KindSpec("Tài liệu nguồn", "Source document", "document", "#57534e", _DOCUMENT),
    NodeKind.FIGURE: KindSpec("Số liệu", "Figure", "figure", "#d6d3d1", _FIGURE),
}

# Properties every entity may carry whatever its kind.
COMMON_ENTITY_PROPERTIES: dict[str, PropertyType] = {"description": "text", "description_en": "text", "note": "text"}


@dataclass(frozen=True)
class RelationshipSpec:
    """How a relationship type reads in a sentence, in both languages, whether it reads the same
    both ways, and which kinds it may join (an endpoint qualifies when any of its kinds is allowed)."""

    verb_vi: str
    verb_en: str
    symmetric: bool = False
    sources: frozenset[NodeKind] = KIND_GROUPS[KindGroup.ENTITIES]
    targets: frozenset[NodeKind] = KIND_GROUPS[KindGroup.ENTITIES]


_ACTORS = KIND_GROUPS[KindGroup.ACTORS]
_ENTITIES = KIND_GROUPS[KindGroup.ENTITIES]
_ORGS = KIND_GROUPS[KindGroup.ORGANISATIONS]
_ACTIVITIES = KIND_GROUPS[KindGroup.ACTIVITIES]
_WRITINGS = KIND_GROUPS[KindGroup.WRITINGS]


RELATIONSHIPS: dict[RelationshipType, RelationshipSpec] = {
    RelationshipType.MEMBER_OF: RelationshipSpec("là thành viên của", "member of", sources=_ACTORS, targets=_ORGS),
    RelationshipType.AFFILIATED_WITH: RelationshipSpec("trực thuộc", "affiliated with", sources=_ACTORS,
                                                       targets=_ORGS),
    RelationshipType.PART_OF: RelationshipSpec("là một phần của", "part of"),
    RelationshipType.PARTNER_OF: RelationshipSpec("là đối tác của", "partner of", symmetric=True,
                                                  sources=_ACTORS, targets=_ACTORS),
    RelationshipType.FUNDS: RelationshipSpec("tài trợ cho", "funds", sources=_ACTORS),
    RelationshipType.SUPPORTS: RelationshipSpec("hỗ trợ", "supports", sources=_ACTORS),
    RelationshipType.PARTY_TO: RelationshipSpec("là bên ký kết", "party to", sources=_ACTORS,
                                                targets=_ACTIVITIES | _WRITINGS),
    RelationshipType.HOSTS: RelationshipSpec("đăng cai", "hosts", sources=_ACTORS),
    RelationshipType.ORGANISES: RelationshipSpec("tổ chức", "organises", sources=_ACTORS | _ACTIVITIES),
    RelationshipType.PARTICIPATES_IN: RelationshipSpec("tham gia", "participates in", sources=_ACTORS),
    RelationshipType.HAS_CONSULTATIVE_STATUS: RelationshipSpec(
        "có quy chế tư vấn tại", "has consultative status with", sources=_ACTORS, targets=_ORGS
    ),
    RelationshipType.CHAIRS: RelationshipSpec("làm chủ tịch", "chairs", sources=_ACTORS),
    RelationshipType.HOLDS_POSITION: RelationshipSpec("giữ chức vụ tại", "holds a position at",
                                                      sources=KIND_GROUPS[KindGroup.PEOPLE], targets=_ACTORS),
    RelationshipType.LOCATED_IN: RelationshipSpec("ở tại", "located in", targets=KIND_GROUPS[KindGroup.PLACES]),
    RelationshipType.FOCUSES_ON: RelationshipSpec("tập trung vào", "focuses on"),
    RelationshipType.ISSUED: RelationshipSpec("ban hành", "issued", sources=_ACTORS | _ACTIVITIES,
                                              targets=_ACTIVITIES | _WRITINGS),
    RelationshipType.IMPLEMENTS: RelationshipSpec("thực hiện", "implements"),
    RelationshipType.COOPERATES_WITH: RelationshipSpec("phối hợp với", "cooperates with", symmetric=True,
                                                       sources=_ACTORS, targets=_ACTORS),
    RelationshipType.ESTABLISHED: RelationshipSpec("thành lập", "established"),
    RelationshipType.CONTRIBUTES_TO: RelationshipSpec("đóng góp cho", "contributes to"),
    RelationshipType.ADVISES: RelationshipSpec("làm cố vấn cho", "advises", sources=_ACTORS),
    RelationshipType.MENTIONED_IN: RelationshipSpec("được nhắc đến trong", "mentioned in",
                                                    sources=frozenset(NodeKind), targets=frozenset({NodeKind.DOCUMENT})),
    RelationshipType.DESCRIBES: RelationshipSpec("mô tả", "describes", sources=frozenset({NodeKind.FIGURE}),
                                                 targets=frozenset(NodeKind)),
}
SYMMETRIC_RELATIONSHIP_TYPES = frozenset(t for t, spec in RELATIONSHIPS.items() if spec.symmetric)


def endpoint_problem(rel_type: RelationshipType | str, from_kinds: Iterable[object],
                     to_kinds: Iterable[object]) -> str | None:
    """Why the schema does not allow this relationship between entities of these kinds (in
    Vietnamese and English), or None when it does.

    >>> endpoint_problem(RelationshipType.FUNDS, ["Donor"], ["Project"]) is None
    True
    >>> print(endpoint_problem(RelationshipType.HOLDS_POSITION, ["Union"], ["Union"]))
    quan hệ HOLDS_POSITION không nối được từ Union / HOLDS_POSITION cannot start at Union (allowed: Person)
    """
    spec = RELATIONSHIPS[RelationshipType(rel_type)]
    for end, kinds, allowed in (("from", from_kinds, spec.sources), ("to", to_kinds, spec.targets)):
        known = known_kinds(kinds)
        if known and not any(k in allowed for k in known):
            names = ", ".join(known)
            allowed_names = ", ".join(sorted(allowed))
            if end == "from":
                return (f"quan hệ {rel_type} không nối được từ {names} / {rel_type} cannot start at {names} "
                        f"(allowed: {allowed_names})")
            return (f"quan hệ {rel_type} không nối được tới {names} / {rel_type} cannot end at {names} "
                    f"(allowed: {allowed_names})")
    return None


@dataclass(frozen=True)
class PropertySpec:
    """How an entity property is named in both languages, and whether it is about a person
    (``personal``) or reaches them directly (``contact``: shown or exported only with consent,
    see :mod:`graph.privacy`). Every property a kind declares above has one here
    (``tests/test_architecture.py`` checks it)."""

    label_vi: str
    label_en: str
    personal: bool = False
    contact: bool = False


PROPERTIES: dict[str, PropertySpec] = {
    "abbreviation": PropertySpec("Tên viết tắt", "Abbreviation"),
    "actual_end": PropertySpec("Ngày kết thúc thực tế", "Actual end"),
    "actual_start": PropertySpec("Ngày bắt đầu thực tế", "Actual start"),
    "agreement_type": PropertySpec("Loại thỏa thuận", "Agreement type"),
    "amount_basis": PropertySpec("Cơ sở tính kinh phí", "Amount basis"),
    "amount_usd": PropertySpec("Kinh phí (USD)", "Amount (USD)"),
    "budget": PropertySpec("Ngân sách", "Budget"),
    "budget_currency": PropertySpec("Đơn vị tiền của ngân sách", "Budget currency"),
    "budget_usd": PropertySpec("Ngân sách (USD)", "Budget (USD)"),
    "characters": PropertySpec("Số ký tự", "Characters"),
    "city": PropertySpec("Thành phố", "City"),
    "city_of_residence": PropertySpec("Thành phố cư trú", "City of residence", personal=True),
    "commitments": PropertySpec("Cam kết", "Commitments"),
    "commitments_usd": PropertySpec("Cam kết (USD)", "Commitments (USD)"),
    "consent": PropertySpec("Đồng ý chia sẻ thông tin", "Consent to share", personal=True),
    "country": PropertySpec("Quốc gia", "Country"),
    "country_of_residence": PropertySpec("Nước cư trú", "Country of residence", personal=True),
    "currency": PropertySpec("Đơn vị tiền", "Currency"),
    "cycle": PropertySpec("Chu kỳ", "Cycle"),
    "dac_codes": PropertySpec("Mã DAC", "DAC codes"),
    "dac_sectors": PropertySpec("Lĩnh vực DAC", "DAC sectors"),
    "date": PropertySpec("Ngày", "Date"),
    "degrees": PropertySpec("Bằng cấp", "Degrees", personal=True),
    "description": PropertySpec("Mô tả", "Description"),
    "description_en": PropertySpec("Mô tả (tiếng Anh)", "Description (English)"),
    "disbursements": PropertySpec("Giải ngân", "Disbursements"),
    "disbursements_usd": PropertySpec("Giải ngân (USD)", "Disbursements (USD)"),
    "email": PropertySpec("Thư điện tử", "Email", personal=True, contact=True),
    "end_date": PropertySpec("Ngày kết thúc", "End date"),
    "end_year": PropertySpec("Năm kết thúc", "End year"),
    "event_type": PropertySpec("Loại sự kiện", "Event type"),
    "expertise": PropertySpec("Chuyên môn", "Expertise"),
    "file": PropertySpec("Tệp", "File"),
    "focus_themes": PropertySpec("Chủ đề ưu tiên", "Focus themes"),
    "format": PropertySpec("Hình thức", "Format"),
    "founded": PropertySpec("Năm thành lập", "Founded"),
    "gender": PropertySpec("Giới tính", "Gender", personal=True),
    "geographic_focus": PropertySpec("Địa bàn ưu tiên", "Geographic focus"),
    "iati_descriptions": PropertySpec("Mô tả IATI", "IATI descriptions"),
    "iati_identifier": PropertySpec("Mã IATI", "IATI identifier"),
    "iati_last_updated": PropertySpec("Cập nhật IATI lần cuối", "IATI last updated"),
    "iati_org_ref": PropertySpec("Mã tổ chức IATI", "IATI organisation id"),
    "iati_org_type": PropertySpec("Loại tổ chức IATI", "IATI organisation type"),
    "iati_reporting_org": PropertySpec("Tổ chức báo cáo IATI", "IATI reporting organisation"),
    "iati_status": PropertySpec("Trạng thái IATI", "IATI status"),
    "iati_titles": PropertySpec("Tên IATI", "IATI titles"),
    "institution": PropertySpec("Cơ quan", "Institution"),
    "instrument": PropertySpec("Hình thức", "Instrument"),
    "instruments": PropertySpec("Hình thức hỗ trợ", "Instruments"),
    "issued": PropertySpec("Ngày ban hành", "Issued"),
    "keywords": PropertySpec("Từ khóa", "Keywords"),
    "kind_of_text": PropertySpec("Thể loại", "Kind of text"),
    "label": PropertySpec("Tên số liệu", "Label"),
    "label_en": PropertySpec("Tên số liệu (tiếng Anh)", "Label (English)"),
    "languages": PropertySpec("Ngoại ngữ", "Languages", personal=True),
    "metric": PropertySpec("Chỉ số", "Metric"),
    "note": PropertySpec("Ghi chú", "Note"),
    "number": PropertySpec("Số thứ tự", "Number"),
    "origin_country": PropertySpec("Nước xuất xứ", "Country of origin"),
    "overseas": PropertySpec("Ở nước ngoài", "Overseas", personal=True),
    "period": PropertySpec("Giai đoạn", "Period"),
    "period_end": PropertySpec("Đến năm", "Until"),
    "period_start": PropertySpec("Từ năm", "From"),
    "phone": PropertySpec("Điện thoại", "Phone", personal=True, contact=True),
    "place_type": PropertySpec("Loại địa điểm", "Place type"),
    "planned_end": PropertySpec("Ngày kết thúc dự kiến", "Planned end"),
    "planned_start": PropertySpec("Ngày bắt đầu dự kiến", "Planned start"),
    "position": PropertySpec("Chức vụ", "Position"),
    "profile_source": PropertySpec("Nguồn hồ sơ", "Profile source"),
    "provinces": PropertySpec("Tỉnh", "Provinces"),
    "published": PropertySpec("Ngày đăng", "Published"),
    "publisher": PropertySpec("Nơi đăng", "Publisher"),
    "qualifier": PropertySpec("Mức chính xác", "Qualifier"),
    "recipient_countries": PropertySpec("Nước nhận", "Recipient countries"),
    "recipient_regions": PropertySpec("Vùng nhận", "Recipient regions"),
    "reference": PropertySpec("Số hiệu", "Reference"),
    "region": PropertySpec("Vùng", "Region"),
    "retrieved": PropertySpec("Ngày truy cập", "Retrieved"),
    "sector": PropertySpec("Lĩnh vực", "Sector"),
    "sha256": PropertySpec("Mã SHA-256", "SHA-256"),
    "signed": PropertySpec("Ngày ký", "Signed"),
    "start_year": PropertySpec("Năm bắt đầu", "Start year"),
    "status": PropertySpec("Trạng thái", "Status"),
    "subject": PropertySpec("Về", "About"),
    "themes": PropertySpec("Chủ đề", "Themes"),
    "title": PropertySpec("Học hàm, học vị", "Title"),
    "title_en": PropertySpec("Tiêu đề (tiếng Anh)", "Title (English)"),
    "typical_grant_max_usd": PropertySpec("Mức tài trợ thường gặp, cao nhất (USD)", "Typical grant, highest (USD)"),
    "typical_grant_min_usd": PropertySpec("Mức tài trợ thường gặp, thấp nhất (USD)", "Typical grant, lowest (USD)"),
    "unit": PropertySpec("Đơn vị", "Unit"),
    "url": PropertySpec("Địa chỉ web", "Web address"),
    "usd_rates": PropertySpec("Tỷ giá USD", "USD rates"),
    "value": PropertySpec("Giá trị", "Value"),
    "visibility": PropertySpec("Chế độ hiển thị", "Visibility", personal=True),
    "website": PropertySpec("Trang web", "Website"),
    "year": PropertySpec("Năm", "Year"),
    "years_abroad": PropertySpec("Số năm ở nước ngoài", "Years abroad", personal=True),
}

CONTACT_PROPERTIES = tuple(name for name, spec in PROPERTIES.items() if spec.contact)
PERSONAL_PROPERTIES = tuple(name for name, spec in PROPERTIES.items() if spec.personal)

# How relationship properties read after a relationship ("vai trò: chủ tịch · từ: 2019").
RELATIONSHIP_PROPERTY_LABELS: dict[str, tuple[str, str]] = {
    "role": ("vai trò", "role"), "since": ("từ", "since"), "until": ("đến", "until"), "year": ("năm", "year"),
    "date": ("ngày", "date"), "amount": ("số tiền", "amount"), "currency": ("đơn vị tiền", "currency"),
    "status": ("trạng thái", "status"), "note": ("ghi chú", "note"), "confidence": ("độ tin cậy", "confidence"),
}


def property_label(name: str, language: str = "vi") -> str:
    """An entity property's label; unknown names read as words.

    >>> property_label("founded"), property_label("founded", "en"), property_label("odd_key", "en")
    ('Năm thành lập', 'Founded', 'odd key')
    """
    spec = PROPERTIES.get(name)
    if spec is None:
        return name.replace("_", " ")
    return spec.label_vi if language == "vi" else spec.label_en


# Properties a relationship may carry (besides its id and provenance).
RELATIONSHIP_PROPERTIES: dict[str, PropertyType] = {
    "role": "text",
    "since": "integer",
    "until": "integer",
    "year": "integer",
    "date": "date",
    "amount": "number",
    "currency": "text",
    "status": "text",
    "confidence": "number",
    "note": "text",
}

# Properties the loader writes on every entity node; records cannot set them directly.
RESERVED_ENTITY_PROPERTIES = ("id", "name", "name_en", "aliases", "kinds", "search_keys", "sample", "provenance", "ingest_run",
                              "app_edit")
RESERVED_RELATIONSHIP_PROPERTIES = ("id", "provenance", "sample", "ingest_run")
INGEST_RUN_PROPERTIES = (
    "id", "started_at", "finished_at", "command", "inputs", "status", "created", "updated", "unchanged", "message",
    # who made an app change and what it changed, so it can be shown and undone (ingest/history.py):
    "user", "user_name", "entity_ids", "changes", "documents", "undone_by", "undoes",
)


def property_keys() -> list[str]:
    """Every property key the product may read or write: the linter's vocabulary."""
    keys = set(RESERVED_ENTITY_PROPERTIES) | set(RESERVED_RELATIONSHIP_PROPERTIES) | set(INGEST_RUN_PROPERTIES)
    keys |= set(COMMON_ENTITY_PROPERTIES) | set(RELATIONSHIP_PROPERTIES)
    for spec in KINDS.values():
        keys |= set(spec.properties)
    return sorted(keys)


def allowed_properties(kinds: list[NodeKind]) -> dict[str, PropertyType]:
    allowed = dict(COMMON_ENTITY_PROPERTIES)
    for kind in kinds:
        allowed.update(KINDS[kind].properties)
    return allowed


# ---------------------------------------------------------------------------------------
# Records: what files contain and what the loader writes. Pydantic validates each one.

_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,199}$"
EntityId = Annotated[str, Field(pattern=_ID_PATTERN, description="lowercase ascii id, unique in the graph")]
Scalar = Union[bool, int, float, str]
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SOURCE = re.compile(r"^(?P<document>[^:]+):(?P<line>\d+)$")


class SourceRef(BaseModel):
    """Where a fact comes from: a document, a position in it, and how it was extracted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    document: str = Field(min_length=1, max_length=300)
    line: int | None = Field(default=None, ge=1)
    start: int | None = Field(default=None, ge=0, description="character offset of the evidence")
    end: int | None = Field(default=None, ge=0)
    sentence: str | None = Field(default=None, max_length=2000)
    method: str = Field(default="curated", max_length=60)
    confidence: float | None = Field(default=None, ge=0, le=1)
    record: str | None = Field(default=None, max_length=300,
                               description="the record's own key in the document (an IATI activity's iati-identifier)")

    @model_validator(mode="before")
    @classmethod
    def _from_short_form(cls, value: Any) -> Any:
        if isinstance(value, str):
            match = _SOURCE.match(value.strip())
            if not match:
                raise ValueError(f"a source is written 'FILE:LINE', got {value!r}")
            return {"document": match["document"], "line": int(match["line"])}
        return value

    def short(self) -> str:
        return f"{self.document}:{self.line}" if self.line else self.document


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def check_limits(name: str, value: Any) -> Any:
    """Refuse values the stores cannot hold or that are not data: text over MAX_VALUE_BYTES,
    whole numbers outside 64 bits, NaN/Infinity, nested objects."""
    if isinstance(value, dict):
        raise ValueError(f"property '{name}' must be a plain value, not an object ({_short(value)})")
    if isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                raise ValueError(f"property '{name}' must be a list of plain values, not nested lists or objects")
            check_limits(name, item)
        if len(str(value).encode("utf-8", "replace")) > MAX_VALUE_BYTES:
            raise ValueError(f"property '{name}' is {mib(len(str(value).encode('utf-8', 'replace')))}; "
                             f"the limit for one value is {mib(MAX_VALUE_BYTES)}")
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and not MIN_INTEGER <= value <= MAX_INTEGER:
        raise ValueError(f"property '{name}' is {len(str(abs(value)))} digits long; whole numbers must be between "
                         f"{MIN_INTEGER} and {MAX_INTEGER}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"property '{name}' is {value}; only finite numbers are allowed (not NaN or Infinity)")
    if isinstance(value, str) and len(value) > MAX_VALUE_BYTES // 4 and len(value.encode("utf-8")) > MAX_VALUE_BYTES:
        raise ValueError(f"property '{name}' is {mib(len(value.encode('utf-8')))}; the limit for one value is "
                         f"{mib(MAX_VALUE_BYTES)}")
    return value


def _check_property(name: str, value: Any, expected: PropertyType) -> Any:
    value = check_limits(name, value)  # size and range limits (graph/limits.py)
    if expected == "texts":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"property '{name}' must be a list of texts")
        return [normalise(v) for v in value]
    if isinstance(value, list):
        raise ValueError(f"property '{name}' must be a single {expected} value, not a list")
    if expected == "text":
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ValueError(f"property '{name}' must be text, got {type(value).__name__} {_short(value)}")
        return normalise(str(value))
    if expected == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"property '{name}' must be a whole number, got {_short(value)}")
        return value
    if expected == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"property '{name}' must be a number, got {_short(value)}")
        return float(value)
    if expected == "boolean":
        if not isinstance(value, bool):
            raise ValueError(f"property '{name}' must be true or false, got {value!r}")
        return value
    if expected == "date":
        text = str(value)
        if not _DATE.match(text):
            raise ValueError(f"property '{name}' must be a date YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
        return text
    raise AssertionError(expected)


class EntityRecord(BaseModel):
    """One entity: an organisation, person, event, agreement, theme, place, document…"""

    model_config = ConfigDict(extra="forbid")

    id: EntityId
    kinds: list[NodeKind] = Field(min_length=1)
    name: str = Field(min_length=1, max_length=500)
    name_en: str | None = Field(default=None, max_length=500)
    aliases: list[str] = Field(default_factory=list)
    properties: dict[str, Any] = Field(default_factory=dict)
    sources: list[SourceRef] = Field(default_factory=list)
    sample: bool = False

    @field_validator("name", "name_en")
    @classmethod
    def _clean_name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = normalise(value)
        if not value:
            raise ValueError("a name cannot be empty")
        return value

    @field_validator("aliases")
    @classmethod
    def _clean_aliases(cls, value: list[str]) -> list[str]:
        seen: dict[str, str] = {}
        for alias in value:
            if not isinstance(alias, str) or len(alias) > 500:
                raise ValueError("aliases must be texts of at most 500 characters")
            clean = normalise(alias)
            if clean and clean not in seen:
                seen[clean] = clean
        return list(seen)

    @field_validator("kinds")
    @classmethod
    def _unique_kinds(cls, value: list[NodeKind]) -> list[NodeKind]:
        return list(dict.fromkeys(value))

    @field_validator("properties")
    @classmethod
    def _check_properties(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        kinds = info.data.get("kinds")
        if not kinds:  # the kinds themselves are invalid; reported on their own
            return value
        allowed = allowed_properties(kinds)
        checked: dict[str, Any] = {}
        for name, item in value.items():
            if name in RESERVED_ENTITY_PROPERTIES:
                raise ValueError(f"property '{name}' is set by the loader and cannot be given")
            if name not in allowed:
                raise ValueError(f"unknown property '{name}' for kinds {', '.join(kinds)}; "
                                 f"allowed: {', '.join(sorted(allowed))}")
            if item is None:
                continue
            checked[name] = _check_property(name, item, allowed[name])
        return checked

    def search_keys(self) -> list[str]:
        names = [self.name, *([self.name_en] if self.name_en else []), *self.aliases]
        return list(dict.fromkeys(k for k in (fold(n) for n in names) if k))

    def node_properties(self, ingest_run: str | None = None) -> dict[str, Any]:
        """The properties written on the node (besides its labels)."""
        props: dict[str, Any] = {
            **self.properties,
            "name": self.name,
            "name_en": self.name_en,
            "aliases": self.aliases,
            "kinds": [str(k) for k in self.kinds],
            "search_keys": self.search_keys(),
            "sample": self.sample,
            "provenance": provenance_json(self.sources),
        }
        if ingest_run:
            props["ingest_run"] = ingest_run
        return props


class RelationshipProperties(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    role: str | None = Field(default=None, max_length=300)
    since: int | None = Field(default=None, ge=1800, le=2200)
    until: int | None = Field(default=None, ge=1800, le=2200)
    year: int | None = Field(default=None, ge=1800, le=2200)
    date: str | None = Field(default=None, pattern=_DATE.pattern)
    amount: float | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, max_length=10)
    status: str | None = Field(default=None, max_length=100)
    confidence: float | None = Field(default=None, ge=0, le=1)
    note: str | None = Field(default=None, max_length=2000)

    @field_validator("date", mode="before")
    @classmethod
    def _date_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class RelationshipRecord(BaseModel):
    """One relationship between two entities, by their ids."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    type: RelationshipType
    from_id: EntityId = Field(alias="from")
    to_id: EntityId = Field(alias="to")
    properties: RelationshipProperties = Field(default_factory=RelationshipProperties)
    sources: list[SourceRef] = Field(default_factory=list)
    sample: bool = False

    @property
    def id(self) -> str:
        """Identity of the relationship: endpoints, type and role (a person may hold two roles)."""
        role = fold(self.properties.role) if self.properties.role else ""
        return f"{self.from_id}|{self.type}|{self.to_id}|{role}"

    def relationship_properties(self, ingest_run: str | None = None) -> dict[str, Any]:
        props = self.properties.model_dump(exclude_none=True)
        props.update({"provenance": provenance_json(self.sources), "sample": self.sample})
        if ingest_run:
            props["ingest_run"] = ingest_run
        return props


class FigureUnit(StrEnum):
    USD = "USD"
    VND = "VND"
    COUNT = "count"
    PERCENT = "percent"
    PERSONS = "persons"
    USD_PER_YEAR = "USD/year"


class FigureRecord(BaseModel):
    """A number a document reports, about one entity, with its unit and year or period."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    id: EntityId
    subject: EntityId
    metric: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    label_en: str | None = None
    value: float
    unit: FigureUnit
    year: int | None = Field(default=None, ge=1900, le=2200)
    period: str | None = Field(default=None, pattern=r"^\d{4}\s*[-–]\s*(\d{4}|nay|now)$")
    qualifier: Literal["exact", "approximately", "over", "under", "about", "nearly"] = "exact"
    sources: list[SourceRef] = Field(default_factory=list)
    sample: bool = False

    def as_entity(self) -> EntityRecord:
        when = str(self.year) if self.year else (self.period or "")
        name = f"{self.label} {when}".strip()
        name_en = f"{self.label_en} {when}".strip() if self.label_en else None
        properties = {
            "metric": self.metric,
            "label": self.label,
            "label_en": self.label_en,
            "value": self.value,
            "unit": str(self.unit),
            "year": self.year,
            "period": self.period,
            "qualifier": self.qualifier,
            "subject": self.subject,
        }
        return EntityRecord(
            id=self.id,
            kinds=[NodeKind.FIGURE],
            name=name,
            name_en=name_en,
            properties={k: v for k, v in properties.items() if v is not None},
            sources=self.sources,
            sample=self.sample,
        )


class DocumentRecord(BaseModel):
    """A source document; becomes a node of kind Document."""

    model_config = ConfigDict(extra="forbid")

    id: EntityId
    title: str = Field(min_length=1)
    title_en: str | None = None
    published: str | None = Field(default=None, pattern=_DATE.pattern)
    publisher: str | None = None
    kind_of_text: str | None = None
    url: str | None = Field(default=None, pattern=r"^https?://\S+$", max_length=2000)
    retrieved: str | None = Field(default=None, pattern=_DATE.pattern,
                                  description="when a web page was read, if its publication date is unknown")
    sources: list[SourceRef] = Field(default_factory=list)

    @field_validator("published", "retrieved", mode="before")
    @classmethod
    def _published_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    def as_entity(self) -> EntityRecord:
        properties = {
            "title": self.title,
            "title_en": self.title_en,
            "published": self.published,
            "publisher": self.publisher,
            "kind_of_text": self.kind_of_text,
            "url": self.url,
            "retrieved": self.retrieved,
            "file": None if self.url else self.id,  # a web page has an address, not a file
        }
        return EntityRecord(
            id=self.id,
            kinds=[NodeKind.DOCUMENT],
            name=self.title,
            name_en=self.title_en,
            properties={k: v for k, v in properties.items() if v is not None},
            sources=self.sources or [SourceRef(document=self.id, line=1)],
        )


def document_id(file_name: str) -> str:
    """The id of the Document node for a source file name: '000_ab.txt' -> '000_ab.txt'."""
    name = re.sub(r"[^a-z0-9._-]+", "-", strip_diacritics(Path(file_name).name).lower()).strip("-.")
    return name[:200] or "document"


def provenance_json(sources: list[SourceRef]) -> str:
    """Sources as stored on nodes and relationships (Neo4j properties cannot hold maps)."""
    if not sources:
        return "[]"
    return json.dumps([s.model_dump(exclude_none=True) for s in sources], ensure_ascii=False, sort_keys=True)


def parse_provenance(text: str | None) -> list[dict[str, Any]]:
    if not text:
        return []
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return []
    return value if isinstance(value, list) else []


def kind_label(kind: str, language: str = "vi") -> str:
    known = as_kind(kind)
    spec = KINDS[known] if known is not None else None
    if spec is None:
        return kind
    return spec.label_vi if language == "vi" else spec.label_en


def relationship_verb(rel_type: str, language: str = "vi") -> str:
    known = as_relationship_type(rel_type)
    spec = RELATIONSHIPS[known] if known is not None else None
    if spec is None:
        return rel_type
    return spec.verb_vi if language == "vi" else spec.verb_en
