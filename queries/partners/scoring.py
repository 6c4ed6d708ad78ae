"""The six components of the partner finder, as numbers (0–1) and the facts behind them; the
words are written by :mod:`queries.partners.explanations`.

What separates a strong fit from a weak one is **recorded evidence**: projects in the graph's
portfolio (real ones by default; the demo's sample projects only when demo data was loaded).
A public profile (the focus themes, regions and typical grant sizes compiled in
``data/reference/donor_profiles.yaml``) counts, but alone it is capped well below a recorded
project, and a broad profile counts less than a specific one:

``theme_fit``
    profile: ``PROFILE_THEME_CAP × similarity × specificity`` (specificity ``1 / (1 + 0.15 (k − 1))``
    for a profile naming ``k`` themes; similarity 1 for the theme itself, 0.6 for a directly
    broader or narrower one, 0.35 for a sibling); recorded: ``n / (n + 1)`` for ``n`` matching
    projects (on the theme: 1, on a narrower theme: 0.6; a project tagged only with a broader theme
    does not count), times ``0.6 + 0.4 × share`` (the share of the candidate's projects that match);
    combined as ``1 − (1 − profile)(1 − recorded)``.
``geographic_fit``
    profile: the stated focus includes the region 0.5, nationwide 0.25, elsewhere 0.05 (home
    province 0.5 / home region 0.3 for VUSTA's organisations); recorded: projects in the province
    (1) or elsewhere in the region (0.6), ``n / (n + 1)``.
``budget_fit``
    recorded: how close the nearest recorded amount is (``exp(−|ln(a/b)| / ln 3)``: a third at 3×),
    times ``0.5 + 0.5 × m / (m + 1)`` for ``m`` recorded amounts; profile: the typical range,
    at most ``PROFILE_BUDGET_CAP``; nothing known: 0 (said so), not a guess.
``past_collaboration``
    projects with VUSTA's organisations (recent ones weigh more), with the lead, and ties the
    documents state; for co-applicants: projects with the suggested donors, donors shared with the lead.
``network_proximity``
    the warmest shortest introduction path from the lead (1 step 1, 2 → 0.75, 3 → 0.5, 4 → 0.3).
``recent_activity``
    recorded projects in the last three years of the portfolio, ``n / (n + 2)``.

The score is the weighted mean of the components that apply (``None``: not asked, e.g. no
budget given). Each result also gets an :func:`evidence` level: ``recorded`` (projects on the
idea's themes), ``some_record`` (projects, none on the themes), ``profile_only``, ``none``.
"""

from __future__ import annotations

import copy
import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np

from graph.schema import NodeKind, RelationshipType
from queries.partners import bounds
from queries.partners.features import (HOP_SCORE, MAX_HOPS, RECENCY, RECENT_YEARS, ROLES, VUSTA, Candidate,
                                       PartnerFeatures, PastProject)
from queries.partners.weights import PartnerWeights, load_weights
from queries.project_idea import ChosenTheme, Understanding
from queries.projection import settle_heap
from queries.themes import DIRECT

PROFILE_THEME_CAP = 0.5     # a stated focus alone never counts as much as a recorded project
PROFILE_BUDGET_CAP = 0.4
PROFILE_REGION, PROFILE_NATIONWIDE, PROFILE_ELSEWHERE = 0.5, 0.25, 0.05
HOME_PROVINCE, HOME_REGION = 0.5, 0.3
HOME_CAP = max(HOME_PROVINCE, HOME_REGION, PROFILE_ELSEWHERE)  # the most a stated place can give
FOCUS_CAP = max(PROFILE_REGION, PROFILE_NATIONWIDE, PROFILE_ELSEWHERE)
SPECIFICITY_STEP = 0.15
BUDGET_DECAY = math.log(3.0)   # a third at 3x
MIN_THEME_FIT = 0.1     # with themes asked, candidates below this are not listed
MAX_SHOWN_PATHS = 300
ROUNDING = 1e-3  # component scores are rounded to 3 decimals: an upper bound allows for it
# Ties the documents state between a candidate and VUSTA or the lead.
TIE_TYPES = frozenset({RelationshipType.PARTNER_OF, RelationshipType.SUPPORTS, RelationshipType.FUNDS,
                       RelationshipType.COOPERATES_WITH, RelationshipType.MEMBER_OF, RelationshipType.AFFILIATED_WITH,
                       RelationshipType.HAS_CONSULTATIVE_STATUS, RelationshipType.PARTICIPATES_IN,
                       RelationshipType.CHAIRS, RelationshipType.ESTABLISHED})


@dataclass
class Part:
    """One component: its score (None: cannot be judged, left out) and the facts behind it,
    which :mod:`queries.partners.explanations` puts into words."""

    score: float | None
    facts: dict[str, Any] = field(default_factory=dict)


def saturate(n: float, half: float = 1.0) -> float:
    return n / (n + half) if n > 0 else 0.0


def noisy_or(*values: float) -> float:
    out = 1.0
    for value in values:
        out *= 1.0 - max(0.0, min(1.0, value))
    return 1.0 - out


def specificity(focus_count: int) -> float:
    """How specific a profile is: 1 for one theme, about 0.57 for six, 0.43 for ten."""
    return 1.0 / (1.0 + SPECIFICITY_STEP * max(0, focus_count - 1))


def nearness(amount: float, budget: float) -> float:
    return math.exp(-abs(math.log(amount / budget)) / BUDGET_DECAY)


@dataclass
class Evidence:
    """Per candidate: its profile match, and the weighted count and ids of its matching projects
    (as donor or partner, and as implementer)."""

    profile: dict[str, tuple[float, str]] = field(default_factory=dict)
    funded: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    implemented: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    funded_ids: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    implemented_ids: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # the fit on this theme of every candidate with some evidence, by role, per use of the profiles
    # (made once, by Scorer.theme_fits, when no project is hidden)
    fits: dict[bool, dict[str, dict[str, float]]] = field(default_factory=dict)
    # the same fits as arrays, per use of the profiles and role (queries.partners.bounds)
    fit_arrays: dict[tuple[bool, str], Any] = field(default_factory=dict)

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
    """Scores candidates for one understood idea; ``exclude`` hides projects (for the backtest);
    ``use_profile=False`` ignores public profiles (only recorded evidence), ``use_history=False``
    ignores recorded projects (profiles and the network only)."""

    def __init__(self, features: PartnerFeatures, idea: Understanding, weights: PartnerWeights,
                 exclude: frozenset[str] = frozenset(), explain: bool = True, *, use_profile: bool = True,
                 use_history: bool = True) -> None:
        self.f, self.idea, self.exclude, self.explain = features, idea, exclude, explain
        self.use_profile, self.use_history = use_profile, use_history
        self.weights = weights.normalised()
        self.tax, self.geo = features.taxonomy, features.geography
        self.year = features.reference_year
        self.lead = idea.lead
        self.reach = features.reach(self.lead, exclude)
        self.top_donors: list[str] = []
        self.passed: dict[str, int] = {}
        self.skipped: dict[str, int] = {}  # by role: candidates left out by their upper bound
        self._top_set: frozenset[str] = frozenset()
        self._with_top: dict[str, list[PastProject]] = {}
        self._themes = [self._theme_evidence(t.id) for t in idea.themes]
        self._places = self._place_evidence()
        self._lead_ties = self._ties_of_lead()
        self._lead_donor_set: set[str] | None = None
        self._shared_by_project: dict[str, set[str]] = {}  # the lead's donors among each project's
        # for upper_bound: what the idea asks decides which components are judged at all
        self._places_asked, self._budget_asked = bool(idea.places), idea.budget_usd is not None
        not_judged = {"geographic_fit"} if not self._places_asked else set()
        not_judged |= {"budget_fit"} if not self._budget_asked else set()
        self._bound_weight = sum(v for k, v in self.weights.items() if k not in not_judged) or 1.0

    def explaining(self) -> "Scorer":
        """The same scorer (same evidence, paths and donors) that also collects the facts."""
        other = copy.copy(self)
        other.explain = True
        return other

    # evidence -----------------------------------------------------------------------------------
    def history(self, candidate: Candidate) -> list[PastProject]:
        if not self.use_history:
            return []
        projects = self.f.history.get(candidate.id, [])
        return [p for p in projects if p.id not in self.exclude] if self.exclude else projects

    def _theme_evidence(self, theme: str) -> Evidence:
        """Who works on the theme (profiles) and who took part in projects on it. The same for
        every request on this graph version unless projects are hidden, so kept in the features;
        callers only read it."""
        if self.exclude:
            return self._make_theme_evidence(theme)
        return self.f.theme_evidence_of((theme, self.use_history), lambda: self._make_theme_evidence(theme))

    def _make_theme_evidence(self, theme: str) -> Evidence:
        related = {t: v for t in self.tax.themes if (v := self.tax.similarity(theme, t)) > 0}
        evidence = Evidence()
        for other, value in related.items():
            for candidate in self.f.candidates_by_theme.get(other, ()):
                if value > evidence.profile.get(candidate, (0.0, ""))[0]:
                    evidence.profile[candidate] = (value, other)
        if not self.use_history:
            return evidence
        # projects count on the theme itself (1) or a narrower one (0.6): a project on climate change is
        # evidence for an environment idea, but a project tagged only "environment" says little about
        # biodiversity, so projects on a broader theme do not count
        counted = {theme: 1.0, **{t: DIRECT for t in self.tax.narrower(theme)}}
        seen: set[str] = set()
        for other in counted:
            for project_id in self.f.projects_by_theme.get(other, ()):
                if project_id in seen or project_id in self.exclude:
                    continue
                seen.add(project_id)
                project = self.f.projects[project_id]
                evidence.add(project, max(counted.get(t, 0.0) for t in project.themes))
        return evidence

    def _place_evidence(self) -> Evidence:
        """Who took part in projects in the idea's places (1 in a province, 0.6 elsewhere in a
        region). The same for every request on these places unless projects are hidden: the
        latest ones are kept with the features."""
        if self.exclude or not self.use_history:
            return self._make_place_evidence()
        key = ("places", frozenset(self.idea.provinces), frozenset(self.idea.regions))
        return self.f.kept_for_ideas(key, self._make_place_evidence)

    def _make_place_evidence(self) -> Evidence:
        evidence = Evidence()
        if not self.use_history:
            return evidence
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
                    evidence.add(project, 0.6)
        return evidence

    def _ties_of_lead(self) -> dict[str, list[tuple[str, str]]]:
        graph = self.f.projection.connections()
        out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for other in dict.fromkeys((self.lead, VUSTA)):
            if other not in graph:
                continue
            for neighbour, data in graph[other].items():
                if neighbour in self.exclude:
                    continue
                for tie in data["types"]:
                    if tie.type in TIE_TYPES:
                        out[neighbour].append((other, tie.type))
        return out

    # theme --------------------------------------------------------------------------------------
    def _fit_on(self, c: Candidate, evidence: Evidence, implementer: bool, spec: float,
                history_size: int) -> tuple[float, float, str]:
        """On one asked theme: the profile's part, the recorded projects' part, and the focus theme
        through which the profile matched (empty when it hardly does)."""
        similarity, via = evidence.profile.get(c.id, (0.0, "")) if (c.themes and self.use_profile) else (0.0, "")
        profile = PROFILE_THEME_CAP * similarity * spec
        n = evidence.count(c.id, implementer)
        recorded = 0.0
        if n:
            share = min(1.0, len(evidence.projects(c.id, implementer)) / max(1, history_size))
            recorded = saturate(n) * (0.6 + 0.4 * share)
        return profile, recorded, via if via and similarity >= 0.35 else ""

    def theme_fits(self, evidence: Evidence) -> dict[str, dict[str, float]]:
        """The fit on one asked theme (``noisy_or(profile, recorded)``, as :meth:`theme_fit` adds it
        up) of every candidate with some evidence on it, by role. Made once per theme and kept
        with its evidence; with projects hidden the histories differ, so it is not used then."""
        fits = evidence.fits.get(self.use_profile)
        if fits is None:
            fits = {role: {} for role in ROLES}
            for candidate_id in {*evidence.profile, *evidence.funded, *evidence.implemented}:
                c = self.f.candidates.get(candidate_id)
                if c is None:
                    continue
                history = self.f.history.get(c.id, []) if self.use_history else []
                profile, recorded, _ = self._fit_on(c, evidence, c.role == "co_applicant",
                                                    specificity(len(c.themes)), len(history))
                fits[c.role][c.id] = noisy_or(profile, recorded)
            evidence.fits[self.use_profile] = fits
        return fits

    def theme_fit(self, c: Candidate, history: list[PastProject]) -> Part:
        themes = self.idea.themes
        if not themes:
            return Part(None, {"asked": []})
        implementer = c.role == "co_applicant"
        spec = specificity(len(c.themes))
        total, weight_sum = 0.0, 0.0
        profile_hits: list[str] = []
        matching: set[str] = set()
        best_profile = 0.0
        for chosen, evidence in zip(themes, self._themes):
            profile, recorded, via = self._fit_on(c, evidence, implementer, spec, len(history))
            best_profile = max(best_profile, profile)
            if via:
                profile_hits.append(via)
            if recorded and self.explain:
                matching.update(evidence.projects(c.id, implementer))
            total += chosen.weight * noisy_or(profile, recorded)
            weight_sum += chosen.weight
        score = round(total / weight_sum, 3)
        if not self.explain:
            return Part(score)
        return Part(score, {"asked": [t.id for t in themes], "profile_hits": list(dict.fromkeys(profile_hits)),
                            "focus_count": len(c.themes), "specificity": round(spec, 2),
                            "profile": round(best_profile, 3), "projects": sorted(matching),
                            "history": len(history)})

    # geography ----------------------------------------------------------------------------------
    def geographic_fit(self, c: Candidate, history: list[PastProject]) -> Part:
        idea = self.idea
        if not idea.places:
            return Part(None, {})
        regions, provinces = idea.regions, idea.provinces
        facts: dict[str, Any] = {"places": [p.province or p.region for p in idea.places]}
        profile = 0.0
        if not self.use_profile:
            pass
        elif c.role == "co_applicant":
            home_regions = {self.geo.region_of(p) for p in c.places} - {None}
            if c.places & provinces:
                profile = HOME_PROVINCE
            elif home_regions & regions:
                profile = HOME_REGION
            elif c.places:
                profile = PROFILE_ELSEWHERE
            facts["home"] = sorted(c.places)
        elif c.focus_regions or c.nationwide:
            if regions and c.focus_regions & regions:
                profile = PROFILE_REGION
                facts["focus_match"] = sorted(c.focus_regions & regions)
            elif c.nationwide:
                profile = PROFILE_NATIONWIDE
                facts["nationwide"] = True
            else:
                profile = PROFILE_ELSEWHERE
                facts["focus_elsewhere"] = sorted(c.focus_regions)
            if not regions and idea.nationwide:
                profile = PROFILE_REGION if c.nationwide else PROFILE_NATIONWIDE
        implementer = c.role == "co_applicant"
        n = self._places.count(c.id, implementer)
        score = round(noisy_or(profile, saturate(n)), 3)
        if not self.explain:
            return Part(score)
        found = [self.f.projects[i] for i in self._places.projects(c.id, implementer)]
        facts.update({"profile": profile, "in_province": [p.id for p in found if p.provinces & provinces],
                      "in_region": [p.id for p in found if not p.provinces & provinces],
                      "provinces": sorted(provinces), "regions": sorted(regions)})
        return Part(score, facts)

    # budget -------------------------------------------------------------------------------------
    def budget_fit(self, c: Candidate, history: list[PastProject]) -> Part:
        budget = self.idea.budget_usd
        if budget is None:
            return Part(None, {})
        amounts = [(p.amount, p.id) for p in history if p.amount]
        has_range = self.use_profile and c.grant_min is not None and c.grant_max is not None \
            and c.role != "co_applicant"
        if c.role == "international_partner" and not has_range and not amounts:
            return Part(None, {"not_applicable": True})
        facts: dict[str, Any] = {"budget": budget}
        profile = 0.0
        if has_range:
            low, high = float(c.grant_min), float(c.grant_max)
            inside = low <= budget <= high
            edge = low if budget < low else high
            profile = PROFILE_BUDGET_CAP * (1.0 if inside else nearness(edge, budget))
            facts.update({"range": [low, high], "side": "inside" if inside else ("below" if budget < low else "above")})
        recorded = 0.0
        if amounts:
            closest = max(amounts, key=lambda a: nearness(a[0], budget))
            recorded = nearness(closest[0], budget) * (0.5 + 0.5 * saturate(len(amounts)))
            facts.update({"amounts": len(amounts), "closest": closest[0], "closest_project": closest[1],
                          "similar": sum(1 for a, _ in amounts if nearness(a, budget) >= 0.5)})
        facts["profile"], facts["recorded"] = round(profile, 3), round(recorded, 3)
        score = round(noisy_or(profile, recorded), 3)
        return Part(score, facts if self.explain else {})

    # collaboration ------------------------------------------------------------------------------
    def set_top_donors(self, donors: list[str]) -> None:
        """The donors suggested for this idea; co-applicants who worked with them form a ready
        consortium (:meth:`with_top_donors`)."""
        self.top_donors = list(donors)
        self._top_set = frozenset(donors)
        self._with_top = {}

    def with_top_donors(self, c: Candidate) -> list[PastProject]:
        """The projects of ``c``'s history (as implementer) funded by any of the top donors; found
        in its own history when asked (projects hidden left out), not for every organisation."""
        if not self.top_donors or not self.use_history:
            return []
        found = self._with_top.get(c.id)
        if found is None:
            top = self._top_set
            found = self._with_top[c.id] = [p for p in self.history(c) if not top.isdisjoint(p.donors)]
        return found

    def _lead_donors(self) -> set[str]:
        if self._lead_donor_set is None:
            self._lead_donor_set = {d for i in self.f.implemented_by.get(self.lead, []) if i not in self.exclude
                                    for d in self.f.projects[i].donors}
        return self._lead_donor_set

    def _shared_donors(self, history: list[PastProject]) -> set[str]:
        """The lead's donors who also funded projects of this history. Made per project and kept
        for the request: a large project (hundreds of donors) is in many organisations' histories,
        and a set of donors per organisation kept with the features took 0.7 GB at 100k."""
        lead_donors = self._lead_donors()
        shared: set[str] = set()
        if not lead_donors:
            return shared
        for project in history:
            common = self._shared_by_project.get(project.id)
            if common is None:
                common = self._shared_by_project[project.id] = project.donors & lead_donors
            shared |= common
        return shared

    def _recency(self, projects: Iterable[PastProject]) -> float:
        return sum(RECENCY ** max(0, self.year - (p.year or self.year)) for p in projects)

    def past_collaboration(self, c: Candidate, history: list[PastProject]) -> Part:
        parts: list[float] = []
        facts: dict[str, Any] = {"lead": self.lead}
        ties = self._lead_ties.get(c.id, [])
        if ties:
            parts.append(0.6)
            facts["ties"] = ties
        if c.role == "co_applicant":
            with_donors = self.with_top_donors(c)
            if with_donors:
                parts.append(saturate(self._recency(with_donors), 1.5))
                if self.explain:  # the facts are only read for the candidates shown
                    facts["with_top_donors"] = [p.id for p in with_donors]
                    # which top donors funded these projects (a project can have hundreds of donors)
                    facts["top_donors"] = sorted({d for d in self.top_donors if any(d in p.donors for p in with_donors)})
            if self.lead not in (VUSTA, c.id):
                shared = self._shared_donors(history)
                if shared:
                    parts.append(saturate(len(shared), 2.0))
                    facts["shared_donors"] = sorted(shared)
        else:
            whole = history is self.f.history.get(c.id)  # nothing hidden: the precomputed lists hold
            with_vusta = self.f.with_vusta[c.id] if whole else [p for p in history if p.with_vusta]
            if with_vusta:
                recency = self.f.with_vusta_recency[c.id] if whole else self._recency(with_vusta)
                parts.append(saturate(recency, 3.0))
                if self.explain:
                    facts["with_vusta"] = [p.id for p in with_vusta]
                    facts["last_year"] = max((p.year for p in with_vusta if p.year), default=None)
            if self.lead != VUSTA:
                with_lead = [p for p in history if self.lead in p.implementers]
                if with_lead:
                    parts.append(saturate(self._recency(with_lead), 1.0))
                    facts["with_lead"] = [p.id for p in with_lead]
        score = round(noisy_or(*parts), 3) if parts else 0.0
        return Part(score, facts if self.explain else {})

    # proximity ----------------------------------------------------------------------------------
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
        through_people = any(NodeKind.PERSON in self.f.projection.kinds(n) for n in middle)
        return warmth + 0.3 * through_people + 0.2 * relevance

    def network_proximity(self, c: Candidate, history: list[PastProject]) -> Part:
        distance = self.reach.distance.get(c.id)
        if distance is None or distance == 0:
            return Part(0.0, {"lead": self.lead, "distance": None, "max_hops": MAX_HOPS})
        warmth = self.reach.warmth(c.id)
        introducers = len(self.reach.predecessors.get(c.id, []))
        score = round(HOP_SCORE.get(distance, 0.0) * (0.75 * (0.8 + 0.2 * warmth)
                                                       + 0.25 * min(1.0, introducers / 3)), 3)
        if not self.explain:
            return Part(score)
        middle = self.best_path(c.id)[1:-1] if distance > 1 else []
        return Part(score, {"lead": self.lead, "distance": distance, "via": middle, "introducers": introducers})

    # activity -----------------------------------------------------------------------------------
    def recent_activity(self, c: Candidate, history: list[PastProject]) -> Part:
        first = self.year - RECENT_YEARS + 1
        facts: dict[str, Any] = {"span": [first, self.year]}
        if not self.use_history:
            recent: list[PastProject] = []
        elif self.exclude:
            recent = [p for p in history if p.year and p.year >= first]
        else:
            recent = self.f.recent.get(c.id, [])
        if c.role == "international_partner" and not history:
            proj = self.f.projection
            dated = [tie.year for other in proj.neighbours(c.id) for tie in proj.ties(c.id, other)
                     if tie.source == c.id and tie.year and tie.year >= first]
            if not dated:
                return Part(None, {**facts, "nothing_dated": True})
            return Part(round(saturate(len(dated), 1.0), 3), {**facts, "dated_ties": len(dated)})
        return Part(round(saturate(len(recent), 2.0), 3), {**facts, "recent": len(recent)})

    # --------------------------------------------------------------------------------------------
    def components(self, c: Candidate, theme: Part | None = None,
                   known: dict[str, Part] | None = None) -> dict[str, Part]:
        """Every component's part; ``known`` ones (made by :meth:`tight_bound`) are not made again."""
        history = self.history(c)
        known = known or {}
        return {
            "theme_fit": theme or self.theme_fit(c, history),
            "geographic_fit": known.get("geographic_fit") or self.geographic_fit(c, history),
            "budget_fit": self.budget_fit(c, history),
            "past_collaboration": known.get("past_collaboration") or self.past_collaboration(c, history),
            "network_proximity": self.network_proximity(c, history),
            "recent_activity": self.recent_activity(c, history),
        }

    def score(self, components: dict[str, Part]) -> tuple[float, dict[str, float]]:
        used = {k: v.score for k, v in components.items() if v.score is not None and self.weights[k] > 0}
        total = sum(self.weights[k] for k in used)
        if total <= 0:
            return 0.0, {k: 0.0 for k in used}
        contributions = {k: self.weights[k] * s / total for k, s in used.items()}
        return sum(contributions.values()), contributions

    def evidence(self, c: Candidate, parts: dict[str, Part]) -> dict[str, Any]:
        """How much recorded evidence stands behind a result (see the module docstring)."""
        history = self.history(c)
        theme = parts["theme_fit"].facts
        on_theme = len(theme.get("projects", []))
        profile = bool(theme.get("profile_hits")) or bool(c.focus_regions or c.nationwide or c.grant_min)
        level = "recorded" if on_theme else "some_record" if history else "profile_only" if profile else "none"
        sample = sum(1 for p in history if p.sample)
        return {"level": level, "recorded_projects": len(history), "on_theme": on_theme,
                "real_projects": len(history) - sample, "sample_projects": sample}

    def _shared_bound(self, c: Candidate, theme_score: float) -> float:
        """What both bounds count alike (weighted, not yet divided): the theme fit, budget fit at
        most 1, network proximity at most its distance's score, recent activity at most its recent
        projects' score."""
        w = self.weights
        total = w["theme_fit"] * theme_score + (w["budget_fit"] if self._budget_asked else 0.0)
        distance = self.reach.distance.get(c.id)
        if distance:
            total += w["network_proximity"] * HOP_SCORE.get(distance, 0.0)
        if self.use_history and not self.exclude and c.role != "international_partner":
            total += w["recent_activity"] * saturate(len(self.f.recent.get(c.id, ())), 2.0)
        else:
            total += w["recent_activity"]
        return total

    def upper_bound(self, c: Candidate, theme_score: float) -> float:
        """The most ``c`` can score with this theme fit, from lookups only: geographic fit at most
        what its stated places and its projects in the idea's places allow, past collaboration at
        most what its ties and projects with VUSTA (or the top donors) allow, network proximity
        at most its distance's score, recent activity at most its recent projects' score, budget
        fit at most 1. A component that may be left out counts at its bound: leaving it out could
        only lower a mean that it would raise."""
        w = self.weights
        implementer = c.role == "co_applicant"
        total = self._shared_bound(c, theme_score)
        if self._places_asked:
            stated = self.use_profile and bool(c.places if implementer else c.focus_regions or c.nationwide)
            projects = self._places.count(c.id, implementer)
            cap = (HOME_CAP if implementer else FOCUS_CAP) if stated else 0.0
            total += w["geographic_fit"] * (1.0 - (1.0 - cap) * (1.0 - saturate(projects)))
        if self.lead != VUSTA:
            total += w["past_collaboration"]
        else:
            recorded = self.use_history and bool(
                self.with_top_donors(c) if implementer else self.f.with_vusta.get(c.id))
            tie = 0.6 if c.id in self._lead_ties else 0.0
            total += w["past_collaboration"] * (1.0 if recorded else tie)
        return total / self._bound_weight

    def tight_bound(self, c: Candidate, theme_score: float) -> tuple[float, dict[str, Part]]:
        """A closer bound than :meth:`upper_bound`, for the candidates that bound lets through:
        geographic fit and past collaboration (with VUSTA leading) as they are, the rest at their
        bounds; and the parts it made, for :meth:`components` to use."""
        w = self.weights
        known: dict[str, Part] = {}
        total = self._shared_bound(c, theme_score)
        if self._places_asked:
            known["geographic_fit"] = self.geographic_fit(c, [])
            total += w["geographic_fit"] * (known["geographic_fit"].score or 0.0)
        if self.lead == VUSTA:
            known["past_collaboration"] = self.past_collaboration(c, self.history(c))
            total += w["past_collaboration"] * known["past_collaboration"].score
        else:
            total += w["past_collaboration"]
        return total / self._bound_weight, known

    def rank(self, role: str, exclude_ids: Iterable[str] = (), min_theme_fit: float | None = None,
             top: int | None = None) -> list[tuple[float, Candidate, dict[str, Part], dict[str, float]]]:
        """Candidates of a role, best first.

        With ``min_theme_fit`` (and themes asked) candidates below it are left out before their
        other components are computed; ``self.passed[role]`` says how many were not. With ``top``
        too, only the best ``top`` are guaranteed: candidates are scored in order of their
        :meth:`upper_bound` (lookups only), and the search stops when the next bound is below the
        ``top``-th score so far; before that, a candidate whose :meth:`tight_bound` is below it is
        passed over. ``self.skipped[role]`` counts the candidates never scored.
        """
        skip = {self.lead, *exclude_ids}
        filtering = min_theme_fit is not None and bool(self.idea.themes)
        pool: Iterable[Candidate] = self.f.candidates.values()
        if filtering and min_theme_fit > 0 and not self.explain and not self.exclude:
            # the kept per-theme fits, and every candidate's first bound at once (arrays)
            return self._rank_by_bounds(role, skip, min_theme_fit, top)
        if filtering and min_theme_fit > 0:
            # only candidates with some evidence on the themes can reach the threshold
            ids = set().union(*({*e.profile, *e.funded, *e.implemented} for e in self._themes))
            pool = [self.f.candidates[i] for i in sorted(ids) if i in self.f.candidates]
        staged: list[tuple[float, Candidate, Part | None]] = []
        for candidate in pool:
            if candidate.role != role or candidate.id in skip:
                continue
            theme = None
            if filtering:
                theme = self.theme_fit(candidate, self.history(candidate))
                if (theme.score or 0.0) < (min_theme_fit or 0.0):
                    continue
            staged.append((theme.score or 0.0 if theme else 0.0, candidate, theme))
        return self._rank_staged(role, staged, filtering, top)

    def _rank_staged(self, role: str, staged: list[tuple[float, Candidate, Part | None]], filtering: bool,
                     top: int | None) -> list[tuple[float, Candidate, dict[str, Part], dict[str, float]]]:
        self.passed[role] = len(staged)
        self.skipped[role] = 0
        if not (filtering and top is not None and self.weights["theme_fit"] > 0):
            out = [self._scored(candidate, theme) for _, candidate, theme in staged]
            out.sort(key=lambda item: (-item[0], item[1].name, item[1].id))
            return out
        bounded = sorted([(-self.upper_bound(candidate, theme_score), candidate.id, theme_score, candidate, theme)
                          for theme_score, candidate, theme in staged])  # ids are unique: no further field compared
        return self._best_bound_first(role, ((-less, theme_score, candidate, theme)
                                             for less, _, theme_score, candidate, theme in bounded), len(bounded), top)

    def _rank_by_bounds(self, role: str, skip: set[str], min_theme_fit: float, top: int | None
                        ) -> list[tuple[float, Candidate, dict[str, Part], dict[str, float]]]:
        """:meth:`rank` from the kept per-theme fits, with every candidate's theme fit and
        :meth:`upper_bound` made at once (:mod:`queries.partners.bounds`: the same numbers, in the
        same order); only the candidates the search reaches become objects."""
        table = bounds.role_table(self.f, role)
        theme, asked = self._theme_array(table)
        kept = asked & (theme >= min_theme_fit) & ~table.marked(skip)
        if not (top is not None and self.weights["theme_fit"] > 0):
            staged = [(float(theme[i]), table.candidates[i], Part(float(theme[i]))) for i in np.flatnonzero(kept)]
            return self._rank_staged(role, staged, True, top)
        self.passed[role] = int(kept.sum())
        self.skipped[role] = 0
        upper = self._upper_bounds(table, theme)
        order = bounds.best_first(upper, kept).tolist()
        return self._best_bound_first(role, ((float(upper[i]), float(theme[i]), table.candidates[i],
                                              Part(float(theme[i]))) for i in order), len(order), top)

    def _theme_array(self, table: bounds.RoleTable) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`theme_fit`'s score of every candidate of ``table`` from the kept per-theme fits
        (the same sums in the same order, rounded as Python rounds), and which candidates have
        some evidence on the asked themes."""
        weights = [chosen.weight for chosen in self.idea.themes]
        weight_sum = 0.0
        for weight in weights:
            weight_sum += weight
        total = np.zeros(len(table))
        asked = np.zeros(len(table), dtype=bool)
        for weight, evidence in zip(weights, self._themes):
            positions, values = bounds.theme_fit_array(table, evidence, self.theme_fits(evidence)[table.role],
                                                       self.use_profile)
            fits = np.zeros(len(table))
            fits[positions] = values
            total += weight * fits
            asked[positions] = True
        return bounds.round3(total / weight_sum), asked

    def theme_scores(self, role: str) -> dict[str, float]:
        """The theme fit the ranking reads for every candidate of ``role`` with some evidence on
        the asked themes, by id."""
        table = bounds.role_table(self.f, role)
        theme, asked = self._theme_array(table)
        return {table.candidates[i].id: float(theme[i]) for i in np.flatnonzero(asked)}

    def upper_bounds(self, role: str) -> dict[str, float]:
        """The first bound the ranking reads for every candidate of ``role`` with some evidence on
        the asked themes, by id (what :meth:`upper_bound` gives for each)."""
        table = bounds.role_table(self.f, role)
        theme, asked = self._theme_array(table)
        upper = self._upper_bounds(table, theme)
        return {table.candidates[i].id: float(upper[i]) for i in np.flatnonzero(asked)}

    def _upper_bounds(self, table: bounds.RoleTable, theme: np.ndarray) -> np.ndarray:
        """:meth:`upper_bound` of every candidate of ``table`` at once: the same sums in the same order."""
        w = self.weights
        implementer = table.role == "co_applicant"
        total = w["theme_fit"] * theme + (w["budget_fit"] if self._budget_asked else 0.0)
        total += w["network_proximity"] * bounds.hop_scores(self.reach, table)
        if self.use_history and not self.exclude and table.role != "international_partner":
            total += w["recent_activity"] * table.recent
        else:
            total += w["recent_activity"]
        if self._places_asked:
            stated = table.stated_places if self.use_profile else np.zeros(len(table), dtype=bool)
            cap = np.where(stated, HOME_CAP if implementer else FOCUS_CAP, 0.0)
            projects = table.dense(self._places.implemented if implementer else self._places.funded)
            total += w["geographic_fit"] * (1.0 - (1.0 - cap) * (1.0 - bounds.saturated(projects)))
        if self.lead != VUSTA:
            total += w["past_collaboration"]
        else:
            recorded = self._top_marks(table) if implementer else table.with_vusta
            if not self.use_history:
                recorded = np.zeros(len(table), dtype=bool)
            tie = np.where(table.marked(self._lead_ties), 0.6, 0.0)
            total += w["past_collaboration"] * np.where(recorded, 1.0, tie)
        return total / self._bound_weight

    def _top_marks(self, table: bounds.RoleTable) -> np.ndarray:
        """Which candidates of ``table`` (co-applicants) carried out a project funded by a top
        donor (projects hidden left out): from each project's implementers' positions, kept in
        the table, instead of looking up tens of thousands of organisations at a million entities."""
        projects = dict.fromkeys(p for d in self.top_donors for p in self.f.funded_by.get(d, ()))
        return table.implementing(p for p in projects if p not in self.exclude)

    def _best_bound_first(self, role: str, bounded: Iterable[tuple[float, float, Candidate, Part | None]],
                          count: int, top: int) -> list[tuple[float, Candidate, dict[str, Part], dict[str, float]]]:
        """Scores candidates given best bound first: once the ``top``-th score so far is above the
        next bound, no candidate left can enter the top (nor tie with it); before that, one whose
        closer bound is below it is passed over."""
        best: list[float] = []  # a min-heap of the best ``top`` scores so far
        out = []
        for position, (bound, theme_score, candidate, theme) in enumerate(bounded):
            known = None
            if len(best) >= top:
                if bound < best[0] - ROUNDING:
                    self.skipped[role] += count - position
                    break
                closer, known = self.tight_bound(candidate, theme_score)
                if closer < best[0] - ROUNDING:
                    self.skipped[role] += 1
                    continue
            scored = self._scored(candidate, theme, known)
            out.append(scored)
            if len(best) < top:
                heapq.heappush(best, scored[0])
            elif scored[0] > best[0]:
                heapq.heapreplace(best, scored[0])
        out.sort(key=lambda item: (-item[0], item[1].name, item[1].id))
        return out

    def _scored(self, candidate: Candidate, theme: Part | None, known: dict[str, Part] | None = None
                ) -> tuple[float, Candidate, dict[str, Part], dict[str, float]]:
        parts = self.components(candidate, theme, known)
        total, contributions = self.score(parts)
        return total, candidate, parts, contributions

    def fast_score(self, candidate: Candidate) -> float:
        """The score alone (the backtest's inner loop)."""
        return self.score(self.components(candidate))[0]

    def vector(self, candidate: Candidate) -> dict[str, float | None]:
        """The component scores alone (the backtest's weight tuning re-weights these)."""
        return {name: part.score for name, part in self.components(candidate).items()}


def prepare_every_theme(features: PartnerFeatures) -> None:
    """Make and keep every theme's evidence and fits, as a request with the default options makes
    them for its themes, once per graph version: the first request on a theme is then as fast as
    the next (at 100k entities the 73 themes take about a second and 10 MB)."""
    if features.every_theme_ready:
        return
    with features.preparing_themes:
        if features.every_theme_ready:
            return
        everything = Understanding(text=None, themes=[ChosenTheme(t, 1.0, "given") for t in features.taxonomy.themes],
                                   places=[], budget_usd=None, budget_source=None, lead=VUSTA, lead_given=False)
        scorer = Scorer(features, everything, load_weights(), explain=False)
        tables = [bounds.role_table(features, role) for role in ROLES]  # what the first bounds read
        for evidence in scorer._themes:
            fits = scorer.theme_fits(evidence)
            for table in tables:
                bounds.theme_fit_array(table, evidence, fits[table.role], scorer.use_profile)
        features.every_theme_ready = True
    settle_heap()  # kept until the data changes: out of the collector's way, as the features are
