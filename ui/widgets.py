"""Small building blocks the pages share: kind badges in the schema's colours, escaping, number
and date formats, the entity picker."""

from __future__ import annotations

import html
import re
import time
from typing import Any, Callable, Iterable

import streamlit as st

from graph.schema import KINDS, as_kind, is_kind, kind_label, relationship_verb
from ui.i18n import language

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
    return KINDS[as_kind(kind)].colour if is_kind(kind) else "#94a3b8"


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
        text = f"{v:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{v:,.0f}"
        return text.replace(",", "\u202f").replace(".", ",") if lang == "vi" else text

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


def entity_picker(label: str, choices: list[dict[str, Any]], key: str, help: str | None = None,
                  on_change: Callable[[], None] | None = None) -> str | None:
    """A selectbox of entities (type to filter); the value lives in ``st.session_state[key]``."""
    ids = [c["id"] for c in choices]
    labels = {c["id"]: c["label"] for c in choices}
    if key in st.session_state and st.session_state[key] not in labels:
        del st.session_state[key]
    return st.selectbox(label, ids, format_func=lambda i: labels.get(i, i), key=key, help=help, on_change=on_change)


def inject_style() -> None:
    st.markdown("""<style>
    .vusta-badge {display:inline-block; padding:0.05rem 0.55rem; margin:0 0.25rem 0.15rem 0; border-radius:0.75rem;
                  font-size:0.78rem; font-weight:600; line-height:1.5; white-space:nowrap}
    .vusta-quote {border-left:3px solid #cbd5e1; padding:0.1rem 0 0.1rem 0.7rem; color:#475569; font-size:0.9rem;
                  margin:0.1rem 0 0.5rem 0}
    .vusta-muted {color:#64748b; font-size:0.85rem}
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
