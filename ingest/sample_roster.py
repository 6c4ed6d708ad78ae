"""A deterministic SAMPLE roster of overseas Vietnamese intellectuals, for demonstration and
scale. Every person, tie and the roster document itself are marked ``sample``; the people are
invented (names from common syllables, contact details at example.org).

Countries, cities, institutions and fields follow plausible distributions; ties go to the
real member associations, affiliated organisations and events of the curated data (read from
``data/seed``), to VUSTA itself (advisory roles) and between the people (collaboration).

``python -m ingest demo`` loads it into the graph (with the sample portfolio: the one demo
command); ``python -m graph remove-sample`` removes it again, completely. ``python -m ingest.sample_roster
[--people N] [--seed S] [--out DIR]`` writes it as CSV files (``diaspora-people.csv``,
``diaspora-ties.csv``) for the tabular import instead.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path
from typing import Any

from graph.schema import HOME_ID, EntityRecord, NodeKind, RelationshipRecord, RelationshipType, SourceRef
from graph.settings import PROJECT_ROOT
from graph.text import slug

ROSTER_DOCUMENT = "sample-diaspora-roster"
ID_PREFIX = "dia-"
DEFAULT_OUT = PROJECT_ROOT / "data" / "sample" / "diaspora"

# country: (weight, [(city, lat, lon)], [institutions], language)
COUNTRIES: dict[str, tuple[float, list[tuple[str, float, float]], list[str], str]] = {
    "Hoa Kỳ": (30, [("Boston", 42.36, -71.06), ("San Jose", 37.34, -121.89), ("Houston", 29.76, -95.37),
                    ("Washington", 38.91, -77.04), ("Seattle", 47.61, -122.33)],
               ["Massachusetts Institute of Technology", "Stanford University", "University of California, Berkeley",
                "University of Texas at Austin", "Purdue University", "Intel Corporation", "NASA Goddard",
                "Johns Hopkins University"], "Tiếng Anh"),
    "Pháp": (12, [("Paris", 48.86, 2.35), ("Lyon", 45.76, 4.84), ("Toulouse", 43.6, 1.44)],
             ["Sorbonne Université", "CNRS", "Institut Pasteur", "École Polytechnique", "Airbus"], "Tiếng Pháp"),
    "Úc": (10, [("Sydney", -33.87, 151.21), ("Melbourne", -37.81, 144.96), ("Canberra", -35.28, 149.13)],
           ["University of Sydney", "University of Melbourne", "CSIRO", "Australian National University"], "Tiếng Anh"),
    "Đức": (8, [("Berlin", 52.52, 13.4), ("Munich", 48.14, 11.58), ("Aachen", 50.78, 6.08)],
            ["TU München", "RWTH Aachen", "Fraunhofer-Gesellschaft", "Max-Planck-Gesellschaft"], "Tiếng Đức"),
    "Nhật Bản": (8, [("Tokyo", 35.68, 139.69), ("Osaka", 34.69, 135.5), ("Sendai", 38.27, 140.87)],
                 ["University of Tokyo", "Kyoto University", "Tohoku University", "Toshiba"], "Tiếng Nhật"),
    "Canada": (6, [("Toronto", 43.65, -79.38), ("Montreal", 45.5, -73.57), ("Vancouver", 49.28, -123.12)],
               ["University of Toronto", "McGill University", "University of British Columbia"], "Tiếng Anh"),
    "Anh": (5, [("London", 51.51, -0.13), ("Cambridge", 52.2, 0.12), ("Manchester", 53.48, -2.24)],
            ["Imperial College London", "University of Cambridge", "University of Manchester"], "Tiếng Anh"),
    "Hàn Quốc": (5, [("Seoul", 37.57, 126.98), ("Daejeon", 36.35, 127.38)],
                 ["KAIST", "Seoul National University", "Samsung Electronics"], "Tiếng Hàn"),
    "Singapore": (4, [("Singapore", 1.35, 103.82)],
                  ["National University of Singapore", "Nanyang Technological University", "A*STAR"], "Tiếng Anh"),
    "Nga": (3, [("Moskva", 55.76, 37.62), ("Sankt-Peterburg", 59.93, 30.34)],
            ["Moscow State University", "Russian Academy of Sciences"], "Tiếng Nga"),
    "Cộng hòa Séc": (2, [("Praha", 50.08, 14.44)], ["Czech Technical University in Prague"], "Tiếng Séc"),
    "Đài Loan": (2, [("Đài Bắc", 25.03, 121.57)], ["National Taiwan University", "TSMC"], "Tiếng Trung"),
    "Hà Lan": (2, [("Delft", 52.01, 4.36), ("Amsterdam", 52.37, 4.9)], ["TU Delft", "Wageningen University"],
               "Tiếng Hà Lan"),
    "Thụy Điển": (1, [("Stockholm", 59.33, 18.07)], ["KTH Royal Institute of Technology"], "Tiếng Thụy Điển"),
    "Thụy Sĩ": (1, [("Zürich", 47.38, 8.54)], ["ETH Zürich"], "Tiếng Đức"),
    "Bỉ": (1, [("Leuven", 50.88, 4.7)], ["KU Leuven"], "Tiếng Hà Lan"),
}

# theme id: weight (fields of expertise, linked to the theme taxonomy)
FIELDS: dict[str, float] = {
    "theme-science-technology": 14, "theme-digital-transformation": 13, "theme-health": 11,
    "theme-climate-change": 9, "theme-environment": 8, "theme-energy": 8, "theme-agriculture": 6,
    "theme-water": 5, "theme-vaccines": 4, "theme-education": 6, "theme-marine-economy": 3,
    "theme-biodiversity": 3, "theme-technology-transfer": 4, "theme-industry-4": 4, "theme-infrastructure": 3,
    "theme-hiv-aids": 2, "theme-legal-reform": 2,
}
POSITIONS = ["Giáo sư", "Phó Giáo sư", "Nghiên cứu viên", "Kỹ sư trưởng", "Giám đốc kỹ thuật",
             "Nghiên cứu sinh sau tiến sĩ", "Giảng viên", "Chuyên gia"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thành", "Xuân", "Công"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hồng", "Phương"]
GIVEN_M = ["An", "Bảo", "Cường", "Dũng", "Hải", "Hiếu", "Hùng", "Khang", "Khoa", "Long", "Nam", "Phong", "Quân",
           "Sơn", "Thắng", "Trung", "Tuấn", "Việt", "Vinh", "Huy"]
GIVEN_F = ["Anh", "Chi", "Diệp", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "My", "Ngân",
           "Nhung", "Phượng", "Quyên", "Thảo", "Trang", "Uyên", "Yến"]
DEGREES = [("Tiến sĩ", 0.6), ("Thạc sĩ", 0.3), ("Kỹ sư", 0.1)]
VISIBILITY = [("internal", 0.6), ("public", 0.2), ("private", 0.2)]

# Names of real people in the curated data are never generated.
RESERVED_NAMES = {"Dương Thị Nga", "Phạm Quang Thao", "Nghiêm Vũ Khải", "Lê Công Lương", "Lê Duy Tiến",
                  "Nguyễn Quyết Chiến", "Nguyễn Tuấn Phong", "Nguyễn Hoàng Vân", "Nguyễn Trọng Nghĩa"}


def _weighted(rng: random.Random, pairs: list[tuple[Any, float]]) -> Any:
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights, k=1)[0]


def real_ties() -> dict[str, list[str]]:
    """Ids of the real member associations, affiliated organisations and events (data/seed)."""
    from ingest.curated import read_bundle

    bundle, _ = read_bundle([PROJECT_ROOT / "data" / "seed"])
    out: dict[str, list[str]] = {"associations": [], "organisations": [], "events": []}
    for located in bundle.entities:
        entity = located.record
        if NodeKind.MEMBER_ASSOCIATION in entity.kinds:
            out["associations"].append(entity.id)
        elif NodeKind.AFFILIATED_ORGANISATION in entity.kinds:
            out["organisations"].append(entity.id)
        elif NodeKind.EVENT in entity.kinds and entity.id.startswith(("cafeo-", "event-")):
            out["events"].append(entity.id)
    return {k: sorted(v) for k, v in out.items()}


def generate(people: int = 3000, seed: int = 2024,
             ties: dict[str, list[str]] | None = None) -> tuple[list[EntityRecord], list[RelationshipRecord]]:
    rng = random.Random(seed)
    ties = ties or real_ties()
    source = lambda row: [SourceRef(document=ROSTER_DOCUMENT, line=row, method="sample")]  # noqa: E731
    entities: list[EntityRecord] = [EntityRecord(
        id=ROSTER_DOCUMENT, kinds=[NodeKind.DOCUMENT], name="Danh sách mẫu trí thức người Việt ở nước ngoài",
        name_en="Sample roster of overseas Vietnamese intellectuals",
        properties={"title": "Danh sách mẫu (dữ liệu giả lập)", "kind_of_text": "sample", "publisher": "generated"},
        sources=[SourceRef(document=ROSTER_DOCUMENT, method="sample")], sample=True)]
    relationships: list[RelationshipRecord] = []
    country_pairs = [(name, spec[0]) for name, spec in COUNTRIES.items()]
    field_pairs = list(FIELDS.items())
    used_names: set[str] = set()
    person_ids: list[str] = []
    by_field: dict[str, list[str]] = {}
    for index in range(1, people + 1):
        row = index + 1  # the header is row 1 of people.csv
        female = rng.random() < 0.38
        while True:
            name = " ".join([rng.choice(SURNAMES), rng.choice(MIDDLE_F if female else MIDDLE_M),
                             rng.choice(GIVEN_F if female else GIVEN_M)])
            if name not in RESERVED_NAMES and (name not in used_names or rng.random() < 0.2):
                break
        used_names.add(name)
        country = _weighted(rng, country_pairs)
        _, cities, institutions, language = COUNTRIES[country]
        city = rng.choice(cities)[0]
        fields = list(dict.fromkeys(_weighted(rng, field_pairs) for _ in range(rng.choice([1, 1, 2, 2, 3]))))
        person_id = f"{ID_PREFIX}{index:05d}"
        consent = rng.random() < 0.35
        login = slug(name).replace("-", ".")
        properties: dict[str, Any] = {
            "overseas": True,
            "gender": "nữ" if female else "nam",
            "country_of_residence": country,
            "city_of_residence": city,
            "institution": rng.choice(institutions),
            "position": rng.choice(POSITIONS),
            "expertise": fields,
            "degrees": [_weighted(rng, DEGREES)],
            "languages": list(dict.fromkeys(["Tiếng Việt", language, "Tiếng Anh"])),
            "years_abroad": rng.randint(2, 40),
            "consent": consent,
            "visibility": _weighted(rng, VISIBILITY),
            "email": f"{login}.{index}@example.org",
            "phone": f"+1 555 {index:04d}",
        }
        entities.append(EntityRecord(id=person_id, kinds=[NodeKind.PERSON], name=name, properties=properties,
                                     sources=source(row), sample=True))
        person_ids.append(person_id)
        for field in fields:
            by_field.setdefault(field, []).append(person_id)
            relationships.append(RelationshipRecord.model_validate(
                {"type": RelationshipType.FOCUSES_ON, "from": person_id, "to": field, "sources": source(row), "sample": True}))

    def tie(rel_type: RelationshipType, a: str, b: str, row: int, **props: Any) -> None:
        relationships.append(RelationshipRecord.model_validate(
            {"type": rel_type, "from": a, "to": b, "properties": props, "sources": source(row), "sample": True}))

    for index, person_id in enumerate(person_ids, start=2):
        if ties["associations"] and rng.random() < 0.3:
            tie(RelationshipType.MEMBER_OF, person_id, rng.choice(ties["associations"]), index, since=rng.randint(2000, 2023))
        if ties["events"] and rng.random() < 0.2:
            tie(RelationshipType.PARTICIPATES_IN, person_id, rng.choice(ties["events"]), index)
        if ties["organisations"] and rng.random() < 0.12:
            tie(RelationshipType.COOPERATES_WITH, person_id, rng.choice(ties["organisations"]), index,
                role="hợp tác nghiên cứu")
        if rng.random() < 0.03:
            target = rng.choice([HOME_ID, *ties["associations"]]) if ties["associations"] else HOME_ID
            tie(RelationshipType.ADVISES, person_id, target, index, role="cố vấn khoa học")
    # collaboration between people of the same field: a few connectors per field
    for field, members in sorted(by_field.items()):
        connectors = members[: max(1, len(members) // 60)]
        for person_id in members:
            if person_id not in connectors and rng.random() < 0.35:
                row = person_ids.index(person_id) + 2
                tie(RelationshipType.COOPERATES_WITH, person_id, rng.choice(connectors), row, role="đồng tác giả")
    unique: dict[str, RelationshipRecord] = {}
    for rel in relationships:
        unique.setdefault(rel.id, rel)
    return entities, list(unique.values())


PEOPLE_COLUMNS = ["id", "kinds", "name", "name_en", "aliases", "overseas", "gender", "country_of_residence",
                  "city_of_residence", "institution", "position", "expertise", "degrees", "languages",
                  "years_abroad", "consent", "visibility", "email", "phone", "sample"]
# No sources column: the tabular import cites the CSV file itself and the row (method "tabular").
TIE_COLUMNS = ["type", "from", "to", "role", "since", "sample"]


def write_csv(entities: list[EntityRecord], relationships: list[RelationshipRecord], out: Path) -> list[Path]:
    """The roster as CSV in the tabular-import format (lists joined with ';')."""
    out.mkdir(parents=True, exist_ok=True)

    def cell(value: Any) -> str:
        if isinstance(value, list):
            return "; ".join(str(v) for v in value)
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else str(value)

    people_path, ties_path = out / "diaspora-people.csv", out / "diaspora-ties.csv"
    with open(people_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PEOPLE_COLUMNS)
        for entity in entities:
            if NodeKind.PERSON not in entity.kinds:
                continue
            values = {**entity.properties, "id": entity.id, "kinds": NodeKind.PERSON.value, "name": entity.name,
                      "name_en": entity.name_en, "aliases": entity.aliases, "sample": True}
            writer.writerow([cell(values.get(column)) for column in PEOPLE_COLUMNS])
    with open(ties_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TIE_COLUMNS)
        for rel in relationships:
            writer.writerow([rel.type.value, rel.from_id, rel.to_id, cell(rel.properties.role),
                             cell(rel.properties.since), "true"])
    return [people_path, ties_path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.sample_roster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    entities, relationships = generate(args.people, args.seed)
    paths = write_csv(entities, relationships, args.out)
    print(f"Wrote {sum(1 for e in entities if NodeKind.PERSON in e.kinds)} sample people and "
          f"{len(relationships)} ties to {', '.join(map(str, paths))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
