"""``python -m ingest.sample_portfolio`` — generate the sample aid-project portfolio.

Real project lists are not public, so the partner finder is shown and measured on a sample
portfolio (``data/sample/portfolio.yaml``), generated here deterministically (a fixed random
seed; the same inputs give the same file, byte for byte) so that its totals and distributions
match what the seed documents report about VUSTA's affiliated organisations:

* 2019: 50 foreign NGO aid items worth about USD 9.5 million and 6 ODA projects worth about
  USD 5.4 million; 26 recipient organisations; SCDI the top recipient with 7 projects;
  sizes: 58% under USD 100,000 (a few under 10,000), 30% (15) between 100,000 and 400,000,
  12% (6) above 400,000 of which 2 near USD 2 million;
* 2018: 89 projects worth over USD 8 million, about 40 recipient organisations, SCDI 13;
* 2011–2021: NGO aid stable at USD 9–10 million a year (ODA projects come on top, as in 2019);
* themes: 25% social issues (HIV/AIDS, disability, gender, drugs), 20% health, 20% environment,
  climate and energy, 35% other fields (education, capacity building, legal support…);
* places: mostly the North and the Centre, about 10% in the Mekong Delta (water, climate);
* donor origins: mostly the United States, then German NGOs, regional networks, then France,
  the Netherlands and Britain; about 70% of projects last one year, 30% one to three years.

Donors are drawn in proportion to a prior by origin × how well their public profile
(data/reference/donor_profiles.yaml: themes, grant sizes, regions) fits the project, so the
portfolio is plausible — and the partner finder's backtest on it must be read with that in mind
(see queries/backtest.py). Every record is marked ``sample: true`` and cites the document
``sample-portfolio``; names carry "(mẫu)"/"(sample)".

Usage::

    python -m ingest.sample_portfolio            # write data/sample/portfolio.yaml, print a summary
    python -m ingest.sample_portfolio --check    # regenerate in memory; fail if the file differs
    python -m ingest.sample_portfolio --json     # the summary as one JSON document
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from graph.schema import NodeKind, RelationshipType
from graph.settings import PROJECT_ROOT
from ingest.curated import InvalidInput, read_bundle

DATA = PROJECT_ROOT / "data"
OUTPUT = DATA / "sample" / "portfolio.yaml"
INPUTS = (DATA / "reference" / "donor_profiles.yaml", DATA / "reference" / "themes.yaml",
          DATA / "reference" / "provinces.yaml", DATA / "seed" / "places.yaml")
SEED = 20190101
DOCUMENT = "sample-portfolio"
FIRST_YEAR, LAST_YEAR = 2011, 2021

# --- what the documents report, and the choices made where they are silent ------------------

@dataclass(frozen=True)
class YearPlan:
    ngo_count: int
    ngo_total: float
    oda_count: int
    oda_total: float
    recipients: int
    scdi: int
    # size bands of the NGO aid items: (under 100k, 100k–400k, over 400k, of which near 2M)
    bands: tuple[int, int, int, int]


def year_plans() -> dict[int, YearPlan]:
    """2018 and 2019 as the documents report them; the other years at USD 9–10 million."""
    rng = random.Random(SEED)
    plans: dict[int, YearPlan] = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        if year == 2019:
            plans[year] = YearPlan(50, 9_500_000, 6, 5_400_000, 26, 7, (29, 15, 6, 2))
        elif year == 2018:
            plans[year] = YearPlan(87, 7_150_000, 2, 1_200_000, 40, 13, (63, 22, 2, 0))
        else:
            count = rng.randint(66, 74) if year >= 2020 else rng.randint(80, 88)
            total = rng.randint(90, 100) * 100_000
            big = rng.choice((4, 5))
            mid = round(count * 0.29)
            plans[year] = YearPlan(count, float(total), rng.choice((2, 3)), float(rng.randint(15, 30) * 100_000),
                                   rng.randint(32, 38), rng.randint(8, 12), (count - mid - big, mid, big, 0))
    return plans


THEME_GROUPS: dict[str, tuple[float, dict[str, float]]] = {
    "social": (0.25, {"hiv-aids": 0.35, "disability": 0.2, "gender": 0.2, "drugs-prostitution": 0.12, "children": 0.13}),
    "health": (0.20, {"health": 0.35, "reproductive-health": 0.3, "tuberculosis-malaria": 0.1,
                      "nutrition-food-security": 0.15, "vaccines": 0.05, "covid-recovery": 0.0}),
    "environment": (0.20, {"climate-change": 0.3, "environment": 0.18, "water": 0.15, "energy": 0.1, "biodiversity": 0.1,
                           "forestry": 0.07, "disaster-response": 0.06, "ocean-plastic": 0.04}),
    "other": (0.35, {"education": 0.17, "capacity-building": 0.17, "legal-reform": 0.12, "agriculture": 0.12,
                     "poverty-reduction": 0.1, "livelihoods": 0.06, "ethnic-minority-areas": 0.06,
                     "governance-civil-society": 0.05, "science-technology": 0.04, "digital-transformation": 0.03,
                     "technology-transfer": 0.03, "human-rights": 0.02, "war-legacy": 0.02, "employment-labour": 0.02,
                     "marine-economy": 0.02}),
}
COMPANIONS = {
    "social": ["capacity-building", "human-rights", "gender", "children", "health"],
    "health": ["capacity-building", "children", "gender", "social-issues", "ethnic-minority-areas"],
    "environment": ["livelihoods", "capacity-building", "agriculture", "disaster-response", "climate-change", "water"],
    "other": ["capacity-building", "gender", "ethnic-minority-areas", "poverty-reduction", "livelihoods"],
}
# Regions (ids of Place entities) and the share of projects outside the Mekong Delta.
MEKONG = "place-mekong-delta"
REGION_SHARES = {"place-northern-provinces": 0.58, "place-central-vietnam": 0.28, "place-central-highlands": 0.07,
                 "place-south-east-vietnam": 0.07}
MEKONG_SHARE = 0.10
# Prior weights of donor origin groups for NGO aid, tuned so that the drawn projects come out in
# the documents' order ("mostly the US, then German NGOs, regional networks, then France, the
# Netherlands, Britain"): the Dutch and British donors in the profiles fund narrower themes, so
# their prior is set higher than their resulting share.
ORIGIN_SHARES = {"us": 0.34, "germany": 0.20, "regional": 0.19, "france": 0.085, "netherlands": 0.12, "uk": 0.045,
                 "other": 0.07}
ORIGIN_OF_COUNTRY = {"Hoa Kỳ": "us", "Đức": "germany", "Pháp": "france", "Hà Lan": "netherlands", "Anh": "uk"}
# How many small projects a kind of donor typically funds through Vietnamese organisations.
SECTOR_REACH = {"international NGO": 1.3, "church-based NGO": 1.3, "foundation": 1.0, "regional network": 1.0,
                "political foundation": 0.8, "university": 0.5, "research NGO": 0.5, "government research funder": 0.5,
                "company": 0.5, "cultural institute": 0.5}
# Donors known to have started or stopped giving in Vietnam within the period.
ACTIVE_YEARS = {
    "atlantic-philanthropies": (2011, 2013), "sida": (2011, 2012), "sdc": (2011, 2016), "embassy-finland": (2011, 2017),
    "ford-foundation": (2011, 2017), "mcknight-foundation": (2011, 2018), "icco": (2011, 2020),
    "ecf": (2017, 2021), "microsoft": (2016, 2021), "green-climate-fund": (2016, 2021), "apcaso": (2014, 2021),
    "gavi": (2011, 2021), "usaid": (2011, 2021),
}


@dataclass(frozen=True)
class SampleOrganisation:
    key: str
    name: str
    name_en: str
    themes: tuple[str, ...]
    province: str


# Fictional affiliated S&T organisations (kind AffiliatedOrganisation, sample: true).
SAMPLE_ORGANISATIONS: tuple[SampleOrganisation, ...] = tuple(SampleOrganisation(*row) for row in (
    ("chc", "Trung tâm Hỗ trợ Sức khỏe Cộng đồng", "Centre for Community Health Support", ("health", "reproductive-health", "nutrition-food-security"), "place-ha-noi"),
    ("ihr", "Viện Nghiên cứu Sức khỏe và Phát triển", "Institute for Health Research and Development", ("health", "tuberculosis-malaria", "science-technology"), "place-ha-noi"),
    ("rhc", "Trung tâm Sức khỏe Sinh sản và Gia đình", "Centre for Reproductive and Family Health", ("reproductive-health", "gender", "children"), "place-ha-noi"),
    ("ahc", "Trung tâm Phòng chống HIV/AIDS Cộng đồng", "Community HIV/AIDS Action Centre", ("hiv-aids", "drugs-prostitution", "health"), "place-hai-phong"),
    ("hrd", "Trung tâm Giảm tác hại và Phát triển", "Harm Reduction and Development Centre", ("drugs-prostitution", "hiv-aids", "social-issues"), "place-ha-noi"),
    ("cdi", "Trung tâm Hòa nhập Người khuyết tật", "Centre for Disability Inclusion", ("disability", "education", "social-issues"), "place-ha-noi"),
    ("dra", "Trung tâm Phục hồi Chức năng và Hòa nhập", "Rehabilitation and Inclusion Centre", ("disability", "health", "war-legacy"), "place-quang-tri"),
    ("cge", "Trung tâm Nghiên cứu Giới và Phát triển", "Centre for Gender and Development Studies", ("gender", "human-rights", "employment-labour"), "place-ha-noi"),
    ("wep", "Trung tâm Trao quyền cho Phụ nữ", "Women's Empowerment Centre", ("gender", "livelihoods", "ethnic-minority-areas"), "place-nghe-an"),
    ("ccr", "Trung tâm Quyền Trẻ em", "Children's Rights Centre", ("children", "education", "human-rights"), "place-ha-noi"),
    ("ycd", "Trung tâm Thanh thiếu niên và Phát triển", "Youth and Development Centre", ("children", "reproductive-health", "education"), "place-da-nang"),
    ("cca", "Trung tâm Thích ứng Biến đổi Khí hậu", "Climate Change Adaptation Centre", ("climate-change", "disaster-response", "water"), "place-thua-thien-hue"),
    ("mdw", "Trung tâm Nước và Biến đổi Khí hậu vùng Mekong", "Mekong Water and Climate Centre", ("water", "climate-change", "agriculture"), "place-can-tho"),
    ("mdl", "Viện Sinh kế Đồng bằng", "Delta Livelihoods Institute", ("livelihoods", "agriculture", "climate-change"), "place-an-giang"),
    ("cen", "Trung tâm Con người và Thiên nhiên", "Centre for People and Nature", ("biodiversity", "forestry", "environment"), "place-ha-noi"),
    ("fcd", "Trung tâm Rừng và Phát triển Cộng đồng", "Forests and Community Development Centre", ("forestry", "ethnic-minority-areas", "livelihoods"), "place-dak-lak"),
    ("gec", "Trung tâm Năng lượng Xanh", "Green Energy Centre", ("energy", "climate-change", "green-growth"), "place-ha-noi"),
    ("epi", "Viện Chính sách Môi trường", "Environmental Policy Institute", ("environment", "social-criticism", "climate-change"), "place-ha-noi"),
    ("cpw", "Trung tâm Giảm thiểu Rác thải Nhựa", "Plastic Waste Reduction Centre", ("ocean-plastic", "environment", "marine-economy"), "place-khanh-hoa"),
    ("ddr", "Trung tâm Phòng tránh Thiên tai", "Disaster Risk Reduction Centre", ("disaster-response", "climate-change", "children"), "place-quang-binh"),
    ("ced", "Trung tâm Giáo dục và Phát triển", "Centre for Education and Development", ("education", "children", "ethnic-minority-areas"), "place-lao-cai"),
    ("vti", "Viện Đào tạo Nghề và Việc làm", "Vocational Training and Employment Institute", ("education", "employment-labour", "capacity-building"), "place-ha-noi"),
    ("oca", "Trung tâm Phát triển Năng lực Tổ chức", "Organisational Capacity Development Centre", ("capacity-building", "governance-civil-society", "social-criticism"), "place-ha-noi"),
    ("pdc", "Trung tâm Tư vấn Chính sách và Phát triển", "Policy and Development Advisory Centre", ("social-criticism", "governance-civil-society", "capacity-building"), "place-ho-chi-minh-city"),
    ("lsc", "Trung tâm Hỗ trợ Pháp lý Cộng đồng", "Community Legal Support Centre", ("legal-reform", "human-rights", "gender"), "place-ha-noi"),
    ("lrp", "Viện Nghiên cứu Pháp luật và Chính sách", "Law and Policy Research Institute", ("legal-reform", "governance-civil-society", "free-trade"), "place-ha-noi"),
    ("aec", "Trung tâm Khuyến nông và Phát triển Nông thôn", "Agricultural Extension and Rural Development Centre", ("agriculture", "new-rural-development", "livelihoods"), "place-thai-nguyen"),
    ("oac", "Trung tâm Nông nghiệp Hữu cơ", "Organic Agriculture Centre", ("agriculture", "nutrition-food-security", "environment"), "place-hoa-binh"),
    ("prc", "Trung tâm Giảm nghèo và Sinh kế Miền núi", "Mountain Poverty Reduction and Livelihoods Centre", ("poverty-reduction", "ethnic-minority-areas", "livelihoods"), "place-ha-giang"),
    ("emd", "Viện Phát triển Vùng Dân tộc Thiểu số", "Institute for Ethnic Minority Development", ("ethnic-minority-areas", "poverty-reduction", "education"), "place-son-la"),
    ("hcd", "Trung tâm Phát triển Cộng đồng Tây Nguyên", "Central Highlands Community Development Centre", ("ethnic-minority-areas", "livelihoods", "forestry"), "place-gia-lai"),
    ("cdc", "Trung tâm Phát triển Cộng đồng Miền Trung", "Central Coast Community Development Centre", ("poverty-reduction", "disaster-response", "livelihoods"), "place-quang-ngai"),
    ("sti", "Viện Ứng dụng Khoa học và Công nghệ", "Institute for Applied Science and Technology", ("science-technology", "technology-transfer", "agriculture"), "place-ha-noi"),
    ("dti", "Trung tâm Chuyển đổi số và Đổi mới Sáng tạo", "Digital Transformation and Innovation Centre", ("digital-transformation", "technical-innovation", "education"), "place-da-nang"),
    ("ttc", "Trung tâm Chuyển giao Công nghệ", "Technology Transfer Centre", ("technology-transfer", "agriculture", "energy"), "place-nghe-an"),
    ("mrc", "Trung tâm Nghiên cứu Biển và Ven biển", "Marine and Coastal Research Centre", ("marine-economy", "biodiversity", "climate-change"), "place-khanh-hoa"),
    ("fis", "Trung tâm Sinh kế Ngư dân", "Fishers' Livelihoods Centre", ("marine-economy", "livelihoods", "poverty-reduction"), "place-binh-dinh"),
    ("wlr", "Trung tâm Khắc phục Hậu quả Chiến tranh", "War Legacies Recovery Centre", ("war-legacy", "disability", "health"), "place-quang-tri"),
    ("lab", "Trung tâm Nghiên cứu Lao động và Di cư", "Labour and Migration Research Centre", ("employment-labour", "gender", "social-issues"), "place-bac-ninh"),
    ("nut", "Trung tâm Dinh dưỡng Cộng đồng", "Community Nutrition Centre", ("nutrition-food-security", "children", "health"), "place-thanh-hoa"),
    ("wsh", "Trung tâm Nước sạch và Vệ sinh Môi trường", "Clean Water and Sanitation Centre", ("water", "health", "environment"), "place-ha-tinh"),
    ("hrs", "Trung tâm Nghiên cứu Quyền Con người", "Human Rights Research Centre", ("human-rights", "legal-reform", "disability"), "place-ha-noi"),
    ("urb", "Trung tâm Phát triển Đô thị Bền vững", "Sustainable Urban Development Centre", ("urban-development", "environment", "climate-change"), "place-ho-chi-minh-city"),
    ("sec", "Trung tâm Hỗ trợ Người cao tuổi", "Centre for Older People", ("social-issues", "health", "poverty-reduction"), "place-nam-dinh"),
))
# Organisations of the seed data that also receive projects, with their fields of work.
SEED_RECIPIENTS: dict[str, tuple[str, ...]] = {
    "scdi": ("hiv-aids", "drugs-prostitution", "social-issues", "health", "capacity-building", "disability"),
    "srd": ("agriculture", "livelihoods", "climate-change", "forestry", "new-rural-development", "poverty-reduction"),
    "vifotec": ("technical-innovation", "science-technology", "technology-transfer"),
    "hoi-luat-gia": ("legal-reform", "human-rights", "governance-civil-society"),
    "hoi-nghe-ca": ("marine-economy", "livelihoods"),
    "hoi-khoa-hoc-ky-thuat-bien": ("marine-economy", "ocean-plastic", "climate-change", "biodiversity"),
}
SEED_HOME = {"scdi": "place-ha-noi", "srd": "place-ha-noi", "vifotec": "place-ha-noi", "hoi-luat-gia": "place-ha-noi",
             "hoi-nghe-ca": "place-ha-noi", "hoi-khoa-hoc-ky-thuat-bien": "place-ha-noi"}

TITLES = (("Tăng cường {t} dựa vào cộng đồng", "Strengthening community action on {t}"),
          ("Nâng cao năng lực về {t}", "Building capacity on {t}"),
          ("Mô hình thí điểm về {t}", "Pilot model for {t}"),
          ("Thúc đẩy {t} ở cấp cơ sở", "Promoting {t} at grassroots level"),
          ("Nghiên cứu và vận động chính sách về {t}", "Research and policy advocacy on {t}"))


# --- the reference data the generator reads -------------------------------------------------

@dataclass
class Donor:
    id: str
    name: str
    origin: str
    instruments: tuple[str, ...]
    low: float
    high: float
    regions: tuple[str, ...]
    nationwide: bool
    themes: tuple[str, ...]
    sector: str


@dataclass
class Reference:
    donors: list[Donor]
    theme_names: dict[str, tuple[str, str]]
    broader: dict[str, set[str]]
    provinces: dict[str, list[str]]            # region id -> province ids
    province_names: dict[str, tuple[str, str]]
    province_region: dict[str, str]
    region_names: dict[str, tuple[str, str]] = field(default_factory=dict)

    def similarity(self, a: str, b: str) -> float:
        """1 for the same theme, 0.5 along a PART_OF link, 0.25 for themes sharing a broader one."""
        if a == b:
            return 1.0
        if b in self.broader.get(a, ()) or a in self.broader.get(b, ()):
            return 0.5
        if self.broader.get(a, set()) & self.broader.get(b, set()):
            return 0.25
        return 0.0


REGION_WORDS = {"miền bắc": "place-northern-provinces", "miền trung": "place-central-vietnam",
                "tây nguyên": "place-central-highlands", "đông nam bộ": "place-south-east-vietnam",
                "đồng bằng sông cửu long": MEKONG}


def read_reference(paths: Iterable[Path] = INPUTS) -> Reference:
    bundle, problems = read_bundle(list(paths))
    if problems:
        raise InvalidInput(problems)
    entities = {located.record.id: located.record for located in bundle.entities}
    broader: dict[str, set[str]] = defaultdict(set)
    province_region: dict[str, str] = {}
    for located in bundle.relationships:
        rel = located.record
        if rel.type == RelationshipType.PART_OF and rel.from_id.startswith("theme-"):
            broader[rel.from_id].add(rel.to_id)
        if rel.type == RelationshipType.LOCATED_IN and rel.to_id in (*REGION_SHARES, MEKONG):
            province_region[rel.from_id] = rel.to_id
    province_region["place-da-nang"] = "place-central-vietnam"  # stated in the seed relationships
    provinces: dict[str, list[str]] = defaultdict(list)
    for province, region in sorted(province_region.items()):
        provinces[region].append(province)
    donors = []
    for entity in entities.values():
        if NodeKind.DONOR not in entity.kinds:
            continue
        props = entity.properties
        geo = [str(g).lower() for g in props.get("geographic_focus", [])]
        themes = tuple(sorted(r.record.to_id for r in bundle.relationships
                              if r.record.type == RelationshipType.FOCUSES_ON and r.record.from_id == entity.id))
        donors.append(Donor(
            id=entity.id, name=entity.name, origin=str(props.get("origin_country", "")),
            instruments=tuple(props.get("instruments", [])), low=float(props.get("typical_grant_min_usd", 10_000)),
            high=float(props.get("typical_grant_max_usd", 500_000)),
            regions=tuple(REGION_WORDS[g] for g in geo if g in REGION_WORDS), nationwide="toàn quốc" in geo,
            themes=themes, sector=str(props.get("sector", ""))))
    # the five FOCUSES_ON links the seed documents state (global-fund, gavi, unicef, gef, ecf)
    seed_focus = {"global-fund": "theme-hiv-aids", "gavi": "theme-vaccines", "unicef": "theme-children",
                  "gef": "theme-environment", "ecf": "theme-climate-change"}
    for donor in donors:
        if donor.id in seed_focus and seed_focus[donor.id] not in donor.themes:
            donor.themes = tuple(sorted({*donor.themes, seed_focus[donor.id]}))
    donors.sort(key=lambda d: d.id)
    names = {e.id: (e.name, e.name_en or e.name) for e in entities.values()}
    return Reference(
        donors=donors,
        theme_names={i: n for i, n in names.items() if i.startswith("theme-")},
        broader=dict(broader), provinces=dict(provinces),
        province_names={i: names[i] for i in province_region if i in names},
        province_region=province_region,
        region_names={i: names[i] for i in (*REGION_SHARES, MEKONG) if i in names})


# --- generation --------------------------------------------------------------------------------

@dataclass
class Project:
    id: str
    year: int
    instrument: str
    group: str
    themes: list[str]
    region: str
    provinces: list[str]
    amount: float = 0.0
    duration: int = 1
    donor: str = ""
    recipient: str = ""
    title: int = 0


def _largest_remainder(total: int, shares: dict[str, float]) -> dict[str, int]:
    raw = {k: total * v for k, v in shares.items()}
    counts = {k: int(math.floor(v)) for k, v in raw.items()}
    for key in sorted(raw, key=lambda k: (counts[k] - raw[k], k))[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def _weighted(rng: random.Random, items: list[str], weights: list[float]) -> str:
    return rng.choices(items, weights=weights, k=1)[0]


def _amounts(rng: random.Random, plan: YearPlan) -> list[float]:
    """NGO item sizes by band, rescaled within the bands so that they add up to the year's total."""
    small, mid, big, near_2m = plan.bands
    values: list[tuple[float, float, float]] = []  # (value, low, high)
    for i in range(small):
        low = 4_000.0 if i < 3 else 10_000.0
        values.append((math.exp(rng.uniform(math.log(12_000), math.log(95_000))), low, 99_000.0))
    for _ in range(mid):
        values.append((math.exp(rng.uniform(math.log(110_000), math.log(380_000))), 100_000.0, 400_000.0))
    for i in range(big):
        if i < near_2m:
            values.append((rng.uniform(1_850_000, 1_980_000), 1_850_000.0, 1_990_000.0))
        else:
            values.append((math.exp(rng.uniform(math.log(420_000), math.log(1_100_000))), 401_000.0, 1_500_000.0))
    if small >= 3:  # "still a few projects under USD 10,000"
        for i in range(min(2, small)):
            values[i] = (rng.uniform(5_000, 9_500), 4_000.0, 9_900.0)
    return _rescale(values, plan.ngo_total)


def _rescale(values: list[tuple[float, float, float]], total: float) -> list[float]:
    amounts = [v for v, _, _ in values]
    for _ in range(50):
        current = sum(amounts)
        if abs(current - total) < 1:
            break
        movable = [i for i, (_, low, high) in enumerate(values)
                   if (current < total and amounts[i] < high) or (current > total and amounts[i] > low)]
        if not movable:
            break
        base = sum(amounts[i] for i in movable)
        factor = (base + total - current) / base
        for i in movable:
            amounts[i] = min(max(amounts[i] * factor, values[i][1]), values[i][2])
    return [round(a / 100) * 100 for a in amounts]


def _donor_prior(donor: Donor, instrument: str, origin_counts: Counter[str], scale: dict[str, float]) -> float:
    if instrument == "ODA":
        return scale[donor.id]
    group = _origin_group(donor)
    return ORIGIN_SHARES[group] / origin_counts[group] * scale[donor.id]


def _origin_group(donor: Donor) -> str:
    if donor.sector == "regional network":
        return "regional"
    return ORIGIN_OF_COUNTRY.get(donor.origin, "other")


def _eligible(donor: Donor, instrument: str, year: int) -> bool:
    """Active that year, and giving through the instrument: ODA for ODA projects; NGO aid or
    grants (foundations, NGOs, embassies' small-grant funds, the GEF Small Grants Programme…)
    for NGO aid items."""
    first, last = ACTIVE_YEARS.get(donor.id, (FIRST_YEAR, LAST_YEAR))
    if not first <= year <= last:
        return False
    if instrument == "ODA":
        return "ODA" in donor.instruments
    return "NGO aid" in donor.instruments or "grant" in donor.instruments


def _size_fit(donor: Donor, amount: float) -> float:
    if donor.low <= amount <= donor.high:
        return 1.0
    edge = donor.low if amount < donor.low else donor.high
    return math.exp(-1.5 * abs(math.log(amount / edge)))


def _theme_affinity(ref: Reference, themes: list[str], donor_themes: Iterable[str]) -> float:
    donor_themes = list(donor_themes)
    primary = max((ref.similarity(themes[0], d) for d in donor_themes), default=0.0)
    secondary = max((ref.similarity(t, d) for t in themes[1:] for d in donor_themes), default=0.0)
    return max(primary + 0.3 * secondary, 0.02)


def generate(ref: Reference | None = None) -> dict[str, Any]:
    """The sample portfolio: ``{"organisations": [...], "projects": [...]}`` (plain data)."""
    ref = ref or read_reference()
    rng = random.Random(SEED)
    plans = year_plans()
    scale = {d.id: math.exp(rng.gauss(0, 0.45)) * SECTOR_REACH.get(d.sector, 1.0) for d in ref.donors}
    organisations = _organisations(ref)
    org_weight = {key: 1.0 / (rank + 1) ** 0.7 for rank, key in
                  enumerate(rng.sample(sorted(organisations), len(organisations)))}
    projects: list[Project] = []
    for year, plan in sorted(plans.items()):
        projects += _year_projects(rng, ref, year, plan, scale, organisations, org_weight)
    return {"organisations": organisations, "projects": projects, "plans": plans, "reference": ref}


def _organisations(ref: Reference) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key, themes in SEED_RECIPIENTS.items():
        out[key] = {"id": key, "themes": ["theme-" + t for t in themes], "province": SEED_HOME[key], "sample": False}
    for org in SAMPLE_ORGANISATIONS:
        out[f"sample-org-{org.key}"] = {"id": f"sample-org-{org.key}", "themes": ["theme-" + t for t in org.themes],
                                        "province": org.province, "sample": True, "record": org}
    return out


def _year_projects(rng: random.Random, ref: Reference, year: int, plan: YearPlan, scale: dict[str, float],
                   organisations: dict[str, dict[str, Any]], org_weight: dict[str, float]) -> list[Project]:
    total = plan.ngo_count + plan.oda_count
    groups = _largest_remainder(total, {g: share for g, (share, _) in THEME_GROUPS.items()})
    group_list = [g for g in THEME_GROUPS for _ in range(groups[g])]
    rng.shuffle(group_list)
    projects: list[Project] = []
    for index, group in enumerate(group_list):
        weights = dict(THEME_GROUPS[group][1])
        if year >= 2020 and group == "health":
            weights["covid-recovery"], weights["vaccines"] = 0.35, 0.15
        if year < 2017:
            weights.pop("digital-transformation", None)
            weights.pop("ocean-plastic", None)
        keys = sorted(weights)
        primary = "theme-" + _weighted(rng, keys, [weights[k] for k in keys])
        themes = [primary]
        if rng.random() < 0.5:
            companion = "theme-" + rng.choice(COMPANIONS[group])
            if companion != primary:
                themes.append(companion)
        instrument = "ODA" if index < plan.oda_count else "NGO aid"
        projects.append(Project(id=f"sample-project-{year}-{index + 1:03d}", year=year, instrument=instrument,
                                group=group, themes=themes, region="", provinces=[], title=rng.randrange(len(TITLES))))
    _place(rng, ref, projects)
    ngo = [p for p in projects if p.instrument == "NGO aid"]
    for project, amount in zip(rng.sample(ngo, len(ngo)), _amounts(rng, plan)):
        project.amount = amount
    oda = [p for p in projects if p.instrument == "ODA"]
    oda_values = [(math.exp(rng.uniform(math.log(450_000), math.log(1_500_000))), 400_000.0, 2_000_000.0) for _ in oda]
    for project, amount in zip(oda, _rescale(oda_values, plan.oda_total)):
        project.amount = amount
    for project in projects:
        project.duration = 1 if rng.random() < 0.7 else rng.choice((2, 3))
        _choose_donor(rng, ref, project, scale)
    _assign_recipients(rng, projects, plan, organisations, org_weight, ref)
    return projects


def _place(rng: random.Random, ref: Reference, projects: list[Project]) -> None:
    """About 10% in the Mekong Delta (water and climate first), the rest mostly North and Centre."""
    mekong_count = round(len(projects) * MEKONG_SHARE)
    def mekong_fit(p: Project) -> float:
        water_climate = {"theme-water", "theme-climate-change"} & set(p.themes)
        return (2.0 if water_climate else 1.0 if p.group == "environment" else
                0.5 if {"theme-agriculture", "theme-livelihoods"} & set(p.themes) else 0.0) + rng.random() * 0.1
    for project in sorted(projects, key=mekong_fit, reverse=True)[:mekong_count]:
        project.region = MEKONG
        if not {"theme-water", "theme-climate-change"} & set(project.themes):
            project.themes.append(rng.choice(("theme-water", "theme-climate-change")))
    regions = sorted(REGION_SHARES)
    for project in projects:
        if not project.region:
            project.region = _weighted(rng, regions, [REGION_SHARES[r] for r in regions])
        candidates = ref.provinces[project.region]
        weights = [6.0 if p == "place-ha-noi" else 2.0 if p in ("place-can-tho", "place-da-nang", "place-thua-thien-hue",
                                                                  "place-ho-chi-minh-city") else 1.0 for p in candidates]
        first = _weighted(rng, candidates, weights)
        project.provinces = [first]
        if rng.random() < 0.25:
            second = rng.choice(candidates)
            if second != first:
                project.provinces.append(second)


def _choose_donor(rng: random.Random, ref: Reference, project: Project, scale: dict[str, float]) -> None:
    eligible = [d for d in ref.donors if _eligible(d, project.instrument, project.year)]
    origin_counts = Counter(_origin_group(d) for d in eligible)
    weights = []
    for donor in eligible:
        geo = 1.0 if project.region in donor.regions else 0.8 if donor.nationwide else 0.3
        weights.append(_donor_prior(donor, project.instrument, origin_counts, scale)
                       * _theme_affinity(ref, project.themes, donor.themes) ** 2
                       * _size_fit(donor, project.amount) * geo)
    project.donor = _weighted(rng, [d.id for d in eligible], weights)


def _org_affinity(ref: Reference, org: dict[str, Any], project: Project) -> float:
    fit = _theme_affinity(ref, project.themes, org["themes"])
    home = ref.province_region.get(org["province"])
    return fit * (1.5 if home == project.region else 1.0)


def _assign_recipients(rng: random.Random, projects: list[Project], plan: YearPlan,
                       organisations: dict[str, dict[str, Any]], org_weight: dict[str, float], ref: Reference) -> None:
    others = sorted(k for k in organisations if k != "scdi")
    chosen: list[str] = []
    pool = list(others)
    while len(chosen) < plan.recipients - 1:
        pick = _weighted(rng, pool, [org_weight[k] for k in pool])
        chosen.append(pick)
        pool.remove(pick)
    scdi = organisations["scdi"]
    ranked = sorted(projects, key=lambda p: (-_org_affinity(ref, scdi, p), rng.random()))
    for project in ranked[: plan.scdi]:
        project.recipient = "scdi"
    cap = plan.scdi - 1  # SCDI stays the top recipient, as the documents say for 2018 and 2019
    counts: Counter[str] = Counter()
    for project in projects:
        if project.recipient:
            continue
        open_orgs = [k for k in chosen if counts[k] < cap] or chosen
        weights = [org_weight[k] * max(_org_affinity(ref, organisations[k], project), 0.05) for k in open_orgs]
        project.recipient = _weighted(rng, open_orgs, weights)
        counts[project.recipient] += 1
    # every chosen organisation receives at least one project
    for _ in range(200):
        counts = Counter(p.recipient for p in projects)
        idle = [k for k in chosen if counts[k] == 0]
        if not idle:
            break
        org = idle[0]
        givers = [p for p in projects if p.recipient not in ("scdi", org) and counts[p.recipient] > 1]
        best = max(givers, key=lambda p: (_org_affinity(ref, organisations[org], p), p.id))
        best.recipient = org


# --- the YAML file --------------------------------------------------------------------------

def _q(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _flow(mapping: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {_q(v)}" for k, v in mapping.items()) + "}"


SOURCE = "[{document: sample-portfolio, method: generated}]"


def render(portfolio: dict[str, Any]) -> str:
    ref: Reference = portfolio["reference"]
    projects: list[Project] = portfolio["projects"]
    lines = [
        "# GENERATED by `python -m ingest.sample_portfolio` — do not edit by hand; change the generator.",
        "# A SAMPLE portfolio of past aid projects of VUSTA's affiliated organisations, made up so that its",
        "# totals and distributions match what the seed documents report (see the generator's docstring",
        "# and data/README.md). Every record is marked sample: true and cites `sample-portfolio`.",
        "",
        "documents:",
        "  - id: sample-portfolio",
        '    title: "Danh mục dự án viện trợ mẫu (sinh tự động, không phải dữ liệu thật)"',
        '    title_en: "Sample aid-project portfolio (generated, not real data)"',
        '    published: "2024"',
        '    publisher: "generated by python -m ingest.sample_portfolio"',
        '    kind_of_text: "sample"',
        "",
        "entities:",
    ]
    for key, org in sorted(portfolio["organisations"].items()):
        if not org["sample"]:
            continue
        record: SampleOrganisation = org["record"]
        lines += [
            f"  - id: {key}",
            "    kinds: [AffiliatedOrganisation]",
            f"    name: {_q(record.name + ' (mẫu)')}",
            f"    name_en: {_q(record.name_en + ' (sample)')}",
            f"    aliases: [{_q(record.key.upper() + ' (mẫu)')}]",
            f"    properties: {_flow({'country': 'Việt Nam', 'abbreviation': record.key.upper()})}",
            "    sample: true",
            f"    sources: {SOURCE}",
        ]
    for project in projects:
        name_vi, name_en = ref.theme_names[project.themes[0]]
        place_vi, place_en = ref.province_names[project.provinces[0]]
        title_vi, title_en = TITLES[project.title]
        props = {
            "year": project.year, "start_year": project.year, "end_year": project.year + project.duration - 1,
            "amount_usd": int(project.amount), "instrument": project.instrument, "themes": project.themes,
            "provinces": project.provinces, "region": project.region,
        }
        lines += [
            f"  - id: {project.id}",
            "    kinds: [Project]",
            f"    name: {_q('(Mẫu) ' + title_vi.format(t=name_vi.lower()) + f' – {place_vi} ({project.year})')}",
            f"    name_en: {_q('(Sample) ' + title_en.format(t=name_en.lower()) + f' – {place_en} ({project.year})')}",
            f"    properties: {_flow(props)}",
            "    sample: true",
            f"    sources: {SOURCE}",
        ]
    lines += ["", "relationships:"]
    for key, org in sorted(portfolio["organisations"].items()):
        if not org["sample"]:
            continue
        lines.append(f"  - {{type: AFFILIATED_WITH, from: {key}, to: vusta, properties: {{role: \"tổ chức trực thuộc (mẫu)\"}}, "
                     f"sample: true, sources: {SOURCE}}}")
        lines.append(f"  - {{type: LOCATED_IN, from: {key}, to: {org['province']}, sample: true, sources: {SOURCE}}}")
        for theme in org["themes"]:
            lines.append(f"  - {{type: FOCUSES_ON, from: {key}, to: {theme}, sample: true, sources: {SOURCE}}}")
    for project in projects:
        funds = {"amount": int(project.amount), "currency": "USD", "year": project.year}
        lines.append(f"  - {{type: FUNDS, from: {project.donor}, to: {project.id}, properties: {_flow(funds)}, "
                     f"sample: true, sources: {SOURCE}}}")
        lines.append(f"  - {{type: IMPLEMENTS, from: {project.recipient}, to: {project.id}, "
                     f"properties: {{role: \"chủ dự án\", year: {project.year}}}, sample: true, sources: {SOURCE}}}")
        for theme in project.themes:
            lines.append(f"  - {{type: FOCUSES_ON, from: {project.id}, to: {theme}, sample: true, sources: {SOURCE}}}")
        for province in project.provinces:
            lines.append(f"  - {{type: LOCATED_IN, from: {project.id}, to: {province}, sample: true, sources: {SOURCE}}}")
    return "\n".join(lines) + "\n"


# --- checking it against the documents --------------------------------------------------------

def summarise(projects: list[dict[str, Any]], origin_of: dict[str, str] | None = None) -> dict[str, Any]:
    """Totals and distributions of a portfolio given as plain rows
    ``{"year", "amount_usd", "instrument", "themes", "region", "donor", "recipient"}``."""
    by_year: dict[int, dict[str, Any]] = {}
    for year in sorted({p["year"] for p in projects}):
        rows = [p for p in projects if p["year"] == year]
        ngo = [p for p in rows if p["instrument"] == "NGO aid"]
        oda = [p for p in rows if p["instrument"] == "ODA"]
        amounts = [p["amount_usd"] for p in ngo]
        recipients = Counter(p["recipient"] for p in rows)
        by_year[year] = {
            "projects": len(rows), "total_usd": round(sum(p["amount_usd"] for p in rows)),
            "ngo_aid": {"count": len(ngo), "total_usd": round(sum(amounts))},
            "oda": {"count": len(oda), "total_usd": round(sum(p["amount_usd"] for p in oda))},
            "size_bands_ngo": {"under_100k": sum(a < 100_000 for a in amounts),
                               "100k_400k": sum(100_000 <= a <= 400_000 for a in amounts),
                               "over_400k": sum(a > 400_000 for a in amounts),
                               "near_2m": sum(1_800_000 <= a < 2_000_000 for a in amounts),
                               "under_10k": sum(a < 10_000 for a in amounts)},
            "recipients": len(recipients), "scdi_projects": recipients.get("scdi", 0),
            "top_recipient": recipients.most_common(1)[0][0] if recipients else None,
        }
    groups: Counter[str] = Counter()
    group_of = {"theme-" + t: g for g, (_, themes) in THEME_GROUPS.items() for t in themes}
    for p in projects:
        groups[group_of.get(p["themes"][0], "other")] += 1
    regions = Counter(p["region"] for p in projects)
    n = max(len(projects), 1)
    out: dict[str, Any] = {
        "projects": len(projects),
        "years": by_year,
        "theme_group_share": {g: round(c / n, 3) for g, c in sorted(groups.items())},
        "region_share": {r: round(c / n, 3) for r, c in sorted(regions.items())},
        "one_year_share": round(sum(p.get("end_year", p["year"]) == p["year"] for p in projects) / n, 3),
    }
    mekong = [p for p in projects if p["region"] == MEKONG]
    out["mekong_water_or_climate_share"] = round(
        sum(bool({"theme-water", "theme-climate-change"} & set(p["themes"])) for p in mekong) / max(len(mekong), 1), 3)
    if origin_of:
        ngo_rows = [p for p in projects if p["instrument"] == "NGO aid"]
        origins = Counter(origin_of.get(p["donor"], "other") for p in ngo_rows)
        out["ngo_donor_origin_share"] = {o: round(c / max(len(ngo_rows), 1), 3) for o, c in origins.most_common()}
    return out


def rows(portfolio: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"id": p.id, "year": p.year, "end_year": p.year + p.duration - 1, "amount_usd": p.amount,
             "instrument": p.instrument, "themes": p.themes, "region": p.region, "donor": p.donor,
             "recipient": p.recipient} for p in portfolio["projects"]]


def origin_groups(ref: Reference) -> dict[str, str]:
    return {d.id: _origin_group(d) for d in ref.donors}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.sample_portfolio", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"where to write (default {OUTPUT})")
    parser.add_argument("--check", action="store_true", help="write nothing; fail if the file is not what the "
                                                             "generator makes")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    try:
        portfolio = generate()
    except InvalidInput as error:
        print(json.dumps({"error": str(error)}, ensure_ascii=False) if args.json else f"error: {error}",
              file=sys.stdout if args.json else sys.stderr)
        return 2
    text = render(portfolio)
    summary = summarise(rows(portfolio), origin_groups(portfolio["reference"]))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        summary["up_to_date"] = current == text
        if not summary["up_to_date"]:
            message = f"{args.output} is not what the generator makes; run `python -m ingest.sample_portfolio`."
            print(json.dumps({"error": message, **summary}, ensure_ascii=False) if args.json else f"error: {message}",
                  file=sys.stdout if args.json else sys.stderr)
            return 1
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        summary["written"] = str(args.output)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        for year, figures in summary["years"].items():
            print(f"{year}: {figures['projects']} projects, USD {figures['total_usd']:,} "
                  f"(NGO aid {figures['ngo_aid']['count']} / USD {figures['ngo_aid']['total_usd']:,}; "
                  f"ODA {figures['oda']['count']} / USD {figures['oda']['total_usd']:,}); "
                  f"{figures['recipients']} recipients, SCDI {figures['scdi_projects']}")
        print("themes:", summary["theme_group_share"])
        print("regions:", summary["region_share"])
        print("NGO donor origins:", summary.get("ngo_donor_origin_share"))
        print(summary.get("written") or "up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
