"""The partner finder's first bound for every candidate of a role at once, as arrays.

:meth:`queries.partners.scoring.Scorer.rank` orders the candidates with some evidence on the
idea's themes by an upper bound of their score made of lookups only
(:meth:`~queries.partners.scoring.Scorer.upper_bound`), and scores them best bound first until no
bound can reach the last of the first results. At a million entities that bound, taken one
candidate at a time, was most of a request (tens of thousands of candidates have some evidence on
a theme). Here the same sums are made for all of them at once with numpy, in the same order of
operations, so every bound is the same number as the one-at-a-time method gives and the order is
the same (ties by id); :mod:`tests.test_partners` checks both.

What does not depend on the idea is kept per graph version (:class:`RoleTable`, with the
features); what depends on the lead (distances) is kept with that lead's :class:`Reach`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping

import numpy as np

from queries.partners.features import HOP_SCORE, Candidate, PartnerFeatures, Reach

if TYPE_CHECKING:
    from queries.partners.scoring import Evidence


@dataclass(frozen=True)
class RoleTable:
    """The candidates of one role in the order of their ids, and what their bounds need that does
    not depend on the idea."""

    role: str
    candidates: list[Candidate]
    position: dict[str, int]
    recent: np.ndarray          # recent_activity at most: n / (n + 2) for n recent projects
    stated_places: np.ndarray   # a stated home (co-applicants) or geographic focus (others)
    with_vusta: np.ndarray      # has a recorded project with VUSTA's organisations
    implementers: dict[str, np.ndarray]  # co-applicants only: by project, its implementers' positions

    def __len__(self) -> int:
        return len(self.candidates)

    def dense(self, values: Mapping[str, float]) -> np.ndarray:
        """One value per candidate: its value in ``values``, 0 for the others."""
        out = np.zeros(len(self.candidates))
        position = self.position
        for candidate_id, value in values.items():
            index = position.get(candidate_id)
            if index is not None:
                out[index] = value
        return out

    def implementing(self, projects: Iterable[str]) -> np.ndarray:
        """True for each candidate that carried out any of ``projects`` (co-applicants)."""
        out = np.zeros(len(self.candidates), dtype=bool)
        found = [self.implementers[p] for p in projects if p in self.implementers]
        if found:
            out[np.concatenate(found)] = True
        return out

    def marked(self, ids: Iterable[str]) -> np.ndarray:
        """True for each candidate among ``ids``."""
        out = np.zeros(len(self.candidates), dtype=bool)
        position = self.position
        for candidate_id in ids:
            index = position.get(candidate_id)
            if index is not None:
                out[index] = True
        return out


def role_table(features: PartnerFeatures, role: str) -> RoleTable:
    """Kept with the features: made once per graph version and role."""
    def make() -> RoleTable:
        chosen = sorted((c for c in features.candidates.values() if c.role == role), key=lambda c: c.id)
        recent = np.array([len(features.recent.get(c.id, ())) for c in chosen], dtype=float)
        position = {c.id: i for i, c in enumerate(chosen)}
        implementers = {}
        if role == "co_applicant":
            for project in features.projects.values():
                found = [position[o] for o in project.implementers if o in position]
                if found:
                    implementers[project.id] = np.array(found, dtype=np.int32)
        return RoleTable(
            role=role, candidates=chosen, position=position, implementers=implementers,
            recent=np.where(recent > 0, recent / (recent + 2.0), 0.0),
            stated_places=np.array([bool(c.places if role == "co_applicant" else c.focus_regions or c.nationwide)
                                    for c in chosen], dtype=bool),
            with_vusta=np.array([bool(features.with_vusta.get(c.id)) for c in chosen], dtype=bool))

    return features.kept_table(("role", role), make)


def theme_fit_array(table: RoleTable, evidence: "Evidence", fits: dict[str, float], use_profile: bool
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The kept fits on one theme of a role's candidates (:meth:`Scorer.theme_fits`) as positions
    and values, kept with the evidence beside them."""
    key = (use_profile, table.role)
    arrays = evidence.fit_arrays.get(key)
    if arrays is None:
        positions = [table.position[i] for i in fits if i in table.position]
        values = [fits[table.candidates[p].id] for p in positions]
        arrays = evidence.fit_arrays[key] = (np.array(positions, dtype=np.int64), np.array(values, dtype=float))
    return arrays


def hop_scores(reach: Reach, table: RoleTable) -> np.ndarray:
    """:data:`HOP_SCORE` of each candidate's distance from the lead (0 when out of reach), kept
    with the lead's reach."""
    kept = reach.tables.get(table.role)
    if kept is None:
        distance = reach.distance
        kept = reach.tables[table.role] = np.array(
            [HOP_SCORE.get(distance.get(c.id) or 0, 0.0) for c in table.candidates], dtype=float)
    return kept


def round3(values: np.ndarray) -> np.ndarray:
    """``round(value, 3)`` of each value, as Python rounds: numpy's rounding (scale, round to
    even, unscale) can differ a hair from the nearest decimal where a value sits on a half, so
    those few are rounded by Python."""
    scaled = values * 1000.0
    out = np.round(scaled) / 1000.0
    near_half = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    for index in near_half:
        out[index] = round(float(values[index]), 3)
    return out


def saturated(counts: np.ndarray, half: float = 1.0) -> np.ndarray:
    """``n / (n + half)`` of each count (0 for none), as :func:`queries.partners.scoring.saturate`."""
    return np.where(counts > 0, counts / (counts + half), 0.0)


def best_first(bounds: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """The positions of the ``kept`` candidates, highest bound first and among equal bounds by id
    (positions follow ids)."""
    positions = np.flatnonzero(kept)
    return positions[np.lexsort((positions, -bounds[positions]))]
