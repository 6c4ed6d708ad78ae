"""What the graph knows about each candidate and each recorded project, built once per graph
version from cached projections (:func:`queries.projection.cached`).

* :class:`Candidate` — a donor, a co-applicant (an organisation of the VUSTA system) or an
  international partner, with its public profile (focus themes, places, typical grants);
* :class:`PastProject` — a recorded project: donors, implementers, themes, places, year, amount
  and whether it is sample (demo) data;
* :class:`PartnerFeatures` — both, with indexes (projects by theme and place, candidates by
  theme, each candidate's history) and the introduction graph (:class:`Reach`).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable

import networkx as nx

from graph.schema import NodeKind, parse_provenance
from graph.store import GraphStore
from graph.text import acronym, fold, strip_diacritics
from queries.geography import Geography, focus_regions, geography
from queries.projection import Projection, cached, projection
from queries.themes import Taxonomy, taxonomy

ROLES = ("donor", "co_applicant", "international_partner")
DONOR_KINDS = frozenset({NodeKind.DONOR})
CO_APPLICANT_KINDS = frozenset({NodeKind.MEMBER_ASSOCIATION, NodeKind.AFFILIATED_ORGANISATION,
                                NodeKind.PROVINCIAL_UNION})
PARTNER_KINDS = frozenset({NodeKind.FOREIGN_PARTNER, NodeKind.INTERNATIONAL_ORGANISATION, NodeKind.NETWORK})
NOT_PARTNER_KINDS = frozenset({NodeKind.PROGRAMME, NodeKind.FORUM})
# The VUSTA system: the union itself and the kinds of its organisations (projects they carry out
# count as collaboration with VUSTA).
VUSTA_SYSTEM_KINDS = frozenset({NodeKind.UNION, NodeKind.DEPARTMENT, *CO_APPLICANT_KINDS})
VIETNAM = "Việt Nam"
VUSTA = "vusta"

# Kinds an introduction path may not pass through: they connect everything they mention.
NOT_THROUGH = frozenset({NodeKind.DOCUMENT, NodeKind.FIGURE, NodeKind.THEME, NodeKind.PLACE, NodeKind.PROVINCE,
                         NodeKind.POLICY_DOCUMENT, NodeKind.PUBLICATION})
# How warm an introduction through an intermediary of each kind is (people best).
WARMTH = {NodeKind.PERSON: 1.0, NodeKind.MEMBER_ASSOCIATION: 0.9, NodeKind.AFFILIATED_ORGANISATION: 0.9,
          NodeKind.PROVINCIAL_UNION: 0.85, NodeKind.UNION: 0.85, NodeKind.DEPARTMENT: 0.85, NodeKind.NETWORK: 0.8,
          NodeKind.PROJECT: 0.75, NodeKind.AGREEMENT: 0.65, NodeKind.PROGRAMME: 0.65, NodeKind.DONOR: 0.6,
          NodeKind.FOREIGN_PARTNER: 0.6, NodeKind.INTERNATIONAL_ORGANISATION: 0.6, NodeKind.EVENT: 0.55,
          NodeKind.FORUM: 0.5, NodeKind.COMPANY: 0.5, NodeKind.GOVERNMENT_BODY: 0.4, NodeKind.PARTY_BODY: 0.3}
HOP_SCORE = {1: 1.0, 2: 0.75, 3: 0.5, 4: 0.3}
MAX_HOPS = max(HOP_SCORE)
KEPT_FOR_IDEAS = 32     # the evidence on an idea's places, kept for later requests on the same places
RECENCY = 0.85          # a project's weight falls by 15% a year
RECENT_YEARS = 3


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
    sources: list[str] = field(default_factory=list)   # documents the record cites (ids)
    with_vusta: bool = False    # carried out by VUSTA or one of its organisations


@dataclass
class Reach:
    """Shortest introduction paths from one organisation (breadth-first, up to MAX_HOPS)."""

    source: str
    distance: dict[str, int]
    predecessors: dict[str, list[str]]
    warmth_of: Callable[[str], float]
    _best: dict[str, tuple[float, str | None]] = field(default_factory=dict)
    tables: dict[str, Any] = field(default_factory=dict)  # per role, by queries.partners.bounds

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
    not_through: frozenset[str]   # entities no introduction goes through (documents, themes, places …)
    reference_year: int
    # indexes, so that a request looks up what matches instead of scanning every candidate's history
    projects_by_theme: dict[str, list[str]] = field(default_factory=dict)
    projects_by_place: dict[str, list[str]] = field(default_factory=dict)     # province or region id
    candidates_by_theme: dict[str, list[str]] = field(default_factory=dict)
    history: dict[str, list[PastProject]] = field(default_factory=dict)       # by candidate, per its role
    recency: dict[str, float] = field(default_factory=dict)    # recency-weighted number of projects
    with_vusta: dict[str, list[PastProject]] = field(default_factory=dict)   # its projects with VUSTA's organisations
    with_vusta_recency: dict[str, float] = field(default_factory=dict)
    recent: dict[str, list[PastProject]] = field(default_factory=dict)  # projects of the last RECENT_YEARS
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)   # cited sources, by id
    sample_projects: int = 0
    role_counts: dict[str, int] = field(default_factory=dict)
    _reach: dict[str, Reach] = field(default_factory=dict)
    _theme_evidence: dict[tuple[str, bool], Any] = field(default_factory=dict)
    _tables: dict[Any, Any] = field(default_factory=dict)   # by queries.partners.bounds
    _for_ideas: dict[Any, Any] = field(default_factory=dict)  # the latest places' evidence
    _parties: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # sorted_parties, by project
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # every theme's evidence made (queries.partners.scoring.prepare_every_theme), under its own lock
    every_theme_ready: bool = False
    preparing_themes: threading.Lock = field(default_factory=threading.Lock)

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
            # idea-independent, so made once here rather than for every candidate of every query
            self.with_vusta[candidate.id] = [p for p in history if p.with_vusta]
            self.with_vusta_recency[candidate.id] = sum(
                RECENCY ** max(0, self.reference_year - (p.year or self.reference_year))
                for p in self.with_vusta[candidate.id])
        self.candidates_by_theme = dict(by_candidate)
        self.sample_projects = sum(1 for p in self.projects.values() if p.sample)
        self.role_counts = {role: sum(1 for c in self.candidates.values() if c.role == role) for role in ROLES}

    def intro_graph(self, exclude: frozenset[str] = frozenset()) -> nx.Graph:
        """The ties introductions may follow: the projection's connections seen without the
        entities no introduction goes through (and without ``exclude``). A view, not a copy: at a
        million entities a copy of the graph does not fit beside the projection."""
        hidden = self.not_through | exclude if exclude else self.not_through
        return nx.subgraph_view(self.projection.connections(), filter_node=lambda n: n not in hidden)

    def _kept(self, table: dict[Any, Any], key: Any, make: Callable[[], Any], most: int | None = None) -> Any:
        """``table[key]``, made by ``make()`` the first time and kept for later requests on this
        graph version (the ``most`` latest keys when given)."""
        with self._lock:
            value = table.get(key)
        if value is None:
            value = make()
            with self._lock:
                if most is not None and len(table) >= most:
                    table.pop(next(iter(table)))
                table[key] = value
        return value

    def reach(self, source: str, exclude: frozenset[str] = frozenset()) -> Reach:
        def make() -> Reach:
            predecessors, distance = _search(self.intro_graph(exclude), source)
            return Reach(source, distance, predecessors, self.warmth_of)

        return self._kept(self._reach, source, make) if not exclude else make()

    def theme_evidence_of(self, key: tuple[str, bool], make: Callable[[], Any]) -> Any:
        """The scorer's evidence for an asked theme (``key``: theme, history used), made once and
        kept for later requests on this graph version: the taxonomy bounds the keys (each theme,
        with and without the project history)."""
        return self._kept(self._theme_evidence, key, make)

    def kept_for_ideas(self, key: Any, make: Callable[[], Any]) -> Any:
        """What a request made from part of its idea (the evidence on its places), kept for the
        next requests asking the same: the ``KEPT_FOR_IDEAS`` latest keys."""
        return self._kept(self._for_ideas, key, make, KEPT_FOR_IDEAS)

    def sorted_parties(self, project: PastProject) -> dict[str, list[str]]:
        """``{"donors", "implementers"}`` of a project cited as evidence, sorted; kept (a large
        project has hundreds of donors and thousands of implementers, cited again and again)."""
        kept = self._kept(self._parties, project.id, lambda: {"donors": sorted(project.donors),
                                                              "implementers": sorted(project.implementers)})
        return {name: list(ids) for name, ids in kept.items()}  # copies: an answer's lists are its own

    def kept_table(self, key: Any, make: Callable[[], Any]) -> Any:
        """A table :mod:`queries.partners.bounds` made once per graph version (one per role)."""
        return self._kept(self._tables, key, make)

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
            themes=set(), donors=set(), implementers=set(), sample=bool(row["sample"]),
            sources=sorted({s["document"] for s in parse_provenance(row.get("provenance")) if s.get("document")}))
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
        if project.amount is None and row["amount"] and (row.get("currency") or "USD").upper() == "USD":
            project.amount = row["amount"]  # an amount in another currency is not converted: left out
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
    for project in projects.values():
        project.with_vusta = any(VUSTA_SYSTEM_KINDS.intersection(proj.kinds(o)) for o in project.implementers)
    not_through = frozenset(n for n, row in proj.entities.items() if NOT_THROUGH.intersection(row.kinds))
    years = [p.year for p in projects.values() if p.year]
    documents = {row["id"]: row for row in store.read("partner_documents")}
    return PartnerFeatures(documents=documents,
        candidates=candidates, projects=projects, funded_by=dict(funded_by), implemented_by=dict(implemented_by),
        taxonomy=tax, geography=geo, projection=proj, not_through=not_through,
        reference_year=max(years) if years else time.gmtime().tm_year)


def partner_features(store: GraphStore) -> PartnerFeatures:
    return cached(store, "partner_features", lambda: build_features(store))
