"""Small building blocks the pages share: kind badges in the schema's colours, escaping, number
and date formats, the entity picker."""

from __future__ import annotations

import html
import re
import time
from typing import Any, Iterable

import streamlit as st

from graph.schema import kind_label, relationship_verb
from graph.text import number_text
from ui.i18n import language, tr

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:>])")
LIGHT_TEXT, DARK_TEXT = "#ffffff", "#1f2937"


def md(text: Any) -> str:
    """Any text, safe inside Streamlit markdown: HTML escaped, markdown and directives neutralised."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def h(text: Any) -> str:
    """Any text, safe inside an HTML block of a markdown element (no markdown is read there)."""
    return html.escape(str(text))


def _text_colour(background: str) -> str:
    red, green, blue = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return DARK_TEXT if (0.299 * red + 0.587 * green + 0.114 * blue) > 160 else LIGHT_TEXT


def kind_colour(kind: str) -> str:
    """The colour of the kind's group (ui/colours.py): the same on badges, maps and legends."""
    from ui.colours import colour_of

    return colour_of(kind)


def badge(text: str, colour: str, title: str = "") -> str:
    """An HTML pill; ``text`` and ``title`` are escaped."""
    return (f'<span class="vusta-badge" title="{html.escape(title)}" style="background:{colour};'
            f'color:{_text_colour(colour)}">{html.escape(text)}</span>')


def kind_badges(kinds: Iterable[str], sample: bool = False) -> str:
    lang = language()
    out = [badge(kind_label(k, lang), kind_colour(k), k) for k in kinds]
    if sample:
        out.append(sample_badge())
    return " ".join(out)


def sample_badge() -> str:
    if language() == "vi":
        return badge("DỮ LIỆU MẪU", "#facc15", "Dữ liệu minh họa, không phải sự thật")
    return badge("SAMPLE DATA", "#facc15", "Made up for demonstration, not a fact")


def kinds_text(kinds: Iterable[str]) -> str:
    lang = language()
    return ", ".join(kind_label(k, lang) for k in kinds)


def verb(rel_type: str) -> str:
    return relationship_verb(rel_type, language())


def entity_name(item: dict[str, Any]) -> str:
    """The entity's name in the chosen language (English name when there is one)."""
    if language() == "en" and item.get("name_en"):
        return str(item["name_en"])
    return str(item.get("name") or item.get("id") or "")


def format_amount(value: float | None, unit: str | None) -> str:
    """'9,5 triệu USD' / 'USD 9.5 million', '20 %', '1.234'."""
    if value is None:
        return ""
    lang = language()
    unit = unit or ""

    def number(v: float, digits: int = 1) -> str:
        return number_text(v, lang, digits)

    if unit in ("USD", "USD/year", "VND") and abs(value) >= 1_000_000:
        per_year = (" / năm" if lang == "vi" else " a year") if unit == "USD/year" else ""
        currency = "VND" if unit == "VND" else "USD"
        if abs(value) >= 1_000_000_000:
            scaled, word = value / 1_000_000_000, ("tỷ" if lang == "vi" else "billion")
        else:
            scaled, word = value / 1_000_000, ("triệu" if lang == "vi" else "million")
        return f"{number(scaled)} {word} {currency}{per_year}" if lang == "vi" else \
            f"{currency} {number(scaled)} {word}{per_year}"
    if unit == "percent":
        return f"{number(value)} %"
    suffix = {"persons": " người" if lang == "vi" else " people"}.get(unit, "")
    return f"{number(value, 0)}{suffix}"


def format_count(value: float) -> str:
    """A count in the chosen language's digits: '3.000' / '3,000'."""
    return number_text(value, language())


def format_time(epoch: float | None) -> str:
    if not epoch:
        return ""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(float(epoch)))


def source_text(source: dict[str, Any], titles: dict[str, str] | None = None) -> str:
    """'Title (file, dòng 5)' for a source reference."""
    document = str(source.get("document", ""))
    title = (titles or {}).get(document)
    line = source.get("line")
    where = f"{document}, {'dòng' if language() == 'vi' else 'line'} {line}" if line else document
    return f"{title} ({where})" if title else where


PICKER_LABELS = {
    "type": ("Gõ tên, tên viết tắt — có dấu hay không dấu đều được", "Type a name or acronym — accents optional"),
    "choose": ("Chọn trong kết quả", "Choose among the matches"),
    "none": ("Không tìm thấy “{q}”. Thử tên khác, tên viết tắt hoặc bớt từ.",
             "Nothing found for “{q}”. Try another name, an acronym or fewer words."),
    "bad": ("Không tìm được với nội dung này.", "This cannot be searched for."),
    "empty": ("Gõ vài chữ của tên để chọn", "Type part of a name to choose"),
}
PICKER_BROWSE = 40  # entities offered before anything is typed (the most connected)


def _pick_label(item: dict[str, Any], lang: str) -> str:
    """'Name (ACRONYM) · kinds' in ``lang`` (fixed when the picker is drawn, not when it is read)."""
    from queries.neighbourhood import best_acronym  # lazy: keeps the first page light

    name = str(item["name_en"]) if lang == "en" and item.get("name_en") else str(item.get("name") or item["id"])
    aliases = [a for a in item.get("aliases") or [] if a not in (item.get("name"), item.get("name_en"))]
    short = best_acronym(aliases, name) if aliases else None
    kinds = ", ".join(kind_label(k, lang) for k in item.get("kinds") or [])
    return f"{name} ({short}) · {kinds}" if short else f"{name} · {kinds}"


def _picker_rows(graph: Any, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    from queries.projection import projection

    proj = projection(graph)
    rows = {}
    for entity_id in ids:
        row = proj.entities.get(entity_id)
        if row is not None:
            rows[entity_id] = {"id": entity_id, "name": row.name, "name_en": row.name_en, "aliases": row.aliases,
                               "kinds": row.kinds}
    return rows


def picker_matches(graph: Any, text: str, kinds: Iterable[str] | None = None,
                   leave_out: Iterable[str] = ("Document", "Figure"), limit: int = 15) -> list[dict[str, Any]]:
    """The product's own search (accents, aliases, acronyms, English, typos) for a picker."""
    from queries.search import SearchError, search

    skip = set(leave_out)
    try:
        hits = search(graph, text, limit=limit * 3, kinds=list(kinds) if kinds else None)
    except SearchError:
        return []
    return [h for h in hits if not skip.intersection(h["kinds"])][:limit]


def _browse(graph: Any, kinds: Iterable[str] | None, leave_out: Iterable[str]) -> list[str]:
    from queries.neighbourhood import entity_choices

    return [c["id"] for c in entity_choices(graph, kinds=list(kinds) if kinds else None,
                                            leave_out=tuple(leave_out))[:PICKER_BROWSE]]


def _search_box(graph: Any, label: str, key: str, kinds: Iterable[str] | None, leave_out: Iterable[str],
                help: str | None) -> tuple[str, list[str] | None]:
    """The typing box: its text and the ids it found (None when nothing is typed)."""
    text = st.text_input(label, key=f"{key}__q", placeholder=tr(PICKER_LABELS, "type"), help=help)
    if not text.strip():
        return "", None
    hits = picker_matches(graph, text, kinds, leave_out)
    if not hits:
        st.caption(tr(PICKER_LABELS, "none", q=text.strip()[:60]))
    return text, [h["id"] for h in hits]


def entity_picker(label: str, key: str, graph: Any = None, *, kinds: Iterable[str] | None = None,
                  leave_out: Iterable[str] = ("Document", "Figure"), default: str | None = None,
                  help: str | None = None) -> str | None:
    """The one entity picker of the app: type (with or without accents, an alias, an acronym, in English,
    with typos) and choose among the product's search results. The chosen id lives in
    ``st.session_state[key]``; typing a new text selects its best match."""
    if graph is None:
        from ui.context import store
        graph = store()
    lang = language()
    text, found = _search_box(graph, label, key, kinds, leave_out, help)
    current = st.session_state.get(key, default)
    if found:
        if st.session_state.get(f"{key}__last") != text:
            current = found[0]
        options = found + ([current] if current and current not in found else [])
    else:
        options = _browse(graph, kinds, leave_out)
        if current and current not in options:
            options = [current, *options]
    st.session_state[f"{key}__last"] = text
    rows = _picker_rows(graph, options)
    options = [o for o in options if o in rows]
    if current not in rows:
        current = None
    st.session_state[key] = current
    return st.selectbox(tr(PICKER_LABELS, "choose"), options, key=key, label_visibility="collapsed",
                        format_func=lambda i: _pick_label(rows[i], lang) if i in rows else i,
                        placeholder=tr(PICKER_LABELS, "empty"))


def entity_multi_picker(label: str, key: str, graph: Any = None, *, kinds: Iterable[str] | None = None,
                        leave_out: Iterable[str] = ("Document", "Figure"), help: str | None = None) -> list[str]:
    """Several entities, found the same way as :func:`entity_picker` (chosen ids in ``st.session_state[key]``)."""
    if graph is None:
        from ui.context import store
        graph = store()
    lang = language()
    _, found = _search_box(graph, label, key, kinds, leave_out, help)
    chosen = [c for c in st.session_state.get(key) or []]
    offered = found if found is not None else _browse(graph, kinds, leave_out)
    options = chosen + [o for o in offered if o not in chosen]
    rows = _picker_rows(graph, options)
    options = [o for o in options if o in rows]
    st.session_state[key] = [c for c in chosen if c in rows]
    return st.multiselect(tr(PICKER_LABELS, "choose"), options, key=key, label_visibility="collapsed",
                          format_func=lambda i: _pick_label(rows[i], lang) if i in rows else i,
                          placeholder=placeholder())


def inject_style() -> None:
    st.markdown("""<style>
    .vusta-badge {display:inline-block; padding:0.05rem 0.55rem; margin:0 0.25rem 0.15rem 0; border-radius:0.75rem;
                  font-size:0.78rem; font-weight:600; line-height:1.5; white-space:nowrap}
    .vusta-quote {border-left:3px solid #cbd5e1; padding:0.1rem 0 0.1rem 0.7rem; color:#475569; font-size:0.9rem;
                  margin:0.1rem 0 0.5rem 0}
    .vusta-muted {color:#64748b; font-size:0.85rem}
    .vusta-similar {color:#92400e; background:#fef3c7; border-radius:0.5rem; padding:0 0.4rem; font-size:0.82rem}
    </style>""", unsafe_allow_html=True)


def restore(key: str, default: Any) -> None:
    """Give a widget its value from before a page switch (Streamlit forgets widgets it did not draw)."""
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(f"_keep_{key}", default)


def remember(key: str) -> None:
    """Keep a widget's value for when the page is opened again."""
    st.session_state[f"_keep_{key}"] = st.session_state.get(key)


def placeholder() -> str:
    """What an empty multiselect says, in the chosen language."""
    return "Chọn…" if language() == "vi" else "Choose…"


DOCUMENTS_LABELS = {
    "missing": ("Không tìm thấy thư mục tài liệu nguồn{where}, nên các câu trích dẫn không hiện được "
                "(nguồn vẫn được ghi theo tên tệp và dòng).",
                "The source documents folder was not found{where}, so the quoted sentences cannot be shown "
                "(sources are still named by file and line)."),
    "where": (" ({path})", " ({path})"),
    "fix": ("Cách khắc phục: đặt `VUSTA_DOCUMENTS_DIR` là đường dẫn đến thư mục tài liệu (ví dụ trong tệp `.env`: "
            "`VUSTA_DOCUMENTS_DIR=/duong/dan/den/seeds`), rồi khởi động lại ứng dụng. Mặc định là `../shared/seeds` "
            "cạnh thư mục dự án.",
            "What to do: set `VUSTA_DOCUMENTS_DIR` to the documents folder (for example in the `.env` file: "
            "`VUSTA_DOCUMENTS_DIR=/path/to/seeds`), then restart the app. The default is `../shared/seeds` next to "
            "the project folder."),
}


def documents_missing(folder: Any) -> bool:
    return folder is None or not folder.is_dir()


def documents_notice(folder: Any) -> bool:
    """A visible warning with the fix when the documents folder (VUSTA_DOCUMENTS_DIR) is missing; True if shown."""
    if not documents_missing(folder):
        return False
    where = tr(DOCUMENTS_LABELS, "where", path=folder) if folder is not None else ""
    st.warning(tr(DOCUMENTS_LABELS, "missing", where=where) + "  \n" + tr(DOCUMENTS_LABELS, "fix"),
               icon=":material/folder_off:")
    return True
