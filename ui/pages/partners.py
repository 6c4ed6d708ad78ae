"""Partner finder: for a project idea, which donors to approach, which VUSTA organisations to
apply with, which international partners to involve — and who can introduce us.

Lays out widgets and calls :func:`queries.partners.recommend_partners`; no Cypher here.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import streamlit as st

from queries.neighbourhood import path_network
from queries.partners import (COMPONENTS, LEAD_CHOICE_KINDS, ROLES, IdeaError, WeightsError, intro_found, load_weights,
                              recommend_partners, region_choices, results_table, theme_choices)
from ui.context import store
from ui.downloads import EXCEL_MIME, csv_bytes, excel_bytes
from ui.i18n import language, tr
from ui.network_html import map_library, render_network
from ui.widgets import entity_picker, format_count, kind_badges, md, placeholder, remember, restore, sample_badge

SAFE_URL = re.compile(r"^https?://[^\s()<>\[\]]+$")  # only plain web addresses become links
LABELS = {
    "title": ("Tìm nhà tài trợ và đối tác", "Partner finder"),
    "intro": ("Có ý tưởng dự án? Mô tả bằng một câu (tiếng Việt hoặc tiếng Anh, có dấu hay không dấu): trang này gợi ý "
              "nhà tài trợ nên tiếp cận, tổ chức trong hệ thống để cùng đề xuất, đối tác quốc tế — và ai có thể giới thiệu.",
              "Have a project idea? Describe it in a sentence (Vietnamese or English, with or without accents): this page "
              "suggests donors to approach, VUSTA organisations to apply with, international partners — and who can "
              "introduce you."),
    "text": ("Ý tưởng dự án", "Project idea"),
    "text_hint": ("Ví dụ: thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long, khoảng 300.000 USD",
                  "E.g. climate change adaptation in the Mekong Delta, about USD 300,000"),
    "themes": ("Chủ đề (để trống: đọc từ mô tả)", "Themes (empty: read from the idea)"),
    "regions": ("Địa bàn (để trống: đọc từ mô tả)", "Regions or provinces (empty: read from the idea)"),
    "budget": ("Ngân sách (USD, 0 = chưa rõ)", "Budget (USD, 0 = not known)"),
    "lead": ("Tổ chức chủ trì", "Lead organisation"),
    "lead_help": ("Liên hiệp Hội hoặc một tổ chức trong hệ thống. Gõ tên hay tên viết tắt để tìm; áp dụng khi bấm "
                  "«Tìm đối tác».",
                  "VUSTA or one of its organisations. Type a name or acronym to find it; applied when you press "
                  "“Find partners”."),
    "limit": ("Số gợi ý mỗi nhóm", "Suggestions per group"),
    "weights": ("Trọng số các tiêu chí", "Weights of the criteria"),
    "weights_help": ("Các trọng số được chuẩn hóa để cộng lại bằng 1. Mặc định lấy từ queries/partner_weights.yaml.",
                     "Weights are normalised to add up to 1. Defaults come from queries/partner_weights.yaml."),
    "submit": ("Tìm đối tác", "Find partners"),
    "weights_zero": ("Ít nhất một trọng số phải lớn hơn 0: hãy tăng một tiêu chí trong «Trọng số các tiêu chí».",
                     "At least one weight must be above 0: raise one criterion under “Weights of the criteria”."),
    "weights_bad": ("Các trọng số không dùng được (mỗi trọng số từ 0 đến 10, ít nhất một trọng số lớn hơn 0).",
                    "These weights cannot be used (each from 0 to 10, at least one above 0)."),
    "start": ("Nhập ý tưởng dự án rồi bấm «Tìm đối tác».", "Type a project idea and press “Find partners”."),
    "sample": ("Kết quả dựa một phần trên **danh mục dự án mẫu** (sinh tự động, không phải dữ liệu thật): chỉ để minh họa.",
               "The results rest partly on a **sample project portfolio** (generated, not real data): an illustration only."),
    "understood": ("Hiểu ý tưởng như sau", "The idea as understood"),
    "u_themes": ("Chủ đề", "Themes"),
    "u_places": ("Địa bàn", "Places"),
    "u_budget": ("Ngân sách", "Budget"),
    "u_lead": ("Chủ trì", "Lead"),
    "none": ("—", "—"),
    "from_text": ("đọc từ mô tả", "read from the idea"),
    "role_donor": ("Nhà tài trợ ({n})", "Donors ({n})"),
    "role_co_applicant": ("Tổ chức cùng đề xuất ({n})", "Co-applicants ({n})"),
    "role_international_partner": ("Đối tác quốc tế ({n})", "International partners ({n})"),
    "no_results": ("Không có gợi ý nào trong nhóm này.", "No suggestion in this group."),
    "col_rank": ("#", "#"),
    "col_name": ("Tên", "Name"),
    "col_score": ("Điểm", "Score"),
    "col_sample": ("Dữ liệu mẫu", "Sample data"),
    "col_evidence": ("Bằng chứng", "Evidence"),
    "evidence": ("Bằng chứng được ghi nhận", "Recorded evidence"),
    "no_evidence": ("Chưa có dự án nào được ghi nhận cho ứng viên này; chỉ dựa trên hồ sơ công khai.",
                    "No recorded project for this candidate; public profile only."),
    "sample_record": ("mẫu", "sample"),
    "theme_fit": ("Chủ đề", "Themes"),
    "geographic_fit": ("Địa bàn", "Place"),
    "budget_fit": ("Ngân sách", "Budget"),
    "past_collaboration": ("Hợp tác", "Collaboration"),
    "network_proximity": ("Kết nối", "Network"),
    "recent_activity": ("Hoạt động gần đây", "Recent activity"),
    "details": ("Xem chi tiết", "Details of"),
    "why": ("Vì sao", "Why"),
    "not_judged": ("không đánh giá", "not judged"),
    "profile": ("Hồ sơ công khai", "Public profile"),
    "origin": ("Xuất xứ", "Origin"),
    "instruments": ("Hình thức", "Instruments"),
    "grants": ("Khoản tài trợ thường thấy", "Typical grants"),
    "source": ("Nguồn hồ sơ", "Profile source"),
    "intro_path": ("Đường giới thiệu", "Introduction path"),
    "no_path": ("Chưa thấy đường giới thiệu trong mạng lưới.", "No introduction path in the network yet."),
    "map_title": ("Đường giới thiệu đến {name}", "Introduction path to {name}"),
    "download_csv": ("Tải CSV", "Download CSV"),
    "download_xlsx": ("Tải Excel", "Download Excel"),
}


# The lead is chosen by typing (an organisation among thousands, as in a large register), outside the
# form, and applied with the form: the picked one is kept here until "Find partners" is pressed.
LEAD_PICK = "partners-lead-pick"


def _defaults() -> None:
    weights = load_weights().normalised()
    restore("partners-text", "")
    restore("partners-themes", [])
    restore("partners-regions", [])
    restore("partners-budget", 0)
    restore("partners-lead", "vusta")
    restore(LEAD_PICK, st.session_state["partners-lead"])
    restore("partners-limit", 10)
    for name in COMPONENTS:
        restore(f"partners-weight-{name}", float(weights[name]))


# Values kept apart from their widgets: a widget's label changes with the language, and Streamlit then
# treats it as a new widget (back to its minimum); each language gets its own widget, filled from here.
FORM_VALUES = ("partners-limit", *(f"partners-weight-{n}" for n in COMPONENTS))


def _widget_key(key: str, lang: str) -> str:
    widget = f"{key}--{lang}"
    for other in ("vi", "en"):
        if other != lang:
            st.session_state.pop(f"{key}--{other}", None)
    if widget not in st.session_state:
        st.session_state[widget] = st.session_state[key]
    return widget


def _form(graph: Any, lang: str) -> None:
    themes = {t["id"]: (t["name"] if lang == "vi" else t["name_en"]) for t in theme_choices(graph)}
    regions = {r["id"]: (r["name"] if lang == "vi" else r["name_en"]) for r in region_choices(graph)}
    for key, known in (("partners-themes", themes), ("partners-regions", regions)):
        st.session_state[key] = [v for v in st.session_state.get(key, []) if v in known]
    entity_picker(tr(LABELS, "lead"), LEAD_PICK, graph, kinds=sorted(LEAD_CHOICE_KINDS), default="vusta",
                  help=tr(LABELS, "lead_help"))
    with st.form("partners-form"):
        st.text_area(tr(LABELS, "text"), key="partners-text", placeholder=tr(LABELS, "text_hint"), height=90)
        first, second = st.columns(2)
        first.multiselect(tr(LABELS, "themes"), list(themes), format_func=themes.get, key="partners-themes",
                          placeholder=placeholder())
        second.multiselect(tr(LABELS, "regions"), list(regions), format_func=regions.get, key="partners-regions",
                           placeholder=placeholder())
        budget_column, limit_column = st.columns([1, 1])
        budget_column.number_input(tr(LABELS, "budget"), min_value=0, max_value=100_000_000, step=10_000, key="partners-budget")
        limit_column.slider(tr(LABELS, "limit"), 1, 30, key=_widget_key("partners-limit", lang))
        with st.expander(tr(LABELS, "weights")):
            st.caption(tr(LABELS, "weights_help"))
            columns = st.columns(3)
            for index, name in enumerate(COMPONENTS):
                columns[index % 3].number_input(tr(LABELS, name), min_value=0.0, max_value=10.0, step=0.05,
                                                key=_widget_key(f"partners-weight-{name}", lang))
        submitted = st.form_submit_button(tr(LABELS, "submit"), type="primary", key="partners-submit")
    for key in FORM_VALUES:
        st.session_state[key] = st.session_state[_widget_key(key, lang)]
    if submitted:
        st.session_state["partners-asked"] = True
        st.session_state["partners-lead"] = st.session_state.get(LEAD_PICK)  # none picked: VUSTA
    for key in ("partners-text", "partners-themes", "partners-regions", "partners-budget", "partners-lead", LEAD_PICK,
                *FORM_VALUES):
        remember(key)


def _idea() -> dict[str, Any]:
    budget = st.session_state.get("partners-budget") or 0
    return {"text": st.session_state.get("partners-text") or None,
            "themes": list(st.session_state.get("partners-themes") or []),
            "regions": list(st.session_state.get("partners-regions") or []),
            "budget_usd": float(budget) if budget else None,
            "lead": st.session_state.get("partners-lead") or None}


def _understood(result: dict[str, Any], lang: str) -> None:
    query = result["query"]
    themes = ", ".join(t["name"] if lang == "vi" else t["name_en"] for t in query["themes"]) or tr(LABELS, "none")
    if any(t["source"] == "text" for t in query["themes"]):
        themes += f" ({tr(LABELS, 'from_text')})"
    places = ", ".join(p["province_name"] or (p["region_name"] if lang == "vi" else p["region_name_en"])
                       for p in query["places"]) or tr(LABELS, "none")
    budget = f"{format_count(query['budget_usd'])} USD" if query["budget_usd"] else tr(LABELS, "none")
    if lang == "vi":
        budget = budget.replace(",", ".")
    st.markdown(f"**{md(tr(LABELS, 'understood'))}:** {md(tr(LABELS, 'u_themes'))}: {md(themes)} · "
                f"{md(tr(LABELS, 'u_places'))}: {md(places)} · {md(tr(LABELS, 'u_budget'))}: {md(budget)} · "
                f"{md(tr(LABELS, 'u_lead'))}: {md(query['lead']['name'])}")
    for note in result["notes"]:
        st.caption(md(note[lang]))


def _table(rows: list[dict[str, Any]], role: str) -> None:
    frame = pd.DataFrame([{
        tr(LABELS, "col_rank"): row["rank"],
        tr(LABELS, "col_name"): row["name"] if row["short_name"] == row["name"] else f"{row['short_name']} — {row['name']}",
        tr(LABELS, "col_score"): row["score"],
        **{tr(LABELS, name): row[name] for name in COMPONENTS},
        tr(LABELS, "col_evidence"): row["evidence"],
        tr(LABELS, "col_sample"): bool(row["sample"]),
    } for row in rows])
    bars = {tr(LABELS, "col_score"): st.column_config.ProgressColumn(tr(LABELS, "col_score"), min_value=0.0,
                                                                      max_value=1.0, format="%.2f", width="small")}
    bars.update({tr(LABELS, name): st.column_config.ProgressColumn(tr(LABELS, name), min_value=0.0, max_value=1.0,
                                                                   format="%.2f", width="small")
                 for name in COMPONENTS})
    bars[tr(LABELS, "col_sample")] = st.column_config.CheckboxColumn(tr(LABELS, "col_sample"), width="small")
    st.dataframe(frame, column_config=bars, hide_index=True, width="stretch", key=f"partners-table-{role}")


def _details(graph: Any, item: dict[str, Any], lang: str) -> None:
    name = item["name"] if lang == "vi" else (item["name_en"] or item["name"])
    st.markdown(f"#### {md(name)}")
    st.markdown(kind_badges(item["kinds"], sample=item["uses_sample_data"]), unsafe_allow_html=True)
    st.markdown(f"**{md(tr(LABELS, 'why'))}**")
    lines = []
    for reason in item["reasons"]:
        score = tr(LABELS, "not_judged") if reason["score"] is None else f"{reason['score']:.2f}"
        lines.append(f"- {md(reason[lang])} *({md(tr(LABELS, reason['component']))}: {md(score)})*")
    st.markdown("\n".join(lines))
    _evidence(item, lang)
    profile = item["profile"]
    facts = []
    if profile["origin_country"]:
        facts.append(f"{tr(LABELS, 'origin')}: {profile['origin_country']}")
    if profile["instruments"]:
        facts.append(f"{tr(LABELS, 'instruments')}: "
                     + ", ".join(profile["instruments_vi"] if lang == "vi" else profile["instruments"]))
    if profile["typical_grant_min_usd"] and profile["typical_grant_max_usd"]:
        grants = f"{format_count(profile['typical_grant_min_usd'])}–{format_count(profile['typical_grant_max_usd'])} USD"
        facts.append(f"{tr(LABELS, 'grants')}: " + (grants.replace(",", ".") if lang == "vi" else grants))
    if profile["profile_source"]:
        facts.append(f"{tr(LABELS, 'source')}: {profile['profile_source']}")
    if facts:
        st.markdown(f"**{md(tr(LABELS, 'profile'))}:** " + " · ".join(md(f) for f in facts))
    st.markdown(f"**{md(tr(LABELS, 'intro_path'))}**")
    if not item["intro_path"]:
        st.caption(tr(LABELS, "no_path"))
        return
    st.markdown(md(item[f"intro_sentence_{lang}"]))
    if len(item["intro_path"]) > 1:
        hood = path_network(graph, intro_found(item))
        st.iframe(render_network(hood, lang, height=340, compact=True, library=map_library(),
                                 title=tr(LABELS, "map_title", name=name)),
                  height="content")


def _evidence(item: dict[str, Any], lang: str) -> None:
    """The recorded projects behind the reasons, each with its sources; or, plainly, none."""
    st.markdown(f"**{md(tr(LABELS, 'evidence'))}:** {md(item['evidence_text'][lang])}")
    if not item["evidence_projects"]:
        st.caption(tr(LABELS, "no_evidence"))
        return
    lines = []
    for project in item["evidence_projects"]:
        year = f" ({project['year']})" if project["year"] else ""
        flag = f" *[{md(tr(LABELS, 'sample_record'))}]*" if project["sample"] else ""
        cited = []
        for source in project["sources"]:
            label = md(" · ".join(str(v) for v in (source["publisher"], source["published"]) if v) or source["document"])
            url = source["url"] or ""
            cited.append(f"[{label}]({url})" if SAFE_URL.match(url) else label)
        lines.append(f"- {md(project['name'])}{md(year)}{flag} — " + ("; ".join(cited) or "—"))
    st.markdown("\n".join(lines))


def _downloads(result: dict[str, Any], lang: str) -> None:
    rows = results_table(result, lang)
    frame = pd.DataFrame(rows)
    headers = {"role": "vai trò" if lang == "vi" else "role", "rank": "#", "name": tr(LABELS, "col_name"),
               "score": tr(LABELS, "col_score"), "sample": tr(LABELS, "col_sample"),
               **{name: tr(LABELS, name) for name in COMPONENTS}}
    frame = frame.rename(columns=headers)
    query = result["query"]
    query_row = {"text": query["text"] or "", "themes": ", ".join(t["id"] for t in query["themes"]),
                 "places": ", ".join(p["province"] or p["region"] for p in query["places"]),
                 "budget_usd": query["budget_usd"], "lead": query["lead"]["id"],
                 "sample_data": result["sample_data"],
                 **{f"weight_{k}": v for k, v in result["weights"].items()}}
    csv = csv_bytes(frame)  # one escaping rule for every download (ui/downloads.py)
    excel = excel_bytes({"partners": frame, "query": [query_row]})
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(tr(LABELS, "download_csv"), csv, file_name="partners.csv", mime="text/csv",
                         key="partners-csv", icon=":material/download:")
    right.download_button(tr(LABELS, "download_xlsx"), excel, file_name="partners.xlsx", mime=EXCEL_MIME,
                          key="partners-xlsx", icon=":material/table:")


def page() -> None:
    graph = store()
    lang = language()
    st.title(tr(LABELS, "title"))
    st.caption(tr(LABELS, "intro"))
    _defaults()
    _form(graph, lang)
    if not st.session_state.get("partners-asked"):
        st.info(tr(LABELS, "start"))
        return
    weights = {name: float(st.session_state.get(f"partners-weight-{name}") or 0.0) for name in COMPONENTS}
    if sum(weights.values()) <= 0:
        st.warning(tr(LABELS, "weights_zero"), icon=":material/tune:")
        return
    try:
        result = recommend_partners(graph, _idea(), weights=weights, limit=int(st.session_state["partners-limit"]))
    except IdeaError as error:
        st.warning(error.text(lang), icon=":material/edit_note:")
        return
    except WeightsError:
        st.warning(tr(LABELS, "weights_bad"), icon=":material/tune:")
        return
    if result["sample_data"]:
        st.markdown(sample_badge(), unsafe_allow_html=True)
        st.warning(tr(LABELS, "sample"), icon=":material/science:")
    _understood(result, lang)
    by_role = {role: [r for r in result["results"] if r["role"] == role] for role in ROLES}
    table_rows = {role: [] for role in ROLES}
    for row, item in zip(results_table(result, lang), result["results"]):
        table_rows[item["role"]].append(row)
    tabs = st.tabs([tr(LABELS, f"role_{role}", n=len(by_role[role])) for role in ROLES])
    for tab, role in zip(tabs, ROLES):
        with tab:
            if not by_role[role]:
                st.info(tr(LABELS, "no_results"))
                continue
            _table(table_rows[role], role)
            names = {r["id"]: f"{r['rank']}. {r['short_name'] if r['short_name'] != r['name'] else r['name']}"
                     for r in by_role[role]}
            chosen = st.selectbox(tr(LABELS, "details"), list(names), format_func=names.get,
                                  key=f"partners-pick-{role}")
            item = next((r for r in by_role[role] if r["id"] == chosen), by_role[role][0])
            _details(graph, item, lang)
    _downloads(result, lang)
