"""A project idea as staff describe it, and what the partner finder understands of it.

Staff type a sentence ("thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long, khoảng 200.000
USD") and may pick themes, regions, a budget and the lead organisation. Whatever is not picked
is read from the text: themes (:mod:`queries.themes`), places (:mod:`queries.geography`) and an
amount of money (:func:`parse_budget`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graph.i18n import BilingualError
from graph.store import GraphStore
from graph.text import normalise, strip_diacritics
from queries.geography import NATIONWIDE, Geography, PlaceMatch, geography, infer_places
from queries.projection import projection
from queries.search import SearchError, search
from queries.themes import Taxonomy, infer_themes, taxonomy

MAX_TEXT = 2000
MAX_ITEMS = 20
VND_PER_USD = 24_000  # an approximate rate, only to read budgets written in đồng
LEAD_KINDS = frozenset({"Union", "Department", "MemberAssociation", "ProvincialUnion", "AffiliatedOrganisation",
                        "Network", "Company"})
DEFAULT_LEAD = "vusta"


class IdeaError(BilingualError, ValueError):
    """A project idea that cannot be used as given; says what is wrong in Vietnamese and English."""


class ProjectIdea(BaseModel):
    """What staff ask: free text and/or explicit themes, regions, budget and lead organisation."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, max_length=MAX_TEXT)
    themes: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    regions: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    budget_usd: float | None = Field(default=None, gt=0, le=1e10)
    lead: str | None = Field(default=None, max_length=300)

    @field_validator("text", "lead")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = normalise(value)
        return value or None

    @field_validator("themes", "regions")
    @classmethod
    def _clean_list(cls, values: list[str]) -> list[str]:
        return [v for v in (normalise(x) for x in values) if v]


@dataclass
class ChosenTheme:
    id: str
    weight: float
    source: str                       # "given" or "text"
    evidence: tuple[str, ...] = ()


@dataclass
class Understanding:
    """The idea as the partner finder will use it."""

    text: str | None
    themes: list[ChosenTheme]
    places: list[PlaceMatch]
    budget_usd: float | None
    budget_source: str | None          # "given" or "text"
    lead: str
    lead_given: bool
    notes: list[dict[str, str]] = field(default_factory=list)

    @property
    def regions(self) -> set[str]:
        return {p.region for p in self.places if p.region != NATIONWIDE}

    @property
    def provinces(self) -> set[str]:
        return {p.province for p in self.places if p.province}

    @property
    def nationwide(self) -> bool:
        return any(p.region == NATIONWIDE for p in self.places)

    def as_json(self, tax: Taxonomy, geo: Geography, lead_name: str) -> dict[str, Any]:
        return {
            "text": self.text,
            "themes": [{"id": t.id, "name": tax.name(t.id, "vi"), "name_en": tax.name(t.id, "en"), "weight": t.weight,
                        "source": t.source, "matched": list(t.evidence)} for t in self.themes],
            "places": [{"region": p.region, "region_name": geo.name(p.region, "vi"),
                        "region_name_en": geo.name(p.region, "en"), "province": p.province,
                        "province_name": geo.name(p.province, "vi") if p.province else None,
                        "matched": p.evidence} for p in self.places],
            "budget_usd": self.budget_usd,
            "budget_source": self.budget_source,
            "lead": {"id": self.lead, "name": lead_name, "given": self.lead_given},
        }


_NUMBER = r"\d+(?:[.,]\d{3})*(?:[.,]\d+)?"
_MULTIPLIERS = {"k": 1e3, "nghin": 1e3, "ngan": 1e3, "thousand": 1e3, "trieu": 1e6, "tr": 1e6, "million": 1e6,
                "m": 1e6, "mn": 1e6, "ty": 1e9, "billion": 1e9, "bn": 1e9}
_MULTIPLIER = r"(?:k|nghin|ngan|thousand|trieu|tr|million|mn|m|ty|billion|bn)"
_USD = r"(?:usd|us\$|\$|do la my|do la|dola|dollars?|do)"
_VND = r"(?:vnd|dong|d)"
_AMOUNT = re.compile(
    rf"(?:(?P<pre>us\$|usd|\$)\s*(?P<n1>{_NUMBER})\s*(?P<m1>{_MULTIPLIER})?\b)"
    rf"|(?:(?P<n2>{_NUMBER})\s*(?P<m2>{_MULTIPLIER})?\s*(?P<cur>{_USD}|{_VND})\b)")


def _number(text: str) -> float:
    if "," in text and "." in text:  # the last separator is the decimal one
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        return float(text.replace(thousands, "").replace(decimal, "."))
    for sep in (",", "."):
        if sep in text:
            parts = text.split(sep)
            if all(len(p) == 3 for p in parts[1:]):   # 200.000 / 200,000
                return float("".join(parts))
            return float(text.replace(sep, "."))      # 1,5 / 1.5
    return float(text)


def parse_budget(text: str | None) -> float | None:
    """An amount of money in USD read from free text, or None.

    >>> parse_budget("khoảng 200.000 USD")
    200000.0
    >>> parse_budget("about $1.5 million")
    1500000.0
    >>> parse_budget("1,5 triệu đô")
    1500000.0
    >>> parse_budget("4,8 tỷ đồng")
    200000.0
    """
    if not text:
        return None
    plain = re.sub(r"\s+", " ", strip_diacritics(text).lower())
    for match in _AMOUNT.finditer(plain):
        number = match.group("n1") or match.group("n2")
        multiplier = match.group("m1") or match.group("m2")
        currency = match.group("cur") or "$"
        try:
            value = _number(number)
        except ValueError:
            continue
        value *= _MULTIPLIERS.get(multiplier or "", 1.0)
        if re.fullmatch(_VND, currency):
            value /= VND_PER_USD
        if value > 0:
            return round(value, 2)
    return None


def _organisation(store: GraphStore, value: str) -> str | None:
    proj = projection(store)
    if value in proj.entities:
        return value if LEAD_KINDS & set(proj.kinds(value)) else None
    try:
        hits = search(store, value, limit=10)
    except SearchError:
        return None
    for hit in hits:
        if hit["score"] >= 0.7 and LEAD_KINDS & set(hit["kinds"]):
            return hit["id"]
    return None


def understand(store: GraphStore, idea: ProjectIdea | dict[str, Any]) -> Understanding:
    """Resolve an idea against the graph's vocabulary; unknown values raise :class:`IdeaError`."""
    if not isinstance(idea, ProjectIdea):
        try:
            idea = ProjectIdea.model_validate(idea)
        except ValidationError as error:
            detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())
            raise IdeaError(vi=f"Ý tưởng dự án chưa hợp lệ: {detail}", en=f"The project idea is not valid: {detail}") from None
    if not (idea.text or idea.themes or idea.regions or idea.budget_usd):
        raise IdeaError(vi="Hãy mô tả ý tưởng dự án hoặc chọn ít nhất một chủ đề, địa bàn hay ngân sách.",
                        en="Describe the project idea (--text) or give at least a theme, a region or a budget.")
    tax, geo = taxonomy(store), geography(store)
    notes: list[dict[str, str]] = []
    themes: list[ChosenTheme] = []
    for value in idea.themes:
        theme_id = tax.resolve(value)
        if theme_id is None:
            hints = tax.suggestions(value)
            hint = f" Did you mean: {'; '.join(hints)}?" if hints else ""
            raise IdeaError(vi=f"Không có chủ đề {value!r}." + (f" Có phải: {'; '.join(hints)}?" if hints else ""),
                            en=f"Unknown theme {value!r}.{hint} See `python -m queries partners --help`.")
        if theme_id not in [t.id for t in themes]:
            themes.append(ChosenTheme(theme_id, 1.0, "given", (value,)))
    if not themes and idea.text:
        themes = [ChosenTheme(m.id, m.weight, "text", m.evidence) for m in infer_themes(tax, idea.text)]
        if not themes:
            notes.append({"vi": "Không nhận ra chủ đề nào trong mô tả; hãy chọn chủ đề để kết quả sát hơn.",
                          "en": "No theme was recognised in the text; pick themes for a closer match."})
    places: list[PlaceMatch] = []
    for value in idea.regions:
        place = geo.resolve(value)
        if place is None:
            hints = geo.suggestions(value)
            hint = f" Did you mean: {'; '.join(hints)}?" if hints else ""
            raise IdeaError(vi=f"Không có vùng hay tỉnh {value!r}." + (f" Có phải: {'; '.join(hints)}?" if hints else ""),
                            en=f"Unknown region or province {value!r}.{hint}")
        places.append(place)
    if not places and idea.text:
        places = infer_places(geo, idea.text)
    budget, budget_source = idea.budget_usd, "given" if idea.budget_usd else None
    if budget is None and idea.text:
        budget = parse_budget(idea.text)
        budget_source = "text" if budget else None
    lead = DEFAULT_LEAD
    if idea.lead:
        found = _organisation(store, idea.lead)
        if found is None:
            raise IdeaError(vi=f"Không tìm thấy tổ chức chủ trì {idea.lead!r} trong hệ thống Liên hiệp Hội.",
                            en=f"No organisation of the VUSTA system matches the lead {idea.lead!r}. "
                               f"Try `python -m queries search {idea.lead!r}`.")
        lead = found
    return Understanding(text=idea.text, themes=themes, places=places, budget_usd=budget, budget_source=budget_source,
                         lead=lead, lead_given=bool(idea.lead), notes=notes)
