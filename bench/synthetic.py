"""A synthetic graph with the real schema and a realistic shape, for scale and speed.

Organisations, donors, projects, people, events, themes, provinces and places; a few hubs and
many small nodes (targets are drawn with Zipf-like weights), about ``rels_per_node``
relationships per node. Deterministic for a seed; every record is marked ``sample``.
Vietnamese names with diacritics, so that search is measured on realistic text.

>>> entities, relationships = generate(1000, seed=1)
>>> len(entities), all(e.sample for e in entities), len(relationships), len({r.id for r in relationships})
(1000, True, 5000, 5000)
>>> {e.id for e in entities} >= {r.from_id for r in relationships} | {r.to_id for r in relationships}
True
>>> all(RelationshipRecord.model_validate(r.model_dump(by_alias=True)) == r for r in relationships[:200])
True
"""

from __future__ import annotations

import random
from array import array
from bisect import bisect
from itertools import accumulate
from typing import Iterator

from graph.schema import EntityRecord, NodeKind, RelationshipProperties, RelationshipRecord, RelationshipType

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
            "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quang", "Ngọc", "Xuân", "Thu"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tú",
         "Tuấn", "Việt", "Yến"]
FIELDS = ["Khoa học Kỹ thuật Biển", "Luật gia", "Nghề cá", "Trắc địa Bản đồ", "Cơ học", "Vật lý", "Hóa học",
          "Tin học", "Y học", "Môi trường", "Nông nghiệp", "Lâm nghiệp", "Năng lượng", "Thủy lợi", "Địa chất",
          "Kinh tế", "Giáo dục", "Xây dựng", "Giao thông", "Sinh học"]
ORG_PREFIX = ["Hội", "Trung tâm", "Viện", "Quỹ", "Hiệp hội", "Liên hiệp Hội"]
DONOR_PREFIX = ["Quỹ", "Tổ chức", "Cơ quan Phát triển", "Chương trình"]
COUNTRIES = ["Hoa Kỳ", "Đức", "Pháp", "Hà Lan", "Anh", "Nhật Bản", "Hàn Quốc", "Úc", "Thụy Điển", "Canada"]
PROVINCES = ["Hà Nội", "Hải Phòng", "Đà Nẵng", "Thành phố Hồ Chí Minh", "Cần Thơ", "Cao Bằng", "Bắc Giang",
             "Hà Tĩnh", "Thừa Thiên Huế", "Vĩnh Long", "An Giang", "Nghệ An", "Thanh Hóa", "Quảng Nam",
             "Lào Cai", "Sơn La", "Điện Biên", "Kiên Giang", "Cà Mau", "Bến Tre"]
THEMES = ["Biến đổi khí hậu", "Môi trường", "Nước sạch", "Nông nghiệp", "Y tế", "HIV/AIDS", "Trẻ em",
          "Người khuyết tật", "Bình đẳng giới", "Giảm nghèo", "Nâng cao năng lực", "Cải cách pháp luật",
          "Biển và hải đảo", "Khoa học và công nghệ", "Chuyển đổi số", "Vắc-xin", "Năng lượng", "Lâm nghiệp",
          "Giáo dục", "Đa dạng sinh học"]

# Share of the nodes of each kind (themes and provinces are fixed lists).
SHARES = [
    (NodeKind.PERSON, 0.52),
    (NodeKind.PROJECT, 0.22),
    (NodeKind.AFFILIATED_ORGANISATION, 0.06),
    (NodeKind.MEMBER_ASSOCIATION, 0.03),
    (NodeKind.EVENT, 0.07),
    (NodeKind.AGREEMENT, 0.04),
    (NodeKind.DONOR, 0.02),
    (NodeKind.NETWORK, 0.01),
    (NodeKind.PLACE, 0.03),
]

# (from kind, relationship type, to kind, weight)
LINKS = [
    (NodeKind.PERSON, RelationshipType.MEMBER_OF, NodeKind.MEMBER_ASSOCIATION, 0.16),
    (NodeKind.PERSON, RelationshipType.HOLDS_POSITION, NodeKind.AFFILIATED_ORGANISATION, 0.08),
    (NodeKind.PERSON, RelationshipType.PARTICIPATES_IN, NodeKind.EVENT, 0.12),
    (NodeKind.PERSON, RelationshipType.FOCUSES_ON, NodeKind.THEME, 0.08),
    (NodeKind.PERSON, RelationshipType.LOCATED_IN, NodeKind.PLACE, 0.05),
    (NodeKind.DONOR, RelationshipType.FUNDS, NodeKind.PROJECT, 0.10),
    (NodeKind.AFFILIATED_ORGANISATION, RelationshipType.IMPLEMENTS, NodeKind.PROJECT, 0.10),
    (NodeKind.PROJECT, RelationshipType.FOCUSES_ON, NodeKind.THEME, 0.10),
    (NodeKind.PROJECT, RelationshipType.LOCATED_IN, NodeKind.PROVINCE, 0.08),
    (NodeKind.AFFILIATED_ORGANISATION, RelationshipType.PARTNER_OF, NodeKind.DONOR, 0.03),
    (NodeKind.MEMBER_ASSOCIATION, RelationshipType.MEMBER_OF, NodeKind.NETWORK, 0.02),
    (NodeKind.AFFILIATED_ORGANISATION, RelationshipType.PARTY_TO, NodeKind.AGREEMENT, 0.04),
    (NodeKind.MEMBER_ASSOCIATION, RelationshipType.ORGANISES, NodeKind.EVENT, 0.04),
]


def _name(rng: random.Random, kind: NodeKind, i: int) -> tuple[str, list[str], dict]:
    if kind == NodeKind.PERSON:
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        return name, [], {"title": rng.choice(["TS.", "PGS.TS", "GS.TS", "ThS."])}
    if kind == NodeKind.PROJECT:
        theme = rng.choice(THEMES).lower()
        province = rng.choice(PROVINCES)
        return (f"Dự án {theme} tại {province} số {i}", [],
                {"year": rng.randint(2011, 2024), "amount_usd": float(rng.randint(5, 2000) * 1000)})
    if kind in (NodeKind.AFFILIATED_ORGANISATION, NodeKind.MEMBER_ASSOCIATION):
        field = rng.choice(FIELDS)
        name = f"{rng.choice(ORG_PREFIX)} {field} {i}"
        return name, [f"SO{i}"], {}
    if kind == NodeKind.DONOR:
        country = rng.choice(COUNTRIES)
        return f"{rng.choice(DONOR_PREFIX)} {rng.choice(THEMES).lower()} {country} {i}", [f"DN{i}"], \
            {"origin_country": country}
    if kind == NodeKind.EVENT:
        year = rng.randint(2000, 2024)
        return f"Hội thảo {rng.choice(THEMES).lower()} {year} số {i}", [], {"year": year}
    if kind == NodeKind.AGREEMENT:
        return f"Thỏa thuận hợp tác số {i}", [], {}
    if kind == NodeKind.NETWORK:
        return f"Mạng lưới {rng.choice(FIELDS)} {i}", [f"NW{i}"], {}
    return f"Địa điểm {rng.choice(PROVINCES)} {i}", [], {}


def generate(n_nodes: int, seed: int = 7, rels_per_node: float = 5.0) -> tuple[list[EntityRecord], list[RelationshipRecord]]:
    """The whole graph as two lists (small sizes; large ones use the ``iter_*`` streams)."""
    entities = list(iter_entities(n_nodes, seed))
    relationships = list(iter_relationships(n_nodes, seed, rels_per_node))
    return entities, relationships


def _fixed() -> list[tuple[NodeKind, str]]:
    return [(NodeKind.THEME, name) for name in THEMES] + [(NodeKind.PROVINCE, name) for name in PROVINCES]


def kind_blocks(n_nodes: int) -> dict[NodeKind, tuple[int, int]]:
    """Per kind, ``(first index, count)``: the ids are ``syn-<kind>-<first + k>`` for k < count.
    The graph's shape is known from ``n_nodes`` alone, so relationships can be drawn without
    holding the entities (memory stays flat at any size)."""
    fixed = _fixed()[:n_nodes]
    blocks: dict[NodeKind, tuple[int, int]] = {}
    for i, (kind, _) in enumerate(fixed):
        first, count = blocks.get(kind, (i, 0))
        blocks[kind] = (first, count + 1)
    remaining = max(0, n_nodes - len(fixed))
    counts = [(kind, int(share * remaining)) for kind, share in SHARES]
    counts[0] = (counts[0][0], counts[0][1] + remaining - sum(c for _, c in counts))
    for kind, count in counts:
        if count:
            blocks[kind] = (0, count)
    return blocks


def entity_id(kind: NodeKind, index: int) -> str:
    return f"syn-{kind.value.lower()}-{index}"


def iter_entities(n_nodes: int, seed: int = 7) -> Iterator[EntityRecord]:
    rng = random.Random(seed)
    for i, (kind, name) in enumerate(_fixed()[:n_nodes]):
        yield EntityRecord(id=entity_id(kind, i), kinds=[kind], name=name, sample=True)
    for kind, (first, count) in kind_blocks(n_nodes).items():
        if kind in (NodeKind.THEME, NodeKind.PROVINCE):
            continue
        for i in range(first, first + count):
            name, aliases, props = _name(rng, kind, i)
            yield EntityRecord(id=entity_id(kind, i), kinds=[kind], name=name, aliases=aliases,
                               properties=props, sample=True)


class SeenFilter:
    """Which (type, from, to) were drawn already, in a fixed-size bit table (one hash: a Bloom
    filter with k = 1). Memory is constant (``bits / 8`` bytes) whatever the size; a false hit
    only makes the generator draw again, so no duplicate relationship is ever produced."""

    def __init__(self, log2_bits: int = 27) -> None:
        self.shift = 64 - log2_bits
        self.table = bytearray(1 << max(0, log2_bits - 3))

    def add(self, key: int) -> bool:
        """True when ``key`` was new (and is now recorded)."""
        slot = ((key * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF) >> self.shift  # Fibonacci hashing
        byte, bit = slot >> 3, 1 << (slot & 7)
        if self.table[byte] & bit:
            return False
        self.table[byte] |= bit
        return True


def iter_relationships(n_nodes: int, seed: int = 7, rels_per_node: float = 5.0) -> Iterator[RelationshipRecord]:
    """About ``rels_per_node * n_nodes`` distinct relationships, streamed: only the per-kind
    counts, the Zipf weights (8 bytes per node) and the fixed-size :class:`SeenFilter` are held."""
    rng = random.Random(seed + 1)
    blocks = kind_blocks(n_nodes)
    # Zipf-like weights: the first few of each kind are hubs
    cumulative = {kind: array("d", accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(count)))
                  for kind, (_, count) in blocks.items()}
    links = [link for link in LINKS if blocks.get(link[0]) and blocks.get(link[2])]
    type_index = {rel_type: i for i, rel_type in enumerate(RelationshipType)}
    total_weight = sum(w for *_, w in links)
    target = int(n_nodes * rels_per_node)
    # one validated properties object per year, shared by the records (never changed afterwards)
    years = {year: RelationshipProperties(year=year) for year in range(2005, 2025)}
    seen = SeenFilter(max(16, min(30, (target * 24).bit_length())))
    produced = 0
    attempts = 0
    while produced < target and attempts < target * 3:
        attempts += 1
        pick = rng.random() * total_weight
        for from_kind, rel_type, to_kind, weight in links:
            pick -= weight
            if pick <= 0:
                break
        source_first, source_count = blocks[from_kind]
        source = source_first + rng.randrange(source_count)
        weights = cumulative[to_kind]
        target_first, target_count = blocks[to_kind]
        target_index = target_first + min(bisect(weights, rng.random() * weights[-1]), target_count - 1)
        if from_kind == to_kind and source == target_index:
            continue
        year = rng.randint(2005, 2024)
        key = (type_index[rel_type] * (1 << 24) + source) * (1 << 24) + target_index
        if not seen.add(key):
            continue
        produced += 1
        yield RelationshipRecord.model_validate({"type": rel_type, "from": entity_id(from_kind, source),
                                                 "to": entity_id(to_kind, target_index), "sample": True,
                                                 "properties": years[year]})
