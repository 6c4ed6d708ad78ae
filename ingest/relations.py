"""Relationships signalled by cue phrases in a sentence.

A cue is a phrase the texts use for a kind of relationship ("là thành viên của" → MEMBER_OF,
"là đối tác với" → PARTNER_OF, "ký thỏa thuận hợp tác với" → COOPERATES_WITH, "đăng cai" →
HOSTS, "quy chế tư vấn của" → HAS_CONSULTATIVE_STATUS …). Given the entity mentions of one
sentence, the subject is the first organisation or person named before the cue in the same
clause (or, for a cue that opens the sentence — "Với vai trò là thành viên của X, Y …" — the
first one after it), and the objects are the mentions after the cue up to the next cue or the end
of the clause, filtered by the kinds the relationship takes. Passive cues ("với sự hỗ trợ của X",
"do X chủ trì") swap the roles. Every relationship carries the cue as its method
(``cue:là thành viên của``), a confidence, and the year when the clause gives one.
"""

from __future__ import annotations

from graph.schema import NodeKind, RelationshipType

import re
from dataclasses import dataclass, field
from typing import Iterable

ORGANISATION_KINDS = {NodeKind.UNION, NodeKind.DEPARTMENT, NodeKind.MEMBER_ASSOCIATION, NodeKind.PROVINCIAL_UNION, NodeKind.AFFILIATED_ORGANISATION, NodeKind.DONOR,
                      NodeKind.INTERNATIONAL_ORGANISATION, NodeKind.FOREIGN_PARTNER, NodeKind.NETWORK, NodeKind.FORUM, NodeKind.GOVERNMENT_BODY,
                      NodeKind.PARTY_BODY, NodeKind.COMPANY}
AGENT_KINDS = ORGANISATION_KINDS | {NodeKind.PERSON}
FOREIGN_KINDS = {NodeKind.FOREIGN_PARTNER, NodeKind.DONOR, NodeKind.INTERNATIONAL_ORGANISATION, NodeKind.COMPANY, NodeKind.NETWORK}
EVENT_KINDS = {NodeKind.EVENT, NodeKind.FORUM, NodeKind.PROGRAMME}
POLICY_KINDS = {NodeKind.POLICY_DOCUMENT}
PLACE_KINDS = {NodeKind.PLACE, NodeKind.PROVINCE}
ANY = AGENT_KINDS | EVENT_KINDS | POLICY_KINDS | {NodeKind.AGREEMENT, NodeKind.PROJECT, NodeKind.PUBLICATION}


@dataclass(frozen=True)
class EntityMention:
    """A mention resolved to an entity key (an existing id or a new entity's key)."""

    key: str
    kinds: frozenset[str]
    start: int
    end: int
    text: str
    inner: bool = False       # inside another mention's name (e.g. a party named in an agreement's title)


@dataclass(frozen=True)
class Cue:
    pattern: str
    type: str                 # a RelationshipType, or "COOPERATION" (PARTNER_OF or COOPERATES_WITH by kind)
    mode: str                 # active | passive | members | pair
    confidence: float
    objects: frozenset[str] = field(default_factory=lambda: frozenset(ANY))
    subjects: frozenset[str] = field(default_factory=lambda: frozenset(AGENT_KINDS))
    near: int | None = None   # objects must start within this many characters of the cue

    @property
    def regex(self) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)(?:" + self.pattern + r")(?!\w)", re.I)


ORGS = frozenset(ORGANISATION_KINDS)
CUES: list[Cue] = [
    Cue(r"(?:là|làm) (?:một )?(?:thành viên|hội viên)(?: chính thức)? của|vai trò là thành viên của|gia nhập",
        RelationshipType.MEMBER_OF, "active", 0.85, ORGS),
    Cue(r"(?:tổ chức|hội|đơn vị) thành viên của", RelationshipType.MEMBER_OF, "members", 0.75, ORGS),
    Cue(r"là đối tác (?:với|của)|quan hệ đối tác(?:,? chương trình hợp tác)? với|(?:mở rộng |thiết lập )?quan hệ "
        r"hợp tác(?: song phương| hữu hảo| hữu nghị)*(?: với)?|mối quan hệ hợp tác(?: hữu hảo)?",
        RelationshipType.PARTNER_OF, "active", 0.8, ORGS),
    Cue(r"(?:ký|ký kết)(?: văn bản| bản)? (?:thỏa thuận|chương trình|nghị quyết liên tịch)[^,;]{0,60}?(?:với|giữa)"
        r"|(?:thỏa thuận|chương trình) (?:phối hợp|hợp tác)[^,;.]{0,60}?(?:với|giữa)",
        "COOPERATION", "active", 0.8, ORGS),
    Cue(r"phối hợp(?: chặt chẽ| với nhau)? với|hợp tác với", "COOPERATION", "active", 0.7, ORGS),
    Cue(r"với sự (?:hỗ trợ|giúp đỡ)(?: kỹ thuật)? của|(?:được|nhận được) sự (?:hỗ trợ|giúp đỡ|ủng hộ) (?:của|từ)",
        RelationshipType.SUPPORTS, "passive", 0.8, frozenset(ORGANISATION_KINDS | {NodeKind.PROJECT, NodeKind.PROGRAMME, NodeKind.EVENT})),
    Cue(r"với sự tài trợ của", RelationshipType.FUNDS, "passive", 0.8, frozenset(ORGANISATION_KINDS | {NodeKind.PROJECT, NodeKind.PROGRAMME})),
    Cue(r"(?:được|do|bởi)(?-i:(?= [A-ZĐ“\"]))", "PASSIVE", "passive-verb", 0.75, frozenset(ANY)),
    Cue(r"tài trợ cho|viện trợ cho|(?:bố trí|cấp|hỗ trợ) kinh phí(?: cho)?", RelationshipType.FUNDS, "active", 0.7,
        frozenset(ORGANISATION_KINDS | {NodeKind.PROJECT, NodeKind.PROGRAMME, NodeKind.EVENT})),
    Cue(r"bảo trợ(?: cho)?", RelationshipType.SUPPORTS, "active", 0.7, frozenset(ANY)),
    Cue(r"đăng cai(?: tổ chức)?", RelationshipType.HOSTS, "active", 0.85, frozenset(EVENT_KINDS | {NodeKind.EVENT})),
    Cue(r"quy chế tư vấn(?: của| tại| với)?", RelationshipType.HAS_CONSULTATIVE_STATUS, "active", 0.9, ORGS),
    Cue(r"vai trò chủ tịch|(?:là|làm|giữ) chủ tịch", RelationshipType.CHAIRS, "active", 0.75, ORGS,
        frozenset(AGENT_KINDS | PLACE_KINDS), near=12),
    Cue(r"chủ trì", RelationshipType.CHAIRS, "active", 0.7, frozenset(EVENT_KINDS), near=40),
    Cue(r"(?<!sự )(?:tham gia(?: tích cực)?(?: vào| các)?|tham dự)", RelationshipType.PARTICIPATES_IN, "active", 0.7,
        frozenset(EVENT_KINDS | {NodeKind.NETWORK, NodeKind.INTERNATIONAL_ORGANISATION, NodeKind.FORUM})),
    Cue(r"(?:đã |sẽ )?tổ chức(?: thành công)?(?-i:(?= [A-ZĐ“\"]))", RelationshipType.ORGANISES, "active", 0.7,
        frozenset(EVENT_KINDS), near=8),
    Cue(r"thành lập", RelationshipType.ESTABLISHED, "active", 0.75, ORGS, near=30),
    Cue(r"ban hành|ký quyết định|phê chuẩn|phê duyệt", RelationshipType.ISSUED, "active", 0.75, frozenset(POLICY_KINDS)),
    Cue(r"(?:triển khai )?thực hiện|quán triệt", RelationshipType.IMPLEMENTS, "active", 0.65, frozenset(POLICY_KINDS), near=40),
    Cue(r"thuộc(?-i:(?= [A-ZĐ]))", RelationshipType.PART_OF, "adjacent", 0.75, ORGS),
    Cue(r"(?:đã |cùng )*ký(?: kết)?(?! kết)", "COOPERATION", "joint", 0.75, ORGS),
    Cue(r"tại", RelationshipType.LOCATED_IN, "adjacent", 0.7, frozenset(PLACE_KINDS), frozenset(EVENT_KINDS)),
    Cue(r"tập trung vào(?: các lĩnh vực| lĩnh vực)?|(?:trong|về) (?:các )?lĩnh vực", RelationshipType.FOCUSES_ON, "active", 0.65,
        frozenset({NodeKind.THEME})),
    Cue(r"(?:được |nhận được )?sự tài trợ (?:của|từ)|nhận (?:được )?(?:khoản )?tài trợ (?:của|từ)|"
        r"(?:nguồn )?(?:vốn|kinh phí) (?:tài trợ )?(?:của|từ)", RelationshipType.FUNDS, "passive", 0.8,
        frozenset(ORGANISATION_KINDS | {NodeKind.PROJECT, NodeKind.PROGRAMME, NodeKind.EVENT})),
    Cue(r"(?:là )?đơn vị (?:tổ chức )?thực hiện|(?:là )?đơn vị triển khai|chịu trách nhiệm (?:chính )?(?:về )?(?:kỹ thuật)?",
        RelationshipType.IMPLEMENTS, "active", 0.75, frozenset({NodeKind.PROJECT, NodeKind.PROGRAMME})),
    Cue(r"trực thuộc", RelationshipType.AFFILIATED_WITH, "active", 0.8, ORGS, near=12),
    Cue(r"(?:đơn vị )?(?:tổ chức )?thực hiện (?:là|:)|thông qua sự quản lý của|(?:được )?(?:thực hiện|triển khai) bởi",
        RelationshipType.IMPLEMENTS, "passive", 0.75, frozenset({NodeKind.PROJECT, NodeKind.PROGRAMME})),
    Cue(r"(?:được |sẽ )?(?:triển khai|thực hiện|tổ chức|diễn ra)(?: tại| ở)|(?:implemented|carried out|conducted|"
        r"held|located|based) in|có trụ sở (?:tại|ở)|^\W*(?:area(?: of work)?|locations?|địa bàn(?: thực hiện)?|"
        r"địa điểm)\s*:", RelationshipType.LOCATED_IN, "active", 0.7, frozenset(PLACE_KINDS),
        frozenset(ORGANISATION_KINDS | {NodeKind.PROJECT, NodeKind.PROGRAMME, NodeKind.EVENT})),
    Cue(r"^\W*(?:donors?|funders?|sponsors?|funded by|nhà tài trợ|đơn vị tài trợ|tài trợ)\s*:", RelationshipType.FUNDS, "passive",
        0.8, frozenset({NodeKind.PROJECT, NodeKind.PROGRAMME})),
    # English
    Cue(r"(?:is |was |are |were |has been |have been |being )?(?:funded|sponsored|financed|granted) by|"
        r"with (?:the )?(?:financial )?(?:support|funding|sponsorship|grant) (?:of|from)|(?:a )?grant from|"
        r"(?:the )?funding (?:comes |came )?from|received (?:a )?(?:grant|funding|support) from|"
        r"receives? (?:a )?(?:grant|funding) from", RelationshipType.FUNDS, "passive", 0.8,
        frozenset(ORGANISATION_KINDS | {NodeKind.PROJECT, NodeKind.PROGRAMME, NodeKind.EVENT})),
    Cue(r"(?:is |was |are |were )?supported by|with (?:the )?(?:technical )?(?:support|assistance) (?:of|from)",
        RelationshipType.SUPPORTS, "passive", 0.75, frozenset(ANY)),
    Cue(r"(?:is |was |will be |to be )?(?:implemented|carried out|conducted|executed|run|managed) by",
        RelationshipType.IMPLEMENTS, "passive", 0.75, frozenset({NodeKind.PROJECT, NodeKind.PROGRAMME, NodeKind.EVENT})),
    Cue(r"(?:to )?implement(?:s|ed|ing)? (?:the )?", RelationshipType.IMPLEMENTS, "active", 0.7, frozenset({NodeKind.PROJECT, NodeKind.PROGRAMME}),
        near=20),
    Cue(r"in (?:close )?(?:partnership|cooperation|collaboration|association) with|partner(?:ed|s)? with|"
        r"(?:collaborat|cooperat)(?:e|es|ed|ing) with|(?:cooperation|partnership|collaboration) (?:with|between)|"
        r"work(?:s|ed|ing)? (?:closely )?with|joined hands with|together with",
        "COOPERATION", "active", 0.7, ORGS),
    Cue(r"signed (?:a |an |the )?(?:\w+ ){0,4}(?:agreement|memorandum|MoU|contract)[^,;]{0,60}? with",
        "COOPERATION", "active", 0.8, ORGS),
    Cue(r"(?:is |was |has been |became |become )?(?:a |an )?(?:full |founding |official )?member (?:organi[sz]ation )?of|"
        r"(?:has been )?a member since|joined|membership (?:of|in)", RelationshipType.MEMBER_OF, "active", 0.8, ORGS),
    Cue(r"(?:is |was )?(?:co-)?hosted by", RelationshipType.HOSTS, "passive", 0.8, frozenset(EVENT_KINDS)),
    Cue(r"hosted|hosts|will host", RelationshipType.HOSTS, "active", 0.75, frozenset(EVENT_KINDS), near=30),
    Cue(r"(?:is |was |were )?(?:jointly |co-)?organi[sz]ed by", RelationshipType.ORGANISES, "passive", 0.8, frozenset(EVENT_KINDS)),
    Cue(r"(?:is |was |were )?(?:established|founded|set up) by", RelationshipType.ESTABLISHED, "passive", 0.75, ORGS),
    Cue(r"(?:directly )?under(?-i:(?= (?:the )?[A-Z]))|affiliated (?:to|with)|a member organi[sz]ation of",
        RelationshipType.AFFILIATED_WITH, "active", 0.75, ORGS, near=12),
    Cue(r"(?:is |was )?(?:chaired|led|headed) by", RelationshipType.CHAIRS, "passive", 0.75, frozenset(EVENT_KINDS | ORGANISATION_KINDS)),
]
_COMPILED = [(cue, cue.regex) for cue in CUES]
_CLAUSE = re.compile(r";|\s[–-]\s(?=[a-zà-ỹđ])")
_YEAR = re.compile(r"(?<![\d/.-])(?:năm\s+)?((?:19|20)\d\d)(?![\d/-])")
_POSITION = re.compile(r"^\s*[,–-]?\s*(?P<title>(?:Phó |Tổng |Ủy viên )*(?:Chủ tịch|Tổng thư ký|Trưởng [Bb]an|"
                       r"Vụ trưởng|Bộ trưởng|Thứ trưởng|Giám đốc|Viện trưởng|Bí thư|Chủ nhiệm|Tổng Bí thư|"
                       r"Trưởng ban|Phó Trưởng ban)(?: [a-zà-ỹđ]+)?)\s*,?\s*$")


_PASSIVE_VERB = re.compile(r"\b(tài trợ|viện trợ|hỗ trợ|giúp đỡ|chủ trì|tổ chức|thành lập|ban hành|phê duyệt)\b", re.I)
_PASSIVE_TYPES: dict[str, tuple[str, frozenset[str]]] = {
    "tài trợ": (RelationshipType.FUNDS, frozenset(ANY - {NodeKind.PERSON})), "viện trợ": (RelationshipType.FUNDS, frozenset(ANY - {NodeKind.PERSON})),
    "hỗ trợ": (RelationshipType.SUPPORTS, frozenset(ANY)), "giúp đỡ": (RelationshipType.SUPPORTS, frozenset(ANY)),
    "chủ trì": (RelationshipType.CHAIRS, frozenset(EVENT_KINDS)), "tổ chức": (RelationshipType.ORGANISES, frozenset(EVENT_KINDS)),
    "thành lập": (RelationshipType.ESTABLISHED, frozenset(ORGANISATION_KINDS)), "ban hành": (RelationshipType.ISSUED, frozenset(POLICY_KINDS)),
    "phê duyệt": (RelationshipType.ISSUED, frozenset(POLICY_KINDS)),
}


# "– Trưởng ban Hợp tác Quốc tế": the organisation's name ("ban Hợp tác …") begins inside the title
_POSITION_SHORT = re.compile(r"^\s*[,–-]?\s*(?P<title>(?:Phó )?(?:Trưởng|Vụ))\s*$")


@dataclass
class FoundRelationship:
    type: str
    from_key: str
    to_key: str
    start: int
    end: int
    method: str
    confidence: float
    properties: dict[str, object] = field(default_factory=dict)


def _clauses(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for match in _CLAUSE.finditer(text):
        out.append((start, match.start()))
        start = match.end()
    out.append((start, len(text)))
    return out


_DATE_YEAR = re.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-]((?:19|20)\d\d)(?!\d)")


def _year_near(text: str, start: int, end: int) -> int | None:
    match = _YEAR.search(text, max(0, start), min(len(text), end)) or \
        _DATE_YEAR.search(text, max(0, start), min(len(text), end))
    return int(match.group(1)) if match else None


def _cooperation_type(kinds: Iterable[str]) -> str:
    return RelationshipType.PARTNER_OF if FOREIGN_KINDS & set(kinds) else RelationshipType.COOPERATES_WITH


LOCAL_MODES = {"adjacent", "passive-verb", "joint"}


@dataclass
class _Context:
    text: str
    top: list[EntityMention]
    clause: tuple[int, int]
    start: int
    end: int
    segment_end: int
    before: list[EntityMention]
    after: list[EntityMention]
    objects_so_far: set[tuple[int, int]]
    last_subject: EntityMention | None = None


Found = tuple[str, str, str, float]
_FRONTED = re.compile(r"^\W*(?:đặc biệt,?\s*)?(?:với|là|trong vai trò|bằng)\b", re.I)


def _read_cue(cue: Cue, phrase: str, c: _Context) -> tuple[list[Found], str]:
    """The relationships one cue states, and the method to record."""
    method = f"cue:{phrase.strip().lower()}"
    if cue.mode == "adjacent":
        left = [m for m in c.top if m.end <= c.start and c.start - m.end <= 2]
        right = [m for m in c.top if m.start >= c.end and m.start - c.end <= 2]
        if left and right and cue.subjects & left[-1].kinds and cue.objects & right[0].kinds:
            return [(cue.type, left[-1].key, right[0].key, cue.confidence)], method
        return [], method
    if cue.mode == "members":
        # "(tổ chức) thành viên của X … như A, B": A and B are members of X
        parents = [m for m in c.after if ORGANISATION_KINDS & m.kinds]
        if not parents:
            return [], method
        parent = parents[0]
        like = c.text.find(" như ", parent.end, c.segment_end)
        members = [m for m in c.after if like >= 0 and m.start > like and cue.objects & m.kinds]
        return [(cue.type, m.key, parent.key, cue.confidence) for m in members], method
    if cue.mode == "joint":
        # "Liên hiệp Hội Việt Nam và Bộ Giáo dục và Đào tạo đã ký kết …": the two cooperate
        agents = [m for m in c.before if cue.subjects & m.kinds]
        if len(agents) >= 2:
            a, b = agents[-2], agents[-1]
            if c.text[a.end:b.start].strip() == "và" and len(c.text[b.end:c.start].strip()) <= 12:
                found = [(_cooperation_type(b.kinds), a.key, b.key, cue.confidence)]
                return found + _parties(c, [a, b]), method
        return [], method
    if cue.mode == "passive-verb":
        # "Hội thảo do PGS.TS X, Phó Chủ tịch Vusta chủ trì", "dự án được Quỹ Y tài trợ"
        agents = [m for m in c.after if cue.subjects & m.kinds and m.start - c.end <= 12][:1]
        if not agents:
            return [], method
        verb = _PASSIVE_VERB.search(c.text, agents[0].end, min(len(c.text), agents[0].end + 80))
        if not verb or any(ch in c.text[agents[0].end:verb.start()] for ch in ";."):
            return [], method
        rel_type, allowed = _PASSIVE_TYPES[verb.group(1).lower()]
        targets = [m for m in c.before if allowed & m.kinds and m.key != agents[0].key]
        if not targets:
            return [], method
        return [(rel_type, agents[0].key, targets[-1].key, cue.confidence)], \
            f"cue:{phrase.strip().lower()} … {verb.group(1).lower()}"
    if cue.mode == "passive":
        agents = [m for m in c.after if cue.subjects & m.kinds][:1]
        if not agents:
            return [], method
        targets = [m for m in c.before if cue.objects & m.kinds][-1:]
        if not targets:  # "Với sự hỗ trợ của X, Y đã …"
            comma = c.text.find(",", agents[0].end)
            targets = [m for m in c.top if comma >= 0 and m.start > comma and cue.objects & m.kinds][:1]
        if not targets and cue.type == RelationshipType.FUNDS:
            # "the project, funded by X and implemented by Y": the donor funds the project's implementer
            implementer = re.search(r"(?:implemented|carried out|conducted|run|executed) by|thực hiện bởi|do",
                                    c.text[agents[0].end:c.clause[1]])
            if implementer:
                after = agents[0].end + implementer.end()
                targets = [m for m in c.top if m.start >= after and ORGANISATION_KINDS & m.kinds
                           and m.key != agents[0].key][:1]
        return [(cue.type, agents[0].key, t.key, cue.confidence) for t in targets], method
    # active: subject before the cue, objects after it
    objects = [m for m in c.after if cue.objects & m.kinds]
    if cue.near is not None:
        objects = [m for m in objects if m.start - c.end <= cue.near]
        if cue.type in (RelationshipType.CHAIRS, RelationshipType.ESTABLISHED, RelationshipType.ORGANISES, RelationshipType.IMPLEMENTS):
            objects = objects[:1]
    # the nearest organisation or person before the cue that is not the object of an earlier cue
    subjects = [m for m in c.before if cue.subjects & m.kinds and (m.start, m.end) not in c.objects_so_far][-1:]
    if not subjects and objects and _FRONTED.match(c.text[c.clause[0]:c.start]):
        # the cue opens the sentence: "Với vai trò là thành viên của X, Y …": X ends at the comma
        comma = c.text.find(",", objects[0].end)
        if comma >= 0:
            objects = [m for m in objects if m.end <= comma]
            subjects = [m for m in c.top if m.start > comma and cue.subjects & m.kinds and m.start < c.clause[1]][:1]
    if not subjects and c.last_subject is not None:
        subjects = [c.last_subject]  # "X là đối tác với A…; thiết lập quan hệ với B": X again
    if not subjects:
        return [], method
    subject = subjects[0]
    c.last_subject = subject
    if cue.type == RelationshipType.CHAIRS and cue.objects == frozenset(EVENT_KINDS):
        people = [m for m in c.before if NodeKind.PERSON in m.kinds]
        subject = people[-1] if people else subject
    found = []
    for obj in objects[:20]:
        if obj.key == subject.key:
            continue
        rel_type = _cooperation_type(obj.kinds) if cue.type == "COOPERATION" else cue.type
        penalty = 0.1 if obj.start - c.end > 250 else 0.0
        found.append((rel_type, subject.key, obj.key, cue.confidence - penalty))
    if cue.type == "COOPERATION" and "ký" in phrase.lower():
        found += _parties(c, [subject, *objects[:5]])
    return found, method


def _parties(c: _Context, parties: list[EntityMention]) -> list[Found]:
    """The signatories of an agreement the sentence names are parties to it."""
    agreements = [m for m in c.top if NodeKind.AGREEMENT in m.kinds and c.clause[0] <= m.start < c.clause[1]]
    return [(RelationshipType.PARTY_TO, p.key, a.key, 0.7) for a in agreements for p in parties if p.key != a.key]


def find_relationships(text: str, mentions: list[EntityMention]) -> list[FoundRelationship]:
    """Relationships stated in one sentence between the given mentions."""
    out: list[FoundRelationship] = []
    top = sorted([m for m in mentions if not m.inner], key=lambda m: m.start)
    cue_hits = []
    for cue, regex in _COMPILED:
        for match in regex.finditer(text):
            if any(m.start <= match.start() < m.end for m in top):
                continue  # the cue words are part of a name ("Tổ chức Hợp tác …")
            cue_hits.append((match.start(), match.end(), cue, match.group(0)))
    cue_hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept = []
    for hit in cue_hits:
        if kept and hit[0] < kept[-1][1]:
            continue
        kept.append(hit)
    # cues that govern a list of objects end the list of the cue before them; local ones do not
    boundaries = [h[0] for h in kept if h[2].mode not in LOCAL_MODES]
    clauses = _clauses(text)
    objects_so_far: set[tuple[int, int]] = set()
    last_subject: EntityMention | None = None
    for start, end, cue, phrase in kept:
        clause = next((c for c in clauses if c[0] <= start < c[1] + 1), (0, len(text)))
        segment_end = min([clause[1], *(b for b in boundaries if b > start)])
        before = [m for m in top if clause[0] <= m.start and m.end <= start]
        after = [m for m in top if end <= m.start and m.end <= segment_end]
        context = _Context(text, top, clause, start, end, segment_end, before, after, objects_so_far, last_subject)
        found, method = _read_cue(cue, phrase, context)
        last_subject = context.last_subject
        objects_so_far.update((m.start, m.end) for m in after if any(f[2] == m.key for f in found))
        year = _year_near(text, clause[0], clause[1])
        for rel_type, from_key, to_key, confidence in found:
            out.append(FoundRelationship(rel_type, from_key, to_key, start, segment_end, method, round(confidence, 3),
                                         {"year": year} if year else {}))
    out += _positions(text, top)
    out += _positions_en(text, top)
    out += _issued_by(text, top)
    out += _agreement_parties(text, mentions)
    return out


_TITLE_BEFORE = re.compile(r"(?P<title>(?:Phó |Tổng |Ủy viên )*(?:Chủ tịch|Tổng thư ký|Trưởng [Bb]an|Vụ trưởng|"
                           r"Bộ trưởng|Thứ trưởng|Giám đốc|Viện trưởng|Bí thư|Chủ nhiệm|Trưởng|Phó))\s*$")


def _positions(text: str, mentions: list[EntityMention]) -> list[FoundRelationship]:
    """"bà Dương Thị Nga – Trưởng ban Hợp tác Quốc tế", "Trưởng Ban Tuyên giáo Trung ương Nguyễn Trọng
    Nghĩa": a person holds a position at an organisation."""
    out = []
    for index, org in enumerate(mentions[:-1]):
        person = mentions[index + 1]
        if ORGANISATION_KINDS & org.kinds and NodeKind.PERSON in person.kinds and text[org.end:person.start] == " ":
            title = _TITLE_BEFORE.search(text[max(0, org.start - 40):org.start])
            if title:
                out.append(FoundRelationship(RelationshipType.HOLDS_POSITION, person.key, org.key, org.start, person.end,
                                             "cue:position", 0.75, {"role": title["title"].strip()}))
    for index, person in enumerate(mentions):
        if NodeKind.PERSON not in person.kinds:
            continue
        for other in mentions[index + 1:index + 3]:
            if not (ORGANISATION_KINDS & other.kinds):
                continue
            between = text[person.end:other.start]
            match = _POSITION.match(between) or (_POSITION_SHORT.match(between) if other.text[:1].islower() else None)
            if match:
                out.append(FoundRelationship(RelationshipType.HOLDS_POSITION, person.key, other.key, person.start, other.end,
                                             "cue:position", 0.8, {"role": match["title"].strip()}))
                break
    return out


_POSITION_EN = (r"(?P<title>(?:(?:Former|Acting|Deputy|Vice|Executive|General|Managing|Permanent|Country|Regional|"
                r"Standing|Senior|Chief|Founding)[\s-]+)*(?:President|Chairman|Chairwoman|Chairperson|Chair|"
                r"Director(?:[\s-]General)?|Secretary[\s-]General|General Secretary|Secretary|Ambassador|Minister|"
                r"Representative|Manager|Coordinator|Head|Officer|Consul|Counsell?or|Governor|Leader|Founder|CEO|Rector|"
                r"Dean|Vice[\s-]Minister|Member))")
_PERSON_THEN_ORG = re.compile(r"^\s*[,–-]\s*(?:the\s+|a\s+)?" + _POSITION_EN + r"(?:\s+[A-Za-z]+){0,3}?"
                              r"(?:\s+(?:of|at|for|in)(?:\s+the)?|\s*,)?\s*$", re.I)
_ORG_THEN_PERSON = re.compile(r"^\s*(?:’s|'s)?\s*" + _POSITION_EN + r"\s*,?\s*(?:(?:Mr|Ms|Mrs|Dr|Prof)\.?\s+)?$")
_POSITION_OF_BEFORE = re.compile(_POSITION_EN + r"\s+(?:of|at)(?:\s+the)?\s*$")


def _positions_en(text: str, mentions: list[EntityMention]) -> list[FoundRelationship]:
    """"Jane Doe, Director of the Institute …", "SCDI Director Jane Doe", "President of VUSTA Jane Doe"."""
    out = []
    for index, person in enumerate(mentions):
        if NodeKind.PERSON not in person.kinds:
            continue
        for other in mentions[index + 1:index + 3]:
            if ORGANISATION_KINDS & other.kinds:
                match = _PERSON_THEN_ORG.match(text[person.end:other.start])
                if match:
                    out.append(FoundRelationship(RelationshipType.HOLDS_POSITION, person.key, other.key, person.start, other.end,
                                                 "cue:position-en", 0.8, {"role": match["title"].strip()}))
                break
        if index > 0 and ORGANISATION_KINDS & mentions[index - 1].kinds:
            org = mentions[index - 1]
            between = text[org.end:person.start]
            match = _ORG_THEN_PERSON.match(between)
            before = _POSITION_OF_BEFORE.search(text[max(0, org.start - 40):org.start])
            if match or before and between.strip() in ("", ","):
                role = (match or before)["title"].strip()
                out.append(FoundRelationship(RelationshipType.HOLDS_POSITION, person.key, org.key, org.start, person.end,
                                             "cue:position-en", 0.8, {"role": role}))
    return out


_DATE_BETWEEN = re.compile(r"^\s*,?\s*(?:ngày\s+[\d/]+\s*)?(?:ký ngày\s+[\d/ a-zà-ỹ]+)?\s*của\s*$", re.I)


def _issued_by(text: str, mentions: list[EntityMention]) -> list[FoundRelationship]:
    """"Chỉ thị 04/CT-TW ngày 06/7/2011 của Ban Bí thư": the body issued the document."""
    out = []
    for index, doc in enumerate(mentions[:-1]):
        if not (POLICY_KINDS & doc.kinds):
            continue
        body = mentions[index + 1]
        if ORGANISATION_KINDS & body.kinds and _DATE_BETWEEN.match(text[doc.end:body.start]):
            out.append(FoundRelationship(RelationshipType.ISSUED, body.key, doc.key, doc.start, body.end, "cue:của", 0.8))
    return out


def _agreement_parties(text: str, mentions: list[EntityMention]) -> list[FoundRelationship]:
    """Organisations named in an agreement's title are parties to it."""
    out = []
    for agreement in mentions:
        if NodeKind.AGREEMENT not in agreement.kinds or agreement.inner:
            continue
        for party in mentions:
            if party.inner and agreement.start <= party.start and party.end <= agreement.end and \
                    ORGANISATION_KINDS & party.kinds:
                out.append(FoundRelationship(RelationshipType.PARTY_TO, party.key, agreement.key, agreement.start, agreement.end,
                                             "cue:agreement-title", 0.75))
    return out
