"""Regions and provinces of Vietnam, recognised in a project idea or a donor's stated focus.

Regions are ``Place`` entities with ``place_type: region`` in Vietnam (the North, the Centre, the
Central Highlands, the South-East, the Mekong Delta); provinces are ``Province`` entities
``LOCATED_IN`` their region (``data/reference/provinces.yaml``). Besides their names and
aliases in the graph, regions are recognised by the everyday words below.

>>> # geo = geography(store)
>>> # [(p.region, p.province) for p in infer_places(geo, "dong bang song Cuu Long")]
>>> # [('place-mekong-delta', None)]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from rapidfuzz import fuzz, process

from graph.schema import NodeKind
from graph.store import GraphStore
from graph.text import fold
from queries.phrases import PhraseIndex
from queries.projection import cached

NATIONWIDE = "nationwide"
VIETNAM = "Việt Nam"

# Everyday names of the regions (the graph's names and aliases are added to these).
REGION_WORDS: dict[str, tuple[str, ...]] = {
    "place-northern-provinces": (
        "miền bắc", "phía bắc", "các tỉnh phía bắc", "bắc bộ", "tây bắc", "đông bắc", "miền núi phía bắc",
        "trung du và miền núi phía bắc", "đồng bằng sông hồng", "vùng núi phía bắc", "the north", "northern vietnam",
        "northern provinces", "north vietnam", "northern mountains", "northern uplands", "northwest", "northeast",
        "red river delta"),
    "place-central-vietnam": (
        "miền trung", "trung bộ", "bắc trung bộ", "nam trung bộ", "duyên hải miền trung", "duyên hải nam trung bộ",
        "khu vực miền trung", "central vietnam", "central coast", "central region", "north central coast",
        "south central coast", "the centre", "the center"),
    "place-central-highlands": ("tây nguyên", "central highlands", "highlands of vietnam"),
    "place-south-east-vietnam": ("đông nam bộ", "miền đông nam bộ", "vùng đông nam bộ", "south east vietnam",
                                 "southeast vietnam", "south eastern vietnam", "southeastern vietnam"),
    "place-mekong-delta": ("đồng bằng sông cửu long", "đbscl", "dbscl", "miền tây", "miền tây nam bộ", "tây nam bộ",
                           "vùng đồng bằng sông cửu long", "cửu long", "mekong delta", "the mekong", "mekong"),
}
NATIONWIDE_WORDS = ("toàn quốc", "cả nước", "trên cả nước", "phạm vi toàn quốc", "nationwide", "across vietnam",
                    "whole country", "all provinces")
# Phrases that contain a place name but do not name the place.
BLOCKERS = ("thái bình dương", "châu á thái bình dương", "asia pacific", "đông nam á", "southeast asia",
            "south east asia", "hòa bình và", "hoà bình và", "vì hòa bình", "hòa bình thế giới", "long an toàn")


@dataclass(frozen=True)
class PlaceMatch:
    """A place in a project idea: a region, optionally a province in it, or the whole country."""

    region: str                 # region id, or NATIONWIDE
    province: str | None = None
    evidence: str = ""


@dataclass
class Geography:
    regions: dict[str, tuple[str, str]] = field(default_factory=dict)          # id -> (name, name_en)
    provinces: dict[str, tuple[str, str, str]] = field(default_factory=dict)   # id -> (name, name_en, region)
    index: PhraseIndex = field(default_factory=PhraseIndex)

    def name(self, place_id: str, language: str = "vi") -> str:
        if place_id == NATIONWIDE:
            return "toàn quốc" if language == "vi" else "nationwide"
        if place_id in self.regions:
            return self.regions[place_id][0 if language == "vi" else 1]
        if place_id in self.provinces:
            return self.provinces[place_id][0 if language == "vi" else 1]
        return place_id

    def region_of(self, place_id: str) -> str | None:
        if place_id in self.regions:
            return place_id
        province = self.provinces.get(place_id)
        return province[2] if province else None

    def resolve(self, value: str) -> PlaceMatch | None:
        """A region or province from an id, a name, an alias or an everyday name."""
        text = value.strip()
        if text in self.regions:
            return PlaceMatch(text, None, text)
        if text in self.provinces:
            return PlaceMatch(self.provinces[text][2], text, text)
        owners = self.index.owners(text)
        if not owners:
            matches = self.index.find(text)
            if len(matches) == 1 and matches[0].end - matches[0].start == len(fold(text).split()):
                owners = set(matches[0].owners)
        return _match_from(sorted(owners, key=str), fold(text)) if owners else None

    def suggestions(self, value: str, limit: int = 5) -> list[str]:
        names = {pid: f"{n} / {e}" for pid, (n, e) in self.regions.items()}
        names.update({pid: f"{n} / {e}" for pid, (n, e, _) in self.provinces.items()})
        folded = {k: fold(v) for k, v in names.items()}
        hits = process.extract(fold(value), folded, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
        return [names[key] for _, _, key in hits]


def _match_from(owners: list, evidence: str) -> PlaceMatch | None:
    for owner in owners:  # a province is more precise than a region
        if owner[0] == "province":
            return PlaceMatch(owner[2], owner[1], evidence)
    for owner in owners:
        if owner[0] == "region":
            return PlaceMatch(owner[1], None, evidence)
        if owner[0] == NATIONWIDE:
            return PlaceMatch(NATIONWIDE, None, evidence)
    return None


def build_geography(places: Iterable[dict], province_regions: Iterable[dict]) -> Geography:
    geo = Geography()
    region_of = {row["province"]: row["region"] for row in province_regions}
    rows = list(places)
    for row in rows:
        if NodeKind.PLACE in (row["kinds"] or []) and row["place_type"] == "region" and row["country"] == VIETNAM:
            geo.regions[row["id"]] = (row["name"], row["name_en"] or row["name"])
    for row in rows:
        region = region_of.get(row["id"])
        if NodeKind.PROVINCE in (row["kinds"] or []) and region in geo.regions:
            geo.provinces[row["id"]] = (row["name"], row["name_en"] or row["name"], region)
    for blocker in BLOCKERS:
        geo.index.add(blocker, None)
    for phrase in NATIONWIDE_WORDS:
        geo.index.add(phrase, (NATIONWIDE,))
    for region, (name, name_en) in geo.regions.items():
        for phrase in (name, name_en, *REGION_WORDS.get(region, ())):
            geo.index.add(phrase, ("region", region))
    for row in rows:
        if row["id"] in geo.regions:
            for alias in row["aliases"] or []:
                geo.index.add(alias, ("region", row["id"]))
        if row["id"] in geo.provinces:
            region = geo.provinces[row["id"]][2]
            for phrase in (row["name"], row["name_en"], *(row["aliases"] or [])):
                if phrase and len(fold(phrase)) >= 3:
                    geo.index.add(phrase, ("province", row["id"], region))
    return geo


def geography(store: GraphStore) -> Geography:
    return cached(store, "geography",
                  lambda: build_geography(store.read("place_table"), store.read("province_regions")))


def infer_places(geo: Geography, text: str) -> list[PlaceMatch]:
    """Regions and provinces named in ``text``, in order, without repeats."""
    out: list[PlaceMatch] = []
    for match in geo.index.find(text or ""):
        place = _match_from(sorted(match.owners, key=str), match.phrase)
        if place and place not in out and all((p.region, p.province) != (place.region, place.province) for p in out):
            out.append(place)
    return out


def focus_regions(geo: Geography, values: Iterable[str]) -> tuple[set[str], bool]:
    """The regions a stated geographic focus covers, and whether it is nationwide.
    Provinces count for their region."""
    regions: set[str] = set()
    nationwide = False
    for value in values or ():
        place = geo.resolve(value)
        if place is None:
            continue
        if place.region == NATIONWIDE:
            nationwide = True
        else:
            regions.add(place.region)
    return regions, nationwide
