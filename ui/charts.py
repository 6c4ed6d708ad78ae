"""Altair charts of the overview, in the schema's colours and the chosen language."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from graph.schema import kind_label, relationship_verb
from ui.i18n import language
from ui.widgets import format_amount, kind_colour

FONT = "Source Sans Pro, sans-serif"
PALETTE = ["#0f766e", "#2563eb", "#ca8a04", "#b91c1c", "#7c3aed", "#db2777", "#65a30d", "#0891b2"]
QUALIFIERS = {
    "vi": {"approximately": "khoảng", "about": "khoảng", "over": "hơn", "under": "dưới", "nearly": "gần", "exact": ""},
    "en": {"approximately": "about", "about": "about", "over": "over", "under": "under", "nearly": "nearly",
           "exact": ""},
}


WORDS = {"source": ("Nguồn", "Source"), "value": ("Giá trị", "Value"), "names": ("Tên", "Names")}


def _word(key: str) -> str:
    vi, en = WORDS[key]
    return vi if language() == "vi" else en


def qualified(row: dict[str, Any]) -> str:
    """'khoảng 9,5 triệu USD' / 'about USD 9.5 million'."""
    word = QUALIFIERS[language()].get(row.get("qualifier") or "exact", "")
    amount = format_amount(row["value"], row["unit"])
    return f"{word} {amount}".strip()


def _style(chart: alt.Chart, height: int) -> alt.Chart:
    return chart.properties(height=height).configure_axis(
        labelFont=FONT, titleFont=FONT, labelFontSize=12, titleFontSize=12, grid=False,
    ).configure_legend(labelFont=FONT, titleFont=FONT, labelFontSize=12, labelLimit=260,
    ).configure_view(strokeWidth=0)


def kinds_chart(counts: dict[str, int], title: str) -> alt.Chart:
    lang = language()
    frame = pd.DataFrame([{"kind": kind_label(k, lang), "count": n, "colour": kind_colour(k)}
                          for k, n in counts.items()])
    bars = alt.Chart(frame).mark_bar(cornerRadiusEnd=3).encode(
        y=alt.Y("kind:N", sort="-x", title=None, axis=alt.Axis(labelLimit=240, labelOverlap=False)),
        x=alt.X("count:Q", title=title),
        color=alt.Color("colour:N", scale=None),
        tooltip=[alt.Tooltip("kind:N", title=title), alt.Tooltip("count:Q")],
    )
    text = bars.mark_text(align="left", dx=3, fontSize=11, font=FONT).encode(text="count:Q", color=alt.value("#334155"))
    return _style(bars + text, max(200, 22 * len(frame)))


def relationships_chart(counts: dict[str, int], title: str) -> alt.Chart:
    lang = language()
    frame = pd.DataFrame([{"type": relationship_verb(t, lang), "count": n} for t, n in counts.items()])
    bars = alt.Chart(frame).mark_bar(cornerRadiusEnd=3, color="#64748b").encode(
        y=alt.Y("type:N", sort="-x", title=None, axis=alt.Axis(labelLimit=240, labelOverlap=False)),
        x=alt.X("count:Q", title=title),
        tooltip=[alt.Tooltip("type:N", title=" "), alt.Tooltip("count:Q", title="#")],
    )
    text = bars.mark_text(align="left", dx=3, fontSize=11, font=FONT).encode(text="count:Q", color=alt.value("#334155"))
    return _style(bars + text, max(200, 22 * len(frame)))


def money_chart(rows: list[dict[str, Any]], axis_title: str) -> alt.Chart:
    """One bar per reported amount, by year or period, labelled with what it measures and its value."""
    lang = language()
    frame = pd.DataFrame([{
        "what": f"{r['when']} · {r['category'] if lang == 'vi' else r['category_en']}",
        "when": r["when"], "millions": r["value"] / 1_000_000, "amount": qualified(r), "source": r["source"],
    } for r in rows])
    bars = alt.Chart(frame).mark_bar(cornerRadiusEnd=3, height=20).encode(
        y=alt.Y("what:N", sort=None, title=None, axis=alt.Axis(labelLimit=560, labelFontSize=13, labelOverlap=False)),
        x=alt.X("millions:Q", title=axis_title, scale=alt.Scale(domain=[0, float(frame["millions"].max()) * 1.5])),
        color=alt.Color("when:N", legend=None, scale=alt.Scale(range=PALETTE)),
        tooltip=[alt.Tooltip("what:N", title=" "), alt.Tooltip("amount:N", title=_word("value")),
                 alt.Tooltip("source:N", title=_word("source"))],
    )
    text = bars.mark_text(align="left", dx=4, fontSize=12, font=FONT, color="#334155").encode(text="amount:N")
    return _style(bars + text, max(160, 34 * len(frame)))


def share_chart(rows: list[dict[str, Any]], axis_title: str = "%") -> alt.Chart:
    """Shares of projects by theme, largest first, each bar labelled with its (qualified) value."""
    lang = language()
    frame = pd.DataFrame([{
        "what": r["category"] if lang == "vi" else r["category_en"], "share": r["value"], "amount": qualified(r),
        "source": r["source"],
    } for r in rows])
    bars = alt.Chart(frame).mark_bar(cornerRadiusEnd=3).encode(
        y=alt.Y("what:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False)),
        x=alt.X("share:Q", title=axis_title, scale=alt.Scale(domain=[0, max(50.0, float(frame["share"].max()) * 1.3)])),
        color=alt.Color("what:N", legend=None, sort=None, scale=alt.Scale(range=PALETTE[1:] + PALETTE[:1])),
        tooltip=[alt.Tooltip("what:N", title=" "), alt.Tooltip("amount:N", title="%"),
                 alt.Tooltip("source:N", title=_word("source"))],
    )
    text = bars.mark_text(align="left", dx=4, fontSize=12, font=FONT, color="#334155").encode(text="amount:N")
    return _style(bars + text, max(160, 44 * len(frame)))


def band_chart(rows: list[dict[str, Any]], axis_title: str) -> alt.Chart:
    lang = language()
    frame = pd.DataFrame([{
        "band": r["category"] if lang == "vi" else r["category_en"], "share": r["value"], "amount": qualified(r),
        "order": i, "source": r["source"],
    } for i, r in enumerate(sorted(rows, key=_band_order))])
    bars = alt.Chart(frame).mark_bar(cornerRadiusEnd=3, color="#059669").encode(
        x=alt.X("band:N", sort=alt.EncodingSortField("order"), title=None,
                axis=alt.Axis(labelAngle=0, labelOverlap=False)),
        y=alt.Y("share:Q", title=axis_title),
        tooltip=[alt.Tooltip("band:N", title=" "), alt.Tooltip("amount:N", title="%"),
                 alt.Tooltip("source:N", title=_word("source"))],
    )
    text = bars.mark_text(dy=-7, fontSize=12, font=FONT, color="#334155").encode(text="amount:N")
    return _style(bars + text, 250)


def _band_order(row: dict[str, Any]) -> tuple[int, str]:
    category = row["category_en"]
    return (0 if category.startswith("<") else 2 if category.startswith(">") else 3 if category.startswith("≈") else 1,
            category)


def origins_chart(rows: list[dict[str, Any]], axis_title: str) -> alt.Chart:
    lang = language()
    frame = pd.DataFrame([{"origin": r["origin"] if lang == "vi" else r["origin_en"], "count": r["count"],
                           "names": ", ".join(r["names"])} for r in rows])
    bars = alt.Chart(frame).mark_bar(cornerRadiusEnd=3, color="#16a34a").encode(
        y=alt.Y("origin:N", sort=None, title=None, axis=alt.Axis(labelLimit=240, labelOverlap=False)),
        x=alt.X("count:Q", title=axis_title, axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=[alt.Tooltip("origin:N", title=" "), alt.Tooltip("count:Q", title="#"),
                 alt.Tooltip("names:N", title=_word("names"))],
    )
    text = bars.mark_text(align="left", dx=3, fontSize=11, font=FONT, color="#334155").encode(text="count:Q")
    return _style(bars + text, max(150, 30 * len(frame)))


VI_NUMBERS = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]}
EN_NUMBERS = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}


def localised(chart: alt.TopLevelMixin, language: str) -> alt.TopLevelMixin:
    """The chart with numbers written the reader's way: 1.000,5 in Vietnamese, 1,000.5 in English."""
    return chart.configure(locale={"number": VI_NUMBERS if language == "vi" else EN_NUMBERS})
