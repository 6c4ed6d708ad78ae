"""``recommend_partners``: rank, explain and assemble the answer of the partner finder.

Returns ``{"query", "weights", "reference_year", "results", "notes", "sample_data"}``; each result
is ``{"rank", "role", "id", "name", "kinds", "score", "components", "contributions", "reasons",
"evidence", "evidence_text", "evidence_projects", "intro_path", ...}``. ``evidence_projects`` are
the recorded projects the reasons cite, each with its sources (document, publisher, date, URL);
``uses_sample_data`` says whether any of it is invented demo data.
"""

from __future__ import annotations

from typing import Any, Iterable

from graph.schema import relationship_verb
from graph.store import GraphStore
from queries.partners.explanations import INSTRUMENTS_VI, bilingual, evidence_text, explain
from queries.partners.features import ROLES, Candidate, partner_features
from queries.partners.scoring import MIN_THEME_FIT, Part, Scorer, prepare_every_theme
from queries.partners.weights import PartnerWeights, load_weights
from queries.project_idea import IdeaError, ProjectIdea, understand

TOP_DONORS_FOR_CONSORTIA = 5
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_EVIDENCE_PROJECTS = 8
ROLE_NAMES = {"donor": ("nhà tài trợ", "donors"), "co_applicant": ("tổ chức đồng đề xuất", "co-applicants"),
              "international_partner": ("đối tác quốc tế", "international partners")}


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
            tie = graph[node][path[index + 1]]["types"][0]
            step["next"] = {"type": tie.type, "forward": tie.source == node,
                            "verb_vi": relationship_verb(tie.type, "vi"), "verb_en": relationship_verb(tie.type, "en")}
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


def _cited_projects(scorer: Scorer, parts: dict[str, Part]) -> list[dict[str, Any]]:
    """The recorded projects the reasons rest on (theme first, then place, budget, collaboration),
    each with the documents it cites."""
    ids: list[str] = []
    for f in (parts["theme_fit"].facts, parts["geographic_fit"].facts, parts["budget_fit"].facts):
        ids += f.get("projects", []) + f.get("in_province", []) + f.get("in_region", [])
        ids += [f["closest_project"]] if f.get("closest_project") else []
    if not ids:  # nothing on the idea itself: the recorded collaboration, if any
        f = parts["past_collaboration"].facts
        ids += f.get("with_lead", []) + f.get("with_vusta", []) + f.get("with_top_donors", [])
    out = []
    for project_id in list(dict.fromkeys(ids))[:MAX_EVIDENCE_PROJECTS]:
        project = scorer.f.projects[project_id]
        sources = []
        for document in project.sources:
            row = scorer.f.documents.get(document, {})
            sources.append({"document": document, "title": row.get("title"), "publisher": row.get("publisher"),
                            "published": row.get("published"), "url": row.get("url"),
                            "sample": bool(row.get("sample"))})
        out.append({"id": project.id, "name": project.name, "year": project.year, "amount_usd": project.amount,
                    **scorer.f.sorted_parties(project),
                    "sample": project.sample, "sources": sources})
    return out


def _result(scorer: Scorer, rank: int, candidate: Candidate) -> dict[str, Any]:
    """One result, explained (components are computed again with their facts)."""
    parts = scorer.components(candidate)
    total, contributions = scorer.score(parts)
    history = scorer.history(candidate)
    path = _intro_path(scorer, candidate.id)
    reasons = []
    for name, part in parts.items():
        text = explain(name, part, candidate, scorer)
        reasons.append({"component": name, "vi": text["vi"], "en": text["en"], "score": part.score,
                        "contribution": round(contributions.get(name, 0.0), 3)})
    reasons.sort(key=lambda r: -r["contribution"])
    evidence = scorer.evidence(candidate, parts)
    cited = _cited_projects(scorer, parts)
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
        "evidence": evidence,
        "evidence_text": evidence_text(evidence),
        "evidence_projects": cited,
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

    Donors first, then co-applicants, then international partners, each ranked, at most
    ``limit`` of each. ``text=...`` is a shortcut for ``idea={"text": ...}``.
    Raises :class:`IdeaError` (unknown theme, region, lead; empty idea) or
    :class:`queries.partners.weights.WeightsError`.
    """
    if idea is None:
        idea = {"text": text}
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise IdeaError(vi=f"Số kết quả phải từ 1 đến {MAX_LIMIT}.",
                        en=f"--limit must be a whole number from 1 to {MAX_LIMIT}, got {limit!r}.")
    roles = [r for r in ROLES if r in set(roles)]
    chosen = load_weights(weights)
    understood = understand(store, idea)
    features = partner_features(store)
    prepare_every_theme(features)
    # rank everyone on scores alone, then explain only the candidates shown
    scorer = Scorer(features, understood, chosen, explain=False)
    results: list[dict[str, Any]] = []
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
            notes.append(bilingual(f"{left_out} {ROLE_NAMES[role][0]} không làm về chủ đề này nên không được liệt kê.",
                                   f"{left_out} {ROLE_NAMES[role][1]} that do not work on these themes are not listed."))
        results += [_result(explainer, i + 1, item[1]) for i, item in enumerate(ranked[:limit])]
    real = len(features.projects) - features.sample_projects
    if features.sample_projects:
        notes.append(bilingual(
            f"Lịch sử dự án dùng để xếp hạng gồm {features.sample_projects} dự án MẪU (dữ liệu minh họa được nạp bằng "
            "`python -m ingest demo`, không phải dữ liệu thật); kết quả chỉ để minh họa.",
            f"The project history behind the ranking includes {features.sample_projects} SAMPLE projects (demo data "
            "loaded with `python -m ingest demo`, not real data); treat the results as an illustration."))
    if not features.projects:
        notes.append(bilingual("Chưa có danh mục dự án: xếp hạng chỉ dựa trên hồ sơ và mạng lưới.",
                               "No project portfolio yet: the ranking uses profiles and the network only."))
    elif real:
        notes.append(bilingual(
            f"Bằng chứng: {real} dự án thật được ghi nhận (mỗi dự án có nguồn). Ứng viên chưa có dự án nào về chủ đề "
            "này chỉ được đánh giá theo hồ sơ công khai, và điều đó được nói rõ.",
            f"Evidence: {real} real projects on record (each with its source). Candidates with no recorded project on "
            "these themes are judged on their public profile only, and are marked so."))
    if results and all(r["evidence"]["level"] in ("profile_only", "none") for r in results if r["role"] == "donor"):
        notes.append(bilingual("Không nhà tài trợ nào được gợi ý có dự án được ghi nhận về chủ đề này: danh sách chỉ "
                               "dựa trên hồ sơ công khai, độ tin cậy thấp.",
                               "None of the suggested donors has a recorded project on these themes: the list rests on "
                               "public profiles only, with low confidence."))
    lead_row = features.projection.entities.get(understood.lead)
    return {
        "query": understood.as_json(features.taxonomy, features.geography, lead_row.name if lead_row else understood.lead),
        "weights": chosen.normalised(),
        "reference_year": features.reference_year,
        "results": results,
        "notes": notes,
        "sample_data": features.sample_projects > 0,
    }
