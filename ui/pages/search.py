"""Search: one box; names with or without diacritics, aliases, acronyms, English, typos."""

from __future__ import annotations

import streamlit as st

from graph.schema import NodeKind, kind_label
from queries.search import SearchError, search
from ui.context import store
from ui.i18n import language, tr
from ui.navigation import open_page
from ui.widgets import kind_badges, md, placeholder

LABELS = {
    "title": ("Tìm kiếm", "Search"),
    "box": ("Tìm theo tên, tên khác, tên viết tắt — có dấu hay không dấu đều được",
            "Search by name, alias or acronym — with or without Vietnamese diacritics"),
    "placeholder": ("ví dụ: lien hiep hoi, LHHVN, GIZ, Dương Thị Nga, biến đổi khí hậu",
                    "e.g. lien hiep hoi, VUSTA, GIZ, Duong Thi Nga, climate change"),
    "kinds": ("Chỉ các loại", "Only these kinds"),
    "examples": ("Thử:", "Try:"),
    "found": ("{n} kết quả", "{n} results"),
    "none": ("Không tìm thấy. Thử tên khác, tên viết tắt hoặc bớt từ.",
             "Nothing found. Try another name, an acronym or fewer words."),
    "bad": ("Không tìm được với nội dung này: {error}", "This cannot be searched for: {error}"),
    "open": ("Xem hồ sơ", "Open profile"),
    "aliases": ("Tên khác", "Also known as"),
    "matched": ("khớp với", "matched"),
}
EXAMPLES = ["lien hiep hoi", "LHHVN", "GIZ", "AFEO", "Dương Thị Nga", "climate change", "CAFEO 38"]


def _use_example(text: str) -> None:
    st.session_state["q"] = text


def page() -> None:
    st.title(tr(LABELS, "title"))
    text = st.text_input(tr(LABELS, "box"), key="q", placeholder=tr(LABELS, "placeholder"))
    kinds = st.multiselect(tr(LABELS, "kinds"), [k.value for k in NodeKind], key="search-kinds",
                           placeholder=placeholder(),
                           format_func=lambda k: kind_label(k, language()))
    if not text.strip():
        columns = st.columns(len(EXAMPLES) + 1, gap="small")
        columns[0].markdown(f"<div class='vusta-muted' style='padding-top:0.45rem'>{md(tr(LABELS, 'examples'))}</div>",
                            unsafe_allow_html=True)
        for column, example in zip(columns[1:], EXAMPLES):
            column.button(example, key=f"example-{example}", on_click=_use_example, args=(example,), type="tertiary")
        return
    try:
        hits = search(store(), text, limit=30, kinds=kinds or None)
    except SearchError as error:
        st.warning(tr(LABELS, "bad", error=error))
        return
    if not hits:
        st.info(tr(LABELS, "none"))
        return
    st.caption(tr(LABELS, "found", n=len(hits)))
    for hit in hits:
        with st.container(border=True):
            left, right = st.columns([6, 1], vertical_alignment="center")
            with left:
                english = f" · {md(hit['name_en'])}" if hit.get("name_en") and hit["name_en"] != hit["name"] else ""
                st.markdown(f"**{md(hit['name'])}**{english}  \n{kind_badges(hit['kinds'], hit.get('sample', False))}",
                            unsafe_allow_html=True)
                aliases = [a for a in hit["aliases"] if a not in (hit["name"], hit.get("name_en"))][:8]
                details = []
                if aliases:
                    details.append(f"{tr(LABELS, 'aliases')}: {', '.join(aliases)}")
                details.append(f"{tr(LABELS, 'matched')} “{hit['matched']}” · {hit['score']:.2f}")
                st.caption(md(" · ".join(details)))
            with right:
                if st.button(tr(LABELS, "open"), key=f"open-{hit['id']}", icon=":material/arrow_forward:"):
                    st.session_state["selected_entity"] = hit["id"]
                    open_page("profile", id=hit["id"])
