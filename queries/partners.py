"""The partner finder: who to approach for a project idea, and who can introduce us.

``recommend_partners(store, idea)`` ranks three kinds of candidates:

* **donors** (``role: "donor"``) — entities of kind ``Donor``;
* **co-applicants** (``role: "co_applicant"``) — member associations, affiliated organisations
  and provincial unions of the VUSTA system with matching experience (donors now prefer
  consortia);
* **international partners** (``role: "international_partner"``) — foreign partners,
  international organisations and networks that are not donors, for technical partnership.

Each candidate gets six components, each between 0 and 1, explained in plain words in
Vietnamese and English:

``theme_fit``
    its focus themes (public profile, ``FOCUSES_ON``) and its past projects match the idea's
    themes; related themes (``PART_OF`` links, same DAC sector) count partly. Profile and
    history are combined as ``1 - (1 - profile)(1 - history)``; history saturates
    (``n / (n + 2)`` for ``n`` matching projects).
``geographic_fit``
    it works in the idea's region or province: stated geographic focus (nationwide counts 0.6),
    home province for Vietnamese organisations, past projects there.
``budget_fit``
    the budget is within its typical grant range (falling off with the ratio outside it: a
    third at 3×) or close to the sizes of its past projects; unknown sizes count 0.5.
``past_collaboration``
    for donors and partners: projects it funded for VUSTA's organisations, weighted by recency
    (×0.85 a year), projects with the lead organisation, and ties the documents state (partner
    of, supports, member of…); for co-applicants: projects with the suggested donors (a ready
    consortium) and donors shared with the lead.
``network_proximity``
    the shortest warm-introduction path from the lead organisation through people,
    associations, networks, shared projects and agreements (1 step = 1, 2 = 0.75, 3 = 0.5,
    4 = 0.3), a little more for warmer paths and for several possible introducers.
``recent_activity``
    projects in the last three years of the portfolio (``n / (n + 2)``).

The score is the weighted mean of the components that apply (weights in
``queries/partner_weights.yaml`` or given by the caller). When themes are asked, candidates
whose theme fit is below 0.35 are not listed (and not scored further). Features and indexes
(projects by theme and place, candidates by theme, histories) are built from projections cached
until the graph changes (:func:`queries.projection.cached`), so a request does no heavy Cypher
and looks up what matches instead of scanning every history.
"""

from __future__ import annotations

import copy
import heapq
import json
import math
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

import networkx as nx
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graph.schema import kind_label, relationship_verb
from graph.store import GraphStore
from graph.text import acronym, fold, strip_diacritics
from queries.geography import Geography, focus_regions, geography
from queries.project_idea import IdeaError, ProjectIdea, Understanding, understand
from queries.projection import Projection, cached, projection
from queries.themes import DIRECT, Taxonomy, taxonomy

WEIGHTS_FILE = Path(__file__).resolve().parent / "partner_weights.yaml"
COMPONENTS = ("theme_fit", "geographic_fit", "budget_fit", "past_collaboration", "network_proximity",
              "recent_activity")
SHORT_NAMES = {"theme": "theme_fit", "geography": "geographic_fit", "geo": "geographic_fit", "region": "geographic_fit",
               "budget": "budget_fit", "collaboration": "past_collaboration", "proximity": "network_proximity",
               "network": "network_proximity", "activity": "recent_activity", "recency": "recent_activity"}
ROLES = ("donor", "co_applicant", "international_partner")
DONOR_KINDS = frozenset({"Donor"})
CO_APPLICANT_KINDS = frozenset({"MemberAssociation", "AffiliatedOrganisation", "ProvincialUnion"})
PARTNER_KINDS = frozenset({"ForeignPartner", "InternationalOrganisation", "Network"})
NOT_PARTNER_KINDS = frozenset({"Programme", "Forum"})
VIETNAM = "Việt Nam"
VUSTA = "vusta"

# Kinds an introduction path may not pass through: they connect everything they mention.
NOT_THROUGH = frozenset({"Document", "Figure", "Theme", "Place", "Province", "PolicyDocument", "Publication"})
# How warm an introduction through an intermediary of each kind is (people best).
WARMTH = {"Person": 1.0, "MemberAssociation": 0.9, "AffiliatedOrganisation": 0.9, "ProvincialUnion": 0.85,
          "Union": 0.85, "Department": 0.85, "Network": 0.8, "Project": 0.75, "Agreement": 0.65, "Programme": 0.65,
          "Donor": 0.6, "ForeignPartner": 0.6, "InternationalOrganisation": 0.6, "Event": 0.55, "Forum": 0.5,
          "Company": 0.5, "GovernmentBody": 0.4, "PartyBody": 0.3}
HOP_SCORE = {1: 1.0, 2: 0.75, 3: 0.5, 4: 0.3}
MAX_SHOWN_PATHS = 300
MAX_HOPS = max(HOP_SCORE)
HISTORY_HALF = 2.0      # n / (n + 2): two matching projects give 0.5
RECENCY = 0.85          # a project's weight falls by 15% a year
RECENT_YEARS = 3
BUDGET_DECAY = math.log(3.0)   # outside the typical range: a third at 3x
TOP_DONORS_FOR_CONSORTIA = 5
MIN_THEME_FIT = 0.35    # with themes asked, candidates below this are not listed
ROLE_NAMES = {"donor": ("nhà tài trợ", "donors"), "co_applicant": ("tổ chức đồng đề xuất", "co-applicants"),
              "international_partner": ("đối tác quốc tế", "international partners")}
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
# Ties the documents state between a candidate and VUSTA or the lead.
TIE_TYPES = frozenset({"PARTNER_OF", "SUPPORTS", "FUNDS", "COOPERATES_WITH", "MEMBER_OF", "AFFILIATED_WITH",
                       "HAS_CONSULTATIVE_STATUS", "PARTICIPATES_IN", "CHAIRS", "ESTABLISHED"})
INSTRUMENTS_VI = {"ODA": "ODA", "NGO aid": "viện trợ phi chính phủ", "grant": "tài trợ không hoàn lại",
                  "technical cooperation": "hợp tác kỹ thuật", "loan": "vốn vay"}


class PartnerWeights(BaseModel):
    """Weights of the six components; normalised to add up to 1."""

    model_config = ConfigDict(extra="forbid")

    theme_fit: float = Field(ge=0, le=1000)
    geographic_fit: float = Field(ge=0, le=1000)
    budget_fit: float = Field(ge=0, le=1000)
    past_collaboration: float = Field(ge=0, le=1000)
    network_proximity: float = Field(ge=0, le=1000)
    recent_activity: float = Field(ge=0, le=1000)

    @model_validator(mode="after")
    def _some_weight(self) -> "PartnerWeights":
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("at least one weight must be above 0")
        return self

    def normalised(self) -> dict[str, float]:
        values = self.model_dump()
        total = sum(values.values())
        return {k: round(v / total, 4) for k, v in values.items()}


class WeightsError(ValueError):
    """Weights that cannot be used; the message says which and what to do."""


def _read_weights_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise WeightsError(f"cannot read the weights file {path}: {error.strerror or error}") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise WeightsError(f"{path} is not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {error}") from None
    if not isinstance(data, dict):
        raise WeightsError(f"{path} must map component names to numbers, e.g. 'theme_fit: 0.4'")
    return data


def _canonical(values: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        name = SHORT_NAMES.get(str(key).strip(), str(key).strip())
        if name not in COMPONENTS:
            raise WeightsError(f"{where}: unknown component {key!r}; the components are {', '.join(COMPONENTS)}")
        out[name] = value
    return out


def load_weights(source: str | Path | dict[str, Any] | PartnerWeights | None = None) -> PartnerWeights:
    """Weights from the default file, overridden by ``source``: a mapping, a file (YAML or JSON)
    or a text like ``"theme_fit=0.5,budget=0.2"`` (short names allowed). Components that
    ``source`` does not name keep their default weight."""
    if isinstance(source, PartnerWeights):
        return source
    values = _canonical(_read_weights_file(WEIGHTS_FILE), str(WEIGHTS_FILE))
    where = "weights"
    if isinstance(source, dict):
        values.update(_canonical(source, where))
    elif source is not None and str(source).strip():
        text = str(source).strip()
        path = Path(text)
        if "=" not in text and (path.suffix in (".yaml", ".yml", ".json") or path.exists()):
            values.update(_canonical(_read_weights_file(path), str(path)))  # the file's keys override
            where = str(path)
        else:
            for part in text.split(","):
                if not part.strip():
                    continue
                if "=" not in part:
                    raise WeightsError(f"weights: {part.strip()!r} is not NAME=NUMBER (e.g. theme_fit=0.5)")
                key, number = part.split("=", 1)
                try:
                    value = float(number)
                except ValueError:
                    raise WeightsError(f"weights: {number.strip()!r} for {key.strip()} is not a number") from None
                values.update(_canonical({key: value}, where))
    try:
        return PartnerWeights.model_validate(values)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'weights'}: {e['msg']}" for e in error.errors())
        raise WeightsError(f"{where}: {problems}") from None


# --- features: what the graph knows about each candidate -------------------------------------------

def short_name(name: str, aliases: Iterable[str], language: str) -> str | None:
    """The shortest acronym among the aliases, if any; in Vietnamese one made of the initials of
    a Vietnamese name (LHHVN), in English another one (VUSTA) when there is one."""
    return _short_name(name, tuple(aliases), language)


@lru_cache(maxsize=65536)
def _short_name(name: str, aliases: tuple[str, ...], language: str) -> str | None:
    acronyms = [a for a in aliases if a.isupper() and 2 <= len(a) <= 12 and " " not in a]
    if not acronyms:
        return None
    vietnamese = {acronym(n).upper() for n in [name, *aliases] if n != strip_diacritics(n)}
    preferred = [a for a in acronyms if (fold(a).upper() in vietnamese) == (language == "vi")]
    return min(preferred or acronyms, key=len)


@dataclass
class Candidate:
    id: str
    name: str
    name_en: str | None
    kinds: list[str]
    aliases: list[str]
    sample: bool
    role: str
    country: str | None = None
    origin_country: str | None = None
    sector: str | None = None
    instruments: list[str] = field(default_factory=list)
    grant_min: float | None = None
    grant_max: float | None = None
    geographic_focus: list[str] = field(default_factory=list)
    focus_themes: list[str] = field(default_factory=list)
    profile_source: str | None = None
    themes: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    focus_regions: set[str] = field(default_factory=set)
    nationwide: bool = False

    @property
    def short_name(self) -> str:
        return short_name(self.name, self.aliases, "en") or self.name

    def display(self, language: str) -> str:
        return short_name(self.name, self.aliases, language) or (
            self.name if language == "vi" else (self.name_en or self.name))


@dataclass
class PastProject:
    id: str
    name: str
    year: int | None
    amount: float | None
    instrument: str | None
    region: str | None
    provinces: set[str]
    themes: set[str]
    donors: set[str]
    implementers: set[str]
    sample: bool


@dataclass
class Reach:
    """Shortest introduction paths from one organisation (breadth-first, up to MAX_HOPS)."""

    source: str
    distance: dict[str, int]
    predecessors: dict[str, list[str]]
    warmth_of: Callable[[str], float]
    _best: dict[str, tuple[float, str | None]] = field(default_factory=dict)

    def _best_sum(self, node: str) -> tuple[float, str | None]:
        """The warmest shortest path to ``node``: the summed warmth of its intermediaries and the
        node before ``node`` on it (dynamic programming over the breadth-first predecessors)."""
        if node == self.source:
            return 0.0, None
        if node not in self._best:
            best: tuple[float, str | None] = (-1.0, None)
            # warmest; among equally warm the smallest id, so the choice does not depend on order
            for previous in sorted(self.predecessors.get(node, [])):
                before, _ = self._best_sum(previous)
                value = before + (0.0 if previous == self.source else self.warmth_of(previous))
                if value > best[0] + 1e-12:
                    best = (value, previous)
            self._best[node] = best if best[1] is not None else (0.0, None)
        return self._best[node]

    def path(self, target: str) -> list[str]:
        if target not in self.distance or target == self.source:
            return []
        path = [target]
        while path[-1] != self.source:
            _, previous = self._best_sum(path[-1])
            if previous is None:
                return []
            path.append(previous)
        return list(reversed(path))

    def warmth(self, target: str) -> float:
        distance = self.distance.get(target)
        if not distance:
            return 0.0
        if distance == 1:
            return 1.0
        return self._best_sum(target)[0] / (distance - 1)


@dataclass
class PartnerFeatures:
    candidates: dict[str, Candidate]
    projects: dict[str, PastProject]
    funded_by: dict[str, list[str]]
    implemented_by: dict[str, list[str]]
    taxonomy: Taxonomy
    geography: Geography
    projection: Projection
    intro_graph: nx.Graph
    reference_year: int
    # indexes, so that a request looks up what matches instead of scanning every candidate's history
    projects_by_theme: dict[str, list[str]] = field(default_factory=dict)
    projects_by_place: dict[str, list[str]] = field(default_factory=dict)     # province or region id
    candidates_by_theme: dict[str, list[str]] = field(default_factory=dict)
    history: dict[str, list[PastProject]] = field(default_factory=dict)       # by candidate, per its role
    recency: dict[str, float] = field(default_factory=dict)    # recency-weighted number of projects
    recent: dict[str, list[PastProject]] = field(default_factory=dict)  # projects of the last RECENT_YEARS
    sample_projects: int = 0
    role_counts: dict[str, int] = field(default_factory=dict)
    _reach: dict[str, Reach] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _scratch: nx.Graph | None = None

    def __post_init__(self) -> None:
        by_theme: dict[str, list[str]] = defaultdict(list)
        by_place: dict[str, list[str]] = defaultdict(list)
        for project in self.projects.values():
            for theme in project.themes:
                by_theme[theme].append(project.id)
            for place in {*project.provinces, *([project.region] if project.region else [])}:
                by_place[place].append(project.id)
        self.projects_by_theme, self.projects_by_place = dict(by_theme), dict(by_place)
        by_candidate: dict[str, list[str]] = defaultdict(list)
        for candidate in self.candidates.values():
            for theme in candidate.themes:
                by_candidate[theme].append(candidate.id)
            ids = self.implemented_by.get(candidate.id, []) if candidate.role == "co_applicant" else \
                self.funded_by.get(candidate.id, [])
            history = self.history[candidate.id] = [self.projects[i] for i in dict.fromkeys(ids)]
            self.recency[candidate.id] = sum(RECENCY ** max(0, self.reference_year - (p.year or self.reference_year))
                                             for p in history)
            first = self.reference_year - RECENT_YEARS + 1
            self.recent[candidate.id] = [p for p in history if p.year and p.year >= first]
        self.candidates_by_theme = dict(by_candidate)
        self.sample_projects = sum(1 for p in self.projects.values() if p.sample)
        self.role_counts = {role: sum(1 for c in self.candidates.values() if c.role == role) for role in ROLES}

    def reach(self, source: str, exclude: frozenset[str] = frozenset()) -> Reach:
        if not exclude:
            with self._lock:
                if source in self._reach:
                    return self._reach[source]
        if exclude:
            # on a private copy: take the hidden nodes out, search, put them back
            with self._lock:
                if self._scratch is None:
                    self._scratch = self.intro_graph.copy()
                graph = self._scratch
                removed = [(n, dict(graph[n])) for n in exclude if n in graph]
                graph.remove_nodes_from([n for n, _ in removed])
                try:
                    predecessors, distance = _search(graph, source)
                finally:
                    for node, neighbours in removed:
                        graph.add_node(node)
                        for other, data in neighbours.items():
                            graph.add_edge(node, other, **data)
        else:
            predecessors, distance = _search(self.intro_graph, source)
        value = Reach(source, distance, predecessors, self.warmth_of)
        if not exclude:
            with self._lock:
                self._reach[source] = value
        return value


    def warmth_of(self, node: str) -> float:
        """How warm an introduction through this entity is: by its kind (people warmest); a
        shared project is warmer the more recent it is."""
        project = self.projects.get(node)
        if project is not None:
            age = max(0, self.reference_year - (project.year or self.reference_year))
            return 0.55 + 0.3 * RECENCY ** age
        return max((WARMTH.get(k, 0.4) for k in self.projection.kinds(node)), default=0.4)


def _search(graph: nx.Graph, source: str) -> tuple[dict[str, list[str]], dict[str, int]]:
    if source not in graph:
        return {}, {}
    return nx.predecessor(graph, source, cutoff=MAX_HOPS, return_seen=True)


def _role(kinds: Iterable[str], country: str | None) -> str | None:
    kinds = set(kinds)
    if kinds & DONOR_KINDS:
        return "donor"
    if kinds & CO_APPLICANT_KINDS:
        return "co_applicant"
    if kinds & PARTNER_KINDS and not kinds & NOT_PARTNER_KINDS and country != VIETNAM:
        return "international_partner"
    return None


def build_features(store: GraphStore) -> PartnerFeatures:
    tax, geo, proj = taxonomy(store), geography(store), projection(store)
    candidates: dict[str, Candidate] = {}
    for row in store.read("partner_candidates"):
        role = _role(row["kinds"] or [], row["country"])
        if role is None or row["id"] == VUSTA:
            continue
        candidate = Candidate(
            id=row["id"], name=row["name"] or row["id"], name_en=row["name_en"], kinds=row["kinds"] or [],
            aliases=row["aliases"] or [], sample=bool(row["sample"]), role=role, country=row["country"],
            origin_country=row["origin_country"], sector=row["sector"], instruments=row["instruments"] or [],
            grant_min=row["grant_min_usd"], grant_max=row["grant_max_usd"],
            geographic_focus=row["geographic_focus"] or [], focus_themes=row["focus_themes"] or [],
            profile_source=row["profile_source"])
        candidate.focus_regions, candidate.nationwide = focus_regions(geo, candidate.geographic_focus)
        candidates[candidate.id] = candidate
    for row in store.read("partner_focus"):
        if row["id"] in candidates:
            candidates[row["id"]].themes.add(row["theme"])
    for row in store.read("partner_locations"):
        if row["id"] in candidates:
            candidates[row["id"]].places.add(row["place"])
    projects: dict[str, PastProject] = {}
    written: dict[str, tuple[list[str], list[str]]] = {}
    for row in store.read("portfolio_projects"):
        written[row["id"]] = (row["themes"] or [], row["provinces"] or [])
        projects[row["id"]] = PastProject(
            id=row["id"], name=row["name"] or row["id"], year=row["year"] or row["start_year"],
            amount=row["amount_usd"], instrument=row["instrument"], region=row["region"], provinces=set(),
            themes=set(), donors=set(), implementers=set(), sample=bool(row["sample"]))
    funded_by: dict[str, list[str]] = defaultdict(list)
    implemented_by: dict[str, list[str]] = defaultdict(list)
    for row in store.read("portfolio_funding"):
        project = projects.get(row["project"])
        if project is None:
            continue
        project.donors.add(row["donor"])
        funded_by[row["donor"]].append(project.id)
        if project.year is None and row["year"]:
            project.year = row["year"]
        if project.amount is None and row["amount"]:
            project.amount = row["amount"]
    for row in store.read("portfolio_implementers"):
        project = projects.get(row["project"])
        if project is not None:
            project.implementers.add(row["organisation"])
            implemented_by[row["organisation"]].append(project.id)
    for row in store.read("portfolio_themes"):
        if row["project"] in projects:
            projects[row["project"]].themes.add(row["theme"])
    for row in store.read("portfolio_places"):
        project = projects.get(row["project"])
        if project is None:
            continue
        if row["place"] in geo.provinces:
            project.provinces.add(row["place"])
        elif row["place"] in geo.regions and not project.region:
            project.region = row["place"]
    for project in projects.values():
        # projects imported from a table may name their themes and places only as text
        themes, provinces = written[project.id]
        if not project.themes:
            project.themes = {t for t in (tax.resolve(v) for v in themes) if t}
        if not project.provinces:
            project.provinces = {p.province for p in (geo.resolve(v) for v in provinces) if p and p.province}
        if project.region and project.region not in geo.regions:
            place = geo.resolve(project.region)
            project.region = place.region if place and place.region in geo.regions else None
        if project.region not in geo.regions:
            regions = {geo.region_of(p) for p in project.provinces} - {None}
            project.region = min(regions) if regions else None
    connections = proj.connections()
    allowed = [n for n in connections.nodes if not NOT_THROUGH.intersection(proj.kinds(n))]
    years = [p.year for p in projects.values() if p.year]
    return PartnerFeatures(
        candidates=candidates, projects=projects, funded_by=dict(funded_by), implemented_by=dict(implemented_by),
        taxonomy=tax, geography=geo, projection=proj, intro_graph=connections.subgraph(allowed).copy(),
        reference_year=max(years) if years else time.gmtime().tm_year)


def partner_features(store: GraphStore) -> PartnerFeatures:
    return cached(store, "partner_features", lambda: build_features(store))


# --- components ---------------------------------------------------------------------------------------

@dataclass
class Component:
    score: float | None           # None: cannot be judged for this candidate, left out
    vi: str
    en: str


def _saturate(n: float, half: float = HISTORY_HALF) -> float:
    return n / (n + half) if n > 0 else 0.0


def _noisy_or(*values: float) -> float:
    out = 1.0
    for value in values:
        out *= 1.0 - max(0.0, min(1.0, value))
    return 1.0 - out


def _usd(value: float, language: str) -> str:
    text = f"{value:,.0f}"
    return (text.replace(",", ".") if language == "vi" else text) + " USD"


def _projects(n: int, language: str) -> str:
    if language == "vi":
        return f"{n} dự án"
    return f"{n} project" if n == 1 else f"{n} projects"


def _join(items: list[str], language: str, limit: int = 4) -> str:
    items = list(dict.fromkeys(items))
    shown = items[:limit]
    if len(items) > limit:
        shown.append(f"+{len(items) - limit}")
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + (" và " if language == "vi" else " and ") + shown[-1]


@dataclass
class Evidence:
    """Per candidate: its profile match, and the weighted count and ids of its matching projects
    (as donor or partner, and as implementer)."""

    profile: dict[str, tuple[float, str]] = field(default_factory=dict)
    funded: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    implemented: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    funded_ids: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    implemented_ids: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, project: PastProject, weight: float) -> None:
        for donor in project.donors:
            self.funded[donor] += weight
            self.funded_ids[donor].append(project.id)
        for organisation in project.implementers:
            self.implemented[organisation] += weight
            self.implemented_ids[organisation].append(project.id)

    def count(self, candidate: str, implementer: bool) -> float:
        return (self.implemented if implementer else self.funded).get(candidate, 0.0)

    def projects(self, candidate: str, implementer: bool) -> list[str]:
        return (self.implemented_ids if implementer else self.funded_ids).get(candidate, [])


class Scorer:
    """Scores candidates for one understood idea; ``exclude`` hides projects (for the backtest)."""

    def __init__(self, features: PartnerFeatures, idea: Understanding, weights: PartnerWeights,
                 exclude: frozenset[str] = frozenset(), explain: bool = True) -> None:
        self.f, self.idea, self.exclude, self.explain = features, idea, exclude, explain
        self.weights = weights.normalised()
        self.tax, self.geo = features.taxonomy, features.geography
        self.year = features.reference_year
        self.lead = idea.lead
        self.reach = features.reach(self.lead, exclude)
        self.top_donors: list[str] = []
        self.passed: dict[str, int] = {}
        self._top_projects: dict[str, list[PastProject]] = {}
        self._themes = [self._theme_evidence(t.id) for t in idea.themes]
        self._places = self._place_evidence()
        self._lead_ties = self._ties_of_lead()

    # history ----------------------------------------------------------------------------------------
    def explaining(self) -> "Scorer":
        """The same scorer (same evidence, paths and donors) that also writes the reasons."""
        other = copy.copy(self)
        other.explain = True
        return other

    def history(self, candidate: Candidate) -> list[PastProject]:
        projects = self.f.history.get(candidate.id, [])
        return [p for p in projects if p.id not in self.exclude] if self.exclude else projects

    def _theme_evidence(self, theme: str) -> "Evidence":
        """For one theme of the idea, every candidate's profile match and the projects that match,
        found through the indexes (not by scanning every history)."""
        related = {t: v for t in self.tax.themes if (v := self.tax.similarity(theme, t)) > 0}
        evidence = Evidence()
        for other, value in related.items():
            for candidate in self.f.candidates_by_theme.get(other, ()):
                if value > evidence.profile.get(candidate, (0.0, ""))[0]:
                    evidence.profile[candidate] = (value, other)
        seen: set[str] = set()
        for other, value in related.items():
            if value < DIRECT:  # projects count on the theme itself or a directly broader/narrower one
                continue
            for project_id in self.f.projects_by_theme.get(other, ()):
                if project_id in seen or project_id in self.exclude:
                    continue
                seen.add(project_id)
                project = self.f.projects[project_id]
                best = max(related.get(t, 0.0) for t in project.themes)
                evidence.add(project, best)
        return evidence

    def _place_evidence(self) -> "Evidence":
        evidence = Evidence()
        provinces, regions = self.idea.provinces, self.idea.regions
        seen: set[str] = set()
        for place in sorted({*provinces, *regions}):
            for project_id in self.f.projects_by_place.get(place, ()):
                if project_id in seen or project_id in self.exclude:
                    continue
                seen.add(project_id)
                project = self.f.projects[project_id]
                if project.provinces & provinces:
                    evidence.add(project, 1.0)
                elif project.region and project.region in regions:
                    evidence.add(project, 0.8)
        return evidence

    def _ties_of_lead(self) -> dict[str, list[tuple[str, str]]]:
        graph = self.f.projection.connections()
        out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for other in dict.fromkeys((self.lead, VUSTA)):
            if other not in graph:
                continue
            for neighbour, data in graph[other].items():
                for _, rel_type, _ in data["types"]:
                    if rel_type in TIE_TYPES:
                        out[neighbour].append((other, rel_type))
        return out

    def _verb(self, candidate: Candidate, language: str) -> str:
        if candidate.role == "co_applicant":
            return "đã thực hiện" if language == "vi" else "carried out"
        return "đã tài trợ" if language == "vi" else "funded"

    # theme ------------------------------------------------------------------------------------------
    def theme_fit(self, c: Candidate, history: list[PastProject]) -> Component:
        themes = self.idea.themes
        if not themes:
            return Component(None, "Chủ đề: chưa có chủ đề để so sánh.", "Themes: no theme to compare with.")
        total, weight_sum = 0.0, 0.0
        profile_hits: list[str] = []
        matching_projects: set[str] = set()
        implementer = c.role == "co_applicant"
        for chosen, evidence in zip(themes, self._themes):
            profile, via = evidence.profile.get(c.id, (0.0, "")) if c.themes else (0.0, "")
            if via and profile >= 0.35:
                profile_hits.append(via)
            n = evidence.count(c.id, implementer)
            if n and self.explain:
                matching_projects.update(evidence.projects(c.id, implementer))
            total += chosen.weight * _noisy_or(profile, _saturate(n))
            weight_sum += chosen.weight
        score = total / weight_sum
        if not self.explain:
            return Component(round(score, 3), "", "")
        asked_vi = _join([self.tax.name(t.id, "vi").lower() for t in themes], "vi")
        asked_en = _join([self.tax.name(t.id, "en").lower() for t in themes], "en")
        parts_vi, parts_en = [], []
        if profile_hits:
            parts_vi.append(f"hồ sơ cho thấy tập trung vào {_join([self.tax.name(t, 'vi').lower() for t in profile_hits], 'vi')}")
            parts_en.append(f"its profile shows a focus on {_join([self.tax.name(t, 'en').lower() for t in profile_hits], 'en')}")
        if matching_projects:
            years = [self.f.projects[p].year for p in matching_projects if self.f.projects[p].year]
            last = f", gần nhất năm {max(years)}" if years else ""
            last_en = f", most recently in {max(years)}" if years else ""
            parts_vi.append(f"{self._verb(c, 'vi')} {len(matching_projects)} dự án về chủ đề này{last}")
            parts_en.append(f"{self._verb(c, 'en')} {_projects(len(matching_projects), 'en')} on it{last_en}")
        if not parts_vi:
            return Component(round(score, 3), f"Chủ đề: không thấy {c.display('vi')} làm về {asked_vi}.",
                             f"Themes: no sign that {c.display('en')} works on {asked_en}.")
        return Component(round(score, 3), f"Chủ đề ({asked_vi}): " + "; ".join(parts_vi) + ".",
                         f"Themes ({asked_en}): " + "; ".join(parts_en) + ".")

    # geography --------------------------------------------------------------------------------------
    def geographic_fit(self, c: Candidate, history: list[PastProject]) -> Component:
        idea = self.idea
        if not idea.places:
            return Component(None, "Địa bàn: chưa nêu địa bàn.", "Place: no region given.")
        regions, provinces = idea.regions, idea.provinces
        where_vi = _join([self.geo.name(p.province or p.region, "vi") for p in idea.places], "vi")
        where_en = _join([self.geo.name(p.province or p.region, "en") for p in idea.places], "en")
        reasons_vi, reasons_en = [], []
        if c.role == "co_applicant":
            home_regions = {self.geo.region_of(p) for p in c.places} - {None}
            if c.places & provinces:
                profile = 0.9
            elif home_regions & regions:
                profile = 0.6
            else:
                profile = 0.2 if c.places else 0.3
            if c.places:
                home = _join([self.geo.name(p, "vi") for p in c.places], "vi")
                home_en = _join([self.geo.name(p, "en") for p in c.places], "en")
                reasons_vi.append(f"trụ sở ở {home}")
                reasons_en.append(f"based in {home_en}")
        elif c.focus_regions or c.nationwide:
            if regions and c.focus_regions & regions:
                profile = 1.0
                matched = sorted(c.focus_regions & regions)
                reasons_vi.append(f"địa bàn ưu tiên gồm {_join([self.geo.name(r, 'vi') for r in matched], 'vi')}")
                reasons_en.append(f"its focus areas include {_join([self.geo.name(r, 'en') for r in matched], 'en')}")
            elif c.nationwide:
                profile = 0.6
                reasons_vi.append("hoạt động trên toàn quốc")
                reasons_en.append("works nationwide")
            else:
                profile = 0.15
                focus = _join([self.geo.name(r, "vi") for r in c.focus_regions], "vi")
                focus_en = _join([self.geo.name(r, "en") for r in c.focus_regions], "en")
                reasons_vi.append(f"địa bàn ưu tiên là {focus}")
                reasons_en.append(f"its focus is on {focus_en}")
            if not regions and idea.nationwide:
                profile = 1.0 if c.nationwide else 0.5
        else:
            profile = 0.3
        implementer = c.role == "co_applicant"
        n = self._places.count(c.id, implementer)
        if n and self.explain:
            found = [self.f.projects[i] for i in self._places.projects(c.id, implementer)]
            exact = sum(1 for p in found if p.provinces & provinces)
            nearby = len(found) - exact
            region_vi = _join([self.geo.name(r, "vi") for r in sorted(regions)], "vi")
            region_en = _join([self.geo.name(r, "en") for r in sorted(regions)], "en")
            if provinces:
                parts_vi = [f"{exact} dự án ở {_join([self.geo.name(v, 'vi') for v in sorted(provinces)], 'vi')}"] \
                    if exact else []
                parts_en = [f"{_projects(exact, 'en')} in "
                            f"{_join([self.geo.name(v, 'en') for v in sorted(provinces)], 'en')}"] if exact else []
                if nearby:
                    parts_vi.append(f"{nearby} dự án khác ở {region_vi}")
                    parts_en.append(f"{_projects(nearby, 'en')} elsewhere in {region_en}")
            else:
                parts_vi, parts_en = [f"{nearby} dự án ở {region_vi}"], [f"{_projects(nearby, 'en')} in {region_en}"]
            reasons_vi.append(f"{self._verb(c, 'vi')} " + " và ".join(parts_vi))
            reasons_en.append(f"{self._verb(c, 'en')} " + " and ".join(parts_en))
        score = _noisy_or(profile, _saturate(n))
        if not self.explain:
            return Component(round(score, 3), "", "")
        if not reasons_vi:
            return Component(round(score, 3), f"Địa bàn ({where_vi}): chưa có thông tin về nơi {c.display('vi')} hoạt động.",
                             f"Place ({where_en}): nothing known about where {c.display('en')} works.")
        return Component(round(score, 3), f"Địa bàn ({where_vi}): " + "; ".join(reasons_vi) + ".",
                         f"Place ({where_en}): " + "; ".join(reasons_en) + ".")

    # budget -----------------------------------------------------------------------------------------
    def budget_fit(self, c: Candidate, history: list[PastProject]) -> Component:
        budget = self.idea.budget_usd
        if budget is None:
            return Component(None, "Ngân sách: chưa nêu ngân sách.", "Budget: no budget given.")
        if c.role == "international_partner" and c.grant_min is None:
            return Component(None, "Ngân sách: không áp dụng cho đối tác kỹ thuật.",
                             "Budget: does not apply to a technical partner.")
        b_vi, b_en = _usd(budget, "vi"), _usd(budget, "en")
        reasons_vi, reasons_en = [], []
        profile: float | None = None
        if c.grant_min is not None and c.grant_max is not None and c.role != "co_applicant":
            low, high = c.grant_min, c.grant_max
            if low <= budget <= high:
                profile = 1.0
                reasons_vi.append(f"khoản tài trợ thường từ {_usd(low, 'vi')} đến {_usd(high, 'vi')}, {b_vi} nằm trong khoảng này")
                reasons_en.append(f"its grants usually range from {_usd(low, 'en')} to {_usd(high, 'en')}; {b_en} is within")
            else:
                edge = low if budget < low else high
                profile = math.exp(-abs(math.log(budget / edge)) / BUDGET_DECAY)
                side_vi, side_en = ("thấp hơn", "below") if budget < low else ("cao hơn", "above")
                reasons_vi.append(f"{b_vi} {side_vi} khoảng tài trợ thường thấy ({_usd(low, 'vi')}–{_usd(high, 'vi')})")
                reasons_en.append(f"{b_en} is {side_en} its usual range ({_usd(low, 'en')}–{_usd(high, 'en')})")
        close = 0.0
        similar = 0
        for project in history:
            if project.amount:
                nearness = math.exp(-abs(math.log(project.amount / budget)) / BUDGET_DECAY)
                close += nearness
                similar += nearness >= 0.5
        if similar:
            reasons_vi.append(f"{self._verb(c, 'vi')} {similar} dự án có quy mô tương tự")
            reasons_en.append(f"{self._verb(c, 'en')} {_projects(similar, 'en')} of a similar size")
        history_fit = _saturate(close)
        if profile is None and not history:
            if c.role == "co_applicant":
                return Component(0.0, "Ngân sách: chưa có dự án nào để so sánh quy mô.",
                                 "Budget: no past project to compare the size with.")
            return Component(0.5, "Ngân sách: chưa rõ quy mô tài trợ thường thấy (tính trung bình 0,5).",
                             "Budget: usual grant sizes unknown (counted as 0.5).")
        score = _noisy_or(profile or 0.0, history_fit)
        if not reasons_vi:
            reasons_vi.append(f"các dự án trước có quy mô khác xa {b_vi}")
            reasons_en.append(f"past projects were far from {b_en}")
        return Component(round(score, 3), "Ngân sách: " + "; ".join(reasons_vi) + ".",
                         "Budget: " + "; ".join(reasons_en) + ".")

    # collaboration ----------------------------------------------------------------------------------
    def _ties(self, c: Candidate) -> list[tuple[str, str]]:
        return self._lead_ties.get(c.id, [])

    def set_top_donors(self, donors: list[str]) -> None:
        """The donors suggested for this idea; co-applicants who worked with them form a ready
        consortium. Indexes each organisation's projects funded by them."""
        self.top_donors = list(donors)
        out: dict[str, list[PastProject]] = defaultdict(list)
        seen: set[str] = set()
        for donor in self.top_donors:
            for project_id in self.f.funded_by.get(donor, []):
                if project_id in seen or project_id in self.exclude:
                    continue
                seen.add(project_id)
                for organisation in self.f.projects[project_id].implementers:
                    out[organisation].append(self.f.projects[project_id])
        self._top_projects = dict(out)

    def _with_top_donors(self) -> dict[str, list[PastProject]]:
        return self._top_projects

    def _lead_donors(self) -> set[str]:
        if not hasattr(self, "_lead_donor_set"):
            self._lead_donor_set = {d for i in self.f.implemented_by.get(self.lead, []) if i not in self.exclude
                                    for d in self.f.projects[i].donors}
        return self._lead_donor_set

    def _recency(self, projects: Iterable[PastProject]) -> float:
        return sum(RECENCY ** max(0, self.year - (p.year or self.year)) for p in projects)

    def past_collaboration(self, c: Candidate, history: list[PastProject]) -> Component:
        lead_name_vi = self._entity_name(self.lead, "vi") if self.explain else ""
        lead_name_en = self._entity_name(self.lead, "en") if self.explain else ""
        reasons_vi, reasons_en = [], []
        parts: list[float] = []
        ties = self._ties(c)
        if ties:
            parts.append(0.6)
        if ties and self.explain:
            tie_vi = _join([f"{relationship_verb(t, 'vi')} {self._entity_name(o, 'vi')}" for o, t in ties], "vi", 3)
            tie_en = _join([f"{relationship_verb(t, 'en')} {self._entity_name(o, 'en')}" for o, t in ties], "en", 3)
            reasons_vi.append(f"theo tài liệu: {tie_vi}")
            reasons_en.append(f"documented: {tie_en}")
        if c.role == "co_applicant":
            donors = set(self.top_donors)
            with_donors = self._with_top_donors().get(c.id, [])
            if with_donors:
                parts.append(_saturate(self._recency(with_donors), 1.5))
            if with_donors and self.explain:
                names_vi = _join([self._entity_name(d, "vi") for p in with_donors for d in p.donors & donors], "vi")
                names_en = _join([self._entity_name(d, "en") for p in with_donors for d in p.donors & donors], "en")
                reasons_vi.append(f"đã làm {len(with_donors)} dự án với các nhà tài trợ được gợi ý ({names_vi})")
                reasons_en.append(f"did {_projects(len(with_donors), 'en')} with the suggested donors ({names_en})")
            if self.lead not in (VUSTA, c.id):
                shared = {d for p in history for d in p.donors} & self._lead_donors()
                if shared:
                    parts.append(_saturate(len(shared), 2.0))
                    reasons_vi.append(f"có chung {len(shared)} nhà tài trợ với {lead_name_vi}")
                    reasons_en.append(f"shares {len(shared)} donors with {lead_name_en}")
        else:
            if history:
                recency = self._recency(history) if self.exclude else self.f.recency[c.id]
                parts.append(_saturate(recency, 3.0))
            if history and self.explain:
                last = max((p.year for p in history if p.year), default=None)
                reasons_vi.append(f"{self._verb(c, 'vi')} {len(history)} dự án cho các tổ chức của Liên hiệp Hội"
                                  + (f" (gần nhất năm {last})" if last else ""))
                reasons_en.append(f"{self._verb(c, 'en')} {_projects(len(history), 'en')} of VUSTA's organisations"
                                  + (f" (most recently in {last})" if last else ""))
            if self.lead != VUSTA:
                with_lead = [p for p in history if self.lead in p.implementers]
                if with_lead:
                    parts.append(_saturate(self._recency(with_lead), 1.0))
                    reasons_vi.append(f"trong đó {len(with_lead)} dự án với {lead_name_vi}")
                    reasons_en.append(f"{len(with_lead)} of them with {lead_name_en}")
        score = _noisy_or(*parts) if parts else 0.0
        if not self.explain:
            return Component(round(score, 3), "", "")
        if not reasons_vi:
            return Component(0.0, f"Hợp tác: chưa có hợp tác nào được ghi nhận với {lead_name_vi} hay Liên hiệp Hội.",
                             f"Collaboration: no recorded collaboration with {lead_name_en} or VUSTA.")
        return Component(round(score, 3), "Hợp tác: " + "; ".join(reasons_vi) + ".",
                         "Collaboration: " + "; ".join(reasons_en) + ".")

    # proximity --------------------------------------------------------------------------------------
    def best_path(self, target: str) -> list[str]:
        """The introduction path to show: among the shortest paths (up to MAX_SHOWN_PATHS of them),
        the warmest, preferring paths through people, then shared projects on the idea's themes
        and places; the warmest path overall when there are too many to compare."""
        fallback = self.reach.path(target)
        if len(fallback) <= 2 or not self.explain:
            return fallback
        paths: list[list[str]] = []
        stack: list[list[str]] = [[target]]
        while stack:
            path = stack.pop()
            if path[-1] == self.lead:
                paths.append(list(reversed(path)))
                if len(paths) > MAX_SHOWN_PATHS:
                    return fallback
                continue
            for previous in sorted(self.reach.predecessors.get(path[-1], []), reverse=True):
                stack.append([*path, previous])
        return max(paths, key=self._path_value) if paths else fallback

    def _path_value(self, path: list[str]) -> float:
        middle = path[1:-1]
        warmth = sum(self.f.warmth_of(n) for n in middle) / len(middle)
        relevance = 0.0
        for node in middle:
            project = self.f.projects.get(node)
            if project is None:
                continue
            themes = max((self.tax.best_similarity(t.id, project.themes)[0] for t in self.idea.themes), default=0.0)
            place = 1.0 if (project.provinces & self.idea.provinces or project.region in self.idea.regions) else 0.0
            relevance = max(relevance, themes + 0.5 * place)
        through_people = any("Person" in self.f.projection.kinds(n) for n in middle)
        return warmth + 0.3 * through_people + 0.2 * relevance

    def network_proximity(self, c: Candidate, history: list[PastProject]) -> Component:
        distance = self.reach.distance.get(c.id)
        lead_vi, lead_en = (self._entity_name(self.lead, "vi"), self._entity_name(self.lead, "en")) if self.explain \
            else ("", "")
        if distance is None or distance == 0:
            return Component(0.0, f"Kết nối: chưa thấy đường giới thiệu từ {lead_vi} (trong {MAX_HOPS} bước).",
                             f"Network: no introduction path from {lead_en} within {MAX_HOPS} steps.")
        warmth = self.reach.warmth(c.id)
        introducers = len(self.reach.predecessors.get(c.id, []))
        hop = HOP_SCORE.get(distance, 0.0)
        score = hop * (0.75 * (0.8 + 0.2 * warmth) + 0.25 * min(1.0, introducers / 3))
        if not self.explain:
            return Component(round(score, 3), "", "")
        if distance == 1:
            return Component(round(score, 3), f"Kết nối: có quan hệ trực tiếp với {lead_vi}.",
                             f"Network: directly connected to {lead_en}.")
        middle = self.best_path(c.id)[1:-1]
        via_vi = _join([self._entity_name(n, "vi") for n in middle], "vi", 3)
        via_en = _join([self._entity_name(n, "en") for n in middle], "en", 3)
        more_vi = f"; {introducers} đầu mối có thể giới thiệu" if introducers > 1 else ""
        more_en = f"; {introducers} possible introducers" if introducers > 1 else ""
        return Component(round(score, 3), f"Kết nối: cách {lead_vi} {distance} bước, qua {via_vi}{more_vi}.",
                         f"Network: {distance} steps from {lead_en}, through {via_en}{more_en}.")

    # activity ---------------------------------------------------------------------------------------
    def recent_activity(self, c: Candidate, history: list[PastProject]) -> Component:
        first = self.year - RECENT_YEARS + 1
        span = f"{first}–{self.year}"
        recent = [p for p in history if p.year and p.year >= first] if self.exclude else self.f.recent[c.id]
        if c.role == "international_partner" and not history:
            dated = [y for _, _, data in self.f.projection.graph.edges(c.id, data=True)
                     if (y := data.get("year")) and y >= first] if c.id in self.f.projection.graph else []
            if not dated:
                return Component(None, "Hoạt động gần đây: chưa có thông tin có ghi năm.",
                                 "Recent activity: nothing dated is known.")
            return Component(round(_saturate(len(dated), 1.0), 3),
                             f"Hoạt động gần đây: {len(dated)} quan hệ có ghi năm trong {span}.",
                             f"Recent activity: {len(dated)} dated ties in {span}.")
        if not recent:
            return Component(0.0, f"Hoạt động gần đây: không có dự án nào trong {span}.",
                             f"Recent activity: no project in {span}.")
        return Component(round(_saturate(len(recent)), 3),
                         f"Hoạt động gần đây: {self._verb(c, 'vi')} {len(recent)} dự án trong {span}.",
                         f"Recent activity: {self._verb(c, 'en')} {_projects(len(recent), 'en')} in {span}.")

    # -------------------------------------------------------------------------------------------------
    def _entity_name(self, entity_id: str, language: str) -> str:
        candidate = self.f.candidates.get(entity_id)
        if candidate:
            return candidate.display(language)
        row = self.f.projection.entities.get(entity_id)
        if row is None:
            return entity_id
        return short_name(row.name, row.aliases, language) or (
            row.name if language == "vi" else (row.name_en or row.name))

    def components(self, c: Candidate, theme: Component | None = None) -> dict[str, Component]:
        history = self.history(c)
        return {
            "theme_fit": theme or self.theme_fit(c, history),
            "geographic_fit": self.geographic_fit(c, history),
            "budget_fit": self.budget_fit(c, history),
            "past_collaboration": self.past_collaboration(c, history),
            "network_proximity": self.network_proximity(c, history),
            "recent_activity": self.recent_activity(c, history),
        }

    def score(self, components: dict[str, Component]) -> tuple[float, dict[str, float]]:
        used = {k: v.score for k, v in components.items() if v.score is not None and self.weights[k] > 0}
        total = sum(self.weights[k] for k in used)
        if total <= 0:
            return 0.0, {k: 0.0 for k in used}
        contributions = {k: self.weights[k] * s / total for k, s in used.items()}
        return sum(contributions.values()), contributions

    def rank(self, role: str, exclude_ids: Iterable[str] = (), min_theme_fit: float | None = None,
             top: int | None = None) -> list[tuple[float, Candidate, dict[str, Component], dict[str, float]]]:
        """Candidates of a role, best first.

        With ``min_theme_fit`` (and themes asked) candidates below it are left out before their
        other components are computed; ``self.passed[role]`` says how many were not. With ``top``
        too, only the best ``top`` are guaranteed: candidates are scored in order of theme fit and
        the search stops when even perfect other components could not reach the ``top``-th
        score (the weighted mean is at most ``(w_theme * theme + w_rest) / (w_theme + w_rest)``).
        """
        skip = {self.lead, *exclude_ids}
        filtering = min_theme_fit is not None and bool(self.idea.themes)
        pool: Iterable[Candidate] = self.f.candidates.values()
        if filtering and min_theme_fit > 0:
            # only candidates with some evidence on the themes can reach the threshold
            ids = set().union(*({*e.profile, *e.funded, *e.implemented} for e in self._themes))
            pool = [self.f.candidates[i] for i in sorted(ids) if i in self.f.candidates]
        staged: list[tuple[float, Candidate, Component | None]] = []
        for candidate in pool:
            if candidate.role != role or candidate.id in skip:
                continue
            theme = None
            if filtering:
                theme = self.theme_fit(candidate, [])
                if (theme.score or 0.0) < (min_theme_fit or 0.0):
                    continue
            staged.append((theme.score or 0.0 if theme else 0.0, candidate, theme))
        self.passed[role] = len(staged)
        w_theme = self.weights["theme_fit"]
        w_rest = sum(v for k, v in self.weights.items() if k != "theme_fit")
        prune = filtering and top is not None and w_theme > 0
        if prune:
            staged.sort(key=lambda item: (-item[0], item[1].id))
        best: list[float] = []  # a min-heap of the best ``top`` scores so far
        out = []
        for theme_score, candidate, theme in staged:
            if prune and len(best) >= top:
                bound = (w_theme * theme_score + w_rest) / (w_theme + w_rest)
                if bound < best[0] - 1e-9:
                    break
            parts = self.components(candidate, theme)
            total, contributions = self.score(parts)
            out.append((total, candidate, parts, contributions))
            if prune:
                if len(best) < top:
                    heapq.heappush(best, total)
                elif total > best[0]:
                    heapq.heapreplace(best, total)
        out.sort(key=lambda item: (-item[0], item[1].name, item[1].id))
        return out

    def fast_score(self, candidate: Candidate) -> float:
        """The score alone (the backtest's inner loop)."""
        return self.score(self.components(candidate))[0]


# --- the public function -----------------------------------------------------------------------------

def _intro_path(scorer: Scorer, target: str) -> list[dict[str, Any]]:
    path = scorer.best_path(target)
    if not path:
        return []
    proj = scorer.f.projection
    graph = proj.connections()
    out = []
    for index, node in enumerate(path):
        row = proj.entities.get(node)
        step: dict[str, Any] = {"id": node, "name": row.name if row else node, "name_en": row.name_en if row else None,
                                "kinds": row.kinds if row else [], "sample": bool(row and row.sample)}
        if index + 1 < len(path):
            source, rel_type, _ = graph[node][path[index + 1]]["types"][0]
            step["next"] = {"type": rel_type, "forward": source == node,
                            "verb_vi": relationship_verb(rel_type, "vi"), "verb_en": relationship_verb(rel_type, "en")}
        out.append(step)
    return out


def _sentence(path: list[dict[str, Any]], language: str) -> str:
    parts = []
    for step in path:
        parts.append(step["name"] if language == "vi" else (step.get("name_en") or step["name"]))
        following = step.get("next")
        if following:
            verb = following["verb_vi" if language == "vi" else "verb_en"]
            parts.append(f" — {verb} → " if following["forward"] else f" ← {verb} — ")
    return "".join(parts)


def _profile(c: Candidate) -> dict[str, Any]:
    return {
        "origin_country": c.origin_country or c.country, "sector": c.sector,
        "instruments": c.instruments, "instruments_vi": [INSTRUMENTS_VI.get(i, i) for i in c.instruments],
        "typical_grant_min_usd": c.grant_min, "typical_grant_max_usd": c.grant_max,
        "geographic_focus": c.geographic_focus, "focus_themes": c.focus_themes, "profile_source": c.profile_source,
    }


def _result(scorer: Scorer, rank: int, item: tuple[float, Candidate, dict[str, Component], dict[str, float]]
            ) -> dict[str, Any]:
    """One result, explained (components are computed again with their reasons)."""
    candidate = item[1]
    parts = scorer.components(candidate)
    total, contributions = scorer.score(parts)
    history = scorer.history(candidate)
    path = _intro_path(scorer, candidate.id)
    reasons = [{"component": name, "vi": part.vi, "en": part.en,
                "score": part.score, "contribution": round(contributions.get(name, 0.0), 3)}
               for name, part in parts.items()]
    reasons.sort(key=lambda r: -r["contribution"])
    return {
        "rank": rank,
        "role": candidate.role,
        "id": candidate.id,
        "name": candidate.name,
        "name_en": candidate.name_en,
        "short_name": candidate.short_name,
        "kinds": candidate.kinds,
        "score": round(total, 3),
        "components": {name: part.score for name, part in parts.items()},
        "contributions": {name: round(value, 3) for name, value in contributions.items()},
        "reasons": reasons,
        "intro_path": path,
        "intro_sentence_vi": _sentence(path, "vi") if path else None,
        "intro_sentence_en": _sentence(path, "en") if path else None,
        "profile": _profile(candidate),
        "past_projects": len(history),
        "sample": candidate.sample,
        "uses_sample_data": candidate.sample or any(p.sample for p in history) or any(s["sample"] for s in path),
    }


def recommend_partners(store: GraphStore, idea: ProjectIdea | dict[str, Any] | None = None, *,
                       text: str | None = None,
                       weights: PartnerWeights | dict[str, Any] | str | None = None, limit: int = DEFAULT_LIMIT,
                       roles: Iterable[str] = ROLES) -> dict[str, Any]:
    """Donors, co-applicants and international partners for a project idea, best first.

    Returns ``{"query", "weights", "results": [{"rank", "role", "id", "name", "kinds", "score",
    "components", "reasons", "intro_path", ...}], "notes", "sample_data"}``: donors first, then
    co-applicants, then international partners, each ranked, at most ``limit`` of each.
    ``text=...`` is a shortcut for ``idea={"text": ...}``.
    Raises :class:`IdeaError` (unknown theme, region, lead; empty idea) or :class:`WeightsError`.
    """
    if idea is None:
        idea = {"text": text}
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise IdeaError(f"--limit must be a whole number from 1 to {MAX_LIMIT}, got {limit!r}.",
                        f"Số kết quả phải từ 1 đến {MAX_LIMIT}.")
    roles = [r for r in ROLES if r in set(roles)]
    chosen = load_weights(weights if not isinstance(weights, PartnerWeights) else weights)
    understood = understand(store, idea)
    features = partner_features(store)
    # rank everyone on scores alone, then explain only the candidates shown
    scorer = Scorer(features, understood, chosen, explain=False)
    results: list[dict[str, Any]] = []
    # with themes asked, a candidate that works on none of them is no match: left out early
    donors = scorer.rank("donor", min_theme_fit=MIN_THEME_FIT, top=max(limit, TOP_DONORS_FOR_CONSORTIA))
    scorer.set_top_donors([item[1].id for item in donors[:TOP_DONORS_FOR_CONSORTIA]])
    explainer = scorer.explaining()
    notes = list(understood.notes)
    for role in roles:
        ranked = donors if role == "donor" else scorer.rank(role, min_theme_fit=MIN_THEME_FIT, top=limit)
        lead_counted = features.candidates.get(understood.lead) is not None and \
            features.candidates[understood.lead].role == role
        left_out = features.role_counts[role] - lead_counted - scorer.passed[role]
        if left_out:
            notes.append({"vi": f"{left_out} {ROLE_NAMES[role][0]} không làm về chủ đề này nên không được liệt kê.",
                          "en": f"{left_out} {ROLE_NAMES[role][1]} that do not work on these themes are not listed."})
        results += [_result(explainer, i + 1, item) for i, item in enumerate(ranked[:limit])]
    if features.sample_projects:
        notes.append({"vi": f"Lịch sử dự án dùng để xếp hạng gồm {features.sample_projects} dự án MẪU (sinh tự động, "
                            "không phải dữ liệu thật); kết quả chỉ để minh họa.",
                      "en": f"The project history behind the ranking includes {features.sample_projects} SAMPLE projects "
                            "(generated, not real data); treat the results as an illustration."})
    if not features.projects:
        notes.append({"vi": "Chưa có danh mục dự án: xếp hạng chỉ dựa trên hồ sơ và mạng lưới.",
                      "en": "No project portfolio yet: the ranking uses profiles and the network only."})
    lead_row = features.projection.entities.get(understood.lead)
    return {
        "query": understood.as_json(features.taxonomy, features.geography, lead_row.name if lead_row else understood.lead),
        "weights": chosen.normalised(),
        "reference_year": features.reference_year,
        "results": results,
        "notes": notes,
        "sample_data": features.sample_projects > 0,
    }


def theme_choices(store: GraphStore) -> list[dict[str, str]]:
    """Every theme, for pick lists: ``[{"id", "name", "name_en"}]`` sorted by Vietnamese name."""
    tax = taxonomy(store)
    return sorted(({"id": t.id, "name": t.name, "name_en": t.name_en} for t in tax.themes.values()),
                  key=lambda t: t["name"])


def region_choices(store: GraphStore) -> list[dict[str, str]]:
    """Regions then provinces, for pick lists: ``[{"id", "name", "name_en", "kind"}]``."""
    geo = geography(store)
    regions = [{"id": i, "name": n, "name_en": e, "kind": "region"} for i, (n, e) in geo.regions.items()]
    provinces = [{"id": i, "name": n, "name_en": e, "kind": "province"} for i, (n, e, _) in geo.provinces.items()]
    return sorted(regions, key=lambda r: r["name"]) + sorted(provinces, key=lambda r: r["name"])


def kind_names(kinds: list[str], language: str = "vi") -> str:
    return ", ".join(kind_label(k, language) for k in kinds)


__all__ = ["recommend_partners", "load_weights", "PartnerWeights", "WeightsError", "IdeaError", "ProjectIdea",
           "partner_features", "Scorer", "COMPONENTS", "ROLES", "theme_choices", "region_choices"]


# --- command line (``python -m queries partners``) ---------------------------------------------------

def add_partner_arguments(parser: Any) -> None:
    """The options of ``python -m queries partners`` (added to its sub-parser)."""
    parser.add_argument("--text", help="the project idea in a sentence (Vietnamese or English, accents optional)")
    parser.add_argument("--theme", action="extend", nargs="+", default=[], metavar="T",
                        help="theme ids, names or keywords (one or more, repeatable); inferred from --text when not given")
    parser.add_argument("--region", action="extend", nargs="+", default=[], metavar="R",
                        help="regions or provinces (one or more, repeatable), e.g. 'Đồng bằng sông Cửu Long', "
                             "'mien trung', 'Can Tho'")
    parser.add_argument("--budget", type=float, help="budget in USD (read from --text when not given)")
    parser.add_argument("--lead", help="the lead organisation (default: VUSTA)")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="results per role (default 10)")
    parser.add_argument("--role", action="append", choices=ROLES, help="only these roles (repeatable)")
    parser.add_argument("--weights", help="component weights: a YAML/JSON file or NAME=NUMBER,... "
                        f"(components: {', '.join(COMPONENTS)}; default {WEIGHTS_FILE.name})")


def partners_command(args: Any, store: GraphStore) -> tuple[dict[str, Any], Callable[[dict[str, Any]], str]]:
    idea = {"text": args.text, "themes": args.theme, "regions": args.region, "budget_usd": args.budget,
            "lead": args.lead}
    result = recommend_partners(store, idea, weights=args.weights, limit=args.limit, roles=args.role or ROLES)
    return result, text_partners


def text_partners(result: dict[str, Any]) -> str:
    query = result["query"]
    themes = ", ".join(t["name_en"] for t in query["themes"]) or "none"
    places = ", ".join(p["province_name"] or p["region_name_en"] for p in query["places"]) or "anywhere"
    budget = f"USD {query['budget_usd']:,.0f}" if query["budget_usd"] else "not given"
    lines = [f"Themes: {themes} | Places: {places} | Budget: {budget} | Lead: {query['lead']['name']}"]
    titles = {"donor": "Donors", "co_applicant": "Co-applicants (VUSTA organisations)",
              "international_partner": "International partners"}
    for role in ROLES:
        rows = [r for r in result["results"] if r["role"] == role]
        if not rows:
            continue
        lines.append(f"\n{titles[role]}:")
        for row in rows:
            flag = " [sample]" if row["sample"] else ""
            short = f"{row['short_name']} — " if row["short_name"] != row["name"] else ""
            lines.append(f"{row['rank']:>3}. {row['score']:.2f}  {short}{row['name']}{flag}")
            for reason in row["reasons"]:
                if reason["score"] is not None:
                    lines.append(f"       {reason['en']}")
            if row["intro_sentence_en"] and len(row["intro_path"]) > 2:
                lines.append(f"       Introduction: {row['intro_sentence_en']}")
    for note in result["notes"]:
        lines.append(f"\nNote: {note['en']}")
    return "\n".join(lines)


# --- for the app and exports ------------------------------------------------------------------------

LEAD_CHOICE_KINDS = ("Union", "MemberAssociation", "AffiliatedOrganisation", "ProvincialUnion", "Department")


def lead_choices(store: GraphStore) -> list[dict[str, Any]]:
    """Organisations that can lead a project: VUSTA first, then its organisations by name."""
    proj = projection(store)
    out = []
    for entity_id, row in proj.entities.items():
        if not set(LEAD_CHOICE_KINDS) & set(row.kinds):
            continue
        acronym = short_name(row.name, row.aliases, "vi")
        out.append({"id": entity_id, "name": row.name, "name_en": row.name_en, "sample": row.sample,
                    "label": f"{row.name} ({acronym})" if acronym else row.name})
    out.sort(key=lambda r: (r["id"] != VUSTA, r["sample"], r["name"]))
    return out


def results_table(result: dict[str, Any], language: str = "vi") -> list[dict[str, Any]]:
    """The ranked results as flat rows (for tables, CSV and Excel), in the chosen language."""
    vi = language == "vi"
    role_names = {role: names[0] if vi else names[1] for role, names in ROLE_NAMES.items()}
    rows = []
    for item in result["results"]:
        row: dict[str, Any] = {
            "role": role_names[item["role"]],
            "rank": item["rank"],
            "id": item["id"],
            "name": item["name"] if vi else (item["name_en"] or item["name"]),
            "short_name": item["short_name"],
            "score": item["score"],
        }
        row.update({name: item["components"][name] for name in COMPONENTS})
        row["reasons"] = " ".join(r["vi" if vi else "en"] for r in item["reasons"] if r["score"] is not None)
        row["introduction"] = item["intro_sentence_vi" if vi else "intro_sentence_en"] or ""
        row["origin"] = item["profile"]["origin_country"] or ""
        row["sample"] = item["uses_sample_data"]
        rows.append(row)
    return rows


def intro_found(item: dict[str, Any]) -> dict[str, Any]:
    """A result's introduction path in the shape of :func:`queries.paths.find_paths`, for the
    map drawing of :func:`queries.neighbourhood.path_network`."""
    path = item["intro_path"]
    relationships = []
    for step, following in zip(path, path[1:]):
        rel = step["next"]
        source, target = (step["id"], following["id"]) if rel["forward"] else (following["id"], step["id"])
        relationships.append({"type": rel["type"], "from": source, "to": target})
    return {"from": {"id": path[0]["id"], "name": path[0]["name"]} if path else {},
            "to": {"id": path[-1]["id"], "name": path[-1]["name"]} if path else {},
            "paths": [{"length": len(path) - 1, "nodes": [{"id": s["id"], "name": s["name"], "kinds": s["kinds"]}
                                                           for s in path], "relationships": relationships}]
            if path else []}
