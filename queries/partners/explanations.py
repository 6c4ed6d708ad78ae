"""The partner finder's reasons in plain words, in Vietnamese and English.

One bilingual convention, the same as the rest of the product's JSON: a text is a mapping
``{"vi": ..., "en": ...}`` (:class:`BilingualJson`). :func:`explain` turns a component's facts
(:class:`queries.partners.scoring.Part`) into such a text; nothing here computes a score.

Where the evidence is thin the reason says so plainly — "no recorded project on this theme;
public profile only" — rather than dressing a profile up as a track record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from graph.schema import relationship_verb
from graph.text import number_text
from queries.partners.features import VUSTA, Candidate, short_name

if TYPE_CHECKING:
    from queries.partners.scoring import Part, Scorer


class BilingualJson(TypedDict):
    """A :class:`graph.i18n.Bilingual` pair as it appears in results (JSON)."""
    vi: str
    en: str


def bilingual(vi: str, en: str) -> BilingualJson:
    return BilingualJson(vi=vi, en=en)


THIN_THEME = bilingual("chưa có dự án nào được ghi nhận về chủ đề này; chỉ dựa trên hồ sơ công khai",
                       "no recorded project on this theme; public profile only")
NO_RECORD = bilingual("chưa có dự án nào được ghi nhận", "no recorded project")
LEVELS: dict[str, BilingualJson] = {
    "recorded": bilingual("có dự án được ghi nhận về chủ đề này", "recorded projects on this theme"),
    "some_record": bilingual("có dự án được ghi nhận, nhưng không về chủ đề này",
                             "recorded projects, none on this theme"),
    "profile_only": bilingual("chỉ có hồ sơ công khai, chưa có dự án nào được ghi nhận",
                              "public profile only, no recorded project"),
    "none": bilingual("không có bằng chứng nào được ghi nhận", "no recorded evidence"),
}
INSTRUMENTS_VI = {"ODA": "ODA", "NGO aid": "viện trợ phi chính phủ", "grant": "tài trợ không hoàn lại",
                  "technical cooperation": "hợp tác kỹ thuật", "loan": "vốn vay"}


def usd(value: float, language: str) -> str:
    return number_text(value, language) + " USD"


def n_projects(n: int, language: str) -> str:
    if language == "vi":
        return f"{n} dự án"
    return f"{n} project" if n == 1 else f"{n} projects"


def join(items: list[str], language: str, limit: int = 4) -> str:
    items = list(dict.fromkeys(items))
    shown = items[:limit]
    if len(items) > limit:
        shown.append(f"+{len(items) - limit}")
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + (" và " if language == "vi" else " and ") + shown[-1]


class Namer:
    """Names of entities, themes and places in the chosen language (acronyms preferred)."""

    def __init__(self, scorer: "Scorer") -> None:
        self.s = scorer

    def entity(self, entity_id: str, language: str) -> str:
        candidate = self.s.f.candidates.get(entity_id)
        if candidate:
            return candidate.display(language)
        row = self.s.f.projection.entities.get(entity_id)
        if row is None:
            return entity_id
        return short_name(row.name, row.aliases, language) or (
            row.name if language == "vi" else (row.name_en or row.name))

    def theme(self, theme_id: str, language: str) -> str:
        return self.s.tax.name(theme_id, language).lower()

    def place(self, place_id: str, language: str) -> str:
        return self.s.geo.name(place_id, language)

    def project(self, project_id: str, language: str) -> str:
        project = self.s.f.projects.get(project_id)
        if project is None:
            return project_id
        return f"“{project.name}”" + (f" ({project.year})" if project.year else "")


def _verb(c: Candidate, language: str) -> str:
    if c.role == "co_applicant":
        return "đã thực hiện" if language == "vi" else "carried out"
    return "đã tài trợ" if language == "vi" else "funded"


def explain(name: str, part: "Part", c: Candidate, scorer: "Scorer") -> BilingualJson:
    """The reason for one component of one candidate."""
    return _WRITERS[name](part, c, Namer(scorer))


def _theme(part: "Part", c: Candidate, n: Namer) -> BilingualJson:
    f = part.facts
    if part.score is None:
        return bilingual("Chủ đề: chưa có chủ đề để so sánh.", "Themes: no theme to compare with.")
    asked_vi = join([n.theme(t, "vi") for t in f["asked"]], "vi")
    asked_en = join([n.theme(t, "en") for t in f["asked"]], "en")
    vi: list[str] = []
    en: list[str] = []
    projects = f.get("projects", [])
    if projects:
        years = [y for p in projects if (y := n.s.f.projects[p].year)]
        vi.append(f"{_verb(c, 'vi')} {n_projects(len(projects), 'vi')} được ghi nhận về chủ đề này"
                  + (f", gần nhất năm {max(years)}" if years else "")
                  + f" ({join([n.project(p, 'vi') for p in projects], 'vi', 2)})")
        en.append(f"{_verb(c, 'en')} {n_projects(len(projects), 'en')} on record on it"
                  + (f", most recently in {max(years)}" if years else "")
                  + f" ({join([n.project(p, 'en') for p in projects], 'en', 2)})")
    if f.get("profile_hits"):
        hits_vi = join([n.theme(t, "vi") for t in f["profile_hits"]], "vi")
        hits_en = join([n.theme(t, "en") for t in f["profile_hits"]], "en")
        broad_vi = f" (hồ sơ nêu {f['focus_count']} chủ đề)" if f["focus_count"] >= 5 else ""
        broad_en = f" (a broad profile of {f['focus_count']} themes)" if f["focus_count"] >= 5 else ""
        vi.append(f"hồ sơ công khai nêu {hits_vi}{broad_vi}")
        en.append(f"its public profile names {hits_en}{broad_en}")
        if not projects:
            vi.append(THIN_THEME["vi"])
            en.append(THIN_THEME["en"])
    if not vi:
        return bilingual(f"Chủ đề: không thấy {c.display('vi')} làm về {asked_vi}.",
                         f"Themes: no sign that {c.display('en')} works on {asked_en}.")
    return bilingual(f"Chủ đề ({asked_vi}): " + "; ".join(vi) + ".", f"Themes ({asked_en}): " + "; ".join(en) + ".")


def _place(part: "Part", c: Candidate, n: Namer) -> BilingualJson:
    f = part.facts
    if part.score is None:
        return bilingual("Địa bàn: chưa nêu địa bàn.", "Place: no region given.")
    where_vi = join([n.place(p, "vi") for p in f["places"]], "vi")
    where_en = join([n.place(p, "en") for p in f["places"]], "en")
    vi: list[str] = []
    en: list[str] = []
    exact, nearby = f.get("in_province", []), f.get("in_region", [])
    if exact or nearby:
        bits_vi, bits_en = [], []
        if exact:
            bits_vi.append(f"{n_projects(len(exact), 'vi')} ở {join([n.place(v, 'vi') for v in f['provinces']], 'vi')}")
            bits_en.append(f"{n_projects(len(exact), 'en')} in {join([n.place(v, 'en') for v in f['provinces']], 'en')}")
        if nearby:
            region_vi = join([n.place(r, "vi") for r in f["regions"]], "vi")
            region_en = join([n.place(r, "en") for r in f["regions"]], "en")
            extra_vi, extra_en = (" khác", " elsewhere") if exact else ("", "")
            bits_vi.append(f"{n_projects(len(nearby), 'vi')}{extra_vi} ở {region_vi}")
            bits_en.append(f"{n_projects(len(nearby), 'en')}{extra_en} in {region_en}")
        vi.append(f"{_verb(c, 'vi')} " + " và ".join(bits_vi) + " (được ghi nhận)")
        en.append(f"{_verb(c, 'en')} " + " and ".join(bits_en) + " on record")
    if "home" in f and f["home"]:
        vi.append(f"trụ sở ở {join([n.place(p, 'vi') for p in f['home']], 'vi')}")
        en.append(f"based in {join([n.place(p, 'en') for p in f['home']], 'en')}")
    if f.get("focus_match"):
        vi.append(f"hồ sơ công khai nêu địa bàn ưu tiên {join([n.place(r, 'vi') for r in f['focus_match']], 'vi')}")
        en.append(f"its public profile names {join([n.place(r, 'en') for r in f['focus_match']], 'en')} as a focus")
    elif f.get("nationwide"):
        vi.append("hồ sơ công khai: hoạt động trên toàn quốc")
        en.append("public profile: works nationwide")
    elif f.get("focus_elsewhere"):
        vi.append(f"địa bàn ưu tiên là {join([n.place(r, 'vi') for r in f['focus_elsewhere']], 'vi')}")
        en.append(f"its focus is on {join([n.place(r, 'en') for r in f['focus_elsewhere']], 'en')}")
    if not exact and not nearby and vi:
        vi.append("chưa có dự án nào được ghi nhận ở đây")
        en.append("no recorded project here")
    if not vi:
        return bilingual(f"Địa bàn ({where_vi}): chưa có thông tin về nơi {c.display('vi')} hoạt động.",
                         f"Place ({where_en}): nothing known about where {c.display('en')} works.")
    return bilingual(f"Địa bàn ({where_vi}): " + "; ".join(vi) + ".", f"Place ({where_en}): " + "; ".join(en) + ".")


def _budget(part: "Part", c: Candidate, n: Namer) -> BilingualJson:
    f = part.facts
    if part.score is None:
        if f.get("not_applicable"):
            return bilingual("Ngân sách: không áp dụng cho đối tác kỹ thuật.",
                             "Budget: does not apply to a technical partner.")
        return bilingual("Ngân sách: chưa nêu ngân sách.", "Budget: no budget given.")
    b_vi, b_en = usd(f["budget"], "vi"), usd(f["budget"], "en")
    vi: list[str] = []
    en: list[str] = []
    if f.get("amounts"):
        vi.append(f"{f['amounts']} khoản được ghi nhận, gần nhất với {b_vi} là {usd(f['closest'], 'vi')}"
                  + (f" ({f['similar']} có quy mô tương tự)" if f["similar"] else ""))
        en.append(f"{f['amounts']} recorded amount{'s' if f['amounts'] != 1 else ''}, the closest to {b_en} being "
                  f"{usd(f['closest'], 'en')}" + (f" ({f['similar']} of a similar size)" if f["similar"] else ""))
    if "range" in f:
        low, high = f["range"]
        if f["side"] == "inside":
            vi.append(f"hồ sơ công khai: khoản tài trợ thường {usd(low, 'vi')}–{usd(high, 'vi')}, {b_vi} nằm trong khoảng này")
            en.append(f"public profile: grants usually {usd(low, 'en')}–{usd(high, 'en')}; {b_en} is within")
        else:
            side_vi, side_en = ("thấp hơn", "below") if f["side"] == "below" else ("cao hơn", "above")
            vi.append(f"{b_vi} {side_vi} khoảng tài trợ thường thấy trong hồ sơ ({usd(low, 'vi')}–{usd(high, 'vi')})")
            en.append(f"{b_en} is {side_en} the usual range in its profile ({usd(low, 'en')}–{usd(high, 'en')})")
        if not f.get("amounts"):
            vi.append("chưa có khoản tài trợ nào được ghi nhận")
            en.append("no recorded amount")
    if not vi:
        if c.role == "co_applicant":
            return bilingual("Ngân sách: chưa có dự án nào có ghi số tiền để so sánh quy mô.",
                             "Budget: no recorded project amount to compare the size with.")
        return bilingual("Ngân sách: không có khoản tài trợ nào được ghi nhận và hồ sơ không nêu quy mô (tính 0).",
                         "Budget: no recorded amount and no usual grant size known (counted as 0).")
    return bilingual("Ngân sách: " + "; ".join(vi) + ".", "Budget: " + "; ".join(en) + ".")


def _collaboration(part: "Part", c: Candidate, n: Namer) -> BilingualJson:
    f = part.facts
    lead = f.get("lead", VUSTA)
    lead_vi, lead_en = n.entity(lead, "vi"), n.entity(lead, "en")
    vi: list[str] = []
    en: list[str] = []
    if f.get("ties"):
        vi.append("theo tài liệu: " + join([f"{relationship_verb(t, 'vi')} {n.entity(o, 'vi')}" for o, t in f["ties"]],
                                           "vi", 3))
        en.append("documented: " + join([f"{relationship_verb(t, 'en')} {n.entity(o, 'en')}" for o, t in f["ties"]],
                                        "en", 3))
    if f.get("with_top_donors"):
        count = len(f["with_top_donors"])
        vi.append(f"đã làm {n_projects(count, 'vi')} với các nhà tài trợ được gợi ý "
                  f"({join([n.entity(d, 'vi') for d in f['top_donors']], 'vi')})")
        en.append(f"did {n_projects(count, 'en')} with the suggested donors "
                  f"({join([n.entity(d, 'en') for d in f['top_donors']], 'en')})")
    if f.get("shared_donors"):
        vi.append(f"có chung {len(f['shared_donors'])} nhà tài trợ với {lead_vi}")
        en.append(f"shares {len(f['shared_donors'])} donors with {lead_en}")
    if f.get("with_vusta"):
        count, last = len(f["with_vusta"]), f.get("last_year")
        vi.append(f"{_verb(c, 'vi')} {n_projects(count, 'vi')} của các tổ chức thuộc Liên hiệp Hội (được ghi nhận"
                  + (f", gần nhất năm {last})" if last else ")"))
        en.append(f"{_verb(c, 'en')} {n_projects(count, 'en')} of VUSTA's organisations on record"
                  + (f" (most recently in {last})" if last else ""))
    if f.get("with_lead"):
        vi.append(f"trong đó {len(f['with_lead'])} dự án với {lead_vi}")
        en.append(f"{len(f['with_lead'])} of them with {lead_en}")
    if not vi:
        if lead == VUSTA:
            return bilingual("Hợp tác: chưa có hợp tác nào được ghi nhận với Liên hiệp Hội.",
                             "Collaboration: no recorded collaboration with VUSTA.")
        return bilingual(f"Hợp tác: chưa có hợp tác nào được ghi nhận với {lead_vi} hay Liên hiệp Hội.",
                         f"Collaboration: no recorded collaboration with {lead_en} or VUSTA.")
    return bilingual("Hợp tác: " + "; ".join(vi) + ".", "Collaboration: " + "; ".join(en) + ".")


def _network(part: "Part", c: Candidate, n: Namer) -> BilingualJson:
    f = part.facts
    lead_vi, lead_en = n.entity(f["lead"], "vi"), n.entity(f["lead"], "en")
    distance = f.get("distance")
    if not distance:
        return bilingual(f"Kết nối: chưa thấy đường giới thiệu từ {lead_vi} (trong {f['max_hops']} bước).",
                         f"Network: no introduction path from {lead_en} within {f['max_hops']} steps.")
    if distance == 1:
        return bilingual(f"Kết nối: có quan hệ trực tiếp với {lead_vi}.", f"Network: directly connected to {lead_en}.")
    via_vi = join([n.entity(x, "vi") for x in f["via"]], "vi", 3)
    via_en = join([n.entity(x, "en") for x in f["via"]], "en", 3)
    more_vi = f"; {f['introducers']} đầu mối có thể giới thiệu" if f["introducers"] > 1 else ""
    more_en = f"; {f['introducers']} possible introducers" if f["introducers"] > 1 else ""
    return bilingual(f"Kết nối: cách {lead_vi} {distance} bước, qua {via_vi}{more_vi}.",
                     f"Network: {distance} steps from {lead_en}, through {via_en}{more_en}.")


def _activity(part: "Part", c: Candidate, n: Namer) -> BilingualJson:
    f = part.facts
    span = f"{f['span'][0]}–{f['span'][1]}"
    if part.score is None:
        return bilingual("Hoạt động gần đây: chưa có thông tin có ghi năm.", "Recent activity: nothing dated is known.")
    if "dated_ties" in f:
        return bilingual(f"Hoạt động gần đây: {f['dated_ties']} quan hệ có ghi năm trong {span}.",
                         f"Recent activity: {f['dated_ties']} dated ties in {span}.")
    if not f.get("recent"):
        return bilingual(f"Hoạt động gần đây: không có dự án nào được ghi nhận trong {span}.",
                         f"Recent activity: no recorded project in {span}.")
    return bilingual(f"Hoạt động gần đây: {_verb(c, 'vi')} {n_projects(f['recent'], 'vi')} trong {span}.",
                     f"Recent activity: {_verb(c, 'en')} {n_projects(f['recent'], 'en')} in {span}.")


_WRITERS = {"theme_fit": _theme, "geographic_fit": _place, "budget_fit": _budget,
            "past_collaboration": _collaboration, "network_proximity": _network, "recent_activity": _activity}


def evidence_text(evidence: dict[str, Any]) -> BilingualJson:
    """The evidence level of a result in words, with the count of recorded projects."""
    level = LEVELS[evidence["level"]]
    count = evidence["recorded_projects"]
    if not count:
        return level
    return bilingual(f"{level['vi']} ({n_projects(count, 'vi')} được ghi nhận)",
                     f"{level['en']} ({n_projects(count, 'en')} on record)")


__all__ = ["BilingualJson", "bilingual", "explain", "evidence_text", "THIN_THEME", "LEVELS", "INSTRUMENTS_VI", "usd",
           "join", "n_projects"]
